#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The size of tools/list per mode (and per toolset), over stdio with the official SDK client.

For each configuration a server subprocess (``python -m mcp_adapter.cli``) is started, the SDK client lists
the tools, and the size of the tools/list result as JSON (what goes over the wire, without the JSON-RPC
envelope) is printed with the number of tools, the longest description and the largest input schema.

    .venv/bin/python bench/tools_list.py [--json]

Budgets (issue 12): default (read-only) <= 30 kB, full <= 120 kB (with the default toolsets and with all of
them), no description over 400 characters; the exit status is 1 when one is exceeded. Bounded: one subprocess per configuration, each with a timeout.
"""

import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import anyio  # noqa: E402
from mcp import Client, StdioServerParameters  # noqa: E402

BUDGETS = {'default': 30000, 'full': 120000}
DESCRIPTION_LIMIT = 400
TIMEOUT = 120


def configurations():
    """(label, CLI arguments, budget key) of every measured configuration."""
    out = [('default', [], 'default'), ('write', ['--mode', 'write'], None), ('full', ['--mode', 'full'], 'full')]
    try:
        from mcp_adapter import toolsets
    except ImportError:
        return out
    # Every tool listed: issue 12's full-mode budget (its full mode listed every tool; toolsets came later).
    out.append(('full, all toolsets', ['--mode', 'full', '--toolsets', 'all'], 'full'))
    for name in toolsets.names():
        out.append(('full, toolset ' + name, ['--mode', 'full', '--toolsets', name], None))
    return out


async def measure(args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    for key in list(env):
        if key.startswith(('PROXMOX_', 'PVE_MCP_')):
            env.pop(key)
    params = StdioServerParameters(command=sys.executable, args=['-m', 'mcp_adapter.cli'] + args, env=env, cwd=ROOT)
    with anyio.fail_after(TIMEOUT):
        async with Client(params) as client:
            result = await client.list_tools()
    tools = result.tools
    body = result.model_dump_json(by_alias=True, exclude_none=True)
    longest = max(tools, key=lambda t: len(t.description or '')) if tools else None
    largest = max(tools, key=lambda t: len(json.dumps(t.input_schema))) if tools else None
    return dict(tools=len(tools), bytes=len(body.encode()),
                longest_description=(longest.name, len(longest.description or '')) if longest else None,
                largest_input_schema=(largest.name, len(json.dumps(largest.input_schema))) if largest else None)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--json', action='store_true', help='print the figures as JSON')
    opts = parser.parse_args(argv)
    rows, failures = [], []
    for label, args, budget in configurations():
        row = dict(label=label, **anyio.run(measure, args))
        rows.append(row)
        if budget and row['bytes'] > BUDGETS[budget]:
            failures.append('{0}: {1} bytes over the budget of {2}'.format(label, row['bytes'], BUDGETS[budget]))
        if row['longest_description'] and row['longest_description'][1] > DESCRIPTION_LIMIT:
            failures.append('{0}: the description of {1} has {2} characters (limit {3})'.format(
                label, row['longest_description'][0], row['longest_description'][1], DESCRIPTION_LIMIT))
    if opts.json:
        print(json.dumps(dict(rows=rows, failures=failures), indent=2))
    else:
        print('{0:<34} {1:>5} {2:>9}  {3:<38} {4}'.format('configuration', 'tools', 'bytes', 'longest description',
                                                           'largest input schema'))
        for row in rows:
            print('{0:<34} {1:>5} {2:>9}  {3:<38} {4}'.format(
                row['label'], row['tools'], row['bytes'], '{0} ({1})'.format(*row['longest_description'])
                if row['longest_description'] else '-', '{0} ({1})'.format(*row['largest_input_schema'])
                if row['largest_input_schema'] else '-'))
        for line in failures:
            print('OVER BUDGET: ' + line)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
