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
    list_users,
    require_group_visible,
    require_user_visible,
)
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

# ---------------------------------------------------------------------- groups


def ensure_group(pve):
    p = pve.params
    client = pve.client
    groupid = check_name(p['groupid'], 'groupid', 'group')
    entry = find_group(client, groupid)
    if entry is None:
        require_group_visible(client, groupid)
    current = group_view(entry) if entry else None
    tracker = ChangeTracker(pve.check_mode, before=current or {})
    assumed = []

    if p['state'] == 'absent':
        if current is not None:
            tracker.write(client.delete, 'access', 'groups', groupid,
                          _confirm=lambda lost: find_group(client, groupid) is None)
        return tracker.result(after={}, group=None)

    members = None
    users = {}
    if p['members'] is not None:
        for userid in p['members']:
            check_userid(userid, 'members')
        users = dict((u['userid'], u) for u in list_users(client))
        missing = sorted(set(p['members']) - set(users))
        for userid in missing:
            require_user_visible(client, userid)
        if missing and not pve.check_mode:
            raise errors.InvalidArgumentError('members: no such user {0}'.format(', '.join(missing)), field='members')
        assumed = ['user {0}'.format(u) for u in missing]
        have = set(current['members']) if current else set()
        members = sorted(have | set(p['members'])) if p['append'] else sorted(set(p['members']))

    if current is None:
        after = dict(groupid=groupid, comment=p['comment'] or '', members=members or [])
        tracker.write(client.post, 'access', 'groups', groupid=groupid, comment=p['comment'] or None,
                      _confirm=lambda lost: find_group(client, groupid) is not None)
        add, remove = set(members or []), set()
    else:
        after = dict(current)
        if p['comment'] is not None and p['comment'] != current['comment']:
            after['comment'] = p['comment']
            tracker.write(client.put, 'access', 'groups', groupid, comment=p['comment'])
        add = set(members or []) - set(current['members']) if members is not None else set()
        remove = set(current['members']) - set(members) if members is not None else set()
        if members is not None:
            after['members'] = members
    for what in assumed:
        tracker.assume(what, 'it would be a member')
    for userid in sorted(add):
        tracker.write(client.put, 'access', 'users', userid, groups=groupid, append=1)
    for userid in sorted(remove):
        others = [g for g in sorted((users.get(userid) or {}).get('groups', '').split(',')) if g and g != groupid]
        tracker.write(client.put, 'access', 'users', userid, groups=','.join(others))
    return tracker.result(after=after, group=after)
