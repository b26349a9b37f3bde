# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.network_interface state=reverted (DELETE /nodes/{node}/network) through real ansible-playbook
against pvesim."""

from pvesim import faults
from tests.helpers.inproc import run_module
from tests.helpers.playbook import quartet, run_tasks

NI = 'pve.ops.network_interface'


def staged(sim, node):
    session = sim.proxmoxer()._store['session']
    return session.request('GET', '{0}/api2/json/nodes/{1}/network'.format(sim.url, node)).json().get('changes')


def test_revert_quartet_drops_the_staged_changes(pvesim):
    api = pvesim.proxmoxer().nodes('pve1')
    api.network.post(iface='vmbr5', type='bridge', comments='staged')
    api.network('eno2').put(type='eth', mtu=9000)
    diff = staged(pvesim, 'pve1')
    assert '+iface vmbr5' in diff
    run = quartet(pvesim, NI, {'node': 'pve1', 'state': 'reverted'})
    check = run.results['t check']
    # Check mode shows what would be dropped, and drops nothing.
    assert check['changes'] == diff and check['reverted'] is False
    assert check['diff']['before'] == {'pending': True, 'changes': diff}
    assert check['diff']['after'] == {'pending': False, 'changes': ''}
    done = run.results['t apply']
    assert done['reverted'] is True and done['changes'] == diff and done['pending'] is False
    assert run.writes['t apply'] == 1 and staged(pvesim, 'pve1') is None
    assert 'vmbr5' not in [i['iface'] for i in api.network.get()]
    assert run.results['t idem']['changes'] == '' and run.results['t idem']['reverted'] is False


def test_revert_check_mode_writes_nothing_and_refuses_interface_options(pvesim):
    api = pvesim.proxmoxer().nodes('pve2')
    api.network.post(iface='vmbr6', type='bridge')
    out = run_tasks(pvesim, [
        {'name': 'dry', NI: {'node': 'pve2', 'state': 'reverted'}, 'check_mode': True},
        {'name': 'iface', NI: {'node': 'pve2', 'state': 'reverted', 'iface': 'vmbr6'}, 'ignore_errors': True},
        {'name': 'apply', NI: {'node': 'pve2', 'state': 'reverted', 'apply': True}, 'ignore_errors': True},
    ])
    assert out.results['dry']['changed'] is True and '+iface vmbr6' in out.results['dry']['changes']
    assert out.results['iface']['failed'] and out.results['iface']['msg'].startswith('iface: state=reverted')
    assert out.results['apply']['failed'] and out.results['apply']['msg'].startswith('apply: state=reverted')
    assert all(w == 0 for w in out.writes.values()) and '+iface vmbr6' in staged(pvesim, 'pve2')


def test_a_lost_answer_to_reverting_is_settled(pvesim):
    pvesim.proxmoxer().nodes('pve3').network.post(iface='vmbr7', type='bridge')
    pvesim.call(faults.apply(pvesim.pve, {'drop_answer': {'method': 'DELETE', 'path': '/api2/json/nodes/pve3/network',
                                                          'times': 1}}))
    result = run_module(pvesim, 'network_interface', {'node': 'pve3', 'state': 'reverted'})
    assert not result.get('failed'), result['msg']
    assert result['changed'] is True and 'took effect' in ' '.join(result.get('warnings') or [])
    assert staged(pvesim, 'pve3') is None
    assert run_module(pvesim, 'network_interface', {'node': 'pve3', 'state': 'reverted'})['changed'] is False
