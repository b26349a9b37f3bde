# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VM config comparison as data: what counts as the same value, and which changes a desired state makes."""

import pytest

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.vm import (
    config_changes,
    disk_changes,
    ipconfig_keys,
    net_changes,
    parse_net,
    same_value,
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


@pytest.mark.parametrize('current, spec, updates, resizes', DISKS)
def test_disk_changes(current, spec, updates, resizes):
    config = {'scsi0': current} if current else {}
    assert disk_changes(config, [dict(spec, slot='scsi0')]) == (updates, resizes)


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
