# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.ha_rule and ha_info's rules through real ansible-playbook against pvesim (demo seed: VM 100 web01
and VM 101 db01, container 200 proxy01; made HA resources here)."""

import pytest

from tests.helpers.playbook import quartet, run_tasks


@pytest.fixture
def ha_sim(pvesim):
    api = pvesim.proxmoxer()
    for sid in ('vm:100', 'vm:101', 'ct:200'):
        api.cluster.ha.resources.post(sid=sid)
    return pvesim


def test_node_affinity_quartet_update_and_absent(ha_sim):
    args = {'name': 'web-pve1', 'type': 'node-affinity', 'resources': ['100', 'ct:200'], 'nodes': ['pve2', 'pve1:2'],
            'comment': 'front'}
    run = quartet(ha_sim, 'pve.ops.ha_rule', args)
    want = {'name': 'web-pve1', 'type': 'node-affinity', 'resources': ['ct:200', 'vm:100'], 'nodes': ['pve1:2', 'pve2'],
            'strict': False, 'enabled': True, 'comment': 'front'}
    assert run.results['t apply']['ha_rule'] == want and run.writes['t apply'] == 1
    api = ha_sim.proxmoxer()
    entry = api.cluster.ha.rules('web-pve1').get()
    assert entry['resources'] == 'ct:200,vm:100' and entry['nodes'] == 'pve1:2,pve2' and entry['type'] == 'node-affinity'
    run = quartet(ha_sim, 'pve.ops.ha_rule', {'name': 'web-pve1', 'type': 'node-affinity', 'strict': True,
                                              'enabled': False, 'comment': ''}, name='update')
    assert run.results['update apply']['diff']['after'] == dict(want, strict=True, enabled=False, comment='')
    entry = api.cluster.ha.rules('web-pve1').get()
    assert entry['strict'] == 1 and entry['disable'] == 1 and 'comment' not in entry
    info = run_tasks(ha_sim, [{'name': 'info', 'pve.ops.ha_info': {'gather': ['rules']}}])
    assert info.results['info']['rules'] == [dict(want, strict=True, enabled=False, comment='')]
    quartet(ha_sim, 'pve.ops.ha_rule', {'name': 'web-pve1', 'state': 'absent'}, name='absent')
    assert api.cluster.ha.rules.get() == []


def test_resource_affinity_quartet(ha_sim):
    run = quartet(ha_sim, 'pve.ops.ha_rule', {'name': 'apart', 'type': 'resource-affinity',
                                              'resources': ['vm:101', 'vm:100'], 'affinity': 'negative'})
    assert run.results['t apply']['ha_rule']['resources'] == ['vm:100', 'vm:101']
    assert ha_sim.proxmoxer().cluster.ha.rules.get(type='resource-affinity')[0]['affinity'] == 'negative'
    assert ha_sim.proxmoxer().cluster.ha.rules.get(type='node-affinity') == []


def test_refusals(ha_sim):
    api = ha_sim.proxmoxer()
    api.cluster.ha.rules.post(rule='keep', type='resource-affinity', resources='vm:100,vm:101', affinity='positive')
    run = run_tasks(ha_sim, [
        {'name': 'unmanaged', 'pve.ops.ha_rule': {'name': 'x1', 'type': 'node-affinity', 'resources': ['vm:102'],
                                                  'nodes': ['pve1']}, 'ignore_errors': True},
        {'name': 'no node', 'pve.ops.ha_rule': {'name': 'x2', 'type': 'node-affinity', 'resources': ['vm:100'],
                                                'nodes': ['pve9']}, 'ignore_errors': True},
        {'name': 'wrong option', 'pve.ops.ha_rule': {'name': 'x3', 'type': 'resource-affinity', 'resources': ['vm:100'],
                                                     'nodes': ['pve1'], 'affinity': 'positive'}, 'ignore_errors': True},
        {'name': 'missing', 'pve.ops.ha_rule': {'name': 'x4', 'type': 'node-affinity', 'resources': ['vm:100']},
         'ignore_errors': True},
        {'name': 'type change', 'pve.ops.ha_rule': {'name': 'keep', 'type': 'node-affinity'}, 'ignore_errors': True},
    ])
    assert run.rc == 0, run
    # PVE's own refusals (pvesim)
    for body, message in (({'resources': 'vm:102', 'nodes': 'pve1'}, 'cannot use unmanaged resource(s) vm:102'),
                          ({'resources': 'vm:100', 'nodes': 'pve9'}, 'cannot use non-existent node(s) pve9')):
        with pytest.raises(Exception, match=message.replace('(', r'\(').replace(')', r'\)')):
            api.cluster.ha.rules.post(rule='direct', type='node-affinity', **body)
    for name, field in (('unmanaged', 'resources'), ('no node', 'nodes'), ('wrong option', 'nodes'), ('missing', 'nodes'), ('type change', 'type')):
        assert run.results[name]['failed'] and run.results[name]['field'] == field, run.results[name]
        assert run.writes[name] == 0
