# SPDX-License-Identifier: AGPL-3.0-or-later
"""A node's staged network configuration in pvesim (network.py), through proxmoxer and raw HTTPS."""

import proxmoxer
import pytest


def _raw_list(pvesim, node):
    """GET /nodes/{node}/network as PVE sends it: data and the `changes` attribute beside it."""
    api = pvesim.proxmoxer()
    session = api._store['session']
    return session.request('GET', '{0}/api2/json/nodes/{1}/network'.format(pvesim.url, node)).json()


def _error(call):
    with pytest.raises(proxmoxer.core.ResourceException) as err:
        call()
    return err.value


def test_a_new_bridge_is_staged_then_applied_as_a_task(pvesim):
    api = pvesim.proxmoxer()
    node = api.nodes('pve1')
    assert 'changes' not in _raw_list(pvesim, 'pve1')
    node.network.post(iface='vmbr1', type='bridge', bridge_ports='eno2', bridge_vlan_aware=1, autostart=1,
                      cidr='10.10.0.2/24', comments='lab')
    staged = {i['iface']: i for i in node.network.get()}
    vmbr1 = staged['vmbr1']
    assert vmbr1['bridge_vids'] == '2-4094' and vmbr1['bridge_vlan_aware'] == 1 and 'active' not in vmbr1
    assert vmbr1['address'] == '10.10.0.2' and vmbr1['netmask'] == '24' and vmbr1['cidr'] == '10.10.0.2/24'
    assert vmbr1['comments'] == 'lab\n' and vmbr1['method'] == 'static' and vmbr1['families'] == ['inet']
    raw = _raw_list(pvesim, 'pve1')
    assert '+iface vmbr1 inet static' in raw['changes'] and raw['changes'].startswith('--- /etc/network/interfaces')
    upid = node.network.put()
    assert upid.startswith('UPID:pve1:') and ':srvreload:networking:' in upid
    assert node.tasks(upid).status.get()['exitstatus'] == 'OK'
    assert 'changes' not in _raw_list(pvesim, 'pve1')
    assert {i['iface']: i for i in node.network.get()}['vmbr1']['active'] == 1
    assert node.network('vmbr1').get()['type'] == 'bridge'


def test_revert_drops_the_staged_configuration(pvesim):
    node = pvesim.proxmoxer().nodes('pve2')
    before = node.network.get()
    node.network('eno2').put(type='eth', mtu=9000)
    assert {i['iface']: i for i in node.network.get()}['eno2']['mtu'] == 9000
    assert node.network.delete() is None
    assert node.network.get() == before
    assert node.network.delete() is None  # nothing staged: no error, as PVE's unlink


def test_checks_as_pve_does(pvesim):
    node = pvesim.proxmoxer().nodes('pve3')
    err = _error(lambda: node.network.post(iface='vmbr2', type='bridge', bridge_ports='eno9'))
    assert err.status_code == 500 and "unable to find bridge port 'eno9'" in str(err)
    err = _error(lambda: node.network.post(iface='vmbr2', type='bridge', bridge_ports='eno1'))
    assert err.status_code == 400 and "eno1 is already used on interface 'vmbr0'." in str(err.errors)
    err = _error(lambda: node.network.post(iface='vmbr2', type='bridge', cidr='10.0.0.1/24', gateway='10.0.0.254'))
    assert "Default gateway already exists on interface 'vmbr0'." in str(err.errors)
    err = _error(lambda: node.network.post(iface='eno1.5000', type='vlan'))
    assert err.status_code == 500 and 'vlan-id 5000 is not in 1-4094' in str(err)
    err = _error(lambda: node.network.post(iface='vlan7', type='vlan', **{'vlan-id': 4095, 'vlan-raw-device': 'eno1'}))
    assert err.status_code == 400 and 'vlan-id' in err.errors
    err = _error(lambda: node.network.post(iface='vlan7', type='vlan', **{'vlan-id': 7, 'vlan-raw-device': 'eno7'}))
    assert "unable to find parent 'eno7'" in str(err)
    err = _error(lambda: node.network.post(iface='vmbr0', type='bridge'))
    assert err.errors == {'iface': 'interface already exists'}
    err = _error(lambda: node.network('vmbr9').put(type='bridge'))
    assert err.errors == {'iface': 'interface does not exist'}
    assert 'changes' not in _raw_list(pvesim, 'pve3')  # nothing refused was staged
    node.network.post(iface='eno1.20', type='vlan', cidr='10.20.0.1/24')
    vlan = {i['iface']: i for i in node.network.get()}['eno1.20']
    assert vlan['vlan-raw-device'] == 'eno1' and vlan['vlan-id'] == 20
    err = _error(lambda: node.network.post(iface='bond0', type='bond', slaves='eno2', **{'bond-primary': 'eno1'}))
    assert 'bond-primary interface is not a slave' in str(err)


def test_deleting_a_nic_entry_leaves_the_nic(pvesim):
    node = pvesim.proxmoxer().nodes('pve1')
    node.network('eno2').put(type='eth', mtu=9000, comments='spare')
    node.network('eno2').delete()
    eno2 = {i['iface']: i for i in node.network.get()}['eno2']
    assert eno2['type'] == 'eth' and eno2['exists'] == 1 and 'mtu' not in eno2


def test_only_sys_modify_may_write(pvesim):
    # bob is PVEAuditor on /: he reads the network (Sys.Audit) but may not change it (Sys.Modify).
    api = proxmoxer.ProxmoxAPI(pvesim.host, port=pvesim.port, user='bob@pve', password='bob-demo-secret',
                               verify_ssl=False)
    assert api.nodes('pve1').network.get()
    for call in (lambda: api.nodes('pve1').network.put(), lambda: api.nodes('pve1').network.delete(),
                 lambda: api.nodes('pve1').network.post(iface='vmbr5', type='bridge')):
        assert _error(call).status_code == 403


def test_an_update_without_the_address_drops_it_as_inotify_writes_it(pvesim):
    node = pvesim.proxmoxer().nodes('pve2')
    node.network.post(iface='vmbr3', type='bridge', cidr='10.3.0.1/24', comments='keep')
    node.network('vmbr3').put(type='bridge', mtu=1500)
    vmbr3 = {i['iface']: i for i in node.network.get()}['vmbr3']
    assert 'address' not in vmbr3 and 'cidr' not in vmbr3 and vmbr3['method'] == 'manual'
    assert vmbr3['comments'] == 'keep\n' and vmbr3['mtu'] == 1500
