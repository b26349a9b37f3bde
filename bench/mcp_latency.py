#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Latency of an MCP tools/call through the adapter, next to bare proxmoxer and ansible-playbook per call.

One simulator (pvesim, demo seed, tasks finish at once), three operations:
  get_vms                         vm_info listing
  start_vm on a running VM        vm state=started, converged: no write
  create_vm_snapshot, check mode  snapshot state=present, dry run: no write

Columns (median milliseconds per call):
  adapter (memory)   the official SDK client in-process with the adapter's low-level server
  SDK floor          the same SDK client and low-level server with a handler that makes the bare proxmoxer
                     requests below in a worker thread: what any MCP server built on the SDK pays, with no module
  adapter (stdio)    the SDK client talking to a `pveops-mcp` subprocess over stdio
  proxmoxer          the same API requests the module makes, with a logged-in ProxmoxAPI (session reused)
  proxmoxer+login    the same, logging in first (what a playbook task does; the adapter reuses its worker thread's login)
  playbook           one `ansible-playbook` run per call (what an agent without the adapter would pay)

The simulator runs in a process of its own (pvesim.process), so its work does not share the measuring
process's interpreter. The doors are measured interleaved: each round calls every operation once through each
door in turn, in an order that turns each round (after a warm-up round), so that a change in the machine's load
moves them all alike. The
playbook column is measured after, with fewer runs.

    .venv/bin/python bench/mcp_latency.py [--calls 40] [--playbook-runs 3]

Bounded: every measurement has a fixed number of calls, every subprocess a timeout.
Targets: adapter within 1.3x of bare proxmoxer with a reused session (issue 12; issue 6 asked 2x), at least 20x
faster than a playbook per call. "vs floor" shows how much of that the SDK itself costs. On a loaded machine the
ratios move: run it alone.
"""

import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import anyio  # noqa: E402
import anyio.to_thread  # noqa: E402
import mcp_types as types  # noqa: E402
from mcp import Client, StdioServerParameters  # noqa: E402
from mcp.server.lowlevel import Server  # noqa: E402

from mcp_adapter import catalogue  # noqa: E402
from mcp_adapter.policy import Policy  # noqa: E402
from mcp_adapter.server import Adapter  # noqa: E402
from pvesim.process import SimProcess  # noqa: E402
from tests.helpers.playbook import connection_defaults, run_tasks  # noqa: E402

OPERATIONS = [
    ('get_vms', {}, False),
    ('start_vm', {'vmid': 100}, False),
    ('create_vm_snapshot', {'vmid': 100, 'snapname': 'bench'}, True),
]
ADAPTER, FLOOR, STDIO, BARE, LOGIN = 'adapter (memory)', 'SDK floor', 'adapter (stdio)', 'proxmoxer', 'proxmoxer+login'
DOORS = (ADAPTER, FLOOR, STDIO, BARE, LOGIN)
TIMEOUT = 600


def bare_calls(api, name):
    """The requests the module makes for the operation, by hand (see the module_utils of each area); the
    function returns the last answer."""
    if name == 'get_vms':
        return lambda: api.cluster.resources.get(type='vm')
    if name == 'start_vm':
        def start():
            # module_utils/guests/vm.py: where the VM is and its state, then its config and pending changes
            guests = api.cluster.resources.get(type='vm')
            guest = next(g for g in guests if g.get('vmid') == 100)
            if guest['status'] != 'running':
                raise AssertionError('VM 100 should be running')
            return api.nodes(guest['node']).qemu(100).pending.get()
        return start
    if name == 'create_vm_snapshot':
        def snapshot():
            guests = api.cluster.resources.get(type='vm')
            node = next(g['node'] for g in guests if g.get('vmid') == 100)
            snapshots = api.nodes(node).qemu(100).snapshot.get()
            assert 'bench' not in [s['name'] for s in snapshots]
            return snapshots
        return snapshot
    raise KeyError(name)


def login_call(sim, name):
    """The operation with a login of its own, its connection closed after (as a playbook task's)."""
    api = sim.proxmoxer()
    try:
        return bare_calls(api, name)()
    finally:
        api._store['session'].close()  # proxmoxer keeps its requests.Session there (no public accessor)


def floor_server(api):
    """The SDK floor: a low-level MCP server whose tools make the bare requests in a worker thread (as the
    adapter runs its modules) and answer them as structured content with a text copy."""
    calls = dict((name, bare_calls(api, name)) for name, _a, _c in OPERATIONS)

    async def list_tools(ctx, params):
        return types.ListToolsResult(tools=[types.Tool(name=n, input_schema={'type': 'object'}) for n in calls])

    async def call_tool(ctx, params):
        answer = await anyio.to_thread.run_sync(calls[params.name])
        result = dict(changed=False, answer=answer)
        return types.CallToolResult(content=[types.TextContent(type='text', text=repr(result))],
                                    structured_content=result)
    return Server('sdk-floor', on_list_tools=list_tools, on_call_tool=call_tool)


def arguments_of(arguments, check):
    return dict(arguments, check_mode=True) if check else dict(arguments)


async def interleaved(clients, sync_calls, calls):
    """Median ms per door and operation: each round calls every operation once through each door in turn;
    the first round is a warm-up (and a correctness check) and is not counted."""
    samples = dict((door, dict((name, []) for name, _a, _c in OPERATIONS)) for door in DOORS)
    for round_ in range(calls + 1):
        # The order of the doors turns each round, so that no door always follows the same one (what a door
        # leaves behind, such as a closed connection the simulator is still handling, lands on each in turn).
        turn = round_ % len(DOORS)
        order = DOORS[turn:] + DOORS[:turn]
        for name, arguments, check in OPERATIONS:
            for door in order:
                start = time.perf_counter()
                if door in clients:
                    args = arguments_of(arguments, check) if door != FLOOR else {}
                    result = await clients[door].call_tool(name, args)
                    elapsed = time.perf_counter() - start
                    assert not result.is_error, (door, name, result.content[0].text)
                else:
                    sync_calls[door](name)
                    elapsed = time.perf_counter() - start
                if round_:
                    samples[door][name].append(elapsed * 1000)
    return dict((door, dict((n, statistics.median(v)) for n, v in ops.items())) for door, ops in samples.items())


def measure(sim, tools, calls):
    adapter = Adapter(connection_defaults(sim), Policy('full'), tools=tools)
    api = sim.proxmoxer()
    bare = dict((name, bare_calls(api, name)) for name, _a, _c in OPERATIONS)
    sync_calls = {BARE: lambda name: bare[name](), LOGIN: lambda name: login_call(sim, name)}
    params = StdioServerParameters(command=os.path.join(os.path.dirname(sys.executable), 'pveops-mcp'),
                                   args=['--mode', 'full'], env=dict(os.environ, **sim.env()))

    async def run():
        with anyio.fail_after(TIMEOUT):
            async with Client(adapter.server()) as memory, Client(floor_server(sim.proxmoxer())) as floor, \
                    Client(params) as stdio:
                return await interleaved({ADAPTER: memory, FLOOR: floor, STDIO: stdio}, sync_calls, calls)
    return anyio.run(run)


def playbook_latency(sim, tools, runs):
    out = {}
    for name, arguments, check in OPERATIONS:
        tool = tools[name]
        task = {'name': name, tool.module.fqcn: dict(arguments, **tool.fixed)}
        if check:
            task['check_mode'] = True

        def one(task=task):
            run = run_tasks(sim, [task], connection=connection_defaults(sim))
            assert run.rc == 0, run
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            one()
            samples.append((time.perf_counter() - start) * 1000)
        out[name] = statistics.median(samples)
    return out


def report(rows, calls, runs):
    columns = list(rows)
    print('MCP tools/call latency, median ms per call ({0} interleaved rounds; {1} playbook runs), pvesim in its '
          'own process'.format(calls, runs))
    header = '{0:<28}'.format('operation') + ''.join('{0:>18}'.format(c) for c in columns)
    header += '{0:>12}{1:>12}{2:>12}{3:>16}'.format('vs session', 'vs floor', 'vs login', 'playbook/adapt')
    print(header)
    print('-' * len(header))
    for name, _, check in OPERATIONS:
        label = name + (' (check)' if check else '')
        line = '{0:<28}'.format(label) + ''.join('{0:>18.1f}'.format(rows[c][name]) for c in columns)
        adapter_ms = rows[ADAPTER][name]
        line += '{0:>11.2f}x{1:>11.2f}x{2:>11.2f}x{3:>15.0f}x'.format(
            adapter_ms / rows[BARE][name], adapter_ms / rows[FLOOR][name], adapter_ms / rows[LOGIN][name],
            rows['playbook'][name] / adapter_ms)
        print(line)
    print('\nvs session / vs floor / vs login: adapter (memory) over proxmoxer with a reused session / over the SDK '
          "floor / over proxmoxer with a login per call. The adapter reuses its worker thread's login session (as "
          'proxmoxer with a session does); a playbook task logs in every time.')
    print('SDK floor over proxmoxer (what the SDK alone costs): ' + ', '.join(
        '{0} {1:.2f}x'.format(name, rows[FLOOR][name] / rows[BARE][name]) for name, _a, _c in OPERATIONS))
    print('Added ms per call over proxmoxer with a session, adapter (memory) / SDK floor: ' + ', '.join(
        '{0} {1:+.1f} / {2:+.1f}'.format(name, rows[ADAPTER][name] - rows[BARE][name], rows[FLOOR][name] - rows[BARE][name])
        for name, _a, _c in OPERATIONS))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--calls', type=int, default=40, help='interleaved rounds (default 40)')
    parser.add_argument('--playbook-runs', type=int, default=3, help='ansible-playbook runs per operation')
    args = parser.parse_args(argv)
    tools = catalogue.load()
    with SimProcess(seed='demo') as sim:
        rows = measure(sim, tools, args.calls)
        rows['playbook'] = playbook_latency(sim, tools, args.playbook_runs)
    report(rows, args.calls, args.playbook_runs)
    return 0


if __name__ == '__main__':
    sys.exit(main())
