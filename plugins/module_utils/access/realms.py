# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Realms (authentication domains): read, compare, apply only what differs; sync."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource, listed

# ---------------------------------------------------------------------- realms

# What PVE answers that is not a setting.
_REALM_READ_ONLY = ('digest', 'realm', 'type')
REALM_TYPES = ('pam', 'pve', 'ldap', 'ad', 'openid')
# The settings a new realm of each type needs (the options PVE::Auth::LDAP, ::AD and ::OpenId do not mark
# optional; the API schema merges every type's options, so it shows them all as optional).
SYNC_TYPES = ('ldap', 'ad')
REALM_REQUIRED = {'ldap': ('base_dn', 'server1', 'user_attr'), 'ad': ('server1', 'domain'),
                  'openid': ('issuer-url', 'client-id')}


def _same(current, wanted):
    if current is None:
        return False
    return codec.wire_text(current) == codec.wire_text(wanted)


def read_realm(client, realm):
    """The realm's settings (no secrets: PVE never returns them), or None."""
    entry = listed(client.get('access', 'domains'), 'realm', realm)
    if entry is None:
        return None
    data = client.get('access', 'domains', realm) or {}
    view = dict((k, v) for k, v in data.items() if k not in _REALM_READ_ONLY)
    return dict(realm=realm, type=data.get('type') or entry.get('type'), settings=view)


class Realm(Resource):
    """An authentication domain; its secret (bind password, client key) is sent, never read back."""
    noun = 'realm'

    def read(self):
        self.realm = self.params['realm']
        self.secret_key = 'password' if self.params['type'] in ('ldap', 'ad') else 'client-key'
        return read_realm(self.client, self.realm)

    def delete(self, tracker, current):
        if current['type'] in ('pam', 'pve'):
            raise errors.InvalidArgumentError('{0} is a built-in realm and cannot be removed'.format(self.realm),
                                              field='realm')
        tracker.write(self.client.delete, 'access', 'domains', self.realm)

    def desired(self, current):
        """(settings, secret) asked for."""
        p = self.params
        if p.get('sync') and p['type'] not in SYNC_TYPES:
            raise errors.InvalidArgumentError('sync: only {0} realms can be synced, {1} is of type {2}'.format(
                ' and '.join(SYNC_TYPES), self.realm, p['type']), field='sync')
        settings = dict((k, v) for k, v in (p['settings'] or {}).items() if v is not None)
        for key in ('password', 'client-key', 'client_key', 'bind_password'):
            if key in settings:
                raise errors.InvalidArgumentError('settings.{0}: give secrets as bind_password or client_key, which '
                                                  'are never logged'.format(key), field='settings')
        if p['comment'] is not None:
            settings['comment'] = p['comment']
        if p['default'] is not None:
            settings['default'] = p['default']
        secret = p['bind_password'] if p['type'] in ('ldap', 'ad') else p['client_key']
        if secret is not None and p['type'] not in ('ldap', 'ad', 'openid'):
            raise errors.InvalidArgumentError('bind_password and client_key apply to ldap, ad and openid realms only',
                                              field='bind_password')
        return settings, secret

    def create(self, tracker, desired):
        settings, secret = desired
        kind = self.params['type']
        if kind in ('pam', 'pve'):
            raise errors.InvalidArgumentError('realms of type {0} are built in; they cannot be created'.format(
                kind), field='type')
        missing = [k for k in REALM_REQUIRED.get(kind, ()) if settings.get(k) in (None, '')]
        if missing:
            raise errors.InvalidArgumentError('settings: a new {0} realm needs {1} (missing: {2})'.format(
                kind, ', '.join(REALM_REQUIRED[kind]), ', '.join(missing)), field='settings')
        after = dict(realm=self.realm, type=kind, settings=dict((k, codec.wire(v)) for k, v in settings.items()))
        args = dict((k, codec.wire(v)) for k, v in settings.items())
        if secret is not None:
            args[self.secret_key] = secret
        tracker.write(self.client.post, 'access', 'domains', realm=self.realm, type=kind, **args)
        return after

    def update(self, tracker, current, desired):
        settings, secret = desired
        if current['type'] != self.params['type']:
            raise errors.InvalidArgumentError('realm {0} is of type {1}; PVE cannot change a realm\'s type (remove it '
                                              'and create it again)'.format(self.realm, current['type']), field='type')
        changes = dict((k, codec.wire(v)) for k, v in settings.items() if not _same(current['settings'].get(k), v))
        after = dict(current, settings=dict(current['settings'], **changes))
        if secret is not None and self.params['update_secret'] == 'always':
            changes[self.secret_key] = secret
            self.extra['secret_updated'] = True
        if changes:
            tracker.write(self.client.put, 'access', 'domains', self.realm, **changes)
        return after


def ensure_realm(pve):
    """pve.ops.realm: the result dict."""
    return Realm(pve).run()


def sync_realm(pve, realm, scope=None, dry_run=False, remove_vanished=None, timeout=600):
    """POST /access/domains/{realm}/sync and wait for the task (never in check mode)."""
    if pve.check_mode:
        return None
    upid = pve.client.post('access', 'domains', realm, 'sync', scope=scope, **{
        'dry-run': 1 if dry_run else None, 'remove-vanished': remove_vanished})
    return pve.client.wait(upid, timeout=timeout)
