#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of the inventory plugin: pve.ops.proxmox against community.proxmox.proxmox on one simulator.

One pvesim with the seed large:NODES:GUESTS (default 8 nodes, 5,000 guests); the same `ansible-inventory --list`
(this venv's ansible-core) on a pve.ops.proxmox source and on a community.proxmox.proxmox source, alternately,
ROUNDS times each, both with password authentication and TLS verification against the simulator's CA. Prints
the median wall time of each, the ratio (pve.ops / community.proxmox), the API requests of one run and the hosts
listed, and the floor: the same ansible-inventory on a bare list of as many hosts (no plugin, no variable, no
group), which is what ansible-core itself costs per host, for any plugin. community.proxmox's side runs when it is installed: in this venv, or in the site-packages (or collections
path) given by --community, for example the `ansible` package from PyPI in a separate venv:

    python3 -m venv /tmp/community && /tmp/community/bin/pip install 'ansible==12.3.0'
    .venv/bin/python bench/inventory.py --community /tmp/community/lib/python3.11/site-packages

    .venv/bin/python bench/inventory.py --profile 30    # also: where pve.ops.proxmox's time goes (cProfile)

Exit status 1 when the ratio is above --target (default 0.6). Bounded: one simulator, every ansible-inventory
run has a 600 s timeout.
"""

import argparse
import cProfile  # noqa: F401 - the profile run uses `python -m cProfile`
import glob
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from fakepve.certs import make_cert  # noqa: E402

from pvesim.testing import serve  # noqa: E402

BIN = os.path.dirname(sys.executable)
TIMEOUT = 600
PASSWORD = 'bench-root-Pw'


class Run:
    def __init__(self, wall, cpu, requests, hosts):
        self.wall, self.cpu, self.requests, self.hosts = wall, cpu, requests, hosts


def community_path(given):
    """A collections path that holds community.proxmox, or None."""
    candidates = [given] if given else []
    candidates += [p for p in sys.path if p.endswith('site-packages')]
    for base in candidates:
        if base and os.path.isfile(os.path.join(base, 'ansible_collections', 'community', 'proxmox',
                                                'plugins', 'inventory', 'proxmox.py')):
            return base
    if given:
        raise SystemExit('no ansible_collections/community/proxmox under {0}'.format(given))
    return None


def community_version(path):
    for manifest in glob.glob(os.path.join(path, 'ansible_collections', 'community', 'proxmox', 'MANIFEST.json')):
        with open(manifest) as handle:
            return json.load(handle)['collection_info']['version']
    return '?'


def environment(tmp, sim, collections=None):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith('PROXMOX_'))
    env.update(ANSIBLE_HOME=os.path.join(tmp, 'ansible-home'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_INVENTORY_UNPARSED_FAILED='true', PATH=BIN + os.pathsep + env.get('PATH', ''),
               # community.proxmox's requests session verifies against the bundle of the environment.
               REQUESTS_CA_BUNDLE=sim.cafile, CURL_CA_BUNDLE=sim.cafile)
    if collections:
        env['ANSIBLE_COLLECTIONS_PATH'] = collections
    return env


def write_sources(tmp, sim):
    ours = os.path.join(tmp, 'ours.proxmox.yml')
    with open(ours, 'w') as handle:
        json.dump({'plugin': 'pve.ops.proxmox', 'api_host': sim.host, 'api_port': sim.port, 'api_user': 'root@pam',
                   'api_password': PASSWORD, 'ca_path': sim.cafile}, handle)
    theirs = os.path.join(tmp, 'community.proxmox.yml')
    with open(theirs, 'w') as handle:
        json.dump({'plugin': 'community.proxmox.proxmox', 'url': 'https://{0}:{1}'.format(sim.host, sim.port),
                   'user': 'root@pam', 'password': PASSWORD, 'validate_certs': True}, handle)
    return ours, theirs


def run_inventory(sim, source, env, tmp, prefix=()):
    output = os.path.join(tmp, 'out.json')
    if os.path.exists(output):
        os.unlink(output)
    sim.reset_stats()
    cmd = list(prefix) + [os.path.join(BIN, 'ansible-inventory'), '-i', source, '--list', '--output', output]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=TIMEOUT)
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stats = sim.stats()
    if proc.returncode != 0:
        raise SystemExit('ansible-inventory failed on {0}:\n{1}'.format(source[:200], proc.stderr[-3000:]))
    with open(output) as handle:
        data = json.load(handle)
    hosts = set(data.get('_meta', {}).get('hostvars', {}))
    for name, group in data.items():
        if name != '_meta':
            hosts.update(group.get('hosts', []))
    return Run(elapsed, cpu, stats['requests'], len(hosts))


def profile(sim, source, env, tmp, top):
    """cProfile of one pve.ops run: the functions with the most cumulative and own time."""
    out = os.path.join(tmp, 'inventory.prof')
    run_inventory(sim, source, env, tmp, prefix=(sys.executable, '-m', 'cProfile', '-o', out))
    stats = pstats.Stats(out)
    print('\npve.ops.proxmox under cProfile, by cumulative time (top {0}):'.format(top))
    stats.sort_stats('cumulative').print_stats(top)
    print('by own time (top {0}):'.format(top))
    stats.sort_stats('tottime').print_stats(top)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--nodes', type=int, default=8)
    parser.add_argument('--guests', type=int, default=5000)
    parser.add_argument('--rounds', type=int, default=3, help='runs of each plugin (default 3; the median counts)')
    parser.add_argument('--community', help='a site-packages or collections path with community.proxmox')
    parser.add_argument('--target', type=float, default=0.6, help='the highest ratio that passes (default 0.6)')
    parser.add_argument('--profile', type=int, default=0, metavar='N', help='print the top N of a cProfile run')
    args = parser.parse_args()
    rounds = max(1, min(args.rounds, 10))
    community = community_path(args.community)
    with tempfile.TemporaryDirectory() as tmp:
        certfile, keyfile, _der = make_cert(tmp, name='pvesim', hosts=('127.0.0.1',))
        sim = serve(certfile, keyfile, seed='large:{0}:{1}'.format(args.nodes, args.guests), root_password=PASSWORD)
        try:
            ours, theirs = write_sources(tmp, sim)
            our_env = environment(tmp, sim)
            their_env = environment(tmp, sim, community) if community else None
            # The floor: ansible-inventory with the same number of hosts from a plain host list (no plugin, no
            # request, no variable, no group): what ansible-core itself costs per host, for any plugin.
            floor_source = ','.join('h{0}'.format(i) for i in range(args.guests)) + ','
            mine, other, floor = [], [], []
            for _ in range(rounds):
                mine.append(run_inventory(sim, ours, our_env, tmp))
                if their_env:
                    other.append(run_inventory(sim, theirs, their_env, tmp))
                floor.append(run_inventory(sim, floor_source, our_env, tmp))
            if args.profile:
                profile(sim, ours, our_env, tmp, args.profile)
        finally:
            sim.stop()
    print('\nansible-inventory --list, {0} guests on {1} nodes, median of {2} runs each (wall time; CPU time of '
          'ansible-inventory):'.format(args.guests, args.nodes, rounds))

    def line(label, runs):
        wall, cpu = statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs)
        print('  {0:<27} {1:6.2f} s wall {2:6.2f} s CPU  ({3} requests, {4} hosts; wall runs: {5})'.format(
            label, wall, cpu, runs[0].requests, runs[0].hosts, ', '.join('{0:.2f}'.format(r.wall) for r in runs)))
        return wall, cpu
    ours_wall, ours_cpu = line('pve.ops.proxmox', mine)
    floor_wall, floor_cpu = line('floor (a bare host list)', floor)
    if not other:
        print('  community.proxmox.proxmox:  not installed (see --community)')
        return 0
    theirs_wall, theirs_cpu = line('community.proxmox ' + community_version(community), other)
    ratio = ours_wall / theirs_wall
    print('  ratio pve.ops / community:  {0:.2f} wall, {1:.2f} CPU (target <= {2})'.format(
        ratio, ours_cpu / theirs_cpu, args.target))
    print('  above the floor:            pve.ops {0:.2f} s, community.proxmox {1:.2f} s wall; {2:.2f} s, {3:.2f} s '
          'CPU'.format(ours_wall - floor_wall, theirs_wall - floor_wall, ours_cpu - floor_cpu,
                       theirs_cpu - floor_cpu))
    return 0 if ratio <= args.target else 1


if __name__ == '__main__':
    sys.exit(main())
