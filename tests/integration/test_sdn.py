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
