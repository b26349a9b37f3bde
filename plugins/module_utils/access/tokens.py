# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""API tokens: read, compare, apply only what differs.

A token's secret exists only in the answer that created it: ensure_token returns it once, as ``token.value``,
and names it in ``secret_keys``.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.access.common import (
    TOKEN_NAME_RE,
    check_userid,
    find_user,
    list_users,
    own_identity,
    require_user_visible,
    token_view,
)
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

# Where the secret of a created token sits in the module result; the MCP adapter and audit log mask it.
TOKEN_SECRET_KEYS = ['token.value']
TOKEN_SECRET_NOTE = ('the token exists; its secret is shown only once, when it is created, and cannot be read '
                     'back (use regenerate: true for a new secret)')


def _secret_lost(client, userid, tokenid, full):
    """After a lost answer that carried a token's secret: the token exists, its secret is gone with the answer."""
    if not any(t['tokenid'] == tokenid for t in read_tokens(client, userid)):
        return False
    raise errors.SecretLostError(
        'token {0} exists, but its secret was in the answer that was lost and cannot be read back: run again with '
        'regenerate: true for a new secret'.format(full))


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
