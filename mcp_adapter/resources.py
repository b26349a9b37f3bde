# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resources and prompts beside the tools, registered on the SDK's ``MCPServer`` (hand-written functions suit
its decorator style; the generated tools stay on the low-level Server, see server.py).

Resources (JSON, read through the catalogue tool that reads the same thing, so policy, toolsets and audit
are the tools' own):

- ``pve://cluster/resources``: the cluster's inventory (get_cluster_resources);
- ``pve://vms/{vmid}/config`` and ``pve://containers/{vmid}/config``: a guest's configuration
  (get_vm_config / get_container_config);
- ``pve://tasks/{upid}/log``: a task's status and log (get_task_log);
- ``pve://docs/{name}``: the collection's guides (docs/*.md, Markdown), listed one by one.

With several clusters (named targets) those read the default target, and each has a template for a named one:
``pve://clusters/{cluster}/cluster/resources``, ``pve://clusters/{cluster}/vms/{vmid}/config``, ... (the URI after
``pve://`` goes after the cluster's name), checked against that target's policy as a call of the tool would be.

Prompts: provisioning a VM from a template, investigating a failed backup, preparing a node for maintenance.
Each names the tools it leads the agent through.

Both follow the toolsets and the mode: a resource is listed and read only when its tool is offered, a prompt
only when every tool it names is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, 'docs')
JSON = 'application/json'

# uri (or template) -> (the tool that reads it, a function of the URI's parameters to the tool's arguments)
RESOURCES: dict[str, tuple[str, Callable[..., dict[str, Any]], str]] = {
    'pve://cluster/resources': ('get_cluster_resources', lambda: {},
                                "The cluster's inventory: guests, storages, nodes, SDN zones."),
    'pve://vms/{vmid}/config': ('get_vm_config', lambda vmid: {'vmid': int(vmid)},
                                "A virtual machine's configuration and pending changes."),
    'pve://containers/{vmid}/config': ('get_container_config', lambda vmid: {'vmid': int(vmid)},
                                       "A container's configuration and pending changes."),
    'pve://tasks/{upid}/log': ('get_task_log', lambda upid: {'upid': upid}, "A task's status and log, by UPID."),
}

PROMPTS: dict[str, tuple[tuple[str, ...], str]] = {
    'provision_vm_from_template': (
        ('get_vms', 'clone_vm', 'update_vm_config', 'start_vm'),
        'Provision a virtual machine from a template: clone, configure, start.'),
    'investigate_failed_backup': (
        ('get_cluster_tasks', 'get_task_log', 'list_backups', 'get_storage_quota'),
        'Find why a backup failed: the vzdump task, its log, the storage and the backups there.'),
    'prepare_node_for_maintenance': (
        ('get_node_status', 'get_vms', 'get_containers', 'get_ha_status', 'migrate_vm', 'migrate_container'),
        'Empty a node before maintenance: what runs there, HA, migrations, in check mode first.'),
}


ON_CLUSTER = 'pve://clusters/{cluster}/'
SCHEME = 'pve://'


def on_cluster(uri: str) -> str:
    """The template of a resource on a named cluster (pve://vms/{vmid}/config -> pve://clusters/{cluster}/vms/...)."""
    return ON_CLUSTER + uri[len(SCHEME):]


def split_cluster(uri: str) -> tuple[str | None, str]:
    """(cluster or None, the URI without it): pve://clusters/lab/vms/100/config -> ('lab', 'pve://vms/100/config');
    a template keeps its {cluster}."""
    head = ON_CLUSTER.partition('{')[0]
    if not uri.startswith(head):
        return None, uri
    cluster, _, rest = uri[len(head):].partition('/')
    return (cluster, SCHEME + rest) if cluster and rest else (None, uri)


def docs() -> dict[str, str]:
    """name -> path of the collection's guides (docs/*.md)."""
    if not os.path.isdir(DOCS):
        return {}
    return dict((f[:-3], os.path.join(DOCS, f)) for f in sorted(os.listdir(DOCS)) if f.endswith('.md'))


def _prompt_provision(template: str, name: str, node: str = '') -> str:
    where = ' on node {0}'.format(node) if node else ''
    return (
        'Provision a virtual machine named {name!r}{where} from the template {template!r}.\n'
        '1. get_vms with name {template!r}: check the template exists (template: true) and note its node.\n'
        '2. clone_vm with clone {template!r}, name {name!r}{node_arg} and check_mode: true; show me the diff.\n'
        '3. After I agree, clone_vm again without check_mode.\n'
        '4. update_vm_config for CPU, memory, disks or cloud-init settings I ask for (check_mode first).\n'
        '5. start_vm with name {name!r}, then get_vms with name {name!r} to show its status.\n'
        'Stop and tell me when a step fails; never delete anything.').format(
            name=name, template=template, where=where, node_arg=', node {0!r}'.format(node) if node else '')


def _prompt_backup(vmid: str, storage: str = '') -> str:
    on = ' on storage {0!r}'.format(storage) if storage else ''
    return (
        'Find out why the backup of guest {vmid} failed{on}.\n'
        '1. get_cluster_tasks with type vzdump, vmid {vmid} and errors: true: find the failed backup task.\n'
        '2. get_task_log with its upid: read the error lines at the end of the log.\n'
        '3. list_backups with name (the target storage) and vmid {vmid}: which backups exist, how old.\n'
        '4. get_storage_quota with name (that storage): is it full?\n'
        'Summarise the cause and suggest a fix; change nothing.').format(vmid=vmid, on=on)


def _prompt_maintenance(node: str) -> str:
    return (
        'Prepare node {node!r} for maintenance.\n'
        '1. get_node_status with node {node!r}, and get_ha_status: is the cluster quorate, which HA resources '
        'are on {node!r}?\n'
        '2. get_vms and get_containers with node {node!r} and status running: what must move.\n'
        '3. For each guest, pick a target node with room, and call migrate_vm / migrate_container with '
        'check_mode: true; show me the plan.\n'
        '4. After I agree, migrate them one by one, checking each result before the next.\n'
        '5. Confirm with get_vms and get_containers that nothing runs on {node!r} any more.').format(node=node)


def registry(read: Callable[[str, dict[str, Any]], Any], clusters: tuple[str, str] | None = None) -> MCPServer:
    """The resources and prompts on an MCPServer; ``read(tool_name, arguments)`` runs a tool and returns its
    result (the adapter's, with its policy). clusters: (the default target, the argument naming a target) when
    the server serves several clusters: the resources on a named cluster are registered too."""
    server: MCPServer = MCPServer('pve-ops-resources', warn_on_duplicate_resources=False)

    async def content(uri: str, cluster: str | None = None, **params: str) -> str:
        tool, arguments, _description = RESOURCES[uri]
        args = arguments(**params)
        if cluster is not None and clusters:
            args[clusters[1]] = cluster
        return json.dumps(await read(tool, args), sort_keys=True, default=str)

    async def inventory() -> str:
        return await content('pve://cluster/resources')

    async def vm_config(vmid: str) -> str:
        return await content('pve://vms/{vmid}/config', vmid=vmid)

    async def container_config(vmid: str) -> str:
        return await content('pve://containers/{vmid}/config', vmid=vmid)

    async def task_log(upid: str) -> str:
        return await content('pve://tasks/{upid}/log', upid=upid)

    async def inventory_on(cluster: str) -> str:
        return await content('pve://cluster/resources', cluster)

    async def vm_config_on(cluster: str, vmid: str) -> str:
        return await content('pve://vms/{vmid}/config', cluster, vmid=vmid)

    async def container_config_on(cluster: str, vmid: str) -> str:
        return await content('pve://containers/{vmid}/config', cluster, vmid=vmid)

    async def task_log_on(cluster: str, upid: str) -> str:
        return await content('pve://tasks/{upid}/log', cluster, upid=upid)

    for fn, on, uri in ((inventory, inventory_on, 'pve://cluster/resources'),
                        (vm_config, vm_config_on, 'pve://vms/{vmid}/config'),
                        (container_config, container_config_on, 'pve://containers/{vmid}/config'),
                        (task_log, task_log_on, 'pve://tasks/{upid}/log')):
        description = RESOURCES[uri][2]
        if clusters:
            server.resource(uri, name=fn.__name__, mime_type=JSON,
                            description='{0} On the default cluster, {1}.'.format(description, clusters[0]))(fn)
            server.resource(on_cluster(uri), name=on.__name__, mime_type=JSON,
                            description='{0} On the cluster named.'.format(description))(on)
        else:
            server.resource(uri, name=fn.__name__, description=description, mime_type=JSON)(fn)

    def guide(path: str) -> Callable[[], str]:
        def doc() -> str:
            with open(path, encoding='utf-8') as fh:
                return fh.read()
        return doc

    for name, path in docs().items():
        doc = guide(path)
        server.resource('pve://docs/' + name, name='docs_' + name,
                        description='The pve.ops guide {0}.md.'.format(name), mime_type='text/markdown')(doc)
    server.prompt('provision_vm_from_template', description=PROMPTS['provision_vm_from_template'][1])(
        _prompt_provision)
    server.prompt('investigate_failed_backup', description=PROMPTS['investigate_failed_backup'][1])(_prompt_backup)
    server.prompt('prepare_node_for_maintenance', description=PROMPTS['prepare_node_for_maintenance'][1])(
        _prompt_maintenance)
    return server


def tool_of(uri: str) -> str | None:
    """The tool behind a resource URI or template, on a named cluster or not (None for the docs, which every
    client may read)."""
    uri = split_cluster(uri)[1]
    for template, (tool, _arguments, _description) in RESOURCES.items():
        head, _, tail = template.partition('{')
        rest = tail.partition('}')[2] if tail else ''
        if uri == template or (tail and uri.startswith(head) and uri.endswith(rest) and len(uri) > len(head + rest)):
            return tool
    return None
