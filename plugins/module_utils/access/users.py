# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Users: read, compare, apply only what differs (never in check mode).

Group membership is a property of the user in PVE (``PUT /access/users/{userid}`` with ``groups``), so
both the user and the group reconcilers change it there. Passwords go through ``PUT /access/password``
and are never part of a view, a diff or an error (the diff shows them as markers, ``ChangeTracker.secret``).
"""

from __future__ import annotations

import time

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.access.common import (
    check_name,
    check_userid,
    find_user,
    own_identity,
    require_user_visible,
    user_view,
)
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

USER_FIELDS = ('enable', 'expire', 'firstname', 'lastname', 'email', 'comment', 'keys')


def _wire_user_fields(desired):
    out = {}
    for key in USER_FIELDS:
        if key in desired:
            value = desired[key]
            out[key] = codec.wire(value)
    return out


def _password_works(client, userid, password):
    """True if PVE accepts the password for userid (a ticket request: it changes nothing)."""
    try:
        client.post('access', 'ticket', username=userid, password=password, _idempotent=False)
        return True
    except errors.AuthenticationError:
        return False


# ----------------------------------------------------------------------- users


def ensure_user(pve):
    p = pve.params
    client = pve.client
    userid = check_userid(p['userid'])
    entry = find_user(client, userid)
    if entry is None:
        present = p['state'] == 'present'
        require_user_visible(client, userid, p['groups'] if present else None, creating=present)
    current = user_view(entry) if entry else None
    before = _public(current)
    tracker = ChangeTracker(pve.check_mode, before=before)

    if p['state'] == 'absent':
        if current is None:
            return tracker.result(after={}, user=None)
        own_user = own_identity(p)[0]
        if userid == 'root@pam' and not p['force']:
            raise errors.InvalidArgumentError('refusing to delete root@pam, the superuser (set force: true to do it '
                                              'anyway)', field='userid')
        if userid == own_user and not p['force']:
            raise errors.InvalidArgumentError(
                'refusing to delete {0}: the module authenticates as this user (set force: true to do it '
                'anyway)'.format(userid), field='userid')
        tracker.write(client.delete, 'access', 'users', userid,
                      _confirm=lambda lost: find_user(client, userid) is None)
        return tracker.result(after={}, user=None)

    for group in p['groups'] or []:
        check_name(group, 'groups', 'group')
    desired = {}
    for key in USER_FIELDS:
        if p.get(key) is not None:
            desired[key] = p[key]
    password = p.get('password')
    if password is not None and len(password) < 8:
        raise errors.InvalidArgumentError('password must be at least 8 characters long (PVE minimum)',
                                          field='password')

    if current is None:
        groups = sorted(set(p['groups'] or []))
        after = dict(_public(user_view(dict(userid=userid))), **desired)
        after['groups'] = groups
        args = _wire_user_fields(desired)
        if groups:
            args['groups'] = ','.join(groups)
        tracker.write(client.post, 'access', 'users', userid=userid, password=password, **args,
                      _confirm=lambda lost: find_user(client, userid) is not None)
        if password is not None:
            tracker.secret('password', None, '(set)')
        return tracker.result(after=after, user=after)

    changes = dict((k, v) for k, v in desired.items() if current.get(k) != v)
    groups = None
    if p['groups'] is not None:
        wanted = set(p['groups'])
        groups = sorted(wanted | set(current['groups'])) if p['append'] else sorted(wanted)
        if groups == current['groups']:
            groups = None
    after = dict(before, **changes)
    if groups is not None:
        after['groups'] = groups
    if changes or groups is not None:
        args = _wire_user_fields(changes)
        if groups is not None:
            args['groups'] = ','.join(groups)
        tracker.write(client.put, 'access', 'users', userid, **args,
                      _confirm=lambda lost: _user_has(client, userid, changes, groups))
    password_changed = False
    if password is not None and p['update_password'] == 'always':
        if current.get('realm_type') not in (None, 'pve', 'pam'):
            raise errors.InvalidArgumentError('the password of a {0} user is kept by its directory; PVE cannot set '
                                              'it'.format(current['realm_type']), field='password')
        # PVE refuses every login of a disabled or expired user, whatever the password: no way to tell
        unverifiable = not after.get('enable', True) or 0 < int(after.get('expire') or 0) < time.time()
        if unverifiable:
            pve.warn('{0} is disabled or expired, so PVE refuses its logins and the module cannot tell whether '
                     'its password already is this one: update_password=always sets it on every run'.format(userid))
        if unverifiable or not _password_works(client, userid, password):
            password_changed = True
            if p.get('api_token_id'):
                raise errors.InvalidArgumentError(
                    'PVE does not let API tokens set passwords (PUT /access/password): connect with api_user and '
                    'api_password to change the password of {0}'.format(userid), field='api_token_id')
            # PVE asks every caller but root@pam to confirm the change with their own password.
            tracker.write(client.put, 'access', 'password', userid=userid, password=password,
                          _confirm=lambda lost: _password_works(client, userid, password),
                          **{'confirmation-password': p.get('api_password')})
    if password_changed:
        tracker.secret('password', '(set)', '(changed)')
    result = tracker.result(after=after, user=after)
    result['password_changed'] = password_changed
    return result


def _user_has(client, userid, changes, groups):
    """After a lost answer to PUT /access/users/{userid}: whether the user now has the changes."""
    entry = find_user(client, userid)
    view = user_view(entry) if entry else {}
    return bool(view) and all(view.get(k) == v for k, v in changes.items()) and (
        groups is None or view.get('groups') == groups)


def _public(view):
    """The user as shown in results and diffs: everything but its token ids' details."""
    return dict(view) if view else {}
