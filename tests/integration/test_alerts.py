# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.alert_info (MCP get_alerts) against pvesim: every kind of finding, its condition made by a fault
(demo seed: three nodes, VMs 100, 101 and 103 running with the guest agent, backup job none)."""

from mcp_adapter import runner
from pvesim import faults
from tests.helpers.inproc import connection
from tests.helpers.playbook import run_tasks
from tests.mcp.mcp_support import tools


def kinds(result):
    return sorted(set((f['kind'], f['object']) for f in result['alerts']))


def test_a_healthy_demo_has_only_its_standing_findings(pvesim):
    run = run_tasks(pvesim, [{'name': 'alerts', 'pve.ops.alert_info': {}}])
    assert run.rc == 0, run
    result = run.results['alerts']
    # the demo has no backup job and no subscription; nothing else is wrong
    assert set(f['kind'] for f in result['alerts']) == {'not_backed_up', 'no_subscription'}
    assert ('not_backed_up', 'qemu/100') in kinds(result) and ('no_subscription', 'node/pve1') in kinds(result)
    assert result['counts'] == {'critical': 0, 'warning': len([f for f in result['alerts']
                                                               if f['severity'] == 'warning']), 'info': 3}
    assert result['not_checked'] == [] and run.writes['alerts'] == 0


def test_every_kind_of_finding_when_its_condition_is_made(pvesim):
    pvesim.proxmoxer().cluster.ha.resources.post(sid='vm:101')
    pvesim.call(faults.apply(pvesim.pve, {'lose_quorum': True, 'set_node_offline': 'pve3', 'ha_error': 'vm:101',
                  'fill_storage': {'storage': 'local', 'percent': 90},
                  'failed_task': {'node': 'pve1', 'type': 'vzdump', 'id': '100', 'message': 'no space left'},
                  'disk_failing': {'node': 'pve1', 'devpath': '/dev/sda'},
                  'subscription': {'node': 'pve2', 'status': 'expired'}}))
    pvesim.pve.vm(100).agent = None
    result = runner.run(tools()['get_alerts'], {'storage_threshold': 80}, connection(pvesim))
    found = dict(((f['kind'], f['object']), f) for f in result['alerts'])
    assert found[('quorum_lost', 'cluster/demo-cluster')]['severity'] == 'critical'
    assert found[('node_offline', 'node/pve3')]['severity'] == 'critical'
    assert found[('ha_error', 'vm:101')]['severity'] == 'critical'
    assert found[('storage_full', 'storage/pve1/local')]['severity'] == 'warning'
    assert found[('smart_failed', 'node/pve1/disk//dev/sda')]['severity'] == 'critical'
    assert found[('agent_not_answering', 'qemu/100')]['severity'] == 'warning'
    assert ('no_subscription', 'node/pve1') in found and ('not_backed_up', 'qemu/102') in found
    problem = found[('subscription_problem', 'node/pve2')]
    assert problem['severity'] == 'warning' and 'expired' in problem['message']
    assert ('no_subscription', 'node/pve2') not in found
    failed = [f for f in result['alerts'] if f['kind'] == 'task_failed']
    assert len(failed) == 1 and 'no space left' in failed[0]['message']
    assert failed[0]['object'].startswith('UPID:pve1:')
    # an offline node's disks and subscription are not read
    assert not any(f['object'].startswith('node/pve3/') for f in result['alerts'])
    assert [f['severity'] for f in result['alerts']] == sorted(
        (f['severity'] for f in result['alerts']), key=['critical', 'warning', 'info'].index)
    only = runner.run(tools()['get_alerts'], {'checks': ['tasks'], 'task_hours': 1}, connection(pvesim))
    assert [f['kind'] for f in only['alerts']] == ['task_failed']

