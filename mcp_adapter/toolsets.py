# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Toolsets: the tools grouped by what they manage, so a client loads only the groups it needs.

Every catalogue tool belongs to one toolset (by its module, a few by their name: the snapshot listings go with
the snapshots, the backup listing and deletion with the backups). A small default set is enabled when none
is chosen; ``--toolsets a,b`` chooses, ``all`` enables every one and ``default`` stands for the default set
(``default,backups``). Toolsets combine with the mode and the allow / deny lists: a tool is offered when its
toolset is enabled and the policy allows it.

Dynamic discovery (``--dynamic-toolsets``): the server starts with the toolsets given (none when none is
given) plus two tools of its own, ``list_toolsets`` and ``enable_toolset``; enabling a toolset adds its tools
for the rest of the server's life and sends ``notifications/tools/list_changed``.
"""

from __future__ import annotations

from collections import OrderedDict

# name -> description (the order is the listing's).
TOOLSETS = OrderedDict([
    ('cluster', 'Cluster status, resources, version, configuration, datacenter options, statistics and alerts.'),
    ('nodes', "Nodes: status, DNS, network, disks, certificates, logs, updates, statistics, settings, power."),
    ('tasks', 'Tasks: list, status, log, cancel.'),
    ('vms', 'Virtual machines: list, read, create, clone, configure, power, migrate, delete, console.'),
    ('containers', 'LXC containers: list, read, create, clone, configure, power, migrate, delete.'),
    ('snapshots', 'Snapshots of VMs and containers: list, take, roll back, delete.'),
    ('backups', 'Backups: run, list, restore, prune, delete, and scheduled backup jobs.'),
    ('storage', 'Storage definitions, their space and content, downloads and volume deletion.'),
    ('access', 'Users, groups, roles, ACLs, API tokens, realms and effective permissions.'),
    ('pools', 'Resource pools and their members.'),
    ('firewall', 'Firewall rules, options, security groups, aliases and IP sets.'),
    ('ha', 'High availability resources, rules and status, and storage replication jobs.'),
    ('network', "Nodes' network interfaces (bridges, bonds, VLANs), staged changes and VLAN setup."),
    ('notifications', 'Notification targets (sendmail, SMTP, Gotify, webhook) and the matchers that route alerts to them.'),
    ('sdn', 'SDN zones, vnets and subnets, reading the SDN configuration and its status, and applying the pending '
             'SDN configuration.'),
])
DEFAULT = ('cluster', 'nodes', 'tasks', 'vms', 'containers', 'snapshots')
ALL, DEFAULT_KEYWORD = 'all', 'default'

_BY_MODULE = {
    'cluster_info': 'cluster', 'cluster_options': 'cluster', 'cluster': 'cluster', 'alert_info': 'cluster', 'node_info': 'nodes',
    'node': 'nodes', 'node_updates': 'nodes', 'node_repository': 'nodes', 'task_info': 'tasks', 'task': 'tasks',
    'vm_info': 'vms', 'vm': 'vms', 'console': 'vms', 'container_info': 'containers', 'container': 'containers',
    'snapshot': 'snapshots', 'backup': 'backups', 'backup_archive': 'backups', 'restore': 'backups', 'backup_prune': 'backups',
    'backup_job': 'backups', 'storage_info': 'storage', 'storage': 'storage', 'storage_content': 'storage',
    'pool_info': 'pools', 'pool': 'pools', 'firewall_info': 'firewall', 'firewall_rule': 'firewall',
    'firewall_options': 'firewall', 'security_group': 'firewall', 'ha_info': 'ha', 'ha_resource': 'ha', 'ha_rule': 'ha',
    'network_info': 'network', 'network_interface': 'network', 'firewall_alias': 'firewall',
    'firewall_ipset': 'firewall', 'notification_info': 'notifications', 'notification_target': 'notifications',
    'notification_matcher': 'notifications', 'replication': 'ha', 'replication_info': 'ha', 'sdn_zone': 'sdn',
    'sdn_apply': 'sdn', 'sdn_info': 'sdn', 'sdn_vnet': 'sdn', 'sdn_subnet': 'sdn',
}
_ACCESS = ('acl', 'user', 'group', 'role', 'token', 'realm', 'permissions')
_BY_TOOL = {'list_vm_snapshots': 'snapshots', 'list_container_snapshots': 'snapshots',
            'list_backups': 'backups', 'delete_backup': 'backups', 'get_node_storage': 'storage'}


def names():
    return list(TOOLSETS)


def of(tool):
    """The toolset of a catalogue tool (a module nobody placed is an error: a test keeps them placed)."""
    if tool.name in _BY_TOOL:
        return _BY_TOOL[tool.name]
    module = tool.module.name
    if module in _BY_MODULE:
        return _BY_MODULE[module]
    if module.split('_')[0] in _ACCESS:
        return 'access'
    raise ValueError('tool {0} (module {1}) is in no toolset: add it to mcp_adapter/toolsets.py'.format(
        tool.name, module))


def parse(values):
    """The toolsets named by a list and/or comma-separated strings (``all``, ``default``), as a set; None
    (nothing given) is the default set. An unknown name is an error naming the toolsets there are."""
    if values is None:
        return set(DEFAULT)
    if isinstance(values, str):
        values = [values]
    chosen = set()
    for value in values:
        for name in (n.strip().lower() for n in str(value).split(',')):
            if not name:
                continue
            if name == ALL:
                chosen.update(TOOLSETS)
            elif name == DEFAULT_KEYWORD:
                chosen.update(DEFAULT)
            elif name in TOOLSETS:
                chosen.add(name)
            else:
                raise ValueError('unknown toolset {0!r}: use {1}, {2} or {3}'.format(
                    name, ', '.join(TOOLSETS), ALL, DEFAULT_KEYWORD))
    return chosen
