# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.sdn_apply through real ansible-playbook against pvesim (SDN objects written through the API)."""

from pvesim import faults
from tests.helpers.inproc import run_module
from tests.helpers.playbook import quartet, run_tasks

APPLY = 'pve.ops.sdn_apply'


def test_apply_quartet_shows_the_pending_diff_then_applies(pvesim):
    sdn = pvesim.proxmoxer().cluster.sdn
    sdn.zones.post(zone='lab', type='vlan', bridge='vmbr0')
    sdn.vnets.post(vnet='web', zone='lab', tag=20)
    sdn.vnets('web').subnets.post(subnet='10.20.0.0/24', type='subnet', gateway='10.20.0.1')
    run = quartet(pvesim, APPLY, {})
    check = run.results['t check']
    assert check['pending'] == {'zones': {'lab': 'new'}, 'vnets': {'web': 'new'},
                                'subnets': {'lab-10.20.0.0-24': 'new'}}
    assert check['applied'] is False and check['diff']['before'] == {'zones': {}, 'vnets': {}, 'subnets': {}}
    assert check['diff']['after']['zones'] == {'lab': {'type': 'vlan', 'bridge': 'vmbr0'}}
    assert check['diff']['after']['vnets'] == {'web': {'type': 'vnet', 'zone': 'lab', 'tag': 20}}
    assert check['diff']['after']['subnets']['lab-10.20.0.0-24']['gateway'] == '10.20.0.1'
    applied = run.results['t apply']
    assert applied['applied'] is True and ':reloadnetworkall:' in applied['tasks'][0]
    assert applied['diff'] == check['diff'] and run.writes['t apply'] == 1
    assert run.results['t idem']['pending'] == {} and run.results['t idem']['applied'] is False
    assert pvesim.proxmoxer().nodes('pve1').sdn.zones.get() == [{'zone': 'lab', 'status': 'available'}]


def test_a_change_and_a_delete_show_as_pve_lists_them(pvesim):
    sdn = pvesim.proxmoxer().cluster.sdn
    sdn.zones.post(zone='lab', type='vlan', bridge='vmbr0', mtu=1500)
    sdn.zones.post(zone='old', type='simple')
    sdn.put()
    sdn.zones('lab').put(mtu=9000)
    sdn.zones('old').delete()
    run = quartet(pvesim, APPLY, {})
    check = run.results['t check']
    assert check['pending'] == {'zones': {'lab': 'changed', 'old': 'deleted'}}
    assert check['diff']['before']['zones'] == {'lab': {'type': 'vlan', 'bridge': 'vmbr0', 'mtu': 1500},
                                                'old': {'type': 'simple'}}
    assert check['diff']['after']['zones'] == {'lab': {'type': 'vlan', 'bridge': 'vmbr0', 'mtu': 9000}}


def test_a_lost_answer_to_applying_is_settled(pvesim):
    pvesim.proxmoxer().cluster.sdn.zones.post(zone='lab', type='simple')
    pvesim.call(faults.apply(pvesim.pve, {'drop_answer': {'method': 'PUT', 'path': '/api2/json/cluster/sdn',
                                                          'times': 1}}))
    result = run_module(pvesim, 'sdn_apply', {})
    assert not result.get('failed'), result['msg']
    assert result['changed'] is True and result['pending'] == {'zones': {'lab': 'new'}}
    assert run_module(pvesim, 'sdn_apply', {})['changed'] is False


def test_zone_quartets_pending_until_applied(pvesim):
    args = {'zone': 'lab', 'type': 'vlan', 'bridge': 'vmbr0', 'ipam': 'pve', 'nodes': ['pve2', 'pve1']}
    run = quartet(pvesim, 'pve.ops.sdn_zone', args)
    made = run.results['t apply']
    assert made['zone']['bridge'] == 'vmbr0' and made['zone']['nodes'] == ['pve1', 'pve2'] and made['pending'] is True
    assert run.results['t check']['diff']['after'] == made['zone'] and run.results['t check']['diff']['before'] == {}
    run_tasks(pvesim, [{'name': 'apply', APPLY: {}}])
    changed = quartet(pvesim, 'pve.ops.sdn_zone', {'zone': 'lab', 'mtu': 1400, 'nodes': []}, name='u')
    assert changed.results['u apply']['zone']['mtu'] == 1400 and changed.results['u apply']['zone']['nodes'] == []
    assert changed.results['u apply']['pending'] is True
    zone = pvesim.proxmoxer().cluster.sdn.zones('lab').get(pending=1)
    assert zone['state'] == 'changed' and zone['pending'] == {'mtu': 1400, 'nodes': 'deleted'}
    gone = quartet(pvesim, 'pve.ops.sdn_zone', {'zone': 'lab', 'state': 'absent'}, name='d')
    assert gone.results['d apply']['zone'] is None and gone.results['d apply']['pending'] is True
    out = run_tasks(pvesim, [{'name': 'retype', 'pve.ops.sdn_zone': {'zone': 'flat'}, 'ignore_errors': True}])
    assert 'type is required' in out.results['retype']['msg'] and out.writes['retype'] == 0


VNET, SUBNET = 'pve.ops.sdn_vnet', 'pve.ops.sdn_subnet'


def _refused(pvesim, module, args):
    out = run_tasks(pvesim, [{'name': 'r', module: args, 'ignore_errors': True}])
    assert out.results['r'].get('failed') and out.writes['r'] == 0, out.results['r']
    return out.results['r']['msg']


def test_vnet_quartets_pending_until_applied(pvesim):
    pvesim.proxmoxer().cluster.sdn.zones.post(zone='lab', type='vlan', bridge='vmbr0')
    run = quartet(pvesim, VNET, {'vnet': 'web', 'zone': 'lab', 'tag': 20, 'alias': 'web tier'})
    made = run.results['t apply']
    assert made['vnet'] == {'vnet': 'web', 'zone': 'lab', 'tag': 20, 'alias': 'web tier', 'vlanaware': False}
    assert made['pending'] is True and run.results['t check']['diff'] == {'before': {}, 'after': made['vnet']}
    assert run.results['t idem']['pending'] is True
    run_tasks(pvesim, [{'name': 'apply', APPLY: {}}])
    changed = quartet(pvesim, VNET, {'vnet': 'web', 'tag': 21, 'alias': '', 'vlanaware': True}, name='u')
    assert changed.results['u apply']['vnet'] == {'vnet': 'web', 'zone': 'lab', 'tag': 21, 'alias': None,
                                                  'vlanaware': True}
    vnet = pvesim.proxmoxer().cluster.sdn.vnets('web').get(pending=1)
    assert vnet['state'] == 'changed' and vnet['pending'] == {'tag': 21, 'alias': 'deleted', 'vlanaware': 1}
    gone = quartet(pvesim, VNET, {'vnet': 'web', 'state': 'absent'}, name='d')
    assert gone.results['d apply']['vnet'] is None and gone.results['d apply']['pending'] is True


def test_vnet_refusals_before_anything_is_sent(pvesim):
    sdn = pvesim.proxmoxer().cluster.sdn
    sdn.zones.post(zone='lab', type='vlan', bridge='vmbr0')
    sdn.zones.post(zone='flat', type='simple')
    sdn.zones.post(zone='other', type='vlan', bridge='vmbr0')
    sdn.vnets.post(vnet='web', zone='lab', tag=20)
    sdn.vnets('web').subnets.post(subnet='10.20.0.0/24', type='subnet')
    assert 'zone is required' in _refused(pvesim, VNET, {'vnet': 'db'})
    assert "'nozone' does not exist" in _refused(pvesim, VNET, {'vnet': 'db', 'zone': 'nozone', 'tag': 2})
    assert 'tag is required' in _refused(pvesim, VNET, {'vnet': 'db', 'zone': 'lab'})
    assert 'takes no tag' in _refused(pvesim, VNET, {'vnet': 'db', 'zone': 'flat', 'tag': 3})
    assert 'at most 4096' in _refused(pvesim, VNET, {'vnet': 'db', 'zone': 'lab', 'tag': 4097})
    assert "already the tag of SDN vnet 'web'" in _refused(pvesim, VNET, {'vnet': 'db', 'zone': 'lab', 'tag': 20})
    assert "zone while it has subnets" in _refused(pvesim, VNET, {'vnet': 'web', 'zone': 'other'})
    assert 'cannot have subnets' in _refused(pvesim, VNET, {'vnet': 'web', 'vlanaware': True})
    assert 'while it has subnets' in _refused(pvesim, VNET, {'vnet': 'web', 'state': 'absent'})
    # What the module lets through, PVE takes: the same tag in another zone.
    made = run_tasks(pvesim, [{'name': 'ok', VNET: {'vnet': 'db', 'zone': 'other', 'tag': 20}}])
    assert made.results['ok']['changed'] is True


def test_subnet_quartets_with_gateway_snat_and_dhcp_ranges(pvesim):
    sdn = pvesim.proxmoxer().cluster.sdn
    sdn.zones.post(zone='dz', type='simple', ipam='pve', dhcp='dnsmasq')
    sdn.vnets.post(vnet='web', zone='dz')
    args = {'vnet': 'web', 'subnet': '10.20.0.0/24', 'gateway': '10.20.0.1', 'snat': True,
            'dhcp_range': [{'start': '10.20.0.150', 'end': '10.20.0.199'}, {'start': '10.20.0.100', 'end': '10.20.0.120'}]}
    run = quartet(pvesim, SUBNET, args)
    made = run.results['t apply']
    assert made['subnet'] == {'vnet': 'web', 'subnet': '10.20.0.0/24', 'gateway': '10.20.0.1', 'snat': True,
                              'dhcp_range': [{'start': '10.20.0.100', 'end': '10.20.0.120'},
                                             {'start': '10.20.0.150', 'end': '10.20.0.199'}]}
    assert made['pending'] is True and run.results['t check']['diff']['after'] == made['subnet']
    listed = sdn.vnets('web').subnets('dz-10.20.0.0-24').get()
    assert listed['gateway'] == '10.20.0.1' and listed['snat'] == 1 and len(listed['dhcp-range']) == 2
    run_tasks(pvesim, [{'name': 'apply', APPLY: {}}])
    changed = quartet(pvesim, SUBNET, {'vnet': 'web', 'subnet': '10.20.0.7/24', 'gateway': '10.20.0.254',
                                       'snat': False, 'dhcp_range': []}, name='u')
    assert changed.results['u apply']['subnet'] == {'vnet': 'web', 'subnet': '10.20.0.0/24',
                                                    'gateway': '10.20.0.254', 'snat': False, 'dhcp_range': []}
    assert changed.results['u apply']['pending'] is True
    gone = quartet(pvesim, SUBNET, {'vnet': 'web', 'subnet': '10.20.0.0/24', 'state': 'absent'}, name='d')
    assert gone.results['d apply']['subnet'] is None
    assert sdn.vnets('web').subnets.get() == []


def test_subnet_refusals_before_anything_is_sent(pvesim):
    sdn = pvesim.proxmoxer().cluster.sdn
    sdn.zones.post(zone='lab', type='vlan', bridge='vmbr0')
    sdn.vnets.post(vnet='web', zone='lab', tag=20)
    sdn.vnets.post(vnet='trunk', zone='lab', tag=21, vlanaware=1)
    net = {'vnet': 'web', 'subnet': '10.20.0.0/24'}
    assert "'nov' does not exist" in _refused(pvesim, SUBNET, dict(net, vnet='nov'))
    assert 'is not a CIDR' in _refused(pvesim, SUBNET, dict(net, subnet='10.20.0/33'))
    assert 'gateway 10.30.0.1 is not in subnet 10.20.0.0/24' in _refused(pvesim, SUBNET, dict(net, gateway='10.30.0.1'))
    assert 'not an IP address' in _refused(pvesim, SUBNET, dict(net, gateway='gw'))
    assert 'VLAN-aware' in _refused(pvesim, SUBNET, dict(net, vnet='trunk'))
    outside = [{'start': '10.20.0.10', 'end': '10.21.0.1'}]
    assert 'is not in subnet' in _refused(pvesim, SUBNET, dict(net, dhcp_range=outside))
    assert 'is after its end' in _refused(pvesim, SUBNET, dict(net, dhcp_range=[{'start': '10.20.0.9', 'end': '10.20.0.1'}]))
    overlap = [{'start': '10.20.0.10', 'end': '10.20.0.20'}, {'start': '10.20.0.20', 'end': '10.20.0.30'}]
    assert 'overlap' in _refused(pvesim, SUBNET, dict(net, dhcp_range=overlap))
    # A /32's gateway may lie outside it, as PVE allows.
    ok = run_tasks(pvesim, [{'name': 'ok', SUBNET: {'vnet': 'web', 'subnet': '10.9.0.1/32', 'gateway': '10.9.0.254'}}])
    assert ok.results['ok']['changed'] is True
    # Absent on a vnet that does not exist: nothing to remove.
    assert run_module(pvesim, 'sdn_subnet', dict(net, vnet='nov', state='absent'))['changed'] is False


def test_a_lost_answer_to_creating_a_vnet_is_settled(pvesim):
    pvesim.proxmoxer().cluster.sdn.zones.post(zone='lab', type='simple')
    pvesim.call(faults.apply(pvesim.pve, {'drop_answer': {'method': 'POST', 'path': '/api2/json/cluster/sdn/vnets',
                                                          'times': 1}}))
    result = run_module(pvesim, 'sdn_vnet', {'vnet': 'web', 'zone': 'lab'})
    assert not result.get('failed'), result['msg']
    assert result['changed'] is True and run_module(pvesim, 'sdn_vnet', {'vnet': 'web', 'zone': 'lab'})['changed'] is False
