# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.sdn_info through real ansible-playbook against pvesim (SDN objects written through the API)."""

from pvesim.seeds import DEMO_USERS
from tests.helpers.inproc import run_module
from tests.helpers.playbook import run_tasks

INFO = 'pve.ops.sdn_info'


def _lab(sim):
    sdn = sim.proxmoxer().cluster.sdn
    sdn.zones.post(zone='lab', type='simple', ipam='pve', dhcp='dnsmasq')
    sdn.vnets.post(vnet='web', zone='lab')
    sdn.vnets('web').subnets.post(subnet='10.20.0.0/24', type='subnet', gateway='10.20.0.1',
                                  **{'dhcp-range': ['start-address=10.20.0.100,end-address=10.20.0.110']})
    sdn.zones.post(zone='vl', type='vlan', bridge='vmbr9')
    sdn.vnets.post(vnet='v20', zone='vl', tag=20)
    return sdn


def test_configuration_pending_ipam_and_status(pvesim):
    sdn = _lab(pvesim)
    before = run_tasks(pvesim, [{'name': 'all', INFO: {'gather': ['zones', 'vnets', 'subnets', 'pending', 'status']}}])
    assert before.rc == 0, before
    got = before.results['all']
    assert got['changed'] is False and before.writes['all'] == 0
    assert [(z['zone'], z['type'], z['pending']) for z in got['zones']] == [('lab', 'simple', 'new'), ('vl', 'vlan', 'new')]
    assert [(v['vnet'], v['zone'], v['pending']) for v in got['vnets']] == [('v20', 'vl', 'new'), ('web', 'lab', 'new')]
    subnet, = got['subnets']
    assert subnet['subnet'] == 'lab-10.20.0.0-24' and subnet['cidr'] == '10.20.0.0/24' and subnet['vnet'] == 'web'
    assert got['pending']['zones']['vl'] == {'state': 'new', 'before': None, 'after': {'type': 'vlan', 'bridge': 'vmbr9'}}
    # Nothing applied yet: no node runs a zone.
    assert [(s['node'], s['online'], s['zones']) for s in got['status']][0] == ('pve1', True, [])

    sdn.put()
    sdn.vnets('v20').delete()
    sdn.zones('vl').delete()
    pvesim.proxmoxer().nodes('pve1').qemu(102).config.put(net1='virtio=BC:24:11:00:00:01,bridge=web')
    pvesim.proxmoxer().nodes('pve1').qemu(102).status.start.post()
    after = run_tasks(pvesim, [
        {'name': 'all', INFO: {'gather': ['zones', 'pending', 'ipam', 'status']}},
        {'name': 'lab', INFO: {'zone': 'lab', 'gather': ['zones', 'vnets', 'pending', 'ipam', 'status']}},
    ])
    assert after.rc == 0, after
    got = after.results['all']
    # A deletion not applied: the zone is not configured any more, and applying would remove it.
    assert [(z['zone'], z['pending']) for z in got['zones']] == [('lab', None)]
    assert got['pending'] == {'zones': {'vl': {'state': 'deleted', 'before': {'type': 'vlan', 'bridge': 'vmbr9'},
                                               'after': None}},
                              'vnets': {'v20': {'state': 'deleted', 'before': {'type': 'vnet', 'zone': 'vl', 'tag': 20},
                                                'after': None}}}
    assert {(e['ip'], e.get('vmid'), e.get('gateway')) for e in got['ipam']} == {('10.20.0.1', None, 1),
                                                                                  ('10.20.0.100', 102, None)}
    pve1 = got['status'][0]
    # vl still runs (its deletion is pending) and has no bridge vmbr9 on the node.
    assert pve1['node'] == 'pve1' and {z['zone']: z['status'] for z in pve1['zones']} == {'lab': 'available',
                                                                                          'vl': 'error'}
    assert [v for z in pve1['zones'] if z['zone'] == 'vl' for v in z['vnets']] == [
        {'vnet': 'v20', 'status': 'error', 'statusmsg': 'missing vmbr9'}]
    lab = after.results['lab']
    assert [z['zone'] for z in lab['zones']] == ['lab'] and [v['vnet'] for v in lab['vnets']] == ['web']
    assert lab['pending'] == {} and all(e['zone'] == 'lab' for e in lab['ipam'])
    assert all([z['zone'] for z in s['zones']] == ['lab'] for s in lab['status'] if s['online'])


def test_what_the_credentials_cannot_see_is_not_none(pvesim):
    _lab(pvesim)
    for gather in (['zones'], ['pending'], ['status']):
        result = run_module(pvesim, 'sdn_info', {'gather': gather}, user='alice@pve',
                            password=DEMO_USERS['alice@pve'])
        assert result['failed'] and result['msg'].startswith('cannot tell whether the SDN configuration'), result
        assert '/sdn/zones' in result['msg'] and 'SDN.Audit' in result['msg']
    refused = run_module(pvesim, 'sdn_info', {'gather': ['nosuch']})
    assert refused['failed'] and 'gather' in refused['msg']
