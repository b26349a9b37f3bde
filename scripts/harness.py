#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The generative harness's long profile, on demand: many random examples per state module and per MCP tool.

    .venv/bin/python scripts/harness.py --examples 200            # every state module, tool and door
    .venv/bin/python scripts/harness.py --examples 50 -k "vm or user"   # a subset (pytest -k)
    .venv/bin/python scripts/harness.py --examples 100 --tool-examples 20

Runs the harness tests (tests/integration/test_generated_modules.py, test_generated_playbook.py,
tests/mcp/test_generated_tools.py) with PVEOPS_HYPOTHESIS_PROFILE=pveops-long (random, no example database)
and PVEOPS_EXAMPLES examples per module and per tool (the playbook door runs one example per 25), then
prints per module, per tool and per door group: examples run, their outcomes, the known findings they hit
(tests/helpers/known_findings.py) and the failures (each shrunk to a minimal case in pytest's output,
saved to the --log file). Exits 1 when anything failed. Bounded: Hypothesis stops at the number of examples
(a failure's shrinking at five minutes); pytest runs on -n workers (default 2).
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = ['tests/integration/test_generated_modules.py', 'tests/integration/test_generated_playbook.py',
         'tests/mcp/test_generated_tools.py']


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--examples', type=int, default=200, help='examples per module and per tool (200)')
    parser.add_argument('--tool-examples', type=int, help='examples per MCP tool (default: --examples)')
    parser.add_argument('-k', dest='select', help='a pytest -k expression (modules or tools)')
    parser.add_argument('-n', dest='workers', default='2', help='pytest-xdist workers (2)')
    parser.add_argument('--log', default=os.path.join(tempfile.gettempdir(), 'pveops-harness.log'),
                        help="where pytest's output goes (the minimal failing cases are there)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as report:
        env = dict(os.environ, PVEOPS_HYPOTHESIS_PROFILE='pveops-long', PVEOPS_EXAMPLES=str(args.examples),
                   PVEOPS_HARNESS_REPORT=report)
        if args.tool_examples:
            env['PVEOPS_TOOL_EXAMPLES'] = str(args.tool_examples)
        cmd = [sys.executable, '-m', 'pytest', '-q', '-p', 'no:randomly', '-n', args.workers] + TESTS
        if args.select:
            cmd += ['-k', args.select]
        started = time.monotonic()
        with open(args.log, 'w') as log:
            rc = subprocess.call(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        docs = []
        for path in sorted(glob.glob(os.path.join(report, '*.json'))):
            with open(path) as fh:
                docs.append(json.load(fh))
    print_report(docs, time.monotonic() - started, args)
    print('pytest exit {0}; its output: {1}'.format(rc, args.log))
    return 0 if rc == 0 and not any(d['failures'] for d in docs) else 1


def print_report(docs, seconds, args):
    print('long profile: {0} examples per module, {1} per tool, {2:.0f}s'.format(
        args.examples, args.tool_examples or args.examples, seconds))
    totals = {}
    for kind in ('module', 'door', 'tool'):
        rows = [d for d in docs if d['kind'] == kind]
        if not rows:
            continue
        print('\n{0:<34} {1:>8} {2:>8}  {3}'.format(kind, 'examples', 'failures', 'outcomes / known findings'))
        for doc in rows:
            outcomes = ', '.join('{0} {1}'.format(k, v) for k, v in sorted(doc['outcomes'].items()))
            known = ', '.join('{0} {1}'.format(k, v) for k, v in sorted(doc['known'].items()))
            print('{0:<34} {1:>8} {2:>8}  {3}{4}'.format(doc['name'], doc['examples'], len(doc['failures']),
                                                        outcomes, ' | known: ' + known if known else ''))
            for failure in doc['failures']:
                print('    FAILED ' + failure)
        total = totals.setdefault(kind, [0, 0, 0])
        total[0] += len(rows)
        total[1] += sum(d['examples'] for d in rows)
        total[2] += sum(len(d['failures']) for d in rows)
    print()
    for kind, (count, examples, failures) in totals.items():
        print('{0}s: {1}, examples: {2}, failures: {3}'.format(kind, count, examples, failures))


if __name__ == '__main__':
    sys.exit(main())
