#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Direct execution against normal module execution and community.proxmox, side by side in one run (issue 13).

Three doors, each on a simulator of its own (pvesim, demo seed, tasks finish at once, 127.0.0.1):
  direct      pve.ops, modules inside the controller (the default)
  normal      pve.ops with pveops_direct_execution=false (an AnsiballZ subprocess per task and loop item)
  community   community.proxmox (proxmox_kvm, proxmox_vm_info), from a virtual environment that carries it
              (``pip install 'ansible==12.3.0'`` has community.proxmox 1.4.0); left out when there is none

Three measurements, each one ansible-playbook run (-i localhost, -c local), wall time from start to exit:
  create+start N VMs    pve.ops: one task, a loop of N items, vm state=started (creates and starts);
                        community.proxmox: proxmox_kvm creates (a loop), then starts (a loop): its module
                        does not create and start in one call
  converged             the same playbook again: nothing to change (no write request is checked)
  50 reads              a play of 50 tasks reading one VM (vm_info / proxmox_vm_info)

    .venv/bin/python bench/direct_execution.py [--vms 20] [--reads 50] [--peer-venv DIR]

Targets: direct execution's create+start and converged runs each take at most 0.1x community.proxmox's wall
time (exit status 1 when a target is missed; 0 without community.proxmox, with a note). Bounded: one playbook
per measurement and door, each with a 900 s timeout; at most 100 VMs and 200 reads.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from fakepve.certs import make_cert  # noqa: E402

from pvesim.testing import serve  # noqa: E402

BIN = os.path.dirname(sys.executable)
NODES = ['pve1', 'pve2', 'pve3']
TARGET = 0.1
RECAP = re.compile(r'ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)')


def pveops_plays(sim, vms, reads, direct):
    connection = dict(api_host=sim.host, api_port=sim.port, api_user='root@pam', api_password=sim.root_password,
                      ca_path=sim.cafile)
    head = dict(hosts='localhost', gather_facts=False, module_defaults={'group/pve.ops.all': connection},
                vars={'pveops_direct_execution': direct, 'nodes': NODES})
    fleet = dict(head, tasks=[{'name': 'create and start', 'pve.ops.vm': {
        'name': '{{ item }}', 'node': '{{ nodes[index | int % 3] }}', 'cores': 1, 'memory': 512, 'state': 'started',
        'disks': [{'slot': 'scsi0', 'storage': 'local-lvm', 'size': '4G'}], 'nets': [{'bridge': 'vmbr0'}]},
        'loop': names(vms), 'loop_control': {'index_var': 'index'}}])
    read = dict(head, tasks=[{'name': 'read {0}'.format(i), 'pve.ops.vm_info': {'vmid': 100}} for i in range(reads)])
    return fleet, read


def community_plays(sim, vms, reads):
    connection = dict(api_host=sim.host, api_port=sim.port, api_user='root@pam', api_password=sim.root_password,
                      validate_certs=False)
    head = dict(hosts='localhost', gather_facts=False, module_defaults={'group/community.proxmox.proxmox': connection},
                vars={'nodes': NODES})
    loop = {'loop': names(vms), 'loop_control': {'index_var': 'index'}}
    fleet = dict(head, tasks=[
        dict({'name': 'create', 'community.proxmox.proxmox_kvm': {
            'name': '{{ item }}', 'node': '{{ nodes[index | int % 3] }}', 'cores': 1, 'memory': 512,
            'scsi': {'scsi0': 'local-lvm:4'}, 'net': {'net0': 'virtio,bridge=vmbr0'}, 'state': 'present'}}, **loop),
        dict({'name': 'start', 'community.proxmox.proxmox_kvm': {
            'name': '{{ item }}', 'node': '{{ nodes[index | int % 3] }}', 'state': 'started'}}, **loop)])
    read = dict(head, tasks=[{'name': 'read {0}'.format(i), 'community.proxmox.proxmox_vm_info': {'vmid': 100}}
                             for i in range(reads)])
    return fleet, read


def names(count):
    return ['bench{0:02d}'.format(i) for i in range(count)]


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_play(sim, play, bin_dir, folder, peer=False):
    """(seconds, cpu seconds, requests, writes, recap) of one ansible-playbook run of ``play``; cpu: user and
    system time of ansible-playbook and every process it waited for (its workers, module subprocesses)."""
    book = os.path.join(folder, 'play.yml')
    with open(book, 'w') as fh:
        yaml.safe_dump([play], fh, sort_keys=False)
    env = dict(os.environ)
    for key in [k for k in env if k.startswith('PROXMOX_') or k.startswith('PVEOPS_')]:
        del env[key]
    env.update(ANSIBLE_LOCALHOST_WARNING='False', ANSIBLE_INVENTORY_UNPARSED_WARNING='False', ANSIBLE_NOCOLOR='1',
               ANSIBLE_PYTHON_INTERPRETER=os.path.join(bin_dir, 'python'), ANSIBLE_DEPRECATION_WARNINGS='False',
               PATH=bin_dir + os.pathsep + env.get('PATH', ''))
    if peer:
        # requests lets these override community.proxmox's validate_certs=false (see shared/notes).
        env.pop('REQUESTS_CA_BUNDLE', None)
        env.pop('CURL_CA_BUNDLE', None)
    before = sim.stats()
    cpu = children_cpu()
    started = time.monotonic()
    proc = subprocess.run([os.path.join(bin_dir, 'ansible-playbook'), book, '-i', 'localhost,', '-c', 'local'],
                          capture_output=True, text=True, env=env, timeout=900, check=False)
    elapsed = time.monotonic() - started
    cpu = children_cpu() - cpu
    after = sim.stats()
    recap = RECAP.search(proc.stdout)
    if proc.returncode != 0 or recap is None:
        raise SystemExit('ansible-playbook failed ({0}):\n{1}\n{2}'.format(
            proc.returncode, proc.stdout[-4000:], proc.stderr[-2000:]))
    ok, changed, _unreachable, failed = (int(x) for x in recap.groups())
    return elapsed, cpu, after['requests'] - before['requests'], after['writes'] - before['writes'], (ok, changed, failed)


def peer_bin(venv):
    """The bin folder of a virtual environment whose ansible carries community.proxmox, or None."""
    if not venv:
        return None
    bin_dir = os.path.join(venv, 'bin')
    if not os.path.exists(os.path.join(bin_dir, 'ansible-playbook')):
        return None
    proc = subprocess.run([os.path.join(bin_dir, 'ansible-galaxy'), 'collection', 'list', 'community.proxmox'],
                          capture_output=True, text=True, timeout=120, check=False)
    return bin_dir if proc.returncode == 0 and 'community.proxmox' in proc.stdout else None


def measure(door, sim, plays, bin_dir, folder, peer=False):
    fleet, read = plays
    rows = []
    for label, play in (('create+start', fleet), ('converged', fleet), ('reads', read)):
        seconds, cpu, requests, writes, (_ok, changed, _failed) = run_play(sim, play, bin_dir, folder, peer=peer)
        note = ''
        if label == 'converged' and (writes or changed):
            note = 'NOT CONVERGED ({0} writes, {1} changed)'.format(writes, changed)
        if label == 'create+start' and not changed:
            note = 'nothing changed'
        rows.append(dict(door=door, what=label, seconds=seconds, cpu=cpu, requests=requests, writes=writes, note=note))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--vms', type=int, default=20, help='VMs to create and start (default 20, at most 100)')
    parser.add_argument('--reads', type=int, default=50, help='read tasks in the read play (default 50, at most 200)')
    parser.add_argument('--peer-venv', default=os.environ.get('PVEOPS_PEER_VENV', os.path.join(ROOT, '.venv-peer')),
                        help='virtual environment with community.proxmox (default $PVEOPS_PEER_VENV or .venv-peer)')
    parser.add_argument('--doors', default='direct,normal,community',
                        help='which doors to run, comma-separated (default direct,normal,community)')
    args = parser.parse_args()
    wanted = set(args.doors.split(','))
    vms, reads = max(1, min(args.vms, 100)), max(1, min(args.reads, 200))
    peer = peer_bin(args.peer_venv) if 'community' in wanted else None
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        certfile, keyfile, _der = make_cert(tmp, name='pvesim', hosts=('127.0.0.1',))
        doors = [(d, None) for d in ('direct', 'normal') if d in wanted] + ([('community.proxmox', peer)] if peer else [])
        for door, bin_dir in doors:
            sim = serve(certfile, keyfile, seed='demo')
            try:
                if door == 'community.proxmox':
                    plays = community_plays(sim, vms, reads)
                else:
                    plays = pveops_plays(sim, vms, reads, direct=door == 'direct')
                rows += measure(door, sim, plays, bin_dir or BIN, tmp, peer=bin_dir is not None)
            finally:
                sim.stop()
    print_table(rows, vms, reads)
    return check_targets(rows, peer)


def print_table(rows, vms, reads):
    labels = {'create+start': 'create+start {0} VMs'.format(vms), 'converged': 'converged second run',
              'reads': '{0} read tasks'.format(reads)}
    by = dict(((r['door'], r['what']), r) for r in rows)
    header = ('measurement', 'door', 'wall s', 'cpu s', 'requests', 'writes', 'wall vs normal', 'wall vs community',
              'cpu vs community', 'note')
    table = []
    for what in ('create+start', 'converged', 'reads'):
        for door in ('direct', 'normal', 'community.proxmox'):
            row = by.get((door, what))
            if row is None:
                continue
            normal, peer = by.get(('normal', what)), by.get(('community.proxmox', what))
            table.append((labels[what], door, '{0:.2f}'.format(row['seconds']), '{0:.2f}'.format(row['cpu']),
                          row['requests'], row['writes'], ratio(row, normal), ratio(row, peer),
                          ratio(row, peer, 'cpu'), row['note']))
    widths = [max(len(str(r[i])) for r in table + [header]) for i in range(len(header))]
    print('  '.join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print('  '.join('-' * w for w in widths))
    for row in table:
        print('  '.join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def ratio(row, other, key='seconds'):
    if other is None or other is row or not other[key]:
        return '-'
    return '{0:.3f}x'.format(row[key] / other[key])


def check_targets(rows, peer):
    by = dict(((r['door'], r['what']), r) for r in rows)
    failed = [r for r in rows if r['note']]
    for row in failed:
        print('PROBLEM: {0} {1}: {2}'.format(row['door'], row['what'], row['note']))
    if not peer or ('direct', 'create+start') not in by:
        print('\nno direct and community.proxmox side by side (--doors, --peer-venv): the 0.1x targets were not checked')
        return 1 if failed else 0
    print()
    for what in ('create+start', 'converged'):
        value = by[('direct', what)]['seconds'] / by[('community.proxmox', what)]['seconds']
        verdict = 'met' if value <= TARGET else 'MISSED'
        print('target {0}: direct execution {1:.3f}x community.proxmox (at most {2}x): {3}'.format(
            what, value, TARGET, verdict))
        if value > TARGET:
            failed.append(what)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
