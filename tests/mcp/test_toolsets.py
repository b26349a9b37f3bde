# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Toolsets and dynamic discovery, through the SDK client against the demo simulator."""

import pytest
from mcp.shared.exceptions import MCPError

from mcp_adapter import catalogue, config, toolsets
from mcp_adapter.audit import AuditLog
from mcp_adapter.cli import build
from mcp_adapter.policy import Policy
from mcp_adapter.server import Adapter
from tests.mcp.mcp_support import connection, session, tools

TOOLS = tools()


def lister(client):
    return client.list_tools()


def names(listed):
    return set(t.name for t in listed.tools)


def make(sim, mode='full', dynamic=False, **policy):
    return Adapter(connection(sim), Policy(mode, **policy), AuditLog(None), tools=TOOLS, dynamic=dynamic)


def test_every_tool_is_in_one_toolset_and_every_toolset_has_tools():
    placed = dict((name, toolsets.of(tool)) for name, tool in TOOLS.items())
    assert set(placed.values()) == set(toolsets.names())
    assert placed['list_vm_snapshots'] == 'snapshots' and placed['list_backups'] == 'backups'
    assert placed['get_vms'] == 'vms' and placed['create_api_token'] == 'access'


def test_parse():
    assert toolsets.parse(None) == set(toolsets.DEFAULT)
    assert toolsets.parse(['all']) == set(toolsets.names())
    assert toolsets.parse('default,backups') == set(toolsets.DEFAULT) | {'backups'}
    assert toolsets.parse(['pools', 'ha,access']) == {'pools', 'ha', 'access'}
    with pytest.raises(ValueError, match="unknown toolset 'vm': use cluster, nodes"):
        toolsets.parse('vm')


def test_settings_and_cli_build_the_default_set():
    settings = config.load({}, environ={})
    assert settings.toolsets == set(toolsets.DEFAULT) and not settings.dynamic_toolsets
    listed = set(t.name for t in build(settings).visible_tools())
    assert listed == set(n for n, t in TOOLS.items() if t.read_only and toolsets.of(t) in toolsets.DEFAULT)
    assert 'list_users' not in listed and 'get_vms' in listed
    settings = config.load({'toolsets': ['all'], 'mode': 'full'}, environ={'PVE_MCP_TOOLSETS': 'pools'})
    assert settings.toolsets == set(toolsets.names())
    assert config.load({}, environ={'PVE_MCP_TOOLSETS': 'pools,ha'}).toolsets == {'pools', 'ha'}
    assert config.load({'dynamic_toolsets': True}, environ={}).toolsets == set()


def test_toolsets_combine_with_the_mode_and_the_lists(pvesim):
    server = make(pvesim, 'write', toolsets={'pools', 'vms'}, deny=['*_vm'])
    listed = names(session(server, lister))
    expected = set(n for n, t in TOOLS.items() if toolsets.of(t) in ('pools', 'vms') and not t.destructive
                   and not n.endswith('_vm'))
    assert listed == expected | {'plan', 'apply'}  # the adapter's own, in the modes that change things and 'create_pool' in listed and 'get_vms' in listed
    assert not listed & {'delete_pool', 'start_vm', 'list_users'}
    refused = session(server, lambda c: c.call_tool('list_users', {}))
    assert refused.is_error and 'list_users is in the toolset access, which is not enabled' in refused.content[0].text
    assert '--toolsets access' in refused.content[0].text
    # A name served for another tool follows that tool's toolset.
    refused = session(server, lambda c: c.call_tool('update_user', {'userid': 'alice@pve', 'check_mode': True}))
    assert refused.is_error and 'toolset access' in refused.content[0].text
    ok = session(server, lambda c: c.call_tool('get_pool', {'poolid': 'demo'}))
    assert not ok.is_error and ok.structured_content['pool']['poolid'] == 'demo'


def test_dynamic_discovery(pvesim):
    server = make(pvesim, 'read-only', dynamic=True, deny=['get_vm_stats'])
    notified = []

    async def on_message(message):
        notified.append(getattr(message, 'method', None) or type(message).__name__)

    async def flow(client):
        out = {'capabilities': client.server_capabilities}
        out['before'] = names(await client.list_tools())
        out['refused'] = await client.call_tool('get_vms', {})
        out['list'] = await client.call_tool('list_toolsets', {})
        out['enable'] = await client.call_tool('enable_toolset', {'toolset': 'vms'})
        out['again'] = await client.call_tool('enable_toolset', {'toolset': 'vms'})
        out['bad'] = await client.call_tool('enable_toolset', {'toolset': 'vm'})
        out['after'] = names(await client.list_tools())
        out['vms'] = await client.call_tool('get_vms', {})
        return out
    out = session(server, flow, mode='legacy', message_handler=on_message)
    assert out['capabilities'].tools.list_changed is True
    assert out['before'] == {'list_toolsets', 'enable_toolset'}
    assert out['refused'].is_error and 'or call enable_toolset' in out['refused'].content[0].text
    listing = dict((t['name'], t) for t in out['list'].structured_content['toolsets'])
    assert set(listing) == set(toolsets.names()) and not any(t['enabled'] for t in listing.values())
    # The tools a toolset would add in this mode (read-only, get_vm_stats denied).
    assert listing['vms']['tools'] == [n for n, t in TOOLS.items() if toolsets.of(t) == 'vms' and t.read_only
                                       and n != 'get_vm_stats']
    assert out['enable'].structured_content['changed'] is True
    assert out['again'].structured_content['changed'] is False
    assert out['bad'].is_error and 'enable_toolset takes toolset, one of: cluster' in out['bad'].content[0].text
    assert notified.count('notifications/tools/list_changed') == 1, notified
    assert out['after'] == {'list_toolsets', 'enable_toolset'} | set(listing['vms']['tools'])
    assert not out['vms'].is_error and out['vms'].structured_content['vms']


def test_without_dynamic_discovery_the_discovery_tools_do_not_exist(pvesim):
    server = make(pvesim, toolsets={'cluster'})
    assert names(session(server, lister)) == set(n for n, t in TOOLS.items() if toolsets.of(t) == 'cluster') | {
        'plan', 'apply'}

    async def enable(client):
        try:
            return await client.call_tool('enable_toolset', {'toolset': 'vms'})
        except MCPError as exc:
            return exc
    error = session(server, enable)
    assert isinstance(error, MCPError) and "unknown tool 'enable_toolset'" in str(error)


def test_no_catalogue_tool_takes_a_discovery_name():
    assert not set(e.name for e in catalogue.ENTRIES) & {'list_toolsets', 'enable_toolset'}
