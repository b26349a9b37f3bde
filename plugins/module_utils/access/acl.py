# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ACL entries and effective permissions.

An ACL entry is (path, type, ugid, role) with a propagate flag. ``ensure_acl`` compares sets of entries,
so the order in which the API lists them never matters; with ``exclusive`` the path's entries become
exactly the given ones. Removing an entry through which the module's own credentials hold their
permissions is refused unless ``force`` is set (the next call could be locked out).
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.access.common import (
    check_name,
    check_userid,
    find_user,
    list_acl,
    normalize_path,
    own_identity,
    require_acl_visible,
)
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource

KINDS = (('users', 'user'), ('groups', 'group'), ('tokens', 'token'))


def _entries_view(entries):
    return [dict(type=t, ugid=u, roleid=r, propagate=prop) for (t, u, r), prop in sorted(entries.items())]


def _check_members(p):
    for userid in p['users'] or []:
        check_userid(userid, 'users')
    for group in p['groups'] or []:
        check_name(group, 'groups', 'group')
    for token in p['tokens'] or []:
        if '!' not in token:
            raise errors.InvalidArgumentError('tokens: {0!r} must be a full token id such as alice@pve!automation'
                                              .format(token), field='tokens')
        check_userid(token.split('!', 1)[0], 'tokens')
    for role in p['roles']:
        check_name(role, 'roles', 'role')


def _own_holders(client, params):
    """(kind, ugid) pairs through which the module's credentials may hold permissions; None for root@pam."""
    user, token = own_identity(params)
    if user == 'root@pam' and not token:
        return set()
    holders = {('user', user)}
    if token:
        holders.add(('token', token))
    try:
        entry = find_user(client, user)
    except errors.PermissionDeniedError:
        entry = None
    if entry is None:
        # Groups unknown: every group entry may be one we rely on.
        holders.add(('group', '*'))
    else:
        holders.update(('group', g) for g in codec.split_list(entry.get('groups')))
    return holders


def _affects_self(holders, kind, ugid):
    return (kind, ugid) in holders or (kind == 'group' and ('group', '*') in holders)


class Acl(Resource):
    """The ACL entries of one path: always there (maybe empty); ``state`` says whether the given entries are
    present or absent, so both states are an update of the path's entries."""
    noun = 'acl'

    def read(self):
        p = self.params
        self.path = normalize_path(p['path'])
        _check_members(p)
        if not (p['users'] or p['groups'] or p['tokens']) and not (p['exclusive'] and p['state'] == 'present'):
            raise errors.InvalidArgumentError('give at least one of users, groups or tokens', field='users')
        entries = dict(((e['type'], e['ugid'], e['roleid']), e['propagate']) for e in list_acl(self.client)
                       if e['path'] == self.path)
        if not entries:
            require_acl_visible(self.client, self.path)
        return dict(path=self.path, entries=entries)

    def diff_view(self, view):
        return dict(path=self.path, entries=_entries_view(view['entries']))

    def wants_absent(self):
        return False

    def desired(self, current):
        """{(type, ugid, roleid): propagate} the options name."""
        p = self.params
        return dict(((kind, ugid, role), p['propagate']) for key, kind in KINDS for ugid in p[key] or []
                    for role in p['roles'])

    def update(self, tracker, current, desired):
        p, client, path, given, entries = self.params, self.client, self.path, desired, current['entries']
        if p['state'] == 'present':
            add = dict((k, v) for k, v in given.items() if entries.get(k) != v)
            remove = dict((k, v) for k, v in entries.items() if k not in given) if p['exclusive'] else {}
            after = dict(given) if p['exclusive'] else {**entries, **given}
        else:
            add = {}
            remove = dict((k, v) for k, v in entries.items() if k in given)
            after = dict((k, v) for k, v in entries.items() if k not in given)
        if remove and not p['force']:
            holders = _own_holders(client, p)
            mine = sorted('{0} {1} {2}'.format(kind, ugid, role) for (kind, ugid, role) in remove
                          if _affects_self(holders, kind, ugid))
            if mine:
                raise errors.InvalidArgumentError(
                    'refusing to remove ACL entries on {0} through which the module\'s own credentials may hold '
                    'their permissions ({1}); set force: true to remove them anyway'.format(path, '; '.join(mine)),
                    field='force')
        # One request per role and propagate flag, with every user, group and token that needs it.
        for delete, changes in ((True, remove), (False, add)):
            batches = {}
            for (kind, ugid, role), prop in sorted(changes.items()):
                batch = batches.setdefault((role, prop if not delete else None), {'user': [], 'group': [], 'token': []})
                batch[kind].append(ugid)
            for (role, prop), members in sorted(batches.items(), key=lambda item: (item[0][0], str(item[0][1]))):
                tracker.write(client.put, 'access', 'acl', path=path, roles=role,
                              users=','.join(members['user']) or None, groups=','.join(members['group']) or None,
                              tokens=','.join(members['token']) or None,
                              propagate=None if delete else prop, delete=1 if delete else None)
        return dict(path=path, entries=after)

    def result(self, tracker, after):
        view = self.diff_view(after)
        return tracker.result(after=view, acl=view)


def ensure_acl(pve):
    """pve.ops.acl: the result dict."""
    return Acl(pve).run()


# ----------------------------------------------------------------- permissions


def permissions(client, userid=None, path=None):
    """``GET /access/permissions``: {path: sorted privileges}, and {path: {privilege: propagate}}."""
    raw = client.get('access', 'permissions', userid=userid, path=normalize_path(path) if path else None) or {}
    flat = dict((p, sorted(privs)) for p, privs in sorted(raw.items()))
    detail = dict((p, dict((k, codec.is_true(v)) for k, v in sorted(privs.items()))) for p, privs in sorted(raw.items()))
    return flat, detail


# ---------------------------------------------------------------------- info


def acl_facts(pve):
    """pve.ops.acl_info: the result dict."""
    p = pve.params
    path = normalize_path(p['path']) if p['path'] else None
    entries = [e for e in list_acl(pve.client)
               if (path is None or e['path'] == path) and (p['type'] is None or e['type'] == p['type'])
               and (p['ugid'] is None or e['ugid'] == p['ugid']) and (p['roleid'] is None or e['roleid'] == p['roleid'])]
    entries.sort(key=lambda e: (e['path'], e['type'], e['ugid'], e['roleid']))
    if path and not entries:
        require_acl_visible(pve.client, path)
    return dict(changed=False, acl=entries)


# ---------------------------------------------------------------------- info


def permission_facts(pve):
    """pve.ops.permissions_info: the result dict."""
    p = pve.params
    if p['privileges'] is not None and not p['path']:
        raise errors.InvalidArgumentError('privileges needs a path to test them on', field='path')
    user, token = own_identity(p)
    who = p['userid'] or token or user
    path = normalize_path(p['path']) if p['path'] else None
    flat, detail = permissions(pve.client, userid=p['userid'], path=path)
    result = dict(changed=False, userid=who, permissions=flat, propagate=detail)
    if p['privileges'] is not None:
        held = set(flat.get(path) or flat.get(p['path']) or [])
        missing = [priv for priv in p['privileges'] if priv not in held]
        result.update(allowed=not missing, missing=missing)
    return result
