# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for the MCP adapter tests: an Adapter on a pvesim fixture and the official SDK client in memory."""

import anyio
from mcp import Client

from mcp_adapter import catalogue, runner
from mcp_adapter.audit import AuditLog
from mcp_adapter.policy import Policy
from mcp_adapter.server import Adapter

_TOOLS = {}


def tools():
    """The catalogue (loaded once per test process)."""
    if not _TOOLS:
        _TOOLS.update(catalogue.load())
    return _TOOLS


def connection(sim):
    return dict(api_host=sim.host, api_port=sim.port, api_user='root@pam', api_password=sim.root_password,
                ca_path=sim.cafile)


def adapter(sim, mode='full', allow=None, deny=None, audit=None):
    return Adapter(connection(sim), Policy(mode, allow, deny), AuditLog(audit), tools=tools())


def session(adapter_, fn, **client_kwargs):
    """Run ``await fn(client)`` with an in-memory SDK client connected to the adapter; returns its result."""
    out = {}

    async def main():
        async with Client(adapter_.server(), **client_kwargs) as client:
            out['value'] = await fn(client)
    anyio.run(main)
    return out.get('value')


def call(adapter_, name, arguments=None, **client_kwargs):
    async def fn(client):
        return await client.call_tool(name, arguments or {})
    return session(adapter_, fn, **client_kwargs)


def writes(sim):
    return sim.stats()['writes']


_MODULE_TOOLS = {}


def module_tool(module):
    """A tool that runs pve.ops.<module> with no argument fixed (for in-process module tests through the runner)."""
    if module not in _MODULE_TOOLS:
        entry = catalogue._e('module_' + module, module, {}, catalogue.W)
        _MODULE_TOOLS[module] = catalogue.Tool(entry, catalogue.ModuleInfo(module))
    return _MODULE_TOOLS[module]


def run(sim, tool, arguments, check=False, user=None, password=None):
    """(result, write requests) of one in-process call of a tool (a name, or a Tool from module_tool())."""
    tool = catalogue.resolve(tools(), tool) if isinstance(tool, str) else tool
    conn = connection(sim)
    if user:
        conn.update(api_user=user, api_password=password)
    before = writes(sim)
    result = runner.run(tool, arguments, conn, check_mode=check)
    return result, writes(sim) - before


def quartet(sim, tool, arguments):
    """check, apply, check, apply in-process: changed true, true, false, false; writes only in the apply.
    Returns the four results."""
    results = [run(sim, tool, arguments, check=check) for check in (True, False, True, False)]
    assert [r.get('changed') for r, _w in results] == [True, True, False, False], [r for r, _w in results]
    assert [w for _r, w in results][0::2] + [results[3][1]] == [0, 0, 0], results
    return [r for r, _w in results]
