# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run tasks through the real ansible-playbook against a pvesim fixture, and read back each task's result.

    run = run_tasks(pvesim, [{'name': 'x', 'pve.ops.vm': {...}}], check=True)
    run.results['x']['changed'], run.writes['x'], run.rc

``quartet(pvesim, module, args)`` runs check / apply / idempotent check / idempotent in one playbook and
asserts changed true, true, false, false with zero write requests in the check and idempotent runs.
"""

import json
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT_DIR = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.dirname(sys.executable)


class PlaybookRun:
    def __init__(self, rc, records, stdout, stderr):
        self.rc = rc
        self.records = records
        self.stdout = stdout
        self.stderr = stderr
        self.results = dict((r['task'], r['result']) for r in records)
        self.status = dict((r['task'], r['status']) for r in records)
        self.writes = dict((r['task'], r['writes']) for r in records)
        self.requests = dict((r['task'], r['requests']) for r in records)

    def __repr__(self):
        return 'PlaybookRun(rc={0}, status={1})\n{2}\n{3}'.format(
            self.rc, self.status, self.stdout[-3000:], self.stderr[-3000:])


def connection_defaults(sim, **overrides):
    """module_defaults for group/pve.ops.all that reach the simulator as root@pam."""
    out = dict(api_host=sim.host, api_port=sim.port, api_user='root@pam', api_password=sim.root_password,
               ca_path=sim.cafile)
    out.update(overrides)
    return out


def run_tasks(sim, tasks, check=False, diff=True, connection=None, extra_env=None, verbosity=0, play_vars=None):
    """Run the tasks in one play on localhost; returns a PlaybookRun."""
    play = dict(hosts='localhost', gather_facts=False, tasks=tasks,
                module_defaults={'group/pve.ops.all': connection if connection is not None
                                 else connection_defaults(sim)})
    if play_vars:
        play['vars'] = play_vars
    with tempfile.TemporaryDirectory() as tmp:
        book = os.path.join(tmp, 'play.yml')
        with open(book, 'w') as fh:
            yaml.safe_dump([play], fh, sort_keys=False)
        return run_playbook(sim, book, check=check, diff=diff, extra_env=extra_env, verbosity=verbosity)


def run_playbook(sim, book, check=False, diff=True, extra_env=None, verbosity=0, extra_args=()):
    """Run a playbook file on localhost against the simulator; returns a PlaybookRun.

    Connection settings reach the modules only through what the playbook sets, or the PROXMOX_* variables
    given in ``extra_env`` (``sim.env()`` gives root@pam's).
    """
    with tempfile.TemporaryDirectory() as tmp:
        record = os.path.join(tmp, 'record.json')
        env = dict(os.environ)
        env.update(
            ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback'),
            ANSIBLE_CALLBACKS_ENABLED='pveops_record',
            ANSIBLE_LOCALHOST_WARNING='False',
            ANSIBLE_INVENTORY_UNPARSED_WARNING='False',
            ANSIBLE_PYTHON_INTERPRETER=sys.executable,
            ANSIBLE_NOCOLOR='1',
            ANSIBLE_FORCE_COLOR='0',
            PVEOPS_RECORD_FILE=record,
            PVEOPS_STATS_URL=sim.url + '/_sim/stats',
            PVEOPS_STATS_CA=sim.cafile,
            PATH=BIN + os.pathsep + env.get('PATH', ''),
        )
        for key in [k for k in env if k.startswith('PROXMOX_')]:
            del env[key]
        env.update(extra_env or {})
        cmd = [os.path.join(BIN, 'ansible-playbook'), book, '-i', 'localhost,', '-c', 'local']
        if check:
            cmd.append('--check')
        if diff:
            cmd.append('--diff')
        if verbosity:
            cmd.append('-' + 'v' * verbosity)
        cmd.extend(extra_args)
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, check=False)
        records = []
        if os.path.exists(record):
            with open(record) as fh:
                records = json.load(fh)
        return PlaybookRun(proc.returncode, records, proc.stdout, proc.stderr)


def quartet(sim, module, args, name='t', connection=None):
    """check / apply / idempotent check / idempotent for one task; returns the PlaybookRun.

    Asserts: changed true, true, false, false; no write request in any of the three non-applying runs.
    """
    names = ['{0} check'.format(name), '{0} apply'.format(name), '{0} idem check'.format(name),
             '{0} idem'.format(name)]
    tasks = []
    for task_name in names:
        task = {'name': task_name, module: dict(args)}
        if 'check' in task_name:
            task['check_mode'] = True
        tasks.append(task)
    run = run_tasks(sim, tasks, connection=connection)
    assert run.rc == 0, run
    changed = [run.results[n].get('changed') for n in names]
    assert changed == [True, True, False, False], (changed, run)
    for n in (names[0], names[2], names[3]):
        assert run.writes[n] == 0, ('{0} made {1} write requests'.format(n, run.writes[n]), run)
    return run
