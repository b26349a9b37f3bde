# SPDX-License-Identifier: AGPL-3.0-or-later
"""SDN in pvesim (sdn.py): zones, vnets, subnets, pending state, applying, zone status per node, IPAM."""

import proxmoxer
import pytest


def _error(call):
    with pytest.raises(proxmoxer.core.ResourceException) as err:
        call()
    return err.value


def test_zone_vnet_subnet_are_pending_until_applied(pvesim):
    api = pvesim.proxmoxer()
    sdn = api.cluster.sdn
    sdn.zones.post(zone='lab', type='vlan', bridge='vmbr0', ipam='pve')
    sdn.vnets.post(vnet='web', zone='lab', tag=20, alias='web tier')
    sdn.vnets('web').subnets.post(subnet='10.20.0.0/24', type='subnet', gateway='10.20.0.1', snat=1,
                                  **{'dhcp-range': ['start-address=10.20.0.100,end-address=10.20.0.199']})
    assert [z['zone'] for z in sdn.zones.get()] == ['lab']
    assert sdn.zones.get(running=1) == []
    zone = sdn.zones('lab').get(pending=1)
    assert zone['state'] == 'new' and zone['type'] == 'vlan' and zone['pending']['bridge'] == 'vmbr0'
    assert 'bridge' not in zone
    subnet = sdn.vnets('web').subnets('lab-10.20.0.0-24').get()
    assert subnet['cidr'] == '10.20.0.0/24' and subnet['zone'] == 'lab' and subnet['vnet'] == 'web'
    assert subnet['dhcp-range'] == [{'start-address': '10.20.0.100', 'end-address': '10.20.0.199'}]
    assert api.nodes('pve1').sdn.zones.get() == []
    upid = sdn.put()
    assert ':reloadnetworkall:' in upid and api.nodes('pve1').tasks(upid).status.get()['exitstatus'] == 'OK'
    assert api.nodes('pve1').sdn.zones.get() == [{'zone': 'lab', 'status': 'available'}]
    assert 'state' not in sdn.zones('lab').get(pending=1)
    sdn.vnets('web').put(tag=21)
    vnet = sdn.vnets('web').get(pending=1)
    assert vnet['state'] == 'changed' and vnet['tag'] == 20 and vnet['pending'] == {'tag': 21}
    sdn.rollback.post()
    assert sdn.vnets('web').get()['tag'] == 20


def test_validation_as_pve(pvesim):
    api = pvesim.proxmoxer()
    sdn = api.cluster.sdn
    assert 'bridge' in str(_error(lambda: sdn.zones.post(zone='v1', type='vlan')))
    assert 'peers / fabric' in str(_error(lambda: sdn.zones.post(zone='x1', type='vxlan')))
    assert "controller c1 don't exist" in str(_error(lambda: sdn.zones.post(
        zone='e1', type='evpn', controller='c1', **{'vrf-vxlan': 10})))
    assert "unexpected property 'bridge'" in str(_error(lambda: sdn.zones.post(zone='s1', type='simple',
                                                                              bridge='vmbr0')))
    sdn.zones.post(zone='s1', type='simple')
    sdn.zones.post(zone='v1', type='vlan', bridge='vmbr9')
    assert 'not allowed on simple zone' in str(_error(lambda: sdn.vnets.post(vnet='a1', zone='s1', tag=3)))
    assert 'missing vlan tag' in str(_error(lambda: sdn.vnets.post(vnet='a1', zone='v1')))
    sdn.vnets.post(vnet='a1', zone='v1', tag=5)
    assert 'tag 5 already exist in vnet a1' in str(_error(lambda: sdn.vnets.post(vnet='a2', zone='v1', tag=5)))
    sdn.vnets.post(vnet='b1', zone='s1')
    assert 'is not in subnet' in str(_error(lambda: sdn.vnets('b1').subnets.post(
        subnet='10.1.0.0/24', type='subnet', gateway='10.2.0.1')))
    # One array item per range, as the schema says (pve-sdn-dhcp-range): two ranges joined with a comma are refused.
    joined = 'start-address=10.1.0.10,end-address=10.1.0.20,start-address=10.1.0.30,end-address=10.1.0.40'
    assert 'duplicate key in comma-separated list property: start-address' in str(_error(
        lambda: sdn.vnets('b1').subnets.post(subnet='10.1.0.0/24', type='subnet', **{'dhcp-range': [joined]})))
    assert 'invalid key in comma-separated list property: begin' in str(_error(
        lambda: sdn.vnets('b1').subnets.post(subnet='10.1.0.0/24', type='subnet',
                                             **{'dhcp-range': ['begin=10.1.0.10,end-address=10.1.0.20']})))
    assert "cannot delete required option 'bridge'" in str(_error(lambda: sdn.zones('v1').put(delete='bridge')))
    assert 'at the same time' in str(_error(lambda: sdn.vnets('a1').put(alias='x', delete='alias')))
    assert 'zone v1 is used by vnet a1' in str(_error(lambda: sdn.zones('v1').delete()))
    assert _error(lambda: sdn.lock.post()).status_code == 501
    sdn.put()
    # vmbr9 does not exist on the nodes: the zone is in error there.
    assert {'zone': 'v1', 'status': 'error'} in api.nodes('pve1').sdn.zones.get()
    assert api.nodes('pve1').sdn.zones('v1').content.get() == [{'vnet': 'a1', 'status': 'error',
                                                                'statusmsg': 'missing vmbr9'}]


def _wait(node, upid):
    for _ in range(200):
        status = node.tasks(upid).status.get()
        if status['status'] == 'stopped':
            return status['exitstatus']
    raise AssertionError('task did not end')


def test_a_vm_on_a_vnet_starts_after_apply_and_gets_an_ipam_address(pvesim):
    api = pvesim.proxmoxer()
    sdn, node = api.cluster.sdn, api.nodes('pve1')
    sdn.zones.post(zone='dz', type='simple', ipam='pve', dhcp='dnsmasq')
    sdn.vnets.post(vnet='dnet', zone='dz')
    sdn.vnets('dnet').subnets.post(subnet='10.30.0.0/24', type='subnet', gateway='10.30.0.1',
                                   **{'dhcp-range': ['start-address=10.30.0.50,end-address=10.30.0.60']})
    vm = next(g for g in node.qemu.get() if g['status'] == 'stopped' and not g.get('template'))
    config = node.qemu(vm['vmid']).config
    mac = config.get()['net0'].split(',')[0].split('=')[1]
    config.put(net0='virtio={0},bridge=dnet'.format(mac))
    assert _wait(node, node.qemu(vm['vmid']).status.start.post()) == "bridge 'dnet' does not exist"
    _wait(node, sdn.put())
    assert _wait(node, node.qemu(vm['vmid']).status.start.post()) == 'OK'
    entries = sorted(sdn.ipams('pve').status.get(), key=lambda e: e['ip'])
    assert entries == [{'gateway': 1, 'ip': '10.30.0.1', 'subnet': '10.30.0.0/24', 'vnet': 'dnet', 'zone': 'dz'},
                       {'hostname': vm['name'], 'ip': '10.30.0.50', 'mac': mac, 'subnet': '10.30.0.0/24',
                        'vmid': vm['vmid'], 'vnet': 'dnet', 'zone': 'dz'}]
    # The reservation stays while the VM is stopped; it goes with the NIC, and with the VM.
    _wait(node, node.qemu(vm['vmid']).status.stop.post())
    assert any(e.get('vmid') == vm['vmid'] for e in sdn.ipams('pve').status.get())
    config.put(net0='virtio={0},bridge=vmbr0'.format(mac))
    assert [e['ip'] for e in sdn.ipams('pve').status.get()] == ['10.30.0.1']
    config.put(net0='virtio={0},bridge=dnet'.format(mac))
    assert _wait(node, node.qemu(vm['vmid']).status.start.post()) == 'OK'
    assert any(e.get('vmid') == vm['vmid'] for e in sdn.ipams('pve').status.get())
    _wait(node, node.qemu(vm['vmid']).status.stop.post())
    _wait(node, node.qemu(vm['vmid']).delete())
    assert [e['ip'] for e in sdn.ipams('pve').status.get()] == ['10.30.0.1']
