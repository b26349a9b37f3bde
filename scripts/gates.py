#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's test command (run it through `python3 scripts/dev.py test`, which sets up .venv first).

Runs every gate, each to the end, then prints a summary; exits non-zero when any failed:
ruff, mypy over the typed core, the pytest suite (unit, simulator, integration through ansible-playbook, Molecule over every role,
MCP), ansible-lint (production profile, also over the Molecule scenarios in extensions/), the changelog fragments lint, the rendered docs (antsibull-docs lint and a Sphinx build), ansible-test sanity, and the galaxy build check.
Extra arguments are passed to pytest (for example `-k vm`); PVEOPS_GATES=pytest,ruff runs a subset.
"""

import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
PY_DIRS = [d for d in ('plugins', 'mcp_adapter', 'pvesim', 'tests', 'scripts', 'bench') if os.path.isdir(os.path.join(ROOT, d))]


def gates(pytest_args):
    workers = os.environ.get('PVEOPS_PYTEST_WORKERS', '2')
    return [
        ('ruff', [os.path.join(BIN, 'ruff'), 'check'] + PY_DIRS),
        ('mypy', [os.path.join(BIN, 'mypy')]),  # the typed core: [tool.mypy] files in pyproject.toml
        ('pytest', [sys.executable, '-m', 'pytest', '-q', '-n', workers, '--dist', 'worksteal', '--durations=15'] + pytest_args),
        ('ansible-lint', [os.path.join(BIN, 'ansible-lint'), '--profile', 'production', '--offline', 'playbooks/']
         + [d + '/' for d in ('roles', 'extensions') if os.path.isdir(os.path.join(ROOT, d))
            and any(os.scandir(os.path.join(ROOT, d)))]),
        ('changelog', [os.path.join(BIN, 'antsibull-changelog'), 'lint']),
        ('docs', [sys.executable, os.path.join(ROOT, 'scripts', 'build_docs.py')]),
        ('sanity', [sys.executable, os.path.join(ROOT, 'scripts', 'sanity.py')]),
        ('build', [sys.executable, os.path.join(ROOT, 'scripts', 'build_check.py')]),
    ]


def main(argv):
    only = [g for g in os.environ.get('PVEOPS_GATES', '').split(',') if g]
    results = []
    for name, cmd in gates(argv):
        if only and name not in only:
            continue
        program = cmd[1] if cmd[0] == sys.executable and cmd[1] != '-m' else cmd[0]
        if not os.path.exists(program):
            results.append((name, 'missing', 0.0))
            continue
        print('\n==> gate: {0}: {1}'.format(name, ' '.join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c
                                                        for c in cmd)), flush=True)
        started = time.monotonic()
        rc = subprocess.call(cmd, cwd=ROOT)
        results.append((name, 'ok' if rc == 0 else 'FAILED (exit {0})'.format(rc), time.monotonic() - started))
    print('\n==> summary')
    for name, outcome, secs in results:
        print('  {0:<14} {1:<20} {2:6.1f}s'.format(name, outcome, secs))
    return 0 if all(outcome == 'ok' for _, outcome, _ in results) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
