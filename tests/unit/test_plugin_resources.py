# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The selection and addressing logic of the inventory plugin and the lookups, as data."""

import pytest

from ansible_collections.pve.ops.plugins.plugin_utils.resources import (
    agent_addresses,
    agent_enabled,
    api_type_for,
    guest_selected,
    mask_config,
    parse_tags,
    resource_selected,
    static_addresses,
)

WEB = {'id': 'qemu/100', 'type': 'qemu', 'vmid': 100, 'name': 'web01', 'node': 'pve1', 'status': 'running',
       'template': 0, 'tags': 'prod;web', 'pool': 'demo'}
TPL = {'id': 'qemu/9000', 'type': 'qemu', 'vmid': 9000, 'name': 'tpl', 'node': 'pve1', 'status': 'stopped',
       'template': 1}
CT = {'id': 'lxc/200', 'type': 'lxc', 'vmid': 200, 'name': 'proxy01', 'node': 'pve2', 'status': 'stopped',
      'template': 0, 'tags': 'proxy'}
NODE = {'id': 'node/pve1', 'type': 'node', 'node': 'pve1', 'status': 'online'}
POOL = {'id': 'pool/demo', 'type': 'pool', 'pool': 'demo'}
STORAGE = {'id': 'storage/pve1/local', 'type': 'storage', 'node': 'pve1', 'storage': 'local', 'plugintype': 'dir',
           'status': 'available'}

GUEST_CASES = [
    # (guest, selection options, kept)
    (WEB, {}, True),
    (CT, {}, True),
    (TPL, {}, False),
    (TPL, {'include_templates': True}, True),
    (NODE, {}, False),
    (CT, {'types': ['qemu']}, False),
    (WEB, {'types': ['qemu']}, True),
    (WEB, {'statuses': ['running']}, True),
    (CT, {'statuses': ['running']}, False),
    (CT, {'statuses': ['running', 'stopped']}, True),
    (WEB, {'nodes': ['pve2']}, False),
    (CT, {'nodes': ['pve2', 'pve3']}, True),
    (WEB, {'exclude_nodes': ['pve1']}, False),
    (CT, {'exclude_nodes': ['pve1']}, True),
    (WEB, {'pools': ['demo']}, True),
    (CT, {'pools': ['demo']}, False),
    (WEB, {'exclude_pools': ['demo']}, False),
    (CT, {'exclude_pools': ['demo']}, True),
    (WEB, {'tags': ['web', 'db']}, True),
    (WEB, {'tags': ['db']}, False),
    (CT, {'tags': ['web']}, False),
    (WEB, {'exclude_tags': ['prod']}, False),
    (CT, {'exclude_tags': ['prod']}, True),
    (WEB, {'statuses': ['running'], 'nodes': ['pve1'], 'tags': ['web'], 'pools': ['demo']}, True),
    (WEB, {'statuses': ['running'], 'nodes': ['pve1'], 'tags': ['web'], 'exclude_tags': ['prod']}, False),
]


@pytest.mark.parametrize('guest,options,kept', GUEST_CASES)
def test_guest_selected(guest, options, kept):
    assert guest_selected(guest, **options) is kept


RESOURCE_CASES = [
    # (entry, types, filters, kept)
    (WEB, ('qemu', 'lxc'), {}, True),
    (NODE, ('qemu', 'lxc'), {}, False),
    (TPL, ('qemu',), {}, True),
    (TPL, ('qemu',), {'template': False}, False),
    (TPL, ('qemu',), {'template': True}, True),
    (WEB, ('qemu',), {'template': True}, False),
    (WEB, ('qemu',), {'node': ['pve1'], 'status': ['running']}, True),
    (WEB, ('qemu',), {'node': ['pve1'], 'status': ['stopped']}, False),
    (WEB, ('qemu',), {'vmid': [100, 101]}, True),
    (WEB, ('qemu',), {'vmid': ['100']}, True),
    (WEB, ('qemu',), {'vmid': [101]}, False),
    (WEB, ('qemu',), {'name': ['web01']}, True),
    (WEB, ('qemu',), {'pool': ['other']}, False),
    (CT, ('lxc',), {'pool': ['demo']}, False),
    (WEB, ('qemu',), {'tags': ['web']}, True),
    (CT, ('lxc',), {'tags': ['web']}, False),
    (POOL, ('pool',), {'pool': ['demo']}, True),
    (NODE, ('node',), {'status': ['online']}, True),
    (STORAGE, ('storage',), {'fields': {'plugintype': 'dir'}}, True),
    (STORAGE, ('storage',), {'fields': {'plugintype': ['nfs', 'dir']}}, True),
    (STORAGE, ('storage',), {'fields': {'plugintype': 'nfs'}}, False),
    (NODE, ('node',), {'fields': {'plugintype': 'dir'}}, False),
]


@pytest.mark.parametrize('entry,types,filters,kept', RESOURCE_CASES)
def test_resource_selected(entry, types, filters, kept):
    assert resource_selected(entry, types, **filters) is kept


@pytest.mark.parametrize('terms,api_type', [
    (['vm'], 'vm'), (['qemu', 'lxc'], 'vm'), (['node'], 'node'), (['storage'], 'storage'), (['sdn'], 'sdn'),
    (['pool'], None), (['vm', 'node'], None), (['qemu', 'pool'], None),
])
def test_one_request_covers_the_terms(terms, api_type):
    assert api_type_for(terms) == api_type


@pytest.mark.parametrize('text,tags', [
    (None, []), ('', []), ('web', ['web']), ('prod;web', ['prod', 'web']), ('a, b c;;a', ['a', 'b', 'c']),
    (['x', 'y'], ['x', 'y']),
])
def test_parse_tags(text, tags):
    assert parse_tags(text) == tags


@pytest.mark.parametrize('config,addresses', [
    ({}, []),
    ({'net0': 'name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=192.0.2.20/24,gw=192.0.2.1,type=veth'},
     ['192.0.2.20']),
    ({'net0': 'name=eth0,bridge=vmbr0,ip=dhcp,ip6=auto'}, []),
    ({'net0': 'name=eth0,ip6=2001:db8::5/64', 'net1': 'name=eth1,ip=198.51.100.7/24'},
     ['198.51.100.7', '2001:db8::5']),
    ({'net10': 'name=eth10,ip=192.0.2.10/24', 'net2': 'name=eth2,ip=192.0.2.2/24'}, ['192.0.2.2', '192.0.2.10']),
    ({'net0': 'virtio=BC:24:11:00:00:01,bridge=vmbr0', 'ipconfig0': 'ip=192.0.2.50/24,gw=192.0.2.1'},
     ['192.0.2.50']),
    ({'ipconfig0': 'ip=dhcp'}, []),
    ({'net0': 'name=eth0,ip=127.0.0.2/8', 'net1': 'name=eth1,ip=169.254.1.1/16'}, []),
    ({'net0': 'name=eth0,ip=not-an-ip'}, []),
])
def test_static_addresses(config, addresses):
    assert static_addresses(config) == addresses


def _iface(name, *addresses):
    return {'name': name, 'hardware-address': '00:00:00:00:00:00',
            'ip-addresses': [{'ip-address': a, 'ip-address-type': 'ipv6' if ':' in a else 'ipv4', 'prefix': 24}
                             for a in addresses]}


@pytest.mark.parametrize('interfaces,addresses', [
    (None, []),
    ([], []),
    ([_iface('lo', '127.0.0.1', '::1')], []),
    ([_iface('lo', '127.0.0.1'), _iface('eth0', 'fe80::1', '2001:db8::10', '192.0.2.10')],
     ['192.0.2.10', '2001:db8::10']),
    ([_iface('eth0', '192.0.2.10'), _iface('eth1', '192.0.2.10', '198.51.100.1')], ['192.0.2.10', '198.51.100.1']),
    ([_iface('docker0', '172.17.0.1'), 'garbage', {'name': 'eth0'}], ['172.17.0.1']),
])
def test_agent_addresses(interfaces, addresses):
    assert agent_addresses(interfaces) == addresses


@pytest.mark.parametrize('config,enabled', [
    (None, None), ({}, False), ({'agent': 1}, True), ({'agent': '0'}, False), ({'agent': 'enabled=1,fstrim_cloned_disks=1'}, True),
    ({'agent': 'enabled=0'}, False), ({'agent': '1,type=isa'}, True),
])
def test_agent_enabled(config, enabled):
    assert agent_enabled(config) is enabled


def test_mask_config_hides_the_cloud_init_password():
    config = {'cipassword': '$6$hash', 'ciuser': 'debian'}
    masked = mask_config(config)
    assert masked == {'cipassword': '**********', 'ciuser': 'debian'}
    assert config['cipassword'] == '$6$hash'
    assert mask_config({'ciuser': 'x'}) == {'ciuser': 'x'}
