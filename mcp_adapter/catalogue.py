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
  summary    what the tool does, in one sentence (its description adds the main caveat, see schema.describe)
  require    options the module takes as optional that this tool requires
  hide       options this tool does not offer
  only       when given, the only options this tool offers (a power tool takes no VM settings)
"""

from __future__ import annotations

import importlib
import logging
import os
from collections import namedtuple

import yaml

from ansible_collections.pve.ops.plugins.plugin_utils.documentation import merged_documentation

LOG = logging.getLogger('pve_mcp')

COLLECTION = 'pve.ops'
MODULES_PACKAGE = 'ansible_collections.pve.ops.plugins.modules'


Entry = namedtuple('Entry', 'name module fixed kind idempotent summary require hide only')


def _e(name, module, fixed=None, kind='read', idempotent=True, summary='', require=(), hide=(), only=()):
    return Entry(name, module, dict(fixed or {}), kind, idempotent, summary, tuple(require), tuple(hide), tuple(only))


R, W, D = 'read', 'write', 'destructive'
# The options a power or lifecycle tool offers (not the whole configuration of the guest), and what it fixes:
# it acts on an existing guest only (create: false) and never changes its settings (update: false).
GUEST = ('vmid', 'name', 'node', 'timeout', 'wait')
EXISTING = {'create': False, 'update': False}
TASK = ('upid',)
NOT_LISTING = ('node', 'vmid', 'type', 'user', 'errors', 'limit')
# What a guest tool that creates, clones or reconfigures does not offer (create_vm creates; the power,
# migration and deletion options belong to their own tools).
NOT_CREATE = ('create', 'clone', 'full', 'migrate', 'force', 'purge')
# A clone takes the clone's identity, placement and labels; its settings change with update_vm_config.
CLONE = GUEST + ('clone', 'full', 'storage', 'pool', 'description', 'tags')
NOT_UPDATE = ('clone', 'full', 'update', 'migrate', 'force', 'purge')
# Container settings PVE takes only when the container is created.
CT_CREATE_ONLY = ('ostemplate', 'password', 'update_password', 'ssh_public_keys')
# The statistics options of the _info modules, offered by the statistics tools only.
STATS = ('timeframe', 'cf')
# The node_info options only the detail subsets (rrd, network, syslog) use.
NODE_DETAIL = ('timeframe', 'cf', 'iface_type', 'log_lines')
# What the node power tools offer, and the node settings update_node_config offers.
NODE_POWER = ('node', 'target', 'force', 'with_local_disks', 'max_workers', 'wait', 'timeout')
# The SSH settings come from the MCP server's environment (PVEOPS_SSH_*), never from an agent.
SSH_OPTIONS = ('ssh_host', 'ssh_port', 'ssh_user', 'ssh_private_key_file', 'ssh_password', 'ssh_known_hosts',
               'ssh_host_key_fingerprint')
NODE_SETTINGS = ('description', 'wakeonlan', 'startall_onboot_delay', 'ballooning_target', 'dns', 'timezone', 'hosts')

# fmt: off
ENTRIES = [
    # cluster
    _e('get_cluster_status', 'cluster_info', {'gather': ['status']}, R, summary="Read the cluster's name and quorum, and the status entry of each node (online, quorum votes).", hide=STATS),
    _e('get_cluster_resources', 'cluster_info', {'gather': ['resources']}, R, summary='List the cluster resources (guests, storages, nodes, SDN zones), optionally of one type.', hide=STATS),
    _e('get_cluster_version', 'cluster_info', {'gather': ['version']}, R, summary='Read the Proxmox VE API version.', hide=STATS),
    _e('get_cluster_config', 'cluster_info', {'gather': ['config', 'options']}, R, summary='Read the cluster configuration (corosync nodes, totem, join information, QDevice) and the datacenter options.', hide=('resource_type',) + STATS),
    _e('get_cluster_stats', 'cluster_info', {'gather': ['stats']}, R, summary='Read CPU, memory, disk and network use and totals per node and for the cluster, now and as series.', hide=('resource_type',)),
    _e('get_alerts', 'alert_info', {}, R, summary='List what needs attention (lost quorum, offline nodes, HA errors, full storages, failed tasks, guests without backup, SMART failures, silent guest agents, subscriptions), each with severity, object and hint.'),
    _e('set_cluster_options', 'cluster_options', {}, W, summary='Set or remove datacenter options (migration network and type, console, keyboard, HA shutdown policy, bandwidth limits, tag style, next-id range).'),
    _e('add_node_to_cluster', 'cluster', {'state': 'present'}, D, summary="Join a standalone node to the connected cluster through the node's own API, with the member's certificate fingerprint verified.", require=('node', 'node_api_host', 'node_password')),
    _e('remove_node_from_cluster', 'cluster', {'state': 'absent'}, D, summary='Remove a node from the cluster configuration.', only=('node', 'name', 'force')),
    # nodes
    _e('get_nodes', 'node_info', {}, R, summary='List the nodes with their status and usage.', hide=('node', 'gather') + NODE_DETAIL),
    _e('get_node_status', 'node_info', {'gather': ['status']}, R, summary="Read one node's status (CPU, memory, uptime, versions).", require=('node',), hide=NODE_DETAIL),
    _e('get_node_dns', 'node_info', {'gather': ['dns']}, R, summary="Read one node's DNS settings.", require=('node',), hide=NODE_DETAIL),
    _e('get_node_info', 'node_info', {}, R, summary="Read one node's status, version, time and DNS (or the subsets in gather).", require=('node',), hide=NODE_DETAIL),
    _e('get_node_stats', 'node_info', {'gather': ['rrd']}, R, summary="Read one node's usage over time (CPU, load, memory, swap, root disk, network) for a timeframe.", require=('node',), hide=('iface_type', 'log_lines')),
    _e('get_node_network', 'node_info', {'gather': ['network']}, R, summary="List one node's network interfaces (bridges, NICs, bonds, VLANs) with their addresses, optionally of one type (iface_type).", require=('node',), hide=('timeframe', 'cf', 'log_lines')),
    _e('get_node_disks', 'node_info', {'gather': ['disks']}, R, summary="List one node's physical disks (model, size, usage, SMART health, wearout).", require=('node',), hide=NODE_DETAIL),
    _e('get_node_cert', 'node_info', {'gather': ['certificates']}, R, summary="Read one node's TLS certificates (subject, issuer, validity, fingerprint, SANs).", require=('node',), hide=NODE_DETAIL),
    _e('get_node_logs', 'node_info', {'gather': ['syslog']}, R, summary="Read the first log_lines lines of one node's system log.", require=('node',), hide=('timeframe', 'cf', 'iface_type')),
    _e('get_node_apt_updates', 'node_info', {'gather': ['apt_updates']}, R, summary="List the package updates pending on one node (needs Sys.Modify on the node).", require=('node',), hide=NODE_DETAIL),
    _e('get_node_config', 'node_info', {'gather': ['config']}, R, summary="Read one node's configuration (description, wake-on-LAN, ACME domains).", require=('node',), hide=NODE_DETAIL),
    _e('reboot_node', 'node', {'state': 'restarted'}, D, idempotent=False, summary='Reboot a node, moving its guests to target first, and wait until it is back and the cluster is quorate.', only=NODE_POWER),
    _e('shutdown_node', 'node', {'state': 'stopped'}, D, summary='Shut a node down, moving its guests to target first.', only=NODE_POWER),
    _e('update_node_config', 'node', {'state': 'present'}, W, summary="Set a node's description, wake-on-LAN address, on-boot delay, ballooning target, DNS, time zone or /etc/hosts.", only=('node',) + NODE_SETTINGS),
    _e('apply_node_updates', 'node_updates', {'state': 'latest'}, D, summary="Install a node's pending package updates over SSH; reports what was upgraded and whether the node needs a reboot (SSH settings from the server's PVEOPS_SSH_* environment).", hide=SSH_OPTIONS),
    _e('set_node_repository', 'node_repository', None, W, summary="Enable a node's standard APT repository (enterprise, no-subscription, test, Ceph Squid), adding it if missing, or disable it with state absent (PVE cannot delete an entry)."),
    # tasks
    _e('get_cluster_tasks', 'task_info', {}, R, summary="List the cluster's recent tasks, with filters.", hide=('upid', 'node', 'log_lines')),
    _e('get_node_tasks', 'task_info', {}, R, summary="List one node's tasks, with filters.", require=('node',), hide=('upid', 'log_lines')),
    _e('get_task_status', 'task_info', {'log_lines': 0}, R, summary="Read one task's status by its UPID.", require=TASK, hide=NOT_LISTING),
    _e('get_task_log', 'task_info', {}, R, summary="Read one task's status and log by its UPID.", require=TASK, hide=NOT_LISTING),
    _e('cancel_task', 'task', {'state': 'stopped'}, D, summary='Stop a running task (a backup, a migration, a start, ...) by its UPID; a task that has stopped is left alone.'),
    # virtual machines
    _e('get_vms', 'vm_info', {}, R, summary='List the virtual machines (filter by vmid, name, node, tags, pool, status), with the details in gather.', hide=STATS),
    _e('get_vm_status', 'vm_info', {'gather': ['status']}, R, summary="Read virtual machines' current status (CPU, memory, uptime, ...).", hide=STATS),
    _e('get_vm_config', 'vm_info', {'gather': ['config', 'pending']}, R, summary="Read virtual machines' configuration (and pending changes).", hide=STATS),
    _e('get_vm_stats', 'vm_info', {'gather': ['rrd']}, R, summary="Read virtual machines' performance statistics over a timeframe."),
    _e('list_vm_snapshots', 'vm_info', {'gather': ['snapshots']}, R, summary='List the snapshots of virtual machines.', hide=STATS),
    _e('create_vm', 'vm', {'state': 'present'}, W, summary='Create a virtual machine with the given settings (or converge an existing one to them).', hide=NOT_CREATE),
    _e('clone_vm', 'vm', {'state': 'present'}, W, summary='Create a virtual machine as a clone of a template or VM.', require=('clone',), only=CLONE),
    _e('update_vm_config', 'vm', {'state': 'present', 'create': False}, W, summary="Change a virtual machine's settings; only what differs is written.", hide=NOT_UPDATE),
    _e('start_vm', 'vm', {'state': 'started', **EXISTING}, W, summary='Start a virtual machine.', only=GUEST),
    _e('shutdown_vm', 'vm', {'state': 'stopped', **EXISTING}, W, summary='Shut a virtual machine down cleanly (ACPI) within the timeout.', only=GUEST),
    _e('stop_vm', 'vm', {'state': 'stopped', 'force': True, **EXISTING}, D, summary='Stop a virtual machine immediately, like pulling the plug.', only=GUEST),
    _e('reboot_vm', 'vm', {'state': 'restarted', **EXISTING}, W, idempotent=False, summary='Reboot a virtual machine (or start it when stopped).', only=GUEST),
    _e('migrate_vm', 'vm', {'migrate': True, **EXISTING}, W, summary='Move a virtual machine to another node (online when it runs).', require=('node',), only=GUEST),
    _e('delete_vm', 'vm', {'state': 'absent', **EXISTING}, D, summary='Delete a virtual machine and its disks.', only=GUEST + ('force', 'purge')),
    _e('get_vm_console', 'console', {}, W, idempotent=False, summary='Get a console ticket (VNC, SPICE or terminal) for a VM or container.'),
    _e('create_vm_snapshot', 'snapshot', {'state': 'present', 'guest_type': 'qemu'}, W, summary='Take a snapshot of a virtual machine.'),
    _e('delete_vm_snapshot', 'snapshot', {'state': 'absent', 'guest_type': 'qemu'}, D, summary='Delete a snapshot of a virtual machine.', hide=('description', 'vmstate', 'start')),
    _e('restore_vm_snapshot', 'snapshot', {'state': 'rollback', 'guest_type': 'qemu'}, D, idempotent=False, summary='Roll a virtual machine back to a snapshot (its current state is lost).', hide=('description', 'vmstate')),
    # containers
    _e('get_containers', 'container_info', {}, R, summary='List the LXC containers (filter by vmid, name, node, tags, pool, status), with the details in gather.', hide=STATS),
    _e('get_container_status', 'container_info', {'gather': ['status']}, R, summary="Read containers' current status.", hide=STATS),
    _e('get_container_config', 'container_info', {'gather': ['config', 'pending']}, R, summary="Read containers' configuration (and pending changes).", hide=STATS),
    _e('get_container_stats', 'container_info', {'gather': ['rrd']}, R, summary="Read containers' performance statistics over a timeframe."),
    _e('list_container_snapshots', 'container_info', {'gather': ['snapshots']}, R, summary='List the snapshots of containers.', hide=STATS),
    _e('create_container', 'container', {'state': 'present'}, W, summary='Create an LXC container with the given settings (or converge an existing one to them).', hide=NOT_CREATE),
    _e('clone_container', 'container', {'state': 'present'}, W, summary='Create a container as a clone of a template or container.', require=('clone',), only=CLONE),
    _e('update_container_config', 'container', {'state': 'present', 'create': False}, W, summary="Change a container's settings; only what differs is written.", hide=NOT_UPDATE + CT_CREATE_ONLY),
    _e('start_container', 'container', {'state': 'started', **EXISTING}, W, summary='Start a container.', only=GUEST),
    _e('shutdown_container', 'container', {'state': 'stopped', **EXISTING}, W, summary='Shut a container down cleanly within the timeout.', only=GUEST),
    _e('stop_container', 'container', {'state': 'stopped', 'force': True, **EXISTING}, D, summary='Stop a container immediately.', only=GUEST),
    _e('reboot_container', 'container', {'state': 'restarted', **EXISTING}, W, idempotent=False, summary='Reboot a container (or start it when stopped).', only=GUEST),
    _e('migrate_container', 'container', {'migrate': True, **EXISTING}, W, summary='Move a container to another node (restart mode when it runs).', require=('node',), only=GUEST),
    _e('delete_container', 'container', {'state': 'absent', **EXISTING}, D, summary='Delete a container and its volumes.', only=GUEST + ('force', 'purge')),
    _e('create_container_snapshot', 'snapshot', {'state': 'present', 'guest_type': 'lxc'}, W, summary='Take a snapshot of a container.', hide=('vmstate',)),
    _e('delete_container_snapshot', 'snapshot', {'state': 'absent', 'guest_type': 'lxc'}, D, summary='Delete a snapshot of a container.', hide=('description', 'vmstate', 'start')),
    _e('restore_container_snapshot', 'snapshot', {'state': 'rollback', 'guest_type': 'lxc'}, D, idempotent=False, summary='Roll a container back to a snapshot (its current state is lost).', hide=('description', 'vmstate')),
    # access
    _e('list_users', 'user_info', {}, R, summary='List the users, or read one.'),
    _e('create_user', 'user', {'state': 'present'}, W, summary="Create a user, or change an existing user's settings (only what differs is written)."),
    _e('change_password', 'user', {'state': 'present', 'update_password': 'always'}, W, summary="Set a user's password.", require=('password',), only=('userid', 'password')),
    _e('delete_user', 'user', {'state': 'absent'}, D, summary='Delete a user.', only=('userid',)),
    _e('list_groups', 'group_info', {}, R, summary='List the groups, or read one.'),
    _e('create_group', 'group', {'state': 'present'}, W, summary='Create a group (or converge an existing one to the settings given).'),
    _e('delete_group', 'group', {'state': 'absent'}, D, summary='Delete a group.', only=('groupid',)),
    _e('list_roles', 'role_info', {}, R, summary='List the roles and their privileges, or read one.'),
    _e('create_role', 'role', {'state': 'present'}, W, summary='Create a role (or converge an existing one to the privileges given).'),
    _e('delete_role', 'role', {'state': 'absent'}, D, summary='Delete a role.', only=('roleid',)),
    _e('list_acl', 'acl_info', {}, R, summary='List the access control list entries.'),
    _e('set_acl', 'acl', {'state': 'present'}, W, summary='Grant roles on a path to users, groups or tokens.'),
    _e('remove_acl', 'acl', {'state': 'absent'}, D, summary='Revoke roles on a path from users, groups or tokens.'),
    _e('list_api_tokens', 'token_info', {}, R, summary="List API tokens (of one user, or all)."),
    _e('create_api_token', 'token', {'state': 'present'}, W, summary='Create an API token (its secret is returned once).'),
    _e('delete_api_token', 'token', {'state': 'absent'}, D, summary='Revoke an API token.', only=('userid', 'tokenid')),
    _e('list_realms', 'realm_info', {}, R, summary='List the authentication realms.'),
    _e('create_realm', 'realm', {'state': 'present'}, W, summary='Create an authentication realm (or converge an existing one).'),
    _e('delete_realm', 'realm', {'state': 'absent'}, D, summary='Delete an authentication realm.', only=('realm', 'type')),
    _e('get_permissions', 'permissions_info', {}, R, summary='Read the effective permissions of a user or token.'),
    # storage
    _e('get_storage', 'storage_info', {'gather': ['config']}, R, summary='List the storage definitions, or read one.', hide=('node', 'content', 'vmid')),
    _e('get_storage_info', 'storage_info', {}, R, summary='Read storages: definition, space per node and (with gather: content) their volumes.'),
    _e('get_node_storage', 'storage_info', {'gather': ['status']}, R, summary="List the storages of one node with their usage.", require=('node',), hide=('content', 'vmid')),
    _e('get_storage_quota', 'storage_info', {'gather': ['status']}, R, summary='Read the space of a storage per node: total, used, available and the used fraction.', require=('name',), hide=('content', 'vmid')),
    _e('get_storage_content', 'storage_info', {'gather': ['content']}, R, summary='List the volumes on a storage (images, ISOs, templates, backups).', require=('name',)),
    _e('list_backups', 'storage_info', {'gather': ['content'], 'content': 'backup'}, R, summary='List the backup archives on a storage (optionally of one guest).', require=('name',)),
    _e('create_storage', 'storage', {'state': 'present'}, W, summary='Create a storage definition, or change an existing one (only what differs is written).'),
    _e('delete_storage', 'storage', {'state': 'absent'}, D, summary='Remove a storage definition (the data on it stays).', only=('name',)),
    _e('download_to_storage', 'storage_content', {'state': 'present'}, W, summary='Download a file from a URL onto a storage (ISO, container template, ...).', require=('url', 'content'), hide=('src',)),
    _e('delete_backup', 'storage_content', {'state': 'absent', 'content': 'backup'}, D, summary='Delete a backup archive from a storage.', only=('storage', 'node', 'volume', 'force', 'timeout'), require=('volume',)),
    _e('delete_storage_volume', 'storage_content', {'state': 'absent'}, D, summary='Delete a volume (ISO, template, backup, ...) from a storage.', only=('storage', 'node', 'volume', 'content', 'force', 'timeout'), require=('volume',)),
    # backup
    _e('create_vm_backup', 'backup', {'guest_type': 'qemu'}, W, idempotent=False, summary='Back up virtual machines now (vzdump).'),
    _e('create_container_backup', 'backup', {'guest_type': 'lxc'}, W, idempotent=False, summary='Back up containers now (vzdump).'),
    _e('restore_vm_backup', 'restore', {'force': False, 'guest_type': 'qemu'}, W, idempotent=True, summary='Restore a virtual machine from a backup archive as a new guest (fails when the vmid is taken, unless skip_existing leaves that guest alone).'),
    _e('restore_container_backup', 'restore', {'force': False, 'guest_type': 'lxc'}, W, idempotent=True, summary='Restore a container from a backup archive as a new guest (fails when the vmid is taken, unless skip_existing leaves that guest alone).'),
    _e('upload_backup', 'backup_archive', {'state': 'present', 'force': False}, W, summary="Copy a vzdump archive from the MCP server's machine onto a backup storage over SFTP (checksum verified on the node) so it can be restored; an archive of that name with other content is refused (SSH settings from the server's PVEOPS_SSH_* environment).", hide=SSH_OPTIONS + ('timeout',)),
    _e('restore_backup_over_guest', 'restore', {'force': True}, D, idempotent=False, summary='Restore a backup archive over an existing, stopped guest (its current disks are lost).', hide=('skip_existing',)),
    _e('prune_backups', 'backup_prune', {}, D, summary='Delete the backups that fall outside the retention rules.'),
    _e('create_backup_job', 'backup_job', {'state': 'present'}, W, summary='Create a scheduled backup job, or change an existing one (only what differs is written).'),
    _e('delete_backup_job', 'backup_job', {'state': 'absent'}, D, summary='Delete a scheduled backup job.', only=('id',)),
    # pools
    _e('list_pools', 'pool_info', {}, R, summary='List the resource pools (id and comment).', hide=('poolid', 'type')),
    _e('get_pool', 'pool_info', {}, R, summary='Read one resource pool with its members (guests and storages).', require=('poolid',), hide=('type',)),
    _e('get_pool_members', 'pool_info', {}, R, summary="List the members of one resource pool (guests and storages, with type, node and status), optionally of one type.", require=('poolid',)),
    _e('create_pool', 'pool', {'state': 'present'}, W, summary="Create a resource pool with its members, or change an existing pool's comment or members (only what differs is written).", hide=('force',)),
    _e('delete_pool', 'pool', {'state': 'absent'}, D, summary='Delete a resource pool (with force, its members are removed first; the guests and storages stay).', only=('poolid', 'force')),
    # firewall
    _e('get_firewall_rules', 'firewall_info', {'gather': ['rules', 'options']}, R, summary='Read the firewall rules and options of the cluster, or of a node, VM, container or security group (level).'),
    _e('list_firewall_rules', 'firewall_info', {'gather': ['rules']}, R, summary='List the firewall rules, in order, of the cluster or of a node, VM, container or security group (level).'),
    _e('get_vm_firewall_rules', 'firewall_info', {'level': 'vm', 'gather': ['rules', 'options']}, R, summary="Read a virtual machine's firewall rules and options.", hide=('node', 'group')),
    _e('get_security_groups', 'firewall_info', {'gather': ['groups']}, R, summary='List the cluster firewall security groups with their rules.', hide=('level', 'node', 'vmid', 'name', 'group')),
    _e('create_firewall_rule', 'firewall_rule', {'state': 'present'}, W, summary='Add a firewall rule (or converge the one with the same comment marker or match fields, and its position).'),
    _e('delete_firewall_rule', 'firewall_rule', {'state': 'absent'}, D, summary='Remove the firewall rule(s) with this comment marker, or with these match fields (with pos, only the one at that position).', hide=('enable',)),
    _e('set_firewall_options', 'firewall_options', {}, W, summary='Enable or disable the firewall of the cluster, a node, a VM or a container, and set its default policies and options.'),
    _e('create_security_group', 'security_group', {'state': 'present'}, W, summary='Create a cluster firewall security group, optionally with its exact list of rules (or converge an existing one).'),
    _e('delete_security_group', 'security_group', {'state': 'absent'}, D, summary='Delete a cluster firewall security group and its rules.', only=('name',)),
    # network
    _e('get_node_network_config', 'network_info', {}, R, summary="Read one node's network interfaces as staged, and the changes PVE has staged and not applied."),
    _e('update_network_interface', 'network_interface', {'state': 'present'}, W, summary="Create or change a node's bridge, bond, VLAN interface or NIC settings (staged; applied with apply)."),
    _e('delete_network_interface', 'network_interface', {'state': 'absent'}, D, summary="Remove a bridge, bond or VLAN interface from a node's network configuration (staged; applied with apply).", only=('node', 'iface', 'apply', 'force', 'timeout')),
    _e('revert_network_changes', 'network_interface', {'state': 'reverted'}, D, summary="Drop a node's staged network changes that are not applied (PVE's interfaces.new); a dry run shows the changes it would drop.", only=('node',)),
    _e('get_vlan_config', 'network_info', {'gather': ['vlans']}, R, summary="Read one node's VLAN interfaces and VLAN-aware bridges, and the cluster's SDN VLAN zones and vnets.", hide=('gather', 'type')),
    _e('create_vlan', 'network_interface', {'state': 'present', 'type': 'vlan'}, W, summary='Create a VLAN interface <raw device>.<vlan id> on a node, or converge it (staged; applied with apply).', require=('vlan_id', 'vlan_raw_device'), only=('node', 'vlan_id', 'vlan_raw_device', 'cidr', 'gateway', 'comments', 'apply', 'timeout')),
    _e('delete_vlan', 'network_interface', {'state': 'absent', 'type': 'vlan'}, D, summary='Remove the VLAN interface <raw device>.<vlan id> from a node (staged; applied with apply).', require=('vlan_id', 'vlan_raw_device'), only=('node', 'vlan_id', 'vlan_raw_device', 'apply', 'timeout')),
    _e('set_firewall_alias', 'firewall_alias', {'state': 'present'}, W, summary='Create or change a firewall alias (a name for an address or network) of the cluster or a guest.'),
    _e('delete_firewall_alias', 'firewall_alias', {'state': 'absent'}, D, summary='Remove a firewall alias of the cluster or a guest.', only=('alias', 'level', 'vmid', 'guest')),
    _e('set_firewall_ipset', 'firewall_ipset', {'state': 'present'}, W, summary='Create or change a firewall IP set of the cluster or a guest, optionally with its exact entries.'),
    _e('delete_firewall_ipset', 'firewall_ipset', {'state': 'absent'}, D, summary='Remove a firewall IP set of the cluster or a guest with its entries.', only=('ipset', 'level', 'vmid', 'guest')),
    # sdn
    _e('set_sdn_zone', 'sdn_zone', {'state': 'present'}, W, summary='Create or change an SDN zone (simple, vlan, qinq, vxlan or evpn) in the pending SDN configuration.'),
    _e('delete_sdn_zone', 'sdn_zone', {'state': 'absent'}, D, summary='Remove an SDN zone from the pending SDN configuration.', only=('zone',)),
    _e('set_sdn_vnet', 'sdn_vnet', {'state': 'present'}, W, summary="Create or change an SDN vnet (a zone's virtual network, a bridge for guest NICs once applied) in the pending SDN configuration."),
    _e('delete_sdn_vnet', 'sdn_vnet', {'state': 'absent'}, D, summary='Remove an SDN vnet (without subnets) from the pending SDN configuration.', only=('vnet',)),
    _e('set_sdn_subnet', 'sdn_subnet', {'state': 'present'}, W, summary='Create or change a subnet of an SDN vnet (gateway, SNAT, DHCP ranges) in the pending SDN configuration.'),
    _e('delete_sdn_subnet', 'sdn_subnet', {'state': 'absent'}, D, summary='Remove a subnet of an SDN vnet from the pending SDN configuration.', only=('vnet', 'subnet')),
    _e('apply_sdn', 'sdn_apply', {}, W, summary='Apply the pending SDN configuration to the nodes (a dry run shows what would change).'),
    _e('list_sdn', 'sdn_info', {}, R, summary='List the SDN zones, vnets and subnets as configured, what applying would change, the PVE IPAM entries and the zone status per node (gather).'),
    # ha
    _e('get_ha_status', 'ha_info', {}, R, summary='Read the high availability resources and the HA status (quorum, CRM master, LRM per node, service states).'),
    _e('enable_ha_resource', 'ha_resource', {'state': 'present'}, W, summary='Put a guest under high availability, or change its HA requested state, restart and relocate limits or comment.'),
    _e('disable_ha_resource', 'ha_resource', {'state': 'absent'}, D, summary='Remove a guest from high availability; the guest itself is not touched (it keeps running or stays stopped).', only=('sid', 'vmid', 'name')),
    _e('set_ha_rule', 'ha_rule', {'state': 'present'}, W, summary='Create or change an HA rule: node affinity (where HA resources run) or resource affinity (HA resources together or apart).'),
    _e('delete_ha_rule', 'ha_rule', {'state': 'absent'}, D, summary='Remove an HA rule; its HA resources stay under HA.', only=('name',)),
    # notifications
    _e('list_notification_targets', 'notification_info', {'gather': ['targets']}, R, summary='List the notification targets (sendmail, SMTP, Gotify, webhook) with their options; no secret is shown.', hide=('gather',)),
    _e('list_notification_matchers', 'notification_info', {'gather': ['matchers']}, R, summary='List the notification matchers: which notifications (severity, type, node, time) go to which targets.', hide=('gather', 'type')),
    _e('set_notification_target', 'notification_target', {'state': 'present'}, W, summary='Create or change a notification target (sendmail, SMTP, Gotify or webhook) that alerts are sent to.'),
    _e('delete_notification_target', 'notification_target', {'state': 'absent'}, D, summary='Remove a notification target; a matcher still routing to it must be changed first.', only=('name',)),
    _e('set_notification_matcher', 'notification_matcher', {'state': 'present'}, W, summary='Create or change a notification matcher: which notifications go to which targets.'),
    _e('list_replication_jobs', 'replication_info', {}, R, summary='List the storage replication jobs (guest, target node, schedule, rate), optionally with their status per node.'),
    _e('set_replication_job', 'replication', {'state': 'present'}, W, summary="Create or change the storage replication job of a guest to a target node (disks on ZFS pools only)."),
    _e('delete_replication_job', 'replication', {'state': 'absent'}, D, summary='Remove the replication job of a guest to a target node; PVE removes the replicated volumes on the target.', only=('vmid', 'target')),
    _e('delete_notification_matcher', 'notification_matcher', {'state': 'absent'}, D, summary='Remove a notification matcher; its targets stay.', only=('name',)),
]
# fmt: on
# Tools that are the same call as another one: served under both names (a client written for the seed calls
# them), listed once.
SAME_AS = {
    'get_cluster_nodes_status': 'get_cluster_status',
    'get_network_interfaces': 'get_node_network',
    'update_user': 'create_user',
    'update_storage': 'create_storage',
    'update_backup_job': 'create_backup_job',
    'update_pool': 'create_pool',
    'update_vlan': 'create_vlan',
}


def resolve(tools, name):
    """The Tool a tool name calls (its own, or the one it is the same call as), or None."""
    return tools.get(name) or tools.get(SAME_AS.get(name, ''))


def modules_dir():
    """plugins/modules of the installed collection (the working tree in development)."""
    package = importlib.import_module(MODULES_PACKAGE)
    return list(package.__path__)[0]


def module_exists(module):
    return os.path.isfile(os.path.join(modules_dir(), module + '.py'))


class ModuleInfo:
    """What the adapter reads from a module: argument_spec(), MODULE_KWARGS, DOCUMENTATION, RETURN."""

    def __init__(self, name):
        self.name = name
        self.fqcn = '{0}.{1}'.format(COLLECTION, name)
        self.python = importlib.import_module('{0}.{1}'.format(MODULES_PACKAGE, name))
        self.argument_spec = self.python.argument_spec()
        self.kwargs = dict(getattr(self.python, 'MODULE_KWARGS', {}) or {})
        self.doc = merged_documentation(self.python.DOCUMENTATION)
        self.returns = yaml.safe_load(getattr(self.python, 'RETURN', '') or '') or {}

    def main(self, module_class):
        return self.python.main(module_class=module_class)


class Tool:
    """One catalogue entry bound to its module, with its generated schemas."""

    def __init__(self, entry, info):
        from mcp_adapter import schema, seed  # late import: they import nothing from here at module level

        self.entry = entry
        self.name = entry.name
        self.module = info
        self.fixed = dict(entry.fixed)
        self.kind = entry.kind
        self.read_only = entry.kind == R
        self.destructive = entry.kind == D
        self.idempotent = entry.idempotent
        self.hidden = set(entry.hide)
        if entry.only:
            self.hidden |= set(k for k in info.argument_spec if k not in entry.only)
        problems = check_entry(entry, info)
        if problems:
            raise ValueError('tool {0}: {1}'.format(entry.name, '; '.join(problems)))
        self.input_schema = schema.input_schema(self)
        self.output_schema = schema.output_schema(self)
        self.description = schema.describe(self)
        problems = seed.check_aliases(self) + [p for other, same in SAME_AS.items() if same == self.name
                                               for p in seed.check_aliases(self, other)]
        if problems:
            raise ValueError('tool {0}: {1}'.format(entry.name, '; '.join(problems)))
        self.title = schema.title(self)

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
    for key in entry.require + entry.hide + entry.only:
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
    from mcp_adapter import schema
    schema.share_descriptions(tools)
    return tools


def unmapped_modules(tools=None):
    """Modules in plugins/modules/ that no tool runs (a test keeps this empty)."""
    tools = load() if tools is None else tools
    used = set(t.module.name for t in tools.values())
    present = set(f[:-3] for f in os.listdir(modules_dir()) if f.endswith('.py') and not f.startswith('_'))
    return sorted(present - used)
