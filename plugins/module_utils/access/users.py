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
    list_users,
    own_identity,
    require_user_visible,
    user_view,
)
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource
from ansible_collections.pve.ops.plugins.module_utils.tracker import dict_changes

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


class User(Resource):
    """A user: its fields and groups; the password is sent, never read back or shown."""
    noun = 'user'

    def read(self):
        p = self.params
        self.userid = check_userid(p['userid'])
        entry = find_user(self.client, self.userid)
        if entry is None:
            present = p['state'] == 'present'
            require_user_visible(self.client, self.userid, p['groups'] if present else None, creating=present)
            return None
        return user_view(entry)

    def delete(self, tracker, current):
        p, client, userid = self.params, self.client, self.userid
        if userid == 'root@pam' and not p['force']:
            raise errors.InvalidArgumentError('refusing to delete root@pam, the superuser (set force: true to do it '
                                              'anyway)', field='userid')
        if userid == own_identity(p)[0] and not p['force']:
            raise errors.InvalidArgumentError(
                'refusing to delete {0}: the module authenticates as this user (set force: true to do it '
                'anyway)'.format(userid), field='userid')
        tracker.write(client.delete, 'access', 'users', userid,
                      _confirm=lambda lost: find_user(client, userid) is None)

    def desired(self, current):
        """The user's fields asked for; groups and password are checked here and applied on their own."""
        p = self.params
        for group in p['groups'] or []:
            check_name(group, 'groups', 'group')
        password = p.get('password')
        if password is not None and len(password) < 8:
            raise errors.InvalidArgumentError('password must be at least 8 characters long (PVE minimum)',
                                              field='password')
        return dict((key, p[key]) for key in USER_FIELDS if p.get(key) is not None)

    def create(self, tracker, desired):
        client, userid, password = self.client, self.userid, self.params.get('password')
        groups = sorted(set(self.params['groups'] or []))
        after = dict(user_view(dict(userid=userid)), **desired)
        after['groups'] = groups
        args = _wire_user_fields(desired)
        if groups:
            args['groups'] = ','.join(groups)
        tracker.write(client.post, 'access', 'users', userid=userid, password=password, **args,
                      _confirm=lambda lost: find_user(client, userid) is not None)
        if password is not None:
            tracker.secret('password', None, '(set)')
        return after

    def update(self, tracker, current, desired):
        p, client, userid = self.params, self.client, self.userid
        changes = dict_changes(current, desired)
        groups = None
        if p['groups'] is not None:
            wanted = set(p['groups'])
            groups = sorted(wanted | set(current['groups'])) if p['append'] else sorted(wanted)
            if groups == current['groups']:
                groups = None
        after = dict(current, **changes)
        if groups is not None:
            after['groups'] = groups
        if changes or groups is not None:
            args = _wire_user_fields(changes)
            if groups is not None:
                args['groups'] = ','.join(groups)
            tracker.write(client.put, 'access', 'users', userid, **args,
                          _confirm=lambda lost: _user_has(client, userid, changes, groups))
        self.extra['password_changed'] = False  # said in the result of an update only
        self._password(tracker, current, after)
        return after

    def _password(self, tracker, current, after):
        """update_password: always sets the password unless PVE already accepts it (a ticket request)."""
        p, client, userid, password = self.params, self.client, self.userid, self.params.get('password')
        if password is None or p['update_password'] != 'always':
            return
        if current.get('realm_type') not in (None, 'pve', 'pam'):
            raise errors.InvalidArgumentError('the password of a {0} user is kept by its directory; PVE cannot set '
                                              'it'.format(current['realm_type']), field='password')
        # PVE refuses every login of a disabled or expired user, whatever the password: no way to tell
        unverifiable = not after.get('enable', True) or 0 < int(after.get('expire') or 0) < time.time()
        if unverifiable:
            self.pve.warn('{0} is disabled or expired, so PVE refuses its logins and the module cannot tell whether '
                          'its password already is this one: update_password=always sets it on every run'.format(
                              userid))
        if not unverifiable and _password_works(client, userid, password):
            return
        self.extra['password_changed'] = True
        if p.get('api_token_id'):
            raise errors.InvalidArgumentError(
                'PVE does not let API tokens set passwords (PUT /access/password): connect with api_user and '
                'api_password to change the password of {0}'.format(userid), field='api_token_id')
        # PVE asks every caller but root@pam to confirm the change with their own password.
        tracker.write(client.put, 'access', 'password', userid=userid, password=password,
                      _confirm=lambda lost: _password_works(client, userid, password),
                      **{'confirmation-password': p.get('api_password')})
        tracker.secret('password', '(set)', '(changed)')


def ensure_user(pve):
    """pve.ops.user: the result dict."""
    return User(pve).run()


def _user_has(client, userid, changes, groups):
    """After a lost answer to PUT /access/users/{userid}: whether the user now has the changes."""
    entry = find_user(client, userid)
    view = user_view(entry) if entry else {}
    return bool(view) and all(view.get(k) == v for k, v in changes.items()) and (
        groups is None or view.get('groups') == groups)


# ---------------------------------------------------------------------- info


def user_facts(pve):
    """pve.ops.user_info: the result dict."""
    userid, enabled = pve.params['userid'], pve.params['enabled']
    users = [user_view(u) for u in list_users(pve.client, enabled=enabled) if not userid or u.get('userid') == userid]
    if userid and not users and enabled is None:
        require_user_visible(pve.client, userid)
    return dict(changed=False, users=sorted(users, key=lambda u: u['userid']))
