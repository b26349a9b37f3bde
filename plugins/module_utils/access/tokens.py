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
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource, listed
from ansible_collections.pve.ops.plugins.module_utils.tracker import dict_changes

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


class Token(Resource):
    """An API token of a user; its secret is in the result once, when created or regenerated."""
    noun = 'token'

    def read(self):
        client = self.client
        self.userid, self.tokenid = _token_ids(self.params)
        self.full = '{0}!{1}'.format(self.userid, self.tokenid)
        self.assumed = None
        if self.check_mode and find_user(client, self.userid) is None:
            # Check mode of a play that creates the user first.
            require_user_visible(client, self.userid)
            self.assumed = 'user {0}'.format(self.userid)
            tokens = []
        else:
            tokens = read_tokens(client, self.userid)
        return listed(tokens, 'tokenid', self.tokenid)

    def start(self, current):
        tracker = super().start(current)
        if self.assumed:
            tracker.assume(self.assumed, 'its token would be created')
        return tracker

    def delete(self, tracker, current):
        client, userid, tokenid, full = self.client, self.userid, self.tokenid, self.full
        if own_identity(self.params)[1] == full and not self.params['force']:
            raise errors.InvalidArgumentError(
                'refusing to delete {0}: the module authenticates with this token (set force: true to do it '
                'anyway)'.format(full), field='tokenid')
        tracker.write(client.delete, 'access', 'users', userid, 'token', tokenid,
                      _confirm=lambda lost: not any(t['tokenid'] == tokenid for t in read_tokens(client, userid)))

    def desired(self, current):
        p = self.params
        return dict((key, p[key]) for key in ('privsep', 'expire', 'comment') if p[key] is not None)

    def create(self, tracker, desired):
        client, userid, tokenid, full = self.client, self.userid, self.tokenid, self.full
        after = dict(userid=userid, tokenid=tokenid, full_tokenid=full, privsep=True, expire=0, comment='')
        after.update(desired)
        answer = tracker.write(client.post, 'access', 'users', userid, 'token', tokenid,
                               privsep=desired.get('privsep'), expire=desired.get('expire'),
                               comment=desired.get('comment') or None,
                               _confirm=lambda lost: _secret_lost(client, userid, tokenid, full))
        self.token = dict(after)
        if answer:
            info = answer.get('info') or {}
            self.token.update(privsep=codec.is_true(info.get('privsep', self.token['privsep'])),
                              expire=int(info.get('expire') or self.token['expire']))
            self._secret(answer, 'token {0} created; its secret is in token.value and is shown only this once: '
                                 'store it now'.format(full))
        return after

    def update(self, tracker, current, desired):
        client, userid, tokenid, full = self.client, self.userid, self.tokenid, self.full
        changes = dict_changes(current, desired)
        after = dict(current, **changes)
        if changes:
            args = dict((k, codec.wire(v)) for k, v in changes.items())
            if changes.get('comment') == '':
                args.pop('comment')
                args['delete'] = 'comment'
            tracker.write(client.put, 'access', 'users', userid, 'token', tokenid, **args)
        self.token = dict(after)
        self.extra['msg'] = TOKEN_SECRET_NOTE
        if self.params.get('regenerate'):
            answer = tracker.write(client.put, 'access', 'users', userid, 'token', tokenid, regenerate=1,
                                   _confirm=lambda lost: _secret_lost(client, userid, tokenid, full))
            if answer:
                self._secret(answer, 'token {0}: new secret in token.value, shown only this once; the old one no '
                                     'longer works'.format(full))
        return after

    def _secret(self, answer, msg):
        """The secret of a create or regenerate answer into the shown token, named in ``secret_keys``."""
        self.token['value'] = answer.get('value')
        self.extra.update(secret_keys=list(TOKEN_SECRET_KEYS), msg=msg)

    def shown(self, tracker, after):
        return self.token


def ensure_token(pve):
    """pve.ops.token: the result dict."""
    return Token(pve).run()


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
