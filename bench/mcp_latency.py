#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Latency of an MCP tools/call through the adapter, next to bare proxmoxer and ansible-playbook per call.

One simulator (pvesim, demo seed, tasks finish at once), three operations:
  get_vms                         vm_info listing
  start_vm on a running VM        vm state=started, converged: no write
  create_vm_snapshot, check mode  snapshot state=present, dry run: no write

Columns (median milliseconds per call):
  adapter (memory)   the official SDK client in-process with the adapter's low-level server
  adapter (stdio)    the SDK client talking to a `pveops-mcp` subprocess over stdio
  proxmoxer          the same API requests the module makes, with a logged-in ProxmoxAPI (session reused)
  proxmoxer+login    the same, logging in first (what a playbook task does; the adapter reuses its worker thread's login)
  playbook           one `ansible-playbook` run per call (what an agent without the adapter would pay)

    .venv/bin/python bench/mcp_latency.py [--calls 20] [--playbook-runs 3]

Bounded: every measurement has a fixed number of calls, every subprocess a timeout.
Targets: adapter within 1.3x of bare proxmoxer with a reused session (issue 12; issue 6 asked 2x), at least 20x
faster than a playbook per call. On a loaded machine the ratios move: run it alone.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import anyio  # noqa: E402
from fakepve.certs import make_cert  # noqa: E402
from mcp import Client, StdioServerParameters  # noqa: E402

from mcp_adapter import catalogue  # noqa: E402
from mcp_adapter.policy import Policy  # noqa: E402
from mcp_adapter.server import Adapter  # noqa: E402
from pvesim.testing import serve  # noqa: E402
from tests.helpers.playbook import connection_defaults, run_tasks  # noqa: E402

OPERATIONS = [
    ('get_vms', {}, False),
    ('start_vm', {'vmid': 100}, False),
    ('create_vm_snapshot', {'vmid': 100, 'snapname': 'bench'}, True),
]


def bare_calls(api, name):
    """The requests the module makes for the operation, by hand (see the module_utils of each area)."""
    if name == 'get_vms':
        return lambda: api.cluster.resources.get(type='vm')
    if name == 'start_vm':
        def start():
            guests = api.cluster.resources.get(type='vm')
            node = next(g['node'] for g in guests if g.get('vmid') == 100)
            api.nodes(node).qemu(100).config.get()
            if api.nodes(node).qemu(100).status.current.get()['status'] != 'running':
                raise AssertionError('VM 100 should be running')
        return start
    if name == 'create_vm_snapshot':
        def snapshot():
            guests = api.cluster.resources.get(type='vm')
            node = next(g['node'] for g in guests if g.get('vmid') == 100)
            names = [s['name'] for s in api.nodes(node).qemu(100).snapshot.get()]
            assert 'bench' not in names
        return snapshot
    raise KeyError(name)


def timed(fn, calls):
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def adapter_latency(client, calls):
    out = {}
    for name, arguments, check in OPERATIONS:
        args = dict(arguments, check_mode=True) if check else dict(arguments)
        result = await client.call_tool(name, args)  # warm-up, and a correctness check
        assert not result.is_error, result.content[0].text
        samples = []
        for _ in range(calls):
            start = time.perf_counter()
            result = await client.call_tool(name, args)
            samples.append((time.perf_counter() - start) * 1000)
        out[name] = statistics.median(samples)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--calls', type=int, default=20, help='calls per operation and door (default 20)')
    parser.add_argument('--playbook-runs', type=int, default=3, help='ansible-playbook runs per operation')
    args = parser.parse_args(argv)
    tools = catalogue.load()
    with tempfile.TemporaryDirectory() as tmp:
        cert, key, _ = make_cert(tmp, name='pvesim', hosts=('127.0.0.1',))
        sim = serve(cert, key)
        try:
            connection = dict(api_host=sim.host, api_port=sim.port, api_user='root@pam',
                              api_password=sim.root_password, ca_path=sim.cafile)
            adapter = Adapter(connection, Policy('full'), tools=tools)

            async def memory():
                async with Client(adapter.server()) as client:
                    return await adapter_latency(client, args.calls)
            rows = {'adapter (memory)': anyio.run(memory)}

            env = dict(os.environ, **sim.env())
            params = StdioServerParameters(command=os.path.join(os.path.dirname(sys.executable), 'pveops-mcp'),
                                           args=['--mode', 'full'], env=env)

            async def stdio():
                async with Client(params) as client:
                    return await adapter_latency(client, args.calls)
            rows['adapter (stdio)'] = anyio.run(stdio)

            api = sim.proxmoxer()
            rows['proxmoxer'] = dict((n, timed(bare_calls(api, n), args.calls)) for n, _, _ in OPERATIONS)

            def with_login(name):
                return lambda: bare_calls(sim.proxmoxer(), name)()
            rows['proxmoxer+login'] = dict((n, timed(with_login(n), args.calls)) for n, _, _ in OPERATIONS)

            playbook = {}
            for name, arguments, check in OPERATIONS:
                tool = tools[name]
                task = {'name': name, tool.module.fqcn: dict(arguments, **tool.fixed)}
                if check:
                    task['check_mode'] = True

                def one(task=task):
                    run = run_tasks(sim, [task], connection=connection_defaults(sim))
                    assert run.rc == 0, run
                playbook[name] = timed(one, args.playbook_runs)
            rows['playbook'] = playbook
        finally:
            sim.stop()

    columns = list(rows)
    print('MCP tools/call latency, median ms per call ({0} calls; {1} playbook runs), one pvesim'.format(
        args.calls, args.playbook_runs))
    header = '{0:<28}'.format('operation') + ''.join('{0:>18}'.format(c) for c in columns)
    header += '{0:>14}{1:>14}{2:>16}'.format('vs session', 'vs login', 'playbook/adapt')
    print(header)
    print('-' * len(header))
    for name, _, check in OPERATIONS:
        label = name + (' (check)' if check else '')
        line = '{0:<28}'.format(label) + ''.join('{0:>18.1f}'.format(rows[c][name]) for c in columns)
        adapter_ms = rows['adapter (memory)'][name]
        line += '{0:>13.1f}x{1:>13.1f}x{2:>15.0f}x'.format(adapter_ms / rows['proxmoxer'][name],
                                                         adapter_ms / rows['proxmoxer+login'][name],
                                                         rows['playbook'][name] / adapter_ms)
        print(line)
    print('\nvs session / vs login: adapter (memory) over proxmoxer with a reused session / with a login per call. '
          'The adapter reuses its worker thread\'s login session (as proxmoxer with a session does); a playbook task logs in every time.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
