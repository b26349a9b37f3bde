# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Direct execution (plugins/plugin_utils/direct.py): pve.ops modules run inside the controller, through the real
ansible-playbook against pvesim; the same tasks by normal module execution register the same results.

Which path ran is read from ``-vvv`` (``pve.ops direct execution: running ...`` / ``off for ... (why)``).
"""

import os
import socket

import pytest

from tests.helpers.playbook import run_tasks

LOGIN = 'POST /api2/json/access/ticket'
RAN = 'pve.ops direct execution: running'
OFF = 'pve.ops direct execution: off for'


def logins(sim):
    return sim.stats()['by_path'].get(LOGIN, 0)


def paths(run):
    """('direct' or the reason it was off) of every pve.ops task, in order, from -vvv output."""
    out = []
    for line in run.stdout.splitlines():
        if RAN in line:
            out.append('direct')
        elif OFF in line:
            out.append(line.split('(', 1)[1].rsplit(')', 1)[0])
    return out


def test_loop_items_share_one_login_and_normal_execution_logs_in_per_item(pvesim):
    task = {'name': 'vms', 'pve.ops.vm_info': {'vmid': '{{ item }}'}, 'loop': [100, 101, 102, 103]}
    before = logins(pvesim)
    run = run_tasks(pvesim, [task], verbosity=3)
    assert run.rc == 0, run
    assert paths(run) == ['direct'] * 4
    assert logins(pvesim) - before == 1
    before = logins(pvesim)
    run = run_tasks(pvesim, [dict(task, vars={'pveops_direct_execution': False})], verbosity=3)
    assert run.rc == 0, run
    assert paths(run) == ['turned off'] * 4
    assert logins(pvesim) - before == 4


def test_task_environment_gives_the_connection(pvesim):
    env = dict(PROXMOX_HOST=pvesim.host, PROXMOX_PORT=pvesim.port, PROXMOX_USER='root@pam',
               PROXMOX_PASSWORD=pvesim.root_password, PROXMOX_CA_PATH=pvesim.cafile)
    tasks = [{'name': 'with env', 'pve.ops.cluster_info': {}, 'environment': env},
             # The next task has no environment: nothing of the first one's is left behind.
             {'name': 'without env', 'pve.ops.cluster_info': {}, 'ignore_errors': True}]
    run = run_tasks(pvesim, tasks, connection={}, verbosity=3)
    assert run.rc == 0, run
    assert paths(run) == ['direct', 'direct']
    assert not run.results['with env'].get('failed'), run.results['with env']
    assert run.results['with env']['invocation']['module_args']['api_password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert run.results['without env']['failed'] is True
    assert 'api_host' in run.results['without env']['msg']


@pytest.mark.parametrize('how', ['variable', 'environment', 'ansible.cfg'])
def test_direct_execution_can_be_turned_off(pvesim, tmp_path, how):
    task = {'name': 'cluster', 'pve.ops.cluster_info': {}}
    extra_env, play_vars = {}, None
    if how == 'variable':
        play_vars = {'pveops_direct_execution': '{{ 1 == 2 }}'}
    elif how == 'environment':
        extra_env['PVEOPS_DIRECT_EXECUTION'] = 'no'
    else:
        cfg = tmp_path / 'ansible.cfg'
        cfg.write_text('[pve_ops]\ndirect_execution = false\n')
        extra_env['ANSIBLE_CONFIG'] = str(cfg)
    run = run_tasks(pvesim, [task], verbosity=3, extra_env=extra_env, play_vars=play_vars)
    assert run.rc == 0, run
    assert paths(run) == ['turned off']
    # A task variable wins over the environment and ansible.cfg.
    run = run_tasks(pvesim, [dict(task, vars={'pveops_direct_execution': True})], verbosity=3, extra_env=extra_env)
    assert paths(run) == ['direct']


def test_an_invalid_setting_fails_the_task_naming_it(pvesim):
    run = run_tasks(pvesim, [{'name': 'bad', 'pve.ops.cluster_info': {}, 'ignore_errors': True,
                              'vars': {'pveops_direct_execution': 'maybe'}}])
    result = run.results['bad']
    assert result['failed'] is True
    assert 'direct_execution' in result['msg'] and "'maybe'" in result['msg'], result['msg']
    assert pvesim.stats()['requests'] == 0


def _closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_async_delegation_to_a_remote_host_and_become_fall_back(pvesim):
    tasks = [
        {'name': 'remote', 'ansible.builtin.add_host': {
            'name': 'remote-node', 'ansible_connection': 'ssh', 'ansible_host': '127.0.0.1',
            'ansible_port': _closed_port(), 'ansible_user': 'nobody'}},
        {'name': 'async', 'pve.ops.cluster_info': {}, 'async': 60, 'poll': 1},
        # Normal execution tries to reach the delegated host (nothing listens): unreachable, where direct
        # execution would have answered from the controller.
        {'name': 'delegated', 'pve.ops.cluster_info': {}, 'delegate_to': 'remote-node', 'ignore_unreachable': True},
        {'name': 'delegated to localhost', 'pve.ops.cluster_info': {}, 'delegate_to': 'localhost'},
        {'name': 'become', 'pve.ops.cluster_info': {}, 'become': True, 'become_method': 'ansible.builtin.su',
         'become_user': 'root'},
    ]
    run = run_tasks(pvesim, tasks, verbosity=3)
    assert paths(run)[:2] == ['an async task', "connection 'ssh': the module runs on the target host"], run
    assert paths(run)[2] == 'direct'
    assert paths(run)[3] == 'become: the module runs as another user'
    assert run.status['async'] == 'ok' and 'cluster' in run.results['async'], run.results['async']
    assert run.status['delegated'] == 'unreachable', run.results['delegated']
    assert run.status['delegated to localhost'] == 'ok'
    if os.geteuid() == 0:  # su to root needs no password only for root
        assert run.status['become'] == 'ok', run.results['become']


def _comparable(result):
    """The result without the task UPIDs, clock readings and the simulator's port (two simulators)."""
    from tests.mcp.test_parity import normal
    out = normal(dict((k, v) for k, v in result.items() if k not in ('tasks',)))
    out.get('invocation', {}).get('module_args', {}).pop('api_port', None)
    return out


def test_direct_and_normal_execution_register_the_same_results(pvesim_factory):
    """Check mode, diff, warnings, no_log masking, invocation and failures: the whole registered result."""
    tasks = [
        {'name': 'user check', 'pve.ops.user': {'userid': 'dora@pve', 'password': 'Secret-pass-1',
                                                'email': 'dora@example.com'}, 'check_mode': True},
        {'name': 'user', 'pve.ops.user': {'userid': 'dora@pve', 'password': 'Secret-pass-1',
                                          'email': 'dora@example.com'}},
        {'name': 'user again', 'pve.ops.user': {'userid': 'dora@pve', 'email': 'dora@example.com'}},
        # An option together with its alias: AnsibleModule's validator warns.
        {'name': 'alias warning', 'pve.ops.user_info': {'userid': 'dora@pve', 'name': 'dora@pve'}},
        {'name': 'no diff', 'pve.ops.vm': {'vmid': 102, 'memory': 3072}, 'diff': False},
        {'name': 'bad choice', 'pve.ops.vm': {'vmid': 102, 'state': 'sleeping'}, 'ignore_errors': True},
        {'name': 'missing', 'pve.ops.snapshot': {'vmid': 999, 'snapname': 'x1'}, 'ignore_errors': True},
        {'name': 'no_log task', 'pve.ops.vm_info': {'vmid': 100}, 'no_log': True},
        {'name': 'console', 'pve.ops.console': {'vmid': 100}, 'check_mode': True, 'register': 'console'},
        {'name': 'console registered', 'ansible.builtin.assert': {'that': ['console is not failed']}},
    ]
    results = {}
    for flag in (True, False):
        sim = pvesim_factory()
        run = run_tasks(sim, tasks, verbosity=3, play_vars={'pveops_direct_execution': flag})
        assert run.rc == 0, run
        assert paths(run) == (['direct'] if flag else ['turned off']) * (len(tasks) - 1), run
        assert 'Secret-pass-1' not in run.stdout + run.stderr
        results[flag] = run
    direct, normal = results[True], results[False]
    assert direct.results['alias warning'].get('warnings'), direct.results['alias warning']
    for task in tasks:
        name = task['name']
        assert direct.status[name] == normal.status[name], name
        assert _comparable(direct.results[name]) == _comparable(normal.results[name]), name
        assert direct.writes[name] == normal.writes[name], name
