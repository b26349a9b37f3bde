#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of the guest modules against pvesim (demo seed, tasks finish at once).

For each state module and state: the API requests (and writes) of the run that changes something (a create,
or the state change of the guest the row before made) and of the converged (no-op) run after it, read from
the simulator's counters (/_sim/stats) by the test helpers' recording callback; then the wall time to create
and start 20 VMs by one playbook (a loop), with its request total. Prints a table.

    .venv/bin/python bench/guests.py [--vms 20]

Bounded: one simulator, one playbook per measurement, every ansible-playbook run has a 600 s timeout.
The target of issue 3: a converged `vm state=present` run costs at most 3 requests (login, the cluster
resources, the VM's config with its pending changes).
"""

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from fakepve.certs import make_cert  # noqa: E402

from pvesim.seeds import CT_TEMPLATE_VOLID  # noqa: E402
from pvesim.testing import serve  # noqa: E402
from tests.helpers.playbook import run_tasks  # noqa: E402

VM = {'name': 'bench-vm', 'node': 'pve1', 'cores': 2, 'memory': 1024,
      'disks': [{'slot': 'scsi0', 'storage': 'local-lvm', 'size': '8G'}], 'nets': [{'bridge': 'vmbr0'}]}
CT = {'name': 'bench-ct', 'node': 'pve1', 'ostemplate': CT_TEMPLATE_VOLID, 'storage': 'local-lvm', 'memory': 512}

# (label, module, args of the create, args of the converged run (default: the same))
CASES = [
    ('vm present', 'pve.ops.vm', VM, None),
    ('vm started', 'pve.ops.vm', dict(VM, state='started'), None),
    ('vm stopped', 'pve.ops.vm', dict(VM, state='stopped'), None),
    ('vm clone', 'pve.ops.vm', {'name': 'bench-clone', 'clone': 'debian-12-cloudinit', 'state': 'started'}, None),
    ('vm absent', 'pve.ops.vm', {'name': 'bench-clone', 'state': 'absent', 'force': True}, None),
    ('snapshot present', 'pve.ops.snapshot', {'name': 'bench-vm', 'snapname': 'bench'}, None),
    ('snapshot absent', 'pve.ops.snapshot', {'name': 'bench-vm', 'snapname': 'bench', 'state': 'absent'}, None),
    ('container present', 'pve.ops.container', CT, None),
    ('container started', 'pve.ops.container', dict(CT, state='started'), None),
]


def measure_cases(sim):
    tasks = []
    for label, module, args, converged in CASES:
        tasks.append({'name': label + ' | change', module: args, 'ignore_errors': True})
        tasks.append({'name': label + ' | converged', module: converged or args, 'ignore_errors': True})
    run = run_tasks(sim, tasks, diff=False)
    rows = []
    for label, _module, _args, _converged in CASES:
        change, same = label + ' | change', label + ' | converged'
        if run.status.get(change) == 'failed' or run.status.get(same) == 'failed':
            failed = run.results.get(change) if run.status.get(change) == 'failed' else run.results.get(same)
            rows.append((label, '-', '-', '-', '-', 'failed: ' + str((failed or {}).get('msg', ''))[:60]))
            continue
        rows.append((label, run.requests.get(change), run.writes.get(change), run.requests.get(same),
                     run.writes.get(same), 'ok' if not run.results[same].get('changed') else 'NOT CONVERGED'))
    return rows


def measure_fleet(sim, count):
    nodes = ['pve1', 'pve2', 'pve3']
    task = {'name': 'fleet', 'pve.ops.vm': {
        'name': '{{ item }}', 'node': "{{ nodes[index | int % 3] }}", 'cores': 1, 'memory': 512, 'state': 'started',
        'disks': [{'slot': 'scsi0', 'storage': 'local-lvm', 'size': '4G'}], 'nets': [{'bridge': 'vmbr0'}]},
        'loop': ['fleet{0:02d}'.format(i) for i in range(count)], 'loop_control': {'index_var': 'index'}}
    before = sim.stats()
    started = time.monotonic()
    run = run_tasks(sim, [task], diff=False, play_vars={'nodes': nodes})
    elapsed = time.monotonic() - started
    after = sim.stats()
    if run.rc != 0:
        raise SystemExit('the fleet playbook failed:\n{0}'.format(run.stdout[-3000:]))
    return elapsed, after['requests'] - before['requests'], after['writes'] - before['writes']


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--vms', type=int, default=20, help='VMs to create and start (default 20, at most 100)')
    args = parser.parse_args()
    count = max(1, min(args.vms, 100))
    with tempfile.TemporaryDirectory() as tmp:
        certfile, keyfile, _der = make_cert(tmp, name='pvesim', hosts=('127.0.0.1',))
        sim = serve(certfile, keyfile, seed='demo')
        try:
            rows = measure_cases(sim)
            elapsed, requests, writes = measure_fleet(sim, count)
        finally:
            sim.stop()
    header = ('module / state', 'change req', 'change writes', 'converged req', 'converged writes', 'converged?')
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    print('  '.join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print('  '.join('-' * w for w in widths))
    for row in rows:
        print('  '.join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print()
    print('create and start {0} VMs by playbook: {1:.1f} s wall, {2} requests ({3} writes), {4:.2f} s per VM'.format(
        count, elapsed, requests, writes, elapsed / count))
    present = next(r for r in rows if r[0] == 'vm present')
    if isinstance(present[3], int) and present[3] > 3:
        print('WARNING: a converged vm state=present run made {0} requests (target: at most 3)'.format(present[3]))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
