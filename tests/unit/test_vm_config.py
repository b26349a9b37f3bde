# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VM config comparison as data: what counts as the same value, and which changes a desired state makes."""

import pytest

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.guests.vm import (
    config_changes,
    disk_changes,
    ipconfig_keys,
    net_changes,
    parse_net,
    same_value,
    validate,
)

SAME = [
    ('memory', '4096', 4096, True),
    ('memory', 'current=4096', 4096, True),
    ('memory', '4096', 2048, False),
    ('agent', 1, '1', True),
    ('agent', 'enabled=1,fstrim_cloned_disks=1', '1,fstrim_cloned_disks=1', True),
    ('agent', '1', 'enabled=true', True),
    ('agent', '1', '0', False),
    ('onboot', 1, True, True),
    ('onboot', 0, True, False),
    ('tags', 'prod;web', ['web', 'prod'], True),
    ('tags', 'prod;web', ['prod'], False),
    ('sshkeys', 'ssh-ed25519%20AAAA%20me%40x', 'ssh-ed25519 AAAA me@x\n', True),
    ('description', 'notes\n', 'notes', True),
    ('boot', 'order=scsi0;net0', 'order=scsi0;net0', True),
    ('startup', 'order=2,up=30', '2,up=30', True),
    ('ipconfig0', 'ip=dhcp,ip6=auto', 'ip6=auto,ip=dhcp', True),
    ('cpu', 'x86-64-v2-AES', 'host', False),
    ('cores', None, 2, False),
    # PVE answers typed values (cores and memory as integers, agent as the string "1"): compared the same.
    ('cores', 2, '2', True),
    ('agent', '1', True, True),
    ('memory', 4096, '4096', True),
]


@pytest.mark.parametrize('key, current, desired, same', SAME)
def test_same_value(key, current, desired, same):
    assert same_value(key, current, desired) is same


NET = 'virtio=BC:24:11:00:64:00,bridge=vmbr0,firewall=1'
NETS = [
    # (current net0 or None, desired spec, expected new value or None for no change)
    (NET, {'bridge': 'vmbr0', 'firewall': True}, None),
    (NET, {'bridge': 'vmbr0', 'macaddr': 'bc:24:11:00:64:00'}, None),
    (NET, {'bridge': 'vmbr1'}, 'virtio=BC:24:11:00:64:00,bridge=vmbr1,firewall=1'),
    (NET, {'bridge': 'vmbr0', 'tag': 20}, 'virtio=BC:24:11:00:64:00,bridge=vmbr0,firewall=1,tag=20'),
    (NET, {'bridge': 'vmbr0', 'firewall': False}, 'virtio=BC:24:11:00:64:00,bridge=vmbr0,firewall=0'),
    ('virtio=BC:24:11:00:64:00,bridge=vmbr0', {'bridge': 'vmbr0', 'firewall': False}, None),
    (NET, {'model': 'e1000'}, 'e1000=BC:24:11:00:64:00,bridge=vmbr0,firewall=1'),
    (None, {'bridge': 'vmbr0', 'tag': 5}, 'virtio,bridge=vmbr0,tag=5'),
    (None, {'bridge': 'vmbr0', 'macaddr': 'aa:bb:cc:dd:ee:ff', 'options': {'mtu': 9000}},
     'virtio=AA:BB:CC:DD:EE:FF,bridge=vmbr0,mtu=9000'),
]


@pytest.mark.parametrize('current, spec, expected', NETS)
def test_net_changes(current, spec, expected):
    config = {'net0': current} if current else {}
    changes = net_changes(config, [dict(spec, slot='net0')])
    assert changes.get('net0') == expected


def test_parse_net():
    assert parse_net(NET) == {'model': 'virtio', 'macaddr': 'BC:24:11:00:64:00', 'bridge': 'vmbr0', 'firewall': '1'}
    with pytest.raises(errors.InvalidArgumentError, match='needs a bridge'):
        net_changes({}, [{'slot': 'net1'}])


DISK = 'local-lvm:vm-100-disk-0,discard=on,iothread=1,size=32G'
DISKS = [
    # (current scsi0 or None, desired spec, expected updates, expected resizes)
    (DISK, {'size': '32G'}, {}, []),
    (DISK, {'size': '32768M'}, {}, []),
    (DISK, {'size': '40G'}, {}, [('scsi0', '40G')]),
    (DISK, {'storage': 'local-lvm', 'options': {'discard': 'on'}}, {}, []),
    (DISK, {'options': {'ssd': True}}, {'scsi0': 'local-lvm:vm-100-disk-0,discard=on,iothread=1,size=32G,ssd=1'}, []),
    (None, {'storage': 'local-lvm', 'size': '8G', 'options': {'discard': 'on'}}, {'scsi0': 'local-lvm:8,discard=on'},
     []),
    (None, {'storage': 'local-lvm', 'size': '512M'}, {'scsi0': 'local-lvm:0.5'}, []),
    (None, {'storage': 'local-lvm', 'volume': 'cloudinit'}, {'scsi0': 'local-lvm:cloudinit'}, []),
    ('local:iso/a.iso,media=cdrom', {'volume': 'local:iso/b.iso'}, {'scsi0': 'local:iso/b.iso,media=cdrom'}, []),
]
# PVE sizes efidisk0 (528K with efitype=4m, 128K with 2m) and tpmstate0 (4M) itself: never compared, never
# resized, allocated with STORAGE:1 whatever size is given.
FIXED = [
    ('efidisk0', 'local-lvm:vm-100-disk-1,efitype=4m,size=528K', {'size': '4M', 'options': {'efitype': '4m'}}, {}),
    ('efidisk0', 'local-lvm:vm-100-disk-1,efitype=2m,size=128K', {'size': '1G'}, {}),
    ('tpmstate0', 'local-lvm:vm-100-disk-2,size=4M,version=v2.0', {'size': '8M', 'options': {'version': 'v2.0'}}, {}),
    ('efidisk0', None, {'storage': 'local-lvm', 'size': '4M', 'options': {'efitype': '4m'}},
     {'efidisk0': 'local-lvm:1,efitype=4m'}),
    ('tpmstate0', None, {'storage': 'local-lvm'}, {'tpmstate0': 'local-lvm:1'}),
]


@pytest.mark.parametrize('current, spec, updates, resizes', DISKS)
def test_disk_changes(current, spec, updates, resizes):
    config = {'scsi0': current} if current else {}
    assert disk_changes(config, [dict(spec, slot='scsi0')]) == (updates, resizes)


@pytest.mark.parametrize('slot, current, spec, updates', FIXED)
def test_fixed_size_drives(slot, current, spec, updates):
    config = {slot: current} if current else {}
    assert disk_changes(config, [dict(spec, slot=slot)]) == (updates, [])


@pytest.mark.parametrize('spec, message', [
    ({'slot': 'scsi0', 'size': '16G'}, 'shrinking is not supported'),
    ({'slot': 'scsi0', 'storage': 'ceph', 'size': '32G'}, 'does not move disks'),
    ({'slot': 'scsi1', 'size': '8G'}, 'needs storage and size'),
    ({'slot': 'hda0', 'size': '8G'}, 'not a disk slot'),
    ({'slot': 'scsi0', 'size': 'huge'}, 'not a size'),
])
def test_disk_errors(spec, message):
    with pytest.raises(errors.InvalidArgumentError, match=message) as exc:
        disk_changes({'scsi0': DISK}, [spec])
    assert exc.value.field == 'disks'


def test_ipconfig_and_config_dict():
    assert ipconfig_keys(['ip=dhcp', 'ip=10.0.0.5/24']) == {'ipconfig0': 'ip=dhcp', 'ipconfig1': 'ip=10.0.0.5/24'}
    assert ipconfig_keys({'ipconfig2': 'ip=dhcp', 0: 'ip6=auto'}) == {'ipconfig2': 'ip=dhcp', 'ipconfig0': 'ip6=auto'}
    with pytest.raises(errors.InvalidArgumentError):
        ipconfig_keys({'eth0': 'ip=dhcp'})
    params = {'memory': 4096, 'cores': 2, 'tags': ['a'], 'config': {'numa': None, 'vga': 'std'},
              'cipassword': 'pw'}
    updates, deletes, resizes = config_changes({'memory': '4096', 'cores': 1, 'numa': 0, 'cipassword': '$5$x'},
                                               params)
    assert updates == {'cores': 2, 'tags': 'a', 'vga': 'std'} and deletes == ['numa'] and resizes == []
    updates, _, _ = config_changes({}, params, creating=True)
    assert updates['cipassword'] == 'pw'
    with pytest.raises(errors.InvalidArgumentError, match='disks and nets'):
        config_changes({}, {'config': {'scsi1': 'local-lvm:4'}})


EMPTY = [
    # An empty value means "not set": no write when it is not set, a delete when it is.
    ({'tags': []}, {}, [], []),
    ({'tags': []}, {'tags': 'ci'}, [], ['tags']),
    ({'tags': [''], 'description': ''}, {'tags': '', 'description': ''}, [], []),
    ({'description': '  '}, {'description': 'notes'}, [], ['description']),
    ({'ipconfig': {0: ''}}, {'ipconfig0': 'ip=dhcp'}, [], ['ipconfig0']),
    ({'nets': [], 'disks': [], 'config': {}, 'ipconfig': {}}, {'net0': 'virtio,bridge=vmbr0'}, [], []),
    ({'ipconfig': []}, {'ipconfig0': 'ip=dhcp'}, [], []),
    ({'config': {'vga': ''}}, {'vga': 'std'}, [], ['vga']),
]


@pytest.mark.parametrize('params, effective, updates, deletes', EMPTY)
def test_empty_values_mean_not_set(params, effective, updates, deletes):
    got_updates, got_deletes, resizes = config_changes(effective, params)
    assert list(got_updates) == updates and got_deletes == deletes and resizes == []


def test_template_is_a_state_not_a_config_key():
    with pytest.raises(errors.InvalidArgumentError, match='state: template') as exc:
        config_changes({}, {'config': {'template': 1}})
    assert exc.value.field == 'config'


BASE = {'vmid': 150, 'state': 'present', 'timeout': 300}
INVALID = [
    ({'vmid': 99}, 'vmid'),
    ({'vmid': 1000000000}, 'vmid'),
    ({'clone': '42'}, 'clone'),
    ({'name': 'no spaces'}, 'name'),
    ({'tags': ['ok', 'white space']}, 'tags'),
    ({'storage': 'local lvm'}, 'storage'),
    ({'disks': [{'slot': 'scsi0', 'size': '0G', 'storage': 'local-lvm'}]}, 'disks'),
    ({'disks': [{'slot': 'scsi0', 'size': '8G', 'options': {'discard': 'on,cache=unsafe'}}]}, 'disks'),
    ({'disks': [{'slot': 'scsi0', 'size': '8G', 'options': {'bad key': 1}}]}, 'disks'),
    ({'disks': [{'slot': 'scsi0', 'size': '8G', 'options': {'size': '9G'}}]}, 'disks'),
    ({'disks': [{'slot': 'scsi0', 'size': '8G', 'format': 'qcow3'}]}, 'disks'),
    ({'disks': [{'slot': 'ide2', 'volume': 'local:iso/x.iso,media=disk'}]}, 'disks'),
    ({'nets': [{'bridge': 'vmbr0', 'tag': 0}]}, 'nets'),
    ({'nets': [{'bridge': 'vmbr0', 'model': 'rtl9999'}]}, 'nets'),
    ({'nets': [{'bridge': 'vmbr0', 'macaddr': 'zz:zz:zz:zz:zz:zz'}]}, 'nets'),
    ({'nets': [{'bridge': 'vmbr 0'}]}, 'nets'),
    ({'nets': [{'bridge': 'vmbr0', 'options': {'mtu': 70000}}]}, 'nets'),
    ({'nets': [{'bridge': 'vmbr0', 'options': {'trunks': '10,20'}}]}, 'nets'),
    ({'nets': [{'slot': 'net32', 'bridge': 'vmbr0'}]}, 'nets'),
    ({'nets': [{'index': 40, 'bridge': 'vmbr0'}]}, 'nets'),
    ({'ipconfig': {0: 'ip=10.0.0.5'}}, 'ipconfig'),
    ({'ipconfig': {0: 'ip=dhcp,gw=fe80::1'}}, 'ipconfig'),
    ({'ipconfig': {0: 'address=10.0.0.5/24'}}, 'ipconfig'),
    ({'ipconfig': [{'ip': 'dhcp'}]}, 'ipconfig'),
    ({'config': {'ipconfig1': 'ip=auto'}}, 'config'),
    ({'config': {'args': {'a': 1}}}, 'config'),
    ({'config': {'lock': 'backup'}}, 'config'),
]


@pytest.mark.parametrize('options, field', INVALID)
def test_validate_refuses_bad_nested_values(options, field):
    with pytest.raises(errors.InvalidArgumentError) as exc:
        validate(dict(BASE, **options))
    assert exc.value.field == field


def test_validate_takes_good_values():
    validate(dict(BASE, name='app01.example', tags=['prod', 'web_1'], ipconfig={0: 'ip=dhcp', 1: 'ip6=auto'},
                  disks=[{'slot': 'efidisk0', 'storage': 'local-lvm', 'options': {'efitype': '4m'}},
                         {'slot': 'scsi0', 'storage': 'local-lvm', 'size': '8G', 'format': 'qcow2',
                          'options': {'discard': 'on', 'ssd': True}}],
                  nets=[{'bridge': 'vmbr0', 'tag': 4094, 'macaddr': 'BC:24:11:00:00:01',
                         'options': {'mtu': 9000, 'trunks': '10;20-30', 'rate': 12.5}}],
                  config={'ipconfig2': 'ip=192.0.2.7/24,gw=192.0.2.1', 'vga': 'std'}))
