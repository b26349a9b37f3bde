# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for the MCP adapter tests: an Adapter on a pvesim fixture and the official SDK client in memory."""

import anyio
from mcp import Client

from mcp_adapter import catalogue
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
