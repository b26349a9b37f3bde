# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Several clusters from one server: named targets, each with its own connection and policy."""

import json
import os
import sys

import anyio
import pytest
import yaml
from mcp import Client, StdioServerParameters

from mcp_adapter import config as config_mod
from mcp_adapter import targets as targets_mod
from mcp_adapter.audit import AuditLog
from mcp_adapter.policy import Policy
from mcp_adapter.server import Adapter
from tests.mcp.mcp_support import call, connection, session, tools, writes

PVE_MCP = os.path.join(os.path.dirname(sys.executable), 'pveops-mcp')


@pytest.fixture
def two(pvesim_factory):
    """(lab, prod): two simulators; lab has a VM that prod does not."""
    lab, prod = pvesim_factory(), pvesim_factory()
    api = lab.proxmoxer()
    api.nodes('pve1').qemu.post(vmid=190, name='only-in-lab', memory=512)
    return lab, prod


def adapter_for(lab, prod, audit=None):
    targets = targets_mod.Targets([
        targets_mod.Target('lab', connection(lab), Policy('full')),
        targets_mod.Target('prod', connection(prod), Policy('read-only')),
    ], default='lab')
    return Adapter(policy=Policy('full'), audit=AuditLog(audit), tools=tools(), targets=targets)


def vmids(result):
    assert not result.is_error, result.content[0].text
    return sorted(vm['vmid'] for vm in result.structured_content['vms'])


def test_each_target_is_its_own_cluster(two, tmp_path):
    lab, prod = two
    audit = tmp_path / 'audit.jsonl'
    adapter = adapter_for(lab, prod, str(audit))
    assert 190 in vmids(call(adapter, 'get_vms', {'cluster': 'lab'}))
    assert 190 not in vmids(call(adapter, 'get_vms', {'cluster': 'prod'}))
    assert 190 in vmids(call(adapter, 'get_vms')), 'no cluster: the default target'
    unconfirmed = call(adapter, 'delete_vm', {'vmid': 190, 'cluster': 'lab'})
    assert unconfirmed.is_error and unconfirmed.structured_content['confirmation_required'] is True
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [line['target'] for line in lines] == ['lab', 'prod', 'lab', 'lab']
    assert lines[-1]['refused'] == 'not confirmed'
    assert all('cluster' not in line['args'] for line in lines)


def test_each_target_has_its_own_mode_and_nothing_is_sent_on_a_refusal(two):
    lab, prod = two
    adapter = adapter_for(lab, prod)
    before = writes(prod)
    refused = call(adapter, 'start_vm', {'vmid': 102, 'cluster': 'prod'})
    assert refused.is_error and refused.structured_content['refused'] is True
    assert 'on prod' in refused.content[0].text and 'read-only' in refused.content[0].text
    assert writes(prod) == before
    started = call(adapter, 'start_vm', {'vmid': 102, 'cluster': 'lab'})
    assert not started.is_error and started.structured_content['changed'] is True
    assert writes(prod) == before


def test_an_unknown_cluster_is_refused_naming_the_targets(two):
    lab, prod = two
    adapter = adapter_for(lab, prod)
    lab.reset_stats()
    prod.reset_stats()
    result = call(adapter, 'get_vms', {'cluster': 'staging'})
    assert result.is_error and 'cluster must be one of lab, prod' in result.content[0].text
    assert lab.stats()['requests'] == 0 and prod.stats()['requests'] == 0


def test_cluster_is_listed_only_with_several_targets(two, pvesim):
    lab, prod = two

    async def listed(client):
        return dict((t.name, t) for t in (await client.list_tools()).tools)
    several = session(adapter_for(lab, prod), listed)
    prop = several['get_vms'].input_schema['properties']['cluster']
    assert prop['enum'] == ['lab', 'prod'] and 'lab' in prop['description']
    # A tool one target allows is listed (prod is read-only, lab is full).
    assert 'delete_vm' in several
    one = session(Adapter(connection(pvesim), Policy('full'), tools=tools()), listed)
    assert 'cluster' not in one['get_vms'].input_schema['properties']
    result = call(Adapter(connection(pvesim), Policy('full'), tools=tools()), 'get_vms', {'cluster': 'lab'})
    assert result.is_error and 'serves one cluster' in result.content[0].text


def test_plan_steps_name_their_cluster(two):
    lab, prod = two
    adapter = adapter_for(lab, prod)
    calls = [{'tool': 'start_vm', 'arguments': {'vmid': 102, 'cluster': 'lab'}}]
    planned = call(adapter, 'plan', {'calls': calls})
    assert not planned.is_error and planned.structured_content['steps'][0]['changed'] is True
    refused = call(adapter, 'plan', {'calls': [{'tool': 'start_vm', 'arguments': {'vmid': 102, 'cluster': 'prod'}}]})
    assert refused.is_error and 'read-only' in refused.content[0].text
    before = writes(prod)
    applied = call(adapter, 'apply', {'calls': calls, 'plan_id': planned.structured_content['plan_id']})
    assert not applied.is_error and applied.structured_content['steps'][0]['changed'] is True
    assert writes(prod) == before
    assert lab.proxmoxer().nodes('pve1').qemu(102).status.current.get()['status'] == 'running'


def test_targets_from_the_config_file(tmp_path, two):
    lab, prod = two
    path = tmp_path / 'pveops-mcp.yml'
    path.write_text(yaml.safe_dump({'mode': 'write', 'targets': {
        'lab': {'connection': connection(lab)},
        'prod': {'connection': connection(prod), 'mode': 'read-only', 'deny': ['get_node_*']}},
        'default_target': 'prod'}))
    settings = config_mod.load({'config': str(path)}, environ={})
    assert settings.targets.default == 'prod' and settings.connection == connection(prod)
    assert settings.targets.by_name['lab'].policy.mode == 'write'
    assert settings.targets.by_name['prod'].policy.deny == ['get_node_*']
    params = StdioServerParameters(command=PVE_MCP, args=['--config', str(path)], env=dict(os.environ))

    async def main():
        async with Client(params, mode='legacy') as client:
            names = [t.name for t in (await client.list_tools()).tools]
            on_lab = await client.call_tool('get_vms', {'cluster': 'lab'})
            on_prod = await client.call_tool('get_vms', {})
            refused = await client.call_tool('start_vm', {'vmid': 102})
            return names, on_lab, on_prod, refused
    names, on_lab, on_prod, refused = anyio.run(main)
    assert 'start_vm' in names and 'delete_vm' not in names
    assert 190 in vmids(on_lab) and 190 not in vmids(on_prod)
    assert refused.is_error and 'on prod' in refused.content[0].text


@pytest.mark.parametrize('data, words', [
    ({'targets': {'a': {'connection': {'api_host': 'h'}, 'colour': 'x'}}}, 'targets.a: unknown settings colour'),
    ({'targets': {'a': {'mode': 'full'}}}, 'targets.a.connection: expected a mapping with at least api_host'),
    ({'targets': {'a': {'connection': {'api_host': 'h'}}}, 'default_target': 'b'}, "default_target 'b' is not"),
    ({'default_target': 'b'}, 'default_target names one of the targets'),
    ({'targets': {'a': {'connection': {'api_host': 'h'}}}, 'connection': {'api_host': 'h'}}, 'not both'),
    ({'targets': {'a': {'connection': {'api_host': 'h'}, 'mode': 'everything'}}}, "unknown mode 'everything'"),
])
def test_bad_targets_are_refused_naming_the_field(tmp_path, data, words):
    path = tmp_path / 'bad.yml'
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ValueError) as info:
        config_mod.load({'config': str(path)}, environ={})
    assert words in str(info.value)


def test_resources_on_a_named_cluster(two, pvesim, tmp_path):
    """With several targets each resource has a template on a named cluster, checked against that target's
    policy; the plain URIs read the default target. One target: no such templates."""
    lab, prod = two
    audit = tmp_path / 'audit.jsonl'
    adapter = adapter_for(lab, prod, str(audit))

    def ids(contents):
        return sorted(r['id'] for r in json.loads(contents.contents[0].text)['resources'])

    async def reading(client):
        templates = set(t.uri_template for t in (await client.list_resource_templates()).resource_templates)
        default = ids(await client.read_resource('pve://cluster/resources'))
        on_prod = ids(await client.read_resource('pve://clusters/prod/cluster/resources'))
        config = json.loads((await client.read_resource('pve://clusters/lab/vms/190/config')).contents[0].text)
        try:
            await client.read_resource('pve://clusters/staging/cluster/resources')
            unknown = None
        except Exception as exc:  # the SDK's MCPError
            unknown = str(exc)
        return templates, default, on_prod, config, unknown
    templates, default, on_prod, config, unknown = session(adapter, reading)
    assert {'pve://clusters/{cluster}/cluster/resources', 'pve://clusters/{cluster}/vms/{vmid}/config',
            'pve://clusters/{cluster}/tasks/{upid}/log'} <= templates
    assert 'qemu/190' in default and 'qemu/190' not in on_prod
    assert [vm['name'] for vm in config['vms']] == ['only-in-lab']
    assert unknown and 'cluster must be one of lab, prod' in unknown
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [line['target'] for line in lines] == ['lab', 'prod', 'lab']

    async def templates_of(client):
        return set(t.uri_template for t in (await client.list_resource_templates()).resource_templates)
    one = session(Adapter(connection(pvesim), Policy('full'), tools=tools()), templates_of)
    assert one and not any('{cluster}' in t for t in one)
