# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Groups: read, compare, apply only what differs. Membership is set on the users (PUT /access/users/{userid} with groups)."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.access.common import (
    check_name,
    check_userid,
    find_group,
    group_view,
    list_groups,
    list_users,
    require_group_visible,
    require_user_visible,
)
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource

# ---------------------------------------------------------------------- groups


class Group(Resource):
    """A group; its members are set on the users (PUT /access/users/{userid} with groups)."""
    noun = 'group'

    def read(self):
        self.groupid = check_name(self.params['groupid'], 'groupid', 'group')
        entry = find_group(self.client, self.groupid)
        if entry is None:
            require_group_visible(self.client, self.groupid)
        return group_view(entry) if entry else None

    def delete(self, tracker, current):
        client, groupid = self.client, self.groupid
        tracker.write(client.delete, 'access', 'groups', groupid,
                      _confirm=lambda lost: find_group(client, groupid) is None)

    def desired(self, current):
        """The members asked for (None: leave them), with the users read and those assumed in check mode."""
        p = self.params
        self.assumed = []
        self.users = {}
        if p['members'] is None:
            return None
        for userid in p['members']:
            check_userid(userid, 'members')
        self.users = dict((u['userid'], u) for u in list_users(self.client))
        missing = sorted(set(p['members']) - set(self.users))
        for userid in missing:
            require_user_visible(self.client, userid)
        if missing and not self.check_mode:
            raise errors.InvalidArgumentError('members: no such user {0}'.format(', '.join(missing)), field='members')
        self.assumed = ['user {0}'.format(u) for u in missing]
        have = set(current['members']) if current else set()
        return sorted(have | set(p['members'])) if p['append'] else sorted(set(p['members']))

    def create(self, tracker, desired):
        members = desired
        client, groupid, comment = self.client, self.groupid, self.params['comment']
        tracker.write(client.post, 'access', 'groups', groupid=groupid, comment=comment or None,
                      _confirm=lambda lost: find_group(client, groupid) is not None)
        self._members(tracker, set(members or []), set())
        return dict(groupid=groupid, comment=comment or '', members=members or [])

    def update(self, tracker, current, desired):
        members = desired
        comment = self.params['comment']
        after = dict(current)
        if comment is not None and comment != current['comment']:
            after['comment'] = comment
            tracker.write(self.client.put, 'access', 'groups', self.groupid, comment=comment)
        add = set(members or []) - set(current['members']) if members is not None else set()
        remove = set(current['members']) - set(members) if members is not None else set()
        if members is not None:
            after['members'] = members
        self._members(tracker, add, remove)
        return after

    def _members(self, tracker, add, remove):
        client, groupid = self.client, self.groupid
        for what in self.assumed:
            tracker.assume(what, 'it would be a member')
        for userid in sorted(add):
            tracker.write(client.put, 'access', 'users', userid, groups=groupid, append=1)
        for userid in sorted(remove):
            others = [g for g in sorted((self.users.get(userid) or {}).get('groups', '').split(','))
                      if g and g != groupid]
            tracker.write(client.put, 'access', 'users', userid, groups=','.join(others))


def ensure_group(pve):
    """pve.ops.group: the result dict."""
    return Group(pve).run()


# ---------------------------------------------------------------------- info


def group_facts(pve):
    """pve.ops.group_info: the result dict."""
    groupid = pve.params['groupid']
    groups = [group_view(g) for g in list_groups(pve.client) if not groupid or g.get('groupid') == groupid]
    if groupid and not groups:
        require_group_visible(pve.client, groupid)
    return dict(changed=False, groups=sorted(groups, key=lambda g: g['groupid']))
