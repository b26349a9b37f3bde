# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Molecule over every role: `molecule test --all` from the collection root, as a user runs it.

The scenarios live in extensions/molecule/ (one per role, see docs/developing.md); the default scenario
starts pvesim on 127.0.0.1 on a free port and stops it, so nothing here provides a Proxmox VE: the PROXMOX_*
variables are removed from the environment. The run gets an ephemeral directory of its own
(MOLECULE_EPHEMERAL_DIRECTORY), so that parallel runs do not share Molecule's state."""

import os
import re
import subprocess
import sys

from tests.helpers.playbook import ROOT_DIR

BIN = os.path.dirname(sys.executable)
SCENARIOS = os.path.join(ROOT_DIR, 'extensions', 'molecule')
ROLES = sorted(d for d in os.listdir(os.path.join(ROOT_DIR, 'roles')) if not d.startswith('.'))
ANSI = re.compile(r'\x1b\[[0-9;]*m')


def test_every_role_has_a_scenario():
    missing = [os.path.join(role, name) for role in ROLES for name in ('molecule.yml', 'verify.yml')
               if not os.path.isfile(os.path.join(SCENARIOS, role, name))]
    assert ROLES and not missing, 'missing in extensions/molecule/ (one scenario per role): {0}'.format(missing)


def test_molecule_test_all(tmp_path):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('PROXMOX_', 'MOLECULE_')))
    env.update(PATH=BIN + os.pathsep + env.get('PATH', ''), MOLECULE_EPHEMERAL_DIRECTORY=str(tmp_path / 'molecule'),
               NO_COLOR='1', ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0')
    proc = subprocess.run([os.path.join(BIN, 'molecule'), 'test', '--all'], cwd=ROOT_DIR, env=env,
                          capture_output=True, text=True, timeout=900)
    out = ANSI.sub('', proc.stdout + proc.stderr)
    assert proc.returncode == 0, out[-8000:]
    assert not re.search(r'Executed: Failed', out), out[-8000:]
    # The summary lines: "<scenario> ➜ <step>: Executed: Successful" ('>' instead of the arrow without colours).
    done = set(re.findall(r'^(\S+) (?:➜|>) (\w+): Executed: Successful$', out, re.M))
    for role in ROLES:
        for step in ('syntax', 'check', 'converge', 'idempotence', 'verify'):
            assert (role, step) in done, (role, step, out[-8000:])
    assert {('default', 'create'), ('default', 'destroy')} <= done, out[-8000:]
