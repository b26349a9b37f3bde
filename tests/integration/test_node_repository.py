# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.node_repository through real ansible-playbook against pvesim (demo seed: each node has the Debian and
no-subscription repositories enabled, the enterprise and Ceph Squid enterprise ones configured and disabled)."""

from tests.helpers.playbook import quartet, run_tasks
from tests.simulator.test_hooks import sim_send

MODULE = 'pve.ops.node_repository'
PROXMOX = '/etc/apt/sources.list.d/proxmox.sources'


def _standard(sim, node):
    return dict((r['handle'], r.get('status')) for r in sim.proxmoxer().nodes(node).apt.repositories.get()['standard-repos'])


def _file(sim, node, path):
    files = sim.proxmoxer().nodes(node).apt.repositories.get()['files']
    return [(r['Components'], r['Enabled']) for f in files if f['path'] == path for r in f['repositories']]


def test_present_adds_a_missing_repository(pvesim):
    run = quartet(pvesim, MODULE, {'node': 'pve2', 'handle': 'test'})
    check, apply = run.results['t check'], run.results['t apply']
    assert check['diff'] == {'before': {'configured': False, 'enabled': False},
                             'after': {'configured': True, 'enabled': True}}
    assert apply['repository']['entries'] == [{'path': PROXMOX, 'index': 1, 'enabled': True}]
    assert run.writes['t apply'] == 1 and apply['repository']['name'] == 'Test'
    assert _file(pvesim, 'pve2', PROXMOX) == [(['pve-no-subscription'], 1), (['pve-test'], 1)]
    assert _standard(pvesim, 'pve1')['test'] is None


def test_present_enables_a_disabled_one_and_absent_disables_it(pvesim):
    run = quartet(pvesim, MODULE, {'node': 'pve3', 'handle': 'enterprise'})
    assert run.results['t apply']['repository']['entries'] == [
        {'path': '/etc/apt/sources.list.d/pve-enterprise.sources', 'index': 0, 'enabled': True}]
    run = quartet(pvesim, MODULE, {'node': 'pve3', 'handle': 'no-subscription', 'state': 'absent'}, name='off')
    assert run.results['off check']['diff']['after'] == {'configured': True, 'enabled': False}
    assert _standard(pvesim, 'pve3') == {'enterprise': 1, 'no-subscription': 0, 'test': None,
                                         'ceph-squid-enterprise': 0, 'ceph-squid-no-subscription': None,
                                         'ceph-squid-test': None}
    assert _file(pvesim, 'pve3', PROXMOX) == [(['pve-no-subscription'], 0)]  # PVE cannot delete it: disabled


def test_absent_of_an_unconfigured_repository_is_no_change(pvesim):
    run = run_tasks(pvesim, [{'name': 'off', MODULE: {'node': 'pve1', 'handle': 'ceph-squid-test', 'state': 'absent'}},
                             {'name': 'bad', MODULE: {'node': 'pve1', 'handle': 'nosuch'}, 'ignore_errors': True}])
    assert run.results['off']['changed'] is False and run.writes['off'] == 0
    assert run.results['off']['repository']['configured'] is False
    assert run.results['bad']['failed'] and 'handle' in run.results['bad']['msg'] and run.writes['bad'] == 0


def test_a_lost_answer_is_settled_by_reading_back(pvesim):
    answer = sim_send(pvesim, 'POST', 'faults', {'drop_answer': {'method': 'PUT', 'path': '/nodes/{node}/apt/repositories',
                                                                 'times': 1}})
    assert answer.status_code == 200
    run = run_tasks(pvesim, [{'name': 'add', MODULE: {'node': 'pve1', 'handle': 'ceph-squid-no-subscription'}}])
    add = run.results['add']
    assert add['changed'] is True and add['repository']['enabled'] is True
    assert any('a re-read shows it took effect' in w for w in add.get('warnings') or []), add
    assert _standard(pvesim, 'pve1')['ceph-squid-no-subscription'] == 1
