# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalogue: MCP tool name -> pve.ops module, the arguments the tool fixes, and its hints.

One table (``ENTRIES``). A tool is listed only when its module exists in plugins/modules/ and imports;
its input schema and description come from the module's own argument_spec() and DOCUMENTATION
(see schema.py), never written twice. To add a tool, add one line.

Columns of an entry:
  name       the MCP tool name (the seed's verb names, ../shared/seed/tools.tsv, where one exists)
  module     the module under plugins/modules/ (pve.ops.<module>)
  fixed      arguments the tool sets itself (removed from its schema; the caller cannot change them)
  kind       'read' (read-only), 'write' (changes things, recoverable) or 'destructive' (needs confirmation)
  idempotent whether repeating the call with the same arguments changes nothing more
  summary    one sentence for the tool description (the module's DOCUMENTATION follows it)
  require    options the module takes as optional that this tool requires
  hide       options this tool does not offer
"""

from __future__ import annotations

import importlib
import logging
import os
from collections import namedtuple

import yaml

LOG = logging.getLogger('pve_mcp')

COLLECTION = 'pve.ops'
MODULES_PACKAGE = 'ansible_collections.pve.ops.plugins.modules'

Entry = namedtuple('Entry', 'name module fixed kind idempotent summary require hide')


def _e(name, module, fixed=None, kind='read', idempotent=True, summary='', require=(), hide=()):
    return Entry(name, module, dict(fixed or {}), kind, idempotent, summary, tuple(require), tuple(hide))


R, W, D = 'read', 'write', 'destructive'

# fmt: off
ENTRIES = [
    # cluster
    _e('get_cluster_status', 'cluster_info', {'gather': ['status']}, R, summary="Read the cluster's name, quorum and node membership."),
    _e('get_cluster_nodes_status', 'cluster_info', {'gather': ['status']}, R, summary='Read the status entries of the cluster and of each node (online, quorum votes).'),
    _e('get_cluster_resources', 'cluster_info', {'gather': ['resources']}, R, summary='List the cluster resources (guests, storages, nodes, SDN zones), optionally of one type.'),
    _e('get_cluster_version', 'cluster_info', {'gather': ['version']}, R, summary='Read the Proxmox VE API version.'),
    # nodes
    _e('get_nodes', 'node_info', {}, R, summary='List the nodes with their status and usage.', hide=('node', 'gather')),
    _e('get_node_status', 'node_info', {'gather': ['status']}, R, summary="Read one node's status (CPU, memory, uptime, versions).", require=('node',)),
    _e('get_node_dns', 'node_info', {'gather': ['dns']}, R, summary="Read one node's DNS settings.", require=('node',)),
    _e('get_node_info', 'node_info', {}, R, summary="Read one node's status, version, time and DNS.", require=('node',)),
    # tasks
    _e('get_cluster_tasks', 'task_info', {}, R, summary="List the cluster's recent tasks, with filters.", hide=('upid', 'node', 'log_lines')),
    _e('get_node_tasks', 'task_info', {}, R, summary="List one node's tasks, with filters.", require=('node',), hide=('upid', 'log_lines')),
    _e('get_task_status', 'task_info', {'log_lines': 0}, R, summary="Read one task's status by its UPID.", require=('upid',), hide=('node', 'vmid', 'type', 'user', 'errors', 'limit')),
    _e('get_task_log', 'task_info', {}, R, summary="Read one task's status and log by its UPID.", require=('upid',), hide=('node', 'vmid', 'type', 'user', 'errors', 'limit')),
    # virtual machines
    _e('get_vms', 'vm_info', {}, R, summary='List the virtual machines, or read selected ones.'),
    _e('get_vm_status', 'vm_info', {}, R, summary="Read a virtual machine's status and configuration."),
    _e('get_vm_config', 'vm_info', {}, R, summary="Read a virtual machine's configuration."),
    _e('create_vm', 'vm', {'state': 'present'}, W, summary='Create a virtual machine (or clone one from a template) with the given settings.'),
    _e('update_vm_config', 'vm', {'state': 'present'}, W, summary="Change a virtual machine's settings; only what differs is written."),
    _e('start_vm', 'vm', {'state': 'started'}, W, summary='Start a virtual machine (creating it first if it does not exist and settings are given).'),
    _e('shutdown_vm', 'vm', {'state': 'stopped'}, W, summary='Shut a virtual machine down cleanly (ACPI).'),
    _e('stop_vm', 'vm', {'state': 'stopped', 'force': True}, D, summary='Stop a virtual machine immediately, like pulling the plug.'),
    _e('reboot_vm', 'vm', {'state': 'restarted'}, W, idempotent=False, summary='Reboot a virtual machine.'),
    _e('delete_vm', 'vm', {'state': 'absent'}, D, summary='Delete a virtual machine and its disks.'),
    _e('get_vm_console', 'console', {}, R, idempotent=False, summary='Open a console (VNC/terminal proxy ticket) for a guest.'),
    _e('list_vm_snapshots', 'snapshot_info', {}, R, summary='List the snapshots of a guest.'),
    _e('create_vm_snapshot', 'snapshot', {'state': 'present'}, W, summary='Take a snapshot of a guest.'),
    _e('delete_vm_snapshot', 'snapshot', {'state': 'absent'}, D, summary='Delete a snapshot of a guest.'),
    _e('restore_vm_snapshot', 'snapshot', {'state': 'rollback'}, D, idempotent=False, summary='Roll a guest back to a snapshot (its current state is lost).'),
    # containers
    _e('get_containers', 'container_info', {}, R, summary='List the LXC containers, or read selected ones.'),
    _e('get_container_status', 'container_info', {}, R, summary="Read a container's status and configuration."),
    _e('get_container_config', 'container_info', {}, R, summary="Read a container's configuration."),
    _e('create_container', 'container', {'state': 'present'}, W, summary='Create an LXC container with the given settings.'),
    _e('update_container_config', 'container', {'state': 'present'}, W, summary="Change a container's settings; only what differs is written."),
    _e('start_container', 'container', {'state': 'started'}, W, summary='Start a container.'),
    _e('shutdown_container', 'container', {'state': 'stopped'}, W, summary='Shut a container down cleanly.'),
    _e('stop_container', 'container', {'state': 'stopped', 'force': True}, D, summary='Stop a container immediately.'),
    _e('reboot_container', 'container', {'state': 'restarted'}, W, idempotent=False, summary='Reboot a container.'),
    _e('delete_container', 'container', {'state': 'absent'}, D, summary='Delete a container and its volumes.'),
    # access
    _e('list_users', 'user_info', {}, R, summary='List the users, or read one.'),
    _e('create_user', 'user', {'state': 'present'}, W, summary='Create a user.'),
    _e('update_user', 'user', {'state': 'present'}, W, summary="Change a user's settings; only what differs is written."),
    _e('delete_user', 'user', {'state': 'absent'}, D, summary='Delete a user.'),
    _e('list_groups', 'group_info', {}, R, summary='List the groups, or read one.'),
    _e('create_group', 'group', {'state': 'present'}, W, summary='Create or update a group.'),
    _e('delete_group', 'group', {'state': 'absent'}, D, summary='Delete a group.'),
    _e('list_roles', 'role_info', {}, R, summary='List the roles and their privileges.'),
    _e('create_role', 'role', {'state': 'present'}, W, summary='Create or update a role.'),
    _e('delete_role', 'role', {'state': 'absent'}, D, summary='Delete a role.'),
    _e('list_acl', 'acl_info', {}, R, summary='List the access control list entries.'),
    _e('set_acl', 'acl', {'state': 'present'}, W, summary='Grant a role on a path to a user, group or token.'),
    _e('remove_acl', 'acl', {'state': 'absent'}, D, summary='Revoke a role on a path from a user, group or token.'),
    _e('list_api_tokens', 'token_info', {}, R, summary="List a user's API tokens."),
    _e('create_api_token', 'token', {'state': 'present'}, W, summary='Create an API token (its secret is returned once).'),
    _e('delete_api_token', 'token', {'state': 'absent'}, D, summary='Revoke an API token.'),
    _e('list_realms', 'realm_info', {}, R, summary='List the authentication realms.'),
    _e('create_realm', 'realm', {'state': 'present'}, W, summary='Create or update an authentication realm.'),
    _e('delete_realm', 'realm', {'state': 'absent'}, D, summary='Delete an authentication realm.'),
    _e('get_permissions', 'permissions_info', {}, R, summary='Read the effective permissions of a user or token.'),
    # storage
    _e('get_storage', 'storage_info', {}, R, summary='List the storages, or read one.'),
    _e('get_node_storage', 'storage_info', {}, R, summary="List the storages of one node with their usage.", require=('node',)),
    _e('create_storage', 'storage', {'state': 'present'}, W, summary='Create a storage definition.'),
    _e('update_storage', 'storage', {'state': 'present'}, W, summary="Change a storage definition; only what differs is written."),
    _e('delete_storage', 'storage', {'state': 'absent'}, D, summary='Remove a storage definition (the data on it stays).'),
    _e('get_storage_content', 'storage_content_info', {}, R, summary='List the volumes on a storage (images, ISOs, templates, backups).'),
    _e('delete_storage_volume', 'storage_content', {'state': 'absent'}, D, summary='Delete a volume (for example a backup archive) from a storage.'),
    # backup
    _e('create_vm_backup', 'backup', {}, W, idempotent=False, summary='Back up a guest now (vzdump).'),
    _e('restore_vm_backup', 'restore', {}, D, idempotent=False, summary='Restore a guest from a backup archive.'),
    _e('list_backup_jobs', 'backup_job_info', {}, R, summary='List the scheduled backup jobs.'),
    _e('create_backup_job', 'backup_job', {'state': 'present'}, W, summary='Create or update a scheduled backup job.'),
    _e('delete_backup_job', 'backup_job', {'state': 'absent'}, D, summary='Delete a scheduled backup job.'),
]
# fmt: on


def modules_dir():
    """plugins/modules of the installed collection (the working tree in development)."""
    package = importlib.import_module(MODULES_PACKAGE)
    return list(package.__path__)[0]


def module_exists(module):
    return os.path.isfile(os.path.join(modules_dir(), module + '.py'))


class ModuleInfo(object):
    """What the adapter reads from a module: argument_spec(), MODULE_KWARGS, DOCUMENTATION, RETURN."""

    def __init__(self, name):
        self.name = name
        self.fqcn = '{0}.{1}'.format(COLLECTION, name)
        self.python = importlib.import_module('{0}.{1}'.format(MODULES_PACKAGE, name))
        self.argument_spec = self.python.argument_spec()
        self.kwargs = dict(getattr(self.python, 'MODULE_KWARGS', {}) or {})
        self.doc = yaml.safe_load(self.python.DOCUMENTATION) or {}
        self.returns = yaml.safe_load(getattr(self.python, 'RETURN', '') or '') or {}

    def main(self, module_class):
        return self.python.main(module_class=module_class)


class Tool(object):
    """One catalogue entry bound to its module, with its generated schemas."""

    def __init__(self, entry, info):
        from mcp_adapter import schema  # late import: schema imports nothing from here at module level

        self.entry = entry
        self.name = entry.name
        self.module = info
        self.fixed = dict(entry.fixed)
        self.kind = entry.kind
        self.read_only = entry.kind == R
        self.destructive = entry.kind == D
        self.idempotent = entry.idempotent
        problems = check_entry(entry, info)
        if problems:
            raise ValueError('tool {0}: {1}'.format(entry.name, '; '.join(problems)))
        self.input_schema = schema.input_schema(self)
        self.output_schema = schema.output_schema(self)
        self.description = schema.describe(self)
        self.title = entry.summary.rstrip('.') if entry.summary else entry.name

    def __repr__(self):
        return 'Tool({0} -> {1} {2})'.format(self.name, self.module.fqcn, self.fixed)


def check_entry(entry, info):
    """Why an entry does not fit its module (empty when it does)."""
    problems = []
    spec = info.argument_spec
    for key, value in entry.fixed.items():
        if key not in spec:
            problems.append('fixed argument {0!r} is not an option of {1}'.format(key, info.fqcn))
            continue
        choices = spec[key].get('choices')
        values = value if isinstance(value, list) else [value]
        if choices and any(v not in choices for v in values):
            problems.append('fixed {0}={1!r} is not one of {2}'.format(key, value, choices))
    for key in entry.require + entry.hide:
        if key not in spec:
            problems.append('option {0!r} is not an option of {1}'.format(key, info.fqcn))
    return problems


def load(entries=None, strict=False):
    """The tools whose module exists, in table order (a dict name -> Tool).

    A module that is missing is skipped silently (no stubs); one that exists but does not import, or an
    entry that does not fit its module, is skipped with a warning on stderr (``strict=True`` raises).
    """
    tools = {}
    infos = {}
    broken = set()
    for entry in entries if entries is not None else ENTRIES:
        if entry.name in tools:
            raise ValueError('duplicate tool name {0}'.format(entry.name))
        if entry.module in broken or not module_exists(entry.module):
            continue
        try:
            if entry.module not in infos:
                infos[entry.module] = ModuleInfo(entry.module)
        except Exception as exc:  # a module being written right now must not take the server down
            if strict:
                raise
            broken.add(entry.module)
            LOG.warning('module %s skipped (its tools are not offered): %s', entry.module, str(exc).splitlines()[0])
            continue
        try:
            tools[entry.name] = Tool(entry, infos[entry.module])
        except Exception as exc:
            if strict:
                raise
            LOG.warning('tool %s skipped: %s', entry.name, exc)
    return tools


def unmapped_modules(tools=None):
    """Modules in plugins/modules/ that no tool runs (a test keeps this empty)."""
    tools = load() if tools is None else tools
    used = set(t.module.name for t in tools.values())
    present = set(f[:-3] for f in os.listdir(modules_dir()) if f.endswith('.py') and not f.startswith('_'))
    return sorted(present - used)
