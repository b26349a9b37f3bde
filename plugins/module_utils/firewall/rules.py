# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Proxmox VE firewall: rules at a level (cluster, node, VM, container, security group), security groups,
options, aliases and IP sets.

PVE rules have no id, only a position (``pos``) in their list. A rule is identified either by its
``comment`` (a marker the playbook owns: one rule per level has it) or by its match fields (type, action,
macro, source, dest, proto, dport, sport, iface, icmp_type, log). A rule view uses the module option
names (``icmp_type``, ``enable`` as a bool), so what firewall_info returns can be fed back to firewall_rule.

Positions: PVE inserts a new rule on top (position 0); ``PUT rules/{pos} moveto=N`` puts the rule in front
of the one at N (counted before the move), so moving down to position t takes ``moveto=t+1``.
"""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import kind
from ansible_collections.pve.ops.plugins.module_utils.guests.visibility import require_guest
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource

LEVELS = ('cluster', 'node', 'vm', 'container', 'group')
OPTION_LEVELS = ('cluster', 'node', 'vm', 'container')
RULE_TYPES = ('in', 'out', 'forward', 'group')
TYPES_BY_LEVEL = {'cluster': ('in', 'out', 'forward', 'group'), 'node': ('in', 'out', 'forward', 'group'),
                  'group': ('in', 'out', 'forward'), 'vm': ('in', 'out', 'group'),
                  'container': ('in', 'out', 'group')}
ACTIONS = ('ACCEPT', 'DROP', 'REJECT')
LOG_LEVELS = ('emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', 'nolog')
POLICIES = ('ACCEPT', 'REJECT', 'DROP')
# Match fields: the option name -> the API's name.
MATCH_FIELDS = (('type', 'type'), ('action', 'action'), ('macro', 'macro'), ('source', 'source'),
                ('dest', 'dest'), ('proto', 'proto'), ('dport', 'dport'), ('sport', 'sport'), ('iface', 'iface'),
                ('icmp_type', 'icmp-type'), ('log', 'log'))
FIELD_NAMES = tuple(name for name, _api in MATCH_FIELDS)
GROUP_RE = re.compile(r'^[A-Za-z][A-Za-z0-9\-_]+\Z')
GATHER = ('rules', 'options', 'groups', 'aliases', 'ipsets')


def rule_options():
    """The argument_spec of one rule's fields (shared by firewall_rule and security_group's rules)."""
    return dict(
        type=dict(type='str', choices=list(RULE_TYPES), default='in'),
        action=dict(type='str'),
        macro=dict(type='str'),
        source=dict(type='str'),
        dest=dict(type='str'),
        proto=dict(type='str'),
        dport=dict(type='str'),
        sport=dict(type='str'),
        iface=dict(type='str'),
        icmp_type=dict(type='str'),
        log=dict(type='str', choices=list(LOG_LEVELS)),
        enable=dict(type='bool', default=True),
        comment=dict(type='str'),
    )


def target_options():
    """The options that say whose firewall (shared by the firewall modules)."""
    return dict(
        level=dict(type='str', choices=list(LEVELS), default='cluster'),
        node=dict(type='str'),
        vmid=dict(type='int'),
        name=dict(type='str'),
        group=dict(type='str'),
    )


# ------------------------------------------------------------------------------------------- the target


def resolve_target(client, params, levels=LEVELS):
    """Where the firewall is: a dict with level, label, base (path segments of .../firewall) and node,
    vmid, group as they apply. Raises InvalidArgumentError for a missing option, NotFoundError for a
    guest or security group that does not exist."""
    level = params.get('level') or 'cluster'
    if level not in levels:
        raise errors.InvalidArgumentError('level {0} has no such settings; give one of {1}'.format(
            level, ', '.join(levels)), field='level')
    if level == 'cluster':
        return dict(level=level, label='cluster', base=('cluster', 'firewall'))
    if level == 'node':
        if not params.get('node'):
            raise errors.InvalidArgumentError('level node needs node', field='node')
        return dict(level=level, label='node {0}'.format(params['node']), node=params['node'],
                    base=('nodes', params['node'], 'firewall'))
    if level == 'group':
        group = params.get('group')
        if not group:
            raise errors.InvalidArgumentError('level group needs group (the security group name)', field='group')
        if group not in group_names(client):
            raise errors.NotFoundError('no security group {0!r} (create it with pve.ops.security_group)'.format(
                group))
        return dict(level=level, label='security group {0}'.format(group), group=group,
                    base=('cluster', 'firewall', 'groups', group))
    guest_type = 'qemu' if level == 'vm' else 'lxc'
    if params.get('vmid') is None and not params.get('name'):
        raise errors.InvalidArgumentError('level {0} needs vmid or name'.format(level), field='vmid')
    guest = require_guest(client, vmid=params.get('vmid'), name=params.get('name'), guest_type=guest_type)
    vmid = int(guest['vmid'])
    return dict(level=level, label='{0} {1}'.format(kind(guest_type), vmid), node=guest['node'],
                vmid=vmid, base=('nodes', guest['node'], guest_type, vmid, 'firewall'))


def rules_path(target):
    return target['base'] if target['level'] == 'group' else target['base'] + ('rules',)


def target_view(target):
    return dict((k, target[k]) for k in ('level', 'node', 'vmid', 'group') if k in target)


# ---------------------------------------------------------------------------------------------- rules


def rule_view(entry, pos=None):
    """An API rule as a view with the module's option names (absent fields omitted; enable a bool)."""
    view = {}
    for name, api in MATCH_FIELDS:
        if entry.get(api) not in (None, ''):
            view[name] = entry[api]
    view['enable'] = codec.is_true(entry.get('enable'))
    if entry.get('comment'):
        view['comment'] = entry['comment']
    position = entry.get('pos') if pos is None else pos
    if position is not None:
        view['pos'] = int(position)
    return view


def desired_rule(spec):
    """The rule the options describe, as a view (no pos)."""
    view = {}
    for name in FIELD_NAMES:
        value = spec.get(name)
        if value is not None and value != '':
            view[name] = str(value)
    view['type'] = spec.get('type') or 'in'
    view['enable'] = True if spec.get('enable') is None else bool(spec['enable'])
    if spec.get('comment'):
        view['comment'] = spec['comment']
    return view


def _norm(name, value):
    if value is None or value == '':
        return None
    value = str(value)
    if name == 'macro':
        return value.lower()  # PVE stores the macro's own spelling (ssh -> SSH)
    if name == 'log' and value == 'nolog':
        return None
    return value


def same_match(a, b):
    """Whether two rule views have the same match fields."""
    return all(_norm(n, a.get(n)) == _norm(n, b.get(n)) for n in FIELD_NAMES)


def same_rule(a, b):
    """Whether two rule views are the same rule (match fields, enable, comment; not pos)."""
    return same_match(a, b) and bool(a.get('enable')) == bool(b.get('enable')) and \
        (a.get('comment') or None) == (b.get('comment') or None)


def rule_changes(current, desired, keep_comment=False):
    """(PUT arguments, delete list) that turn the current rule view into the desired one."""
    changes, delete = {}, []
    for name, api in MATCH_FIELDS:
        if _norm(name, current.get(name)) == _norm(name, desired.get(name)):
            continue
        if desired.get(name) is None:
            delete.append(api)
        else:
            changes[api] = desired[name]
    if bool(current.get('enable')) != bool(desired.get('enable')):
        changes['enable'] = 1 if desired.get('enable') else 0
    if not keep_comment and (current.get('comment') or None) != (desired.get('comment') or None):
        if desired.get('comment'):
            changes['comment'] = desired['comment']
        else:
            delete.append('comment')
    return changes, delete


def rule_arguments(view):
    """POST arguments for a new rule from a view."""
    args = dict((api, view[name]) for name, api in MATCH_FIELDS if view.get(name) is not None)
    args['enable'] = 1 if view.get('enable') else 0
    if view.get('comment'):
        args['comment'] = view['comment']
    return args


def check_rule(view, level, field_prefix='', groups=None):
    """The checks PVE makes that the module can make before any write (so that check mode can fail too)."""
    rtype, action = view.get('type') or 'in', view.get('action')
    if not action:
        raise errors.InvalidArgumentError('{0}action is required (ACCEPT, DROP, REJECT or, for type group, a '
                                          'security group name)'.format(field_prefix), field=field_prefix + 'action')
    if rtype not in TYPES_BY_LEVEL[level]:
        raise errors.InvalidArgumentError('{0}type {1} is not allowed at level {2} (allowed: {3})'.format(
            field_prefix, rtype, level, ', '.join(TYPES_BY_LEVEL[level])), field=field_prefix + 'type')
    if rtype == 'group':
        if groups is not None and action not in groups:
            raise errors.InvalidArgumentError('{0}action: no security group {1!r}'.format(field_prefix, action),
                                              field=field_prefix + 'action')
    elif action not in ACTIONS:
        raise errors.InvalidArgumentError('{0}action must be one of {1} for a rule of type {2}'.format(
            field_prefix, ', '.join(ACTIONS), rtype), field=field_prefix + 'action')
    elif rtype == 'forward' and action == 'REJECT':
        raise errors.InvalidArgumentError('{0}action REJECT is not allowed on the forward chain'.format(
            field_prefix), field=field_prefix + 'action')
    if view.get('iface'):
        if level == 'group':
            raise errors.InvalidArgumentError('{0}iface is not allowed in security group rules'.format(
                field_prefix), field=field_prefix + 'iface')
        if level in ('vm', 'container') and not re.match(r'^net\d+\Z', view['iface']):
            raise errors.InvalidArgumentError('{0}iface of a guest rule is a network device key (net0, net1, '
                                              '...)'.format(field_prefix), field=field_prefix + 'iface')


def list_rules(client, target):
    """The rules of the target as views, in order (with pos)."""
    return [rule_view(entry, pos) for pos, entry in enumerate(client.get(*rules_path(target)) or [])]


def group_names(client):
    return [g.get('group') for g in client.get('cluster', 'firewall', 'groups') or []]


def _move(tracker, client, target, rules, current_pos, wanted_pos):
    """Move a rule within the (predicted) list ``rules``; returns its new position."""
    last = len(rules) - 1
    wanted_pos = min(wanted_pos, last)
    if wanted_pos == current_pos:
        return current_pos
    moveto = wanted_pos if wanted_pos < current_pos else wanted_pos + 1
    tracker.write(client.put, *(rules_path(target) + (current_pos,)), moveto=moveto)
    rule = rules.pop(current_pos)
    rules.insert(wanted_pos, rule)
    return wanted_pos


def renumber(rules):
    """Give each rule of a (predicted) list its position as ``pos``; returns the list."""
    for pos, rule in enumerate(rules):
        rule['pos'] = pos
    return rules


def find_rules(rules, desired, identify_by):
    if identify_by == 'comment':
        return [r for r in rules if (r.get('comment') or None) == desired.get('comment')]
    return [r for r in rules if same_match(r, desired)]


class Rule(Resource):
    """One rule at a level, found by its comment or its match fields; PVE gives rules positions, not ids."""
    noun = 'rule'

    def read(self):
        p = self.params
        self.identify_by = p['identify_by'] or ('comment' if p['comment'] else 'fields')
        if self.identify_by == 'comment' and not p['comment']:
            raise errors.InvalidArgumentError('identify_by comment needs comment', field='comment')
        if p['pos'] is not None and p['pos'] < 0:
            raise errors.InvalidArgumentError('pos must be 0 or more', field='pos')
        if self.wants_absent() and self.identify_by == 'fields' and not p['action']:
            # checked before any request: a position alone identifies no rule (positions shift)
            raise errors.InvalidArgumentError('state absent without comment needs the rule\'s action (and its other '
                                              'match fields) to identify it{0}'.format(
                                                  '; pos only chooses among the rules they identify'
                                                  if p['pos'] is not None else ''), field='action')
        self.target = resolve_target(self.client, p)
        self.want = desired_rule(p)
        self.rules = list_rules(self.client, self.target)
        self.matches = find_rules(self.rules, self.want, self.identify_by)
        if self.wants_absent() and p['pos'] is not None:
            self.matches = [r for r in self.matches if r['pos'] == p['pos']]
        if len(self.matches) == 1:
            return self.matches[0]
        return {'rules': self.matches} if self.matches else None

    def delete(self, tracker, current):
        for rule in sorted(self.matches, key=lambda r: r['pos'], reverse=True):
            tracker.write(self.client.delete, *(rules_path(self.target) + (rule['pos'],)))

    def desired(self, current):
        desired, target, matches = self.want, self.target, self.matches
        groups = group_names(self.client) if desired.get('type') == 'group' else None
        check_rule(desired, target['level'], groups=groups)
        if len(matches) > 1:
            field = 'comment' if self.identify_by == 'comment' else 'action'
            raise errors.InvalidArgumentError('{0} rules of {1} match (positions {2}); make the {3} unique'.format(
                len(matches), target['label'], ', '.join(str(r['pos']) for r in matches),
                'comment' if self.identify_by == 'comment' else 'rules or give them comments'), field=field)
        return desired

    def create(self, tracker, desired):
        rules, pos = self.rules, self.params['pos']
        tracker.write(self.client.post, *rules_path(self.target), **rule_arguments(desired))
        rules.insert(0, dict(desired))
        return self._at(_move(tracker, self.client, self.target, rules, 0, len(rules) - 1 if pos is None else pos))

    def update(self, tracker, current, desired):
        keep_comment = self.identify_by == 'fields' and self.params['comment'] is None
        if keep_comment and current.get('comment'):
            desired['comment'] = current['comment']
        changes, delete = rule_changes(current, desired, keep_comment=keep_comment)
        if changes or delete:
            if delete:
                changes['delete'] = ','.join(delete)
            tracker.write(self.client.put, *(rules_path(self.target) + (current['pos'],)), **changes)
        self.rules[current['pos']] = dict(desired)
        position = current['pos']
        if self.params['pos'] is not None:
            position = _move(tracker, self.client, self.target, self.rules, position, self.params['pos'])
        return self._at(position)

    def _at(self, position):
        """The rule at ``position`` once the list is numbered again."""
        return renumber(self.rules)[position]

    def result(self, tracker, after):
        base = target_view(self.target)
        if after is None:
            return tracker.result(after={}, rule=None, removed=len(self.matches), **base)
        return tracker.result(after=after if tracker.changed else tracker.before, rule=after, **base)


def ensure_rule(pve):
    """firewall_rule: one rule present (converged, optionally at pos) or absent."""
    return Rule(pve).run()
