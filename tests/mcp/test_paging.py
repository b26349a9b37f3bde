# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""List tools answer bounded pages with the total, through the SDK client on a large simulated cluster."""

import pytest

from mcp_adapter import paging
from tests.mcp.mcp_support import adapter, session, tools

TOOLS = tools()


@pytest.fixture
def large(pvesim_factory):
    return pvesim_factory(seed='large:2:250')


def test_pages_cover_the_list_once_with_the_total(large):
    vmids = sorted(g['vmid'] for g in large.proxmoxer().cluster.resources.get(type='vm') if g['type'] == 'qemu')
    assert len(vmids) > paging.DEFAULT_LIMIT

    async def pages(client):
        out = [await client.call_tool('get_vms', {})]
        while out[-1].structured_content['page']['more']:
            out.append(await client.call_tool('get_vms', {'offset': out[-1].structured_content['page']['next_offset']}))
            assert len(out) < 10
        return out
    out = session(adapter(large), pages)
    first = out[0].structured_content
    assert first['page'] == dict(total=len(vmids), offset=0, limit=paging.DEFAULT_LIMIT,
                                 returned=paging.DEFAULT_LIMIT, more=True, next_offset=paging.DEFAULT_LIMIT)
    assert 'vms 1-100 of {0}; more: call again with offset 100'.format(len(vmids)) in out[0].content[0].text
    last = out[-1].structured_content['page']
    assert last['more'] is False and 'next_offset' not in last and last['returned'] == len(vmids) - last['offset']
    seen = [vm['vmid'] for page in out for vm in page.structured_content['vms']]
    assert sorted(seen) == vmids and len(seen) == len(set(seen))


def test_limit_and_fields(large):
    async def calls(client):
        return (await client.call_tool('get_containers', {'limit': 5, 'offset': 3, 'fields': ['vmid', 'name']}),
                await client.call_tool('list_users', {'fields': ['userid']}))
    containers, users = session(adapter(large), calls)
    data = containers.structured_content
    assert data['page']['returned'] == 5 and data['page']['offset'] == 3 and data['page']['more'] is True
    assert all(set(ct) == {'vmid', 'name'} for ct in data['containers'])
    assert users.structured_content['page']['more'] is False
    assert all(set(u) == {'userid'} for u in users.structured_content['users'])


@pytest.mark.parametrize('arguments,expected', [
    ({'limit': paging.MAX_LIMIT + 1}, 'limit must be at least 1 and at most 1000, not 1001'),
    ({'limit': 0}, 'limit must be at least 1'),
    ({'limit': True}, 'limit must be a whole number'),
    ({'offset': -1}, 'offset must be at least 0'),
    ({'offset': '10'}, 'offset must be a whole number'),
    ({'fields': 'vmid'}, 'fields must be a list of key names'),
    ({'fields': ['vmid', 'bogus']}, 'fields: no item has bogus (the items have: '),
])
def test_bad_paging_arguments_are_refused(pvesim, arguments, expected):
    result = session(adapter(pvesim), lambda c: c.call_tool('get_vms', arguments))
    assert result.is_error and expected in result.content[0].text, result.content[0].text


def test_only_list_tools_page(pvesim):
    for name, tool in TOOLS.items():
        offered = set(tool.input_schema['properties'])
        assert (set(paging.PAGING_ARGS) <= offered) == (name in paging.PAGED) or name in ('get_cluster_tasks',
                                                                                        'get_node_tasks'), name
        if name in paging.PAGED:
            assert paging.PAGED[name] in tool.output_schema['properties'], name
    result = session(adapter(pvesim), lambda c: c.call_tool('start_vm', {'vmid': 100, 'offset': 1}))
    assert result.is_error and "unknown argument 'offset'" in result.content[0].text


def test_an_empty_page(pvesim):
    result = session(adapter(pvesim), lambda c: c.call_tool('list_pools', {'offset': 50}))
    page = result.structured_content['page']
    assert not result.is_error and result.structured_content['pools'] == [] and page['returned'] == 0
    assert page['more'] is False and 'pools: none of {0} at offset 50'.format(page['total']) in result.content[0].text


def test_guest_tools_page_inside_the_module(large):
    """vm_info / container_info take the paging arguments as their own options: the details of the page's guests
    only are read, and only those fields keeps."""
    assert paging.pages_itself(TOOLS['get_vm_config']) and not paging.pages_itself(TOOLS['list_users'])

    async def calls(client):
        out = {}
        for label, name, arguments in (('config', 'get_vm_config', {'limit': 5, 'offset': 7}),
                                       ('no config', 'get_vm_config', {'limit': 5, 'fields': ['vmid', 'name']}),
                                       ('snapshots', 'list_container_snapshots', {'limit': 3})):
            large.reset_stats()
            out[label] = (await client.call_tool(name, arguments), large.stats()['by_path'])
        return out
    out = session(adapter(large), calls)
    result, by_path = out['config']
    data = result.structured_content
    assert not result.is_error and len(data['vms']) == 5 and all(vm['config'] for vm in data['vms'])
    assert data['page']['offset'] == 7 and data['page']['next_offset'] == 12
    assert sum(n for p, n in by_path.items() if p.endswith('/config')) == 5
    result, by_path = out['no config']
    assert all(set(vm) == {'vmid', 'name'} for vm in result.structured_content['vms'])
    assert not any(p.endswith(('/config', '/pending')) for p in by_path), by_path
    result, by_path = out['snapshots']
    assert len(result.structured_content['containers']) == 3
    assert sum(n for p, n in by_path.items() if p.endswith('/snapshot')) == 3
