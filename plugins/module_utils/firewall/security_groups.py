# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Security groups: named rule sets at cluster level, reconciled with their rules."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.firewall.rules import (
    GROUP_RE,
    check_rule,
    desired_rule,
    group_names,
    renumber,
    rule_arguments,
    rule_changes,
    rule_view,
    same_rule,
)
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource, listed

# ----------------------------------------------------------------------------------------- security groups


def check_group_name(name, field='name'):
    if not name or not GROUP_RE.match(name) or len(name) > 18:
        raise errors.InvalidArgumentError('{0} {1!r}: a security group name is 2 to 18 characters, a letter then '
                                          'letters, digits, - and _'.format(field, name), field=field)
    return name


def read_group(client, name):
    """A security group's view (name, comment, rules) or None."""
    entry = listed(client.get('cluster', 'firewall', 'groups'), 'group', name)
    if entry is None:
        return None
    rules = [rule_view(entry, pos) for pos, entry in
             enumerate(client.get('cluster', 'firewall', 'groups', name) or [])]
    return dict(name=name, comment=entry.get('comment') or '', rules=rules)


def reconcile_rules(tracker, client, path, current, desired):
    """Make the list of rules at ``path`` exactly ``desired`` (views), position by position."""
    for pos, (have, want) in enumerate(zip(current, desired)):
        if same_rule(have, want):
            continue
        changes, delete = rule_changes(have, want)
        if delete:
            changes['delete'] = ','.join(delete)
        tracker.write(client.put, *(path + (pos,)), **changes)
    count = len(current)
    for want in desired[len(current):]:
        tracker.write(client.post, *path, **rule_arguments(want))
        count += 1
        if count > 1:
            tracker.write(client.put, *(path + (0,)), moveto=count)
    for pos in range(len(current) - 1, len(desired) - 1, -1):
        tracker.write(client.delete, *(path + (pos,)))
    return renumber([dict(r) for r in desired])


class SecurityGroup(Resource):
    """A cluster security group: its comment and, when given, exactly its rules."""
    noun = 'group'

    def read(self):
        self.name = check_group_name(self.params['name'])
        self.path = ('cluster', 'firewall', 'groups', self.name)
        self.current = read_group(self.client, self.name)
        return self.current

    def delete(self, tracker, current):
        # PVE refuses to delete a group that has rules: remove them first, from the last.
        for rule in reversed(current['rules']):
            tracker.write(self.client.delete, *(self.path + (rule['pos'],)))
        tracker.write(self.client.delete, *self.path)

    def desired(self, current):
        """The rules asked for, checked (None: leave them as they are)."""
        if self.params['rules'] is None:
            return None
        desired_rules = []
        names = None
        for index, spec in enumerate(self.params['rules']):
            view = desired_rule(spec)
            if view.get('type') == 'group':
                names = group_names(self.client) if names is None else names
            check_rule(view, 'group', field_prefix='rules[{0}].'.format(index), groups=names)
            desired_rules.append(view)
        return desired_rules

    def create(self, tracker, desired):
        desired_rules = desired
        comment = self.params['comment']
        args = dict(group=self.name)
        if comment:
            args['comment'] = comment
        tracker.write(self.client.post, 'cluster', 'firewall', 'groups', **args)
        rules = reconcile_rules(tracker, self.client, self.path, [], desired_rules or [])
        return dict(name=self.name, comment=comment or '', rules=rules)

    def update(self, tracker, current, desired):
        desired_rules = desired
        comment = self.params['comment']
        after = dict(current)
        if comment is not None and comment != current['comment']:
            tracker.write(self.client.post, 'cluster', 'firewall', 'groups', group=self.name, rename=self.name,
                          comment=comment)
            after['comment'] = comment
        if desired_rules is not None:
            after['rules'] = reconcile_rules(tracker, self.client, self.path, current['rules'], desired_rules)
        return after

    def result(self, tracker, after):
        if after is not None and self.current is not None and not tracker.changed:
            return tracker.result(after=self.current, group=after)
        return tracker.result(after=after or {}, group=after)


def ensure_security_group(pve):
    """security_group: a cluster security group present (comment, optionally its exact rules) or absent."""
    return SecurityGroup(pve).run()
