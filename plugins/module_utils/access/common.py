# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Access control, shared part: reading users, groups, roles and ACLs as plain views, and who we are.

Reads use the list endpoints (``GET /access/users?full=1``, ``/access/groups``, ``/access/roles``,
``/access/acl``): PVE answers a missing object's own path with a 500 whose only sign is its text, and
pve.ops never matches English error strings. The reconcile logic lives in access_users.py (users,
groups, tokens), access_roles.py (roles, realms) and access_acl.py (ACLs, permissions).
"""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.privileges import holds, require_visible
from ansible_collections.pve.ops.plugins.module_utils.resource import listed

USERID_RE = re.compile(r'^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$')
TOKEN_NAME_RE = re.compile(r'^[A-Za-z][A-Za-z0-9.\-_]+$')
NAME_RE = re.compile(r'^[A-Za-z0-9.\-_]+$')


def check_userid(userid, field='userid'):
    if not userid or not USERID_RE.match(userid):
        raise errors.InvalidArgumentError(
            '{0} must be a realm-qualified user id such as alice@pve (got {1!r})'.format(field, userid), field=field)
    return userid


def check_name(value, field, what):
    if not value or not NAME_RE.match(value):
        raise errors.InvalidArgumentError(
            '{0} {1!r} may only contain letters, digits, ".", "-" and "_"'.format(what, value), field=field)
    return value


def normalize_path(path, field='path'):
    """An ACL path as PVE stores it (one slash each, no trailing slash), or InvalidArgumentError."""
    text = re.sub('/+', '/', str(path or '')).rstrip('/') or '/'
    if not text.startswith('/'):
        text = '/' + text
    if not path or not re.match(r'^[A-Za-z0-9./_-]+$', text):
        raise errors.InvalidArgumentError('{0} {1!r} is not an ACL path such as /vms/100 or /pool/demo'.format(
            field, path), field=field)
    return text


# ----------------------------------------------------------------------- reads


def user_view(entry):
    """A user of ``GET /access/users?full=1`` as pve.ops shows it (groups and token ids as sorted lists)."""
    view = dict(
        userid=entry['userid'],
        enable=codec.is_true(entry.get('enable'), True),
        expire=int(entry.get('expire') or 0),
        firstname=entry.get('firstname') or '',
        lastname=entry.get('lastname') or '',
        email=entry.get('email') or '',
        comment=entry.get('comment') or '',
        keys=entry.get('keys') or '',
        groups=sorted(codec.split_list(entry.get('groups'))),
        tokens=sorted(t.get('tokenid') for t in (entry.get('tokens') or []) if t.get('tokenid')),
    )
    if entry.get('realm-type'):
        view['realm_type'] = entry['realm-type']
    return view


def list_users(client, enabled=None):
    """Every user the credentials may see, as raw entries (with groups and tokens)."""
    return client.get('access', 'users', full=1, enabled=enabled) or []


def find_user(client, userid):
    """The raw entry of one user, or None."""
    return listed(list_users(client), 'userid', userid)


def require_user_visible(client, userid, groups=None, creating=False):
    """A user GET /access/users does not list may exist unseen: it lists every user only to credentials with
    User.Modify or Sys.Audit on /access/groups (and the users of the groups they hold them on). Unless these
    do, NotVisibleError; to create a user in ``groups`` User.Modify on each of them is enough (PVE refuses a
    user that exists)."""
    if groups and all(holds(client, '/access/groups/' + g, ('User.Modify',)) for g in groups):
        return
    also = None
    if creating:
        also = 'creating it needs Realm.AllocateUser on /access/realm/{0} and User.Modify on {1}'.format(
            userid.rpartition('@')[2], ' and '.join('/access/groups/' + g for g in groups) if groups
            else '/access/groups')
    require_visible(client, 'user {0} exists'.format(userid), '/access/groups', ('User.Modify', 'Sys.Audit'),
                    also=also)


def require_group_visible(client, groupid):
    """GET /access/groups lists a group to credentials with User.Modify, Sys.Audit or Group.Allocate on it."""
    require_visible(client, 'group {0} exists'.format(groupid), '/access/groups/' + groupid,
                    ('User.Modify', 'Sys.Audit', 'Group.Allocate'))


def require_acl_visible(client, path):
    """GET /access/acl lists a path's entries to credentials with Sys.Audit on /access, or that may modify the
    permissions of the path (PVE's check_perm_modify: Permissions.Modify, or the object's own Allocate)."""
    if getattr(client, 'identity', None) == 'root@pam' or holds(client, '/access', ('Sys.Audit',)):
        return
    extra = {'storage': 'Datastore.Allocate', 'vms': 'VM.Allocate', 'pool': 'Pool.Allocate'}.get(
        path.strip('/').split('/')[0]) if path.count('/') > 1 else None
    require_visible(client, 'there are ACL entries on ' + path, path,
                    ('Permissions.Modify',) + ((extra,) if extra else ()))


def token_view(userid, entry):
    tokenid = entry['tokenid']
    return dict(userid=userid, tokenid=tokenid, full_tokenid='{0}!{1}'.format(userid, tokenid),
                privsep=codec.is_true(entry.get('privsep'), True), expire=int(entry.get('expire') or 0),
                comment=entry.get('comment') or '')


def group_view(entry):
    return dict(groupid=entry['groupid'], comment=entry.get('comment') or '',
                members=sorted(codec.split_list(entry.get('users'))))


def list_groups(client):
    return client.get('access', 'groups') or []


def find_group(client, groupid):
    return listed(list_groups(client), 'groupid', groupid)


def role_view(entry):
    return dict(roleid=entry['roleid'], privileges=sorted(codec.split_list(entry.get('privs'))),
                special=codec.is_true(entry.get('special')))


def list_roles(client):
    return client.get('access', 'roles') or []


def find_role(client, roleid):
    return listed(list_roles(client), 'roleid', roleid)


def acl_view(entry):
    return dict(path=entry['path'], type=entry['type'], ugid=entry['ugid'], roleid=entry['roleid'],
                propagate=codec.is_true(entry.get('propagate'), True))


def list_acl(client):
    return [acl_view(e) for e in client.get('access', 'acl') or []]


# ------------------------------------------------------------------- identity


def own_identity(params):
    """(userid, full token id or None) of the module's own credentials."""
    user = params.get('api_user')
    token = params.get('api_token_id')
    if token and '!' in token:
        user, token = token.split('!', 1)
    if token:
        return user, '{0}!{1}'.format(user, token)
    return user, None
