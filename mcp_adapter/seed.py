# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The seed's parameter names: hidden aliases of the tools' options, so a client written for the seed's MCP
server (its tool names are ours, ../shared/seed/tools.tsv; its parameter names differ) works unchanged.

The aliases are not in the listed input schemas (they would double them); a call may use them, and they are
mapped to the module's options before the adapter's argument rules run. Giving a seed name and the option it
maps to with different values is an error naming both. What an alias can do:

- ``Rename(option)``: the value goes to ``option`` (``wrap='list'`` makes a one-item list, ``'str'`` text;
  ``extra`` sets other options too unless the caller gave them: the seed's ``update_pool`` adds members);
- ``Spread(option)``: an object of settings (the seed's ``config``); keys that are options of the tool become
  those options, the others stay in ``option`` (``renames`` maps PVE key names to ours); with ``option`` None
  the tool has no such catch-all and other keys are refused;
- ``Unused(reason)``: accepted and not passed on (the module finds it out itself), with a warning in the
  result that says so;
- ``Default(value, reason)``: accepted when it is ``value`` (the behaviour the tool has); another value is
  refused with the reason.
- ``Refused(reason)``: the tool cannot do what the seed's parameter asks; refused with the reason.

``GENERAL`` applies to every tool that offers the target option, ``BY_TOOL`` to one tool (and wins).
"""

from __future__ import annotations

import copy
from collections import namedtuple

Rename = namedtuple('Rename', 'target wrap extra')
Spread = namedtuple('Spread', 'target renames')
Unused = namedtuple('Unused', 'reason')
Default = namedtuple('Default', 'value reason')
Refused = namedtuple('Refused', 'reason')


def rename(target, wrap=None, **extra):
    return Rename(target, wrap, extra)


def spread(target, **renames):
    return Spread(target, renames)


GENERAL = {
    'node_name': rename('node'),
    'container_id': rename('vmid'),
    'task_id': rename('upid'),
    'snap_name': rename('snapname'),
}
_BY_VMID = 'the guest is found by its vmid'
_NOT_FORCE = ('the snapshot is deleted by PVE with its disks; a forced delete that keeps a snapshot in the '
              'configuration when its disk snapshot cannot be removed is not offered')
_BACKUP = {'node_name': Unused('each guest is backed up on the node it is on'),
           'backup_id': Unused('PVE names the archive itself (vzdump-<type>-<vmid>-<time>); the archive is in the '
                               'result')}
BY_TOOL = {
    'clone_vm': {'source_vmid': rename('clone', 'str'), 'new_vmid': rename('vmid'), 'new_name': rename('name')},
    'clone_container': {'source_container_id': rename('clone', 'str'), 'new_container_id': rename('vmid'),
                        'new_hostname': rename('name')},
    'create_container': {'hostname': rename('name')},
    'update_vm_config': {'config': spread('config')},
    'update_container_config': {'config': spread('config', hostname='name')},
    'create_vm_backup': dict(_BACKUP, vmid=rename('vmids', 'list')),
    'create_container_backup': dict(_BACKUP, container_id=rename('vmids', 'list')),
    'delete_vm_snapshot': {'force': Default(False, _NOT_FORCE)},
    'delete_container_snapshot': {'force': Default(False, _NOT_FORCE)},
    'migrate_vm': {'node_name': Unused('the node it is on now: ' + _BY_VMID), 'target_node': rename('node'),
                   'online': Unused('a running VM is migrated online, a stopped one offline')},
    'get_node_logs': {'lines': rename('log_lines')},
    'get_task_log': {'limit': rename('log_lines'),
                     'start': Default(0, 'the log is read from its first line (log_lines caps how many)')},
    'create_firewall_rule': {'direction': rename('type')},
    # A position chooses among the rules the comment or the match fields identify (positions shift: a
    # position alone is refused by the module, before any request).
    'delete_firewall_rule': {'position': rename('pos')},
    'enable_ha_resource': {'state': rename('ha_state')},
    'add_node_to_cluster': {'cluster_name': rename('name'), 'cluster_network': rename('links', 'list')},
    'create_pool': {'members': rename('vms')},
    'update_pool': {'members': rename('vms', append=True),
                    'delete': Default(False, 'to remove members, give the members to keep as vms without append')},
    'create_role': {'privs': rename('privileges')},
    'set_acl': {'role': rename('roles', 'list'), 'userid': rename('users', 'list'),
                'groupid': rename('groups', 'list'), 'tokenid': rename('tokens', 'list')},
    'update_node_config': {'config': spread(None, **{'startall-onboot-delay': 'startall_onboot_delay',
                                                     'ballooning-target': 'ballooning_target'})},
    'create_storage': {'storage': rename('name'), 'storage_type': rename('type'), 'config': spread('options')},
    'update_storage': {'storage': rename('name'), 'config': spread('options')},
    'delete_storage': {'storage': rename('name')},
    'get_storage_info': {'storage': rename('name')},
    'get_storage_content': {'storage': rename('name')},
    'get_storage_quota': {'storage': rename('name')},
    'list_backups': {'storage': rename('name')},
    'delete_backup': {'backup_id': rename('volume')},
    'restore_vm_backup': {'backup_id': rename('archive')},
    'restore_container_backup': {'backup_id': rename('archive')},
    'upload_backup': {'file_path': rename('src'), 'backup_id': rename('name')},
}


def aliases(tool, name=None):
    """The seed names the tool accepts when called by name (default its own; catalogue.SAME_AS gives a tool
    other names), a dict seed name -> Rename / Spread / Unused / Default / Refused."""
    offered = set(tool.input_schema['properties'])
    out = dict((name, alias) for name, alias in GENERAL.items()
               if alias.target in offered and name not in offered)
    if 'node_name' not in out and 'node' not in offered and 'vmid' in offered:
        out['node_name'] = Unused(_BY_VMID)  # a snapshot, console or firewall tool: PVE's path needs the node
    out.update(BY_TOOL.get(name or tool.name, {}))
    return out


def check_aliases(tool, called=None):
    """Why the tool's aliases do not fit its schema (empty when they do; catalogue.load checks this)."""
    offered = set(tool.input_schema['properties'])
    problems = []
    for name, alias in BY_TOOL.get(called or tool.name, {}).items():
        if name in offered and not isinstance(alias, Spread):
            problems.append('seed name {0!r} is also an option of the tool'.format(name))
        targets = []
        if isinstance(alias, (Rename, Spread)) and alias.target is not None:
            targets.append(alias.target)
        if isinstance(alias, Rename):
            targets.extend(alias.extra)
        if isinstance(alias, Spread):
            targets.extend(alias.renames.values())
        problems.extend('seed name {0!r} maps to {1!r}, which the tool does not offer'.format(name, t)
                        for t in targets if t not in offered)
    return problems


def _wrap(value, wrap):
    if wrap == 'list' and not isinstance(value, list):
        return [value]
    if wrap == 'str' and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def translate(tool, arguments, name=None):
    """(arguments with our names, warnings, problems) for a call of the tool (by name, default its own)
    that may use the seed's names."""
    table = aliases(tool, name)
    called = name or tool.name
    used = [name for name in sorted(arguments) if name in table]
    if not used:
        return arguments, [], []
    out = dict((k, v) for k, v in arguments.items() if k not in used)
    offered = set(tool.input_schema['properties'])
    warnings, problems = [], []
    given_by = {}  # our option -> the seed name that set it

    def put(option, value, source):
        if option in out and out[option] != value:
            problems.append('{0} and {1} are both given, with different values ({2!r} and {3!r}): give one'.format(
                source, given_by.get(option, option), value, out[option]))
            return
        out[option] = value
        given_by[option] = source

    for name in used:
        alias, value = table[name], arguments[name]
        if isinstance(alias, Rename):
            put(alias.target, _wrap(copy.deepcopy(value), alias.wrap), name)
            for key, extra in alias.extra.items():
                out.setdefault(key, extra)
        elif isinstance(alias, Spread):
            if not isinstance(value, dict):
                problems.append('{0} must be an object of settings, not {1}'.format(name, type(value).__name__))
                continue
            rest = {}
            for key, item in value.items():
                option = alias.renames.get(key, key)
                if option in offered and option not in tool.fixed and option != alias.target:
                    put(option, copy.deepcopy(item), '{0}.{1}'.format(name, key))
                else:
                    rest[key] = copy.deepcopy(item)
            if rest and alias.target is None:
                problems.append('{0}: {1} {2} not settings of {3}'.format(
                    name, ', '.join(sorted(rest)), 'is' if len(rest) == 1 else 'are', called))
            elif rest:
                put(alias.target, rest, name)
        elif isinstance(alias, Unused):
            warnings.append('{0} is not needed by {1} and was not used: {2}'.format(name, called, alias.reason))
        elif isinstance(alias, Default):
            if value != alias.value:
                problems.append('{0}={1!r} is not supported by {2}: {3}'.format(name, value, called, alias.reason))
        else:
            problems.append('{0} is not supported by {1}: {2}'.format(name, called, alias.reason))
    return out, warnings, problems
