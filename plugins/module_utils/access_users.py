# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Users, groups and API tokens: read, compare, apply only what differs (never in check mode).

Group membership is a property of the user in PVE (``PUT /access/users/{userid}`` with ``groups``), so
both the user and the group reconcilers change it there. Passwords go through ``PUT /access/password``
and are never part of a view, a diff or an error. A token's secret exists only in the answer that
created it: ``ensure_token`` returns it once, as ``token.value``, and names it in ``secret_keys``.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.access import (
    TOKEN_NAME_RE,
    check_name,
    check_userid,
    find_group,
    find_user,
    group_view,
    list_users,
    own_identity,
    require_group_visible,
    require_user_visible,
    token_view,
    user_view,
)
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

USER_FIELDS = ('enable', 'expire', 'firstname', 'lastname', 'email', 'comment', 'keys')
# Where the secret of a created token sits in the module result; the MCP adapter and audit log mask it.
TOKEN_SECRET_KEYS = ['token.value']
TOKEN_SECRET_NOTE = ('the token exists; its secret is shown only once, when it is created, and cannot be read '
                     'back (use regenerate: true for a new secret)')


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
        if not _password_works(client, userid, password):
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


def _secret_lost(client, userid, tokenid, full):
    """After a lost answer that carried a token's secret: the token exists, its secret is gone with the answer."""
    if not any(t['tokenid'] == tokenid for t in read_tokens(client, userid)):
        return False
    raise errors.SecretLostError(
        'token {0} exists, but its secret was in the answer that was lost and cannot be read back: run again with '
        'regenerate: true for a new secret'.format(full))


def _public(view):
    """The user as shown in results and diffs: everything but its token ids' details."""
    return dict(view) if view else {}


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


# ---------------------------------------------------------------------- tokens


def _token_ids(p):
    userid, tokenid = p['userid'], p['tokenid']
    if tokenid and '!' in tokenid:
        owner, tokenid = tokenid.split('!', 1)
        if userid and userid != owner:
            raise errors.InvalidArgumentError('tokenid {0!r} belongs to {1}, not to userid {2}'.format(
                p['tokenid'], owner, userid), field='tokenid')
        userid = owner
    if not userid:
        raise errors.InvalidArgumentError('userid is required (or give tokenid as user@realm!name)', field='userid')
    check_userid(userid)
    if not tokenid or not TOKEN_NAME_RE.match(tokenid):
        raise errors.InvalidArgumentError('tokenid {0!r} must start with a letter and hold only letters, digits, '
                                          '".", "-" and "_"'.format(tokenid), field='tokenid')
    return userid, tokenid


def read_tokens(client, userid):
    """The tokens of a user as views, or InvalidArgumentError if the user does not exist."""
    entry = find_user(client, userid)
    if entry is None:
        require_user_visible(client, userid)
        raise errors.InvalidArgumentError('user {0} does not exist'.format(userid), field='userid')
    return [token_view(userid, t) for t in sorted(entry.get('tokens') or [], key=lambda t: t.get('tokenid'))]


def ensure_token(pve):
    p = pve.params
    client = pve.client
    userid, tokenid = _token_ids(p)
    assumed = None
    if pve.check_mode and find_user(client, userid) is None:
        # Check mode of a play that creates the user first.
        require_user_visible(client, userid)
        assumed = 'user {0}'.format(userid)
        tokens = []
    else:
        tokens = read_tokens(client, userid)
    current = next((t for t in tokens if t['tokenid'] == tokenid), None)
    tracker = ChangeTracker(pve.check_mode, before=current or {})
    if assumed:
        tracker.assume(assumed, 'its token would be created')
    full = '{0}!{1}'.format(userid, tokenid)

    if p['state'] == 'absent':
        if current is not None:
            own_token = own_identity(p)[1]
            if own_token == full and not p['force']:
                raise errors.InvalidArgumentError(
                    'refusing to delete {0}: the module authenticates with this token (set force: true to do it '
                    'anyway)'.format(full), field='tokenid')
            tracker.write(client.delete, 'access', 'users', userid, 'token', tokenid,
                          _confirm=lambda lost: not any(t['tokenid'] == tokenid for t in read_tokens(client, userid)))
        return tracker.result(after={}, token=None)

    desired = {}
    if p['privsep'] is not None:
        desired['privsep'] = p['privsep']
    if p['expire'] is not None:
        desired['expire'] = p['expire']
    if p['comment'] is not None:
        desired['comment'] = p['comment']

    if current is None:
        after = dict(userid=userid, tokenid=tokenid, full_tokenid=full, privsep=True, expire=0, comment='')
        after.update(desired)
        answer = tracker.write(client.post, 'access', 'users', userid, 'token', tokenid,
                               privsep=desired.get('privsep'), expire=desired.get('expire'),
                               comment=desired.get('comment') or None,
                               _confirm=lambda lost: _secret_lost(client, userid, tokenid, full))
        token = dict(after)
        result_extra = {}
        if answer:
            info = answer.get('info') or {}
            token.update(privsep=codec.is_true(info.get('privsep', token['privsep'])),
                         expire=int(info.get('expire') or token['expire']))
            token['value'] = answer.get('value')
            result_extra = dict(secret_keys=list(TOKEN_SECRET_KEYS))
        result = tracker.result(after=after, token=token, **result_extra)
        if answer:
            result['msg'] = ('token {0} created; its secret is in token.value and is shown only this once: store '
                             'it now'.format(full))
        return result

    changes = dict((k, v) for k, v in desired.items() if current.get(k) != v)
    after = dict(current, **changes)
    if changes:
        args = dict((k, int(v) if isinstance(v, bool) else v) for k, v in changes.items())
        if changes.get('comment') == '':
            args.pop('comment')
            args['delete'] = 'comment'
        tracker.write(client.put, 'access', 'users', userid, 'token', tokenid, **args)
    token = dict(after)
    extra = {}
    if p.get('regenerate'):
        answer = tracker.write(client.put, 'access', 'users', userid, 'token', tokenid, regenerate=1,
                               _confirm=lambda lost: _secret_lost(client, userid, tokenid, full))
        if answer:
            token['value'] = answer.get('value')
            extra['secret_keys'] = list(TOKEN_SECRET_KEYS)
    result = tracker.result(after=after, token=token, **extra)
    if 'value' in token:
        result['msg'] = 'token {0}: new secret in token.value, shown only this once; the old one no longer ' \
                        'works'.format(full)
    else:
        result['msg'] = TOKEN_SECRET_NOTE
    return result


# ---------------------------------------------------------------------- info


def token_facts(pve):
    """pve.ops.token_info: the result dict."""
    p = pve.params
    userid, tokenid = p['userid'], p['tokenid']
    if tokenid and '!' in tokenid:
        userid, tokenid = tokenid.split('!', 1)
    if userid:
        tokens = read_tokens(pve.client, check_userid(userid))
    else:
        tokens = [token_view(u['userid'], t) for u in list_users(pve.client) for t in u.get('tokens') or []]
    if tokenid:
        tokens = [t for t in tokens if t['tokenid'] == tokenid]
    return dict(changed=False, tokens=sorted(tokens, key=lambda t: t['full_tokenid']))
