# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resources and prompts through the SDK client: what they read is what the tools read, and they follow the
toolsets and the mode."""

import json

import pytest
from mcp.shared.exceptions import MCPError

from mcp_adapter import toolsets
from mcp_adapter.audit import AuditLog
from mcp_adapter.policy import Policy
from mcp_adapter.server import Adapter
from tests.mcp.mcp_support import connection, session, tools


def _adapter(sim, mode='read-only', chosen=None, dynamic=False):
    return Adapter(connection(sim), Policy(mode, toolsets=None if chosen is None else set(chosen)), AuditLog(None),
                   tools=tools(), dynamic=dynamic)


def test_inventory_config_and_task_log_read_what_the_tools_read(pvesim):
    api = pvesim.proxmoxer()
    guest = next(g for g in api.cluster.resources.get(type='vm') if g['type'] == 'qemu')
    vmid = guest['vmid']
    upid = api.nodes(guest['node']).qemu(vmid).snapshot.post(snapname='resource_test')

    async def reads(client):
        listed = await client.list_resources()
        templates = await client.list_resource_templates()
        inventory = await client.read_resource('pve://cluster/resources')
        config = await client.read_resource('pve://vms/{0}/config'.format(vmid))
        log = await client.read_resource('pve://tasks/{0}/log'.format(upid))
        guide = await client.read_resource('pve://docs/mcp')
        return listed, templates, inventory, config, log, guide
    listed, templates, inventory, config, log, guide = session(_adapter(pvesim, chosen=toolsets.TOOLSETS), reads)
    uris = set(str(r.uri) for r in listed.resources)
    assert {'pve://cluster/resources', 'pve://docs/mcp'} <= uris
    assert {t.uri_template for t in templates.resource_templates} == {
        'pve://vms/{vmid}/config', 'pve://containers/{vmid}/config', 'pve://tasks/{upid}/log'}
    body = json.loads(inventory.contents[0].text)
    assert inventory.contents[0].mime_type == 'application/json'
    assert sorted(r['id'] for r in body['resources']) == sorted(r['id'] for r in api.cluster.resources.get())
    vm = json.loads(config.contents[0].text)['vms']
    assert [v['vmid'] for v in vm] == [vmid]
    node = vm[0]['node']
    assert str(vm[0]['config']['memory']) == str(api.nodes(node).qemu(vmid).config.get()['memory'])
    task = json.loads(log.contents[0].text)['task']
    assert task['upid'] == upid and 'log' in task
    assert 'pveops-mcp' in guide.contents[0].text and guide.contents[0].mime_type == 'text/markdown'


def test_resources_and_prompts_follow_the_toolsets_and_the_mode(pvesim):
    async def listing(client):
        resources = set(str(r.uri) for r in (await client.list_resources()).resources)
        templates = set(t.uri_template for t in (await client.list_resource_templates()).resource_templates)
        prompts = set(p.name for p in (await client.list_prompts()).prompts)
        try:
            await client.read_resource('pve://cluster/resources')
            refused = None
        except MCPError as exc:
            refused = str(exc)
        return resources, templates, prompts, refused
    # only the tasks toolset, read-only: the task log, the docs; no prompt (each needs other tools)
    resources, templates, prompts, refused = session(_adapter(pvesim, chosen={'tasks'}), listing)
    assert 'pve://cluster/resources' not in resources and 'pve://docs/mcp' in resources
    assert templates == {'pve://tasks/{upid}/log'}
    assert prompts == set()
    assert 'toolset cluster' in refused
    # every toolset, read-only: the backup investigation (reads only); the others need write tools
    _r, _t, prompts, refused = session(_adapter(pvesim, chosen=toolsets.TOOLSETS), listing)
    assert prompts == {'investigate_failed_backup'} and refused is None
    # every toolset in write mode: all three
    _r, _t, prompts, _refused = session(_adapter(pvesim, mode='write', chosen=toolsets.TOOLSETS), listing)
    assert prompts == {'investigate_failed_backup', 'provision_vm_from_template', 'prepare_node_for_maintenance'}


def test_prompts_render_with_their_arguments_and_unoffered_ones_are_refused(pvesim):
    async def prompts(client):
        provision = await client.get_prompt('provision_vm_from_template',
                                            {'template': 'debian-12-cloudinit', 'name': 'web1'})
        maintenance = await client.get_prompt('prepare_node_for_maintenance', {'node': 'pve2'})
        backup = await client.get_prompt('investigate_failed_backup', {'vmid': '100'})
        return provision, maintenance, backup
    provision, maintenance, backup = session(_adapter(pvesim, mode='write', chosen=toolsets.TOOLSETS), prompts)
    text = provision.messages[0].content.text
    assert "clone 'debian-12-cloudinit'" in text and 'check_mode: true' in text
    assert "node 'pve2'" in maintenance.messages[0].content.text and 'migrate_vm' in maintenance.messages[0].content.text
    assert 'vmid 100' in backup.messages[0].content.text

    async def refused(client):
        with pytest.raises(MCPError) as exc:
            await client.get_prompt('provision_vm_from_template', {'template': 't', 'name': 'n'})
        return str(exc.value)
    assert 'clone_vm' in session(_adapter(pvesim, chosen=toolsets.TOOLSETS), refused)


def test_enabling_a_toolset_offers_its_resources(pvesim):
    async def flow(client):
        before = set(str(r.uri) for r in (await client.list_resources()).resources)
        await client.call_tool('enable_toolset', {'toolset': 'cluster'})
        after = set(str(r.uri) for r in (await client.list_resources()).resources)
        return before, after
    before, after = session(_adapter(pvesim, dynamic=True), flow)
    assert 'pve://cluster/resources' not in before and 'pve://cluster/resources' in after
