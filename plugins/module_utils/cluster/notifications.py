# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PVE's notification system (``/cluster/notifications``): targets, matchers and their listing.

A target is an endpoint of one of four types (``/cluster/notifications/endpoints/<type>/<name>``); a matcher
routes notifications to targets. Secrets (smtp ``password``, gotify ``token``, webhook ``secrets``) are never
returned by PVE: they are written when a target is created and, on an existing target, only with
``update_secret: always`` (the ``update_password`` rule of pve.ops.user); webhook secrets are listed by name,
so a secret added or removed by name is a change either way. The diff shows secrets as markers. The built-in
``mail-to-root`` target and ``default-matcher`` can be changed but not removed (PVE brings them back).
"""

from __future__ import annotations

import base64
import binascii

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource

TARGET_TYPES = ('sendmail', 'smtp', 'gotify', 'webhook')
# Module option -> PVE property, per target type (comment and enabled are common).
TARGET_OPTIONS = {
    'sendmail': {'mailto': 'mailto', 'mailto_user': 'mailto-user', 'from_address': 'from-address',
                 'author': 'author'},
    'smtp': {'server': 'server', 'port': 'port', 'mode': 'mode', 'username': 'username', 'mailto': 'mailto',
             'mailto_user': 'mailto-user', 'from_address': 'from-address', 'author': 'author'},
    'gotify': {'server': 'server'},
    'webhook': {'url': 'url', 'method': 'method', 'headers': 'header', 'body': 'body'},
}
TARGET_SECRETS = {'sendmail': (), 'smtp': ('password',), 'gotify': ('token',), 'webhook': ('secrets',)}
TARGET_REQUIRED = {'sendmail': (), 'smtp': ('server', 'from_address'), 'gotify': ('server', 'token'),
                   'webhook': ('url', 'method')}
LIST_OPTIONS = ('mailto', 'mailto_user')
MATCHER_OPTIONS = {'targets': 'target', 'match_severity': 'match-severity', 'match_field': 'match-field',
                   'match_calendar': 'match-calendar', 'mode': 'mode'}
MATCHER_LISTS = ('targets', 'match_severity', 'match_field', 'match_calendar')
NOTIFICATION_INFO_GATHER = ('targets', 'matchers')
_BASE = ('cluster', 'notifications')


def _b64(text):
    return base64.b64encode(str(text).encode()).decode()


def _unb64(text):
    try:
        return base64.b64decode(str(text)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return str(text)


def _pairs(items):
    """A webhook's ``name=<name>[,value=<base64>]`` items as {name: value or None}."""
    out = {}
    for item in items or ():
        parts = dict(p.partition('=')[::2] for p in str(item).split(','))
        if parts.get('name'):
            out[parts['name']] = _unb64(parts['value']) if parts.get('value') is not None else None
    return out


def _as_list(value):
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def target_view(kind, entry, origin=None):
    """A target as the modules return it: name, type, origin, enabled, comment and its type's options (lists
    as lists, headers as a dict of decoded values, the body decoded, secret names for webhooks)."""
    out = dict(name=entry.get('name'), type=kind, origin=origin or entry.get('origin') or 'user-created',
               enabled=not codec.is_true(entry.get('disable')), comment=entry.get('comment') or '')
    for option, key in TARGET_OPTIONS[kind].items():
        value = entry.get(key)
        if option in LIST_OPTIONS:
            value = _as_list(value)
        elif option == 'headers':
            value = _pairs(_as_list(value))
        elif option == 'body':
            value = _unb64(value) if value else ''
        elif option == 'port':
            value = int(value) if value not in (None, '') else None
        out[option] = value if value is not None else ('' if option not in ('port',) else None)
    if kind == 'webhook':
        out['secrets'] = sorted(_pairs(_as_list(entry.get('secret'))))
    return out


def matcher_view(entry):
    """A matcher as the modules return it: name, origin, targets and the match lists, mode, invert_match,
    enabled, comment (PVE's defaults filled in: mode all)."""
    out = dict(name=entry.get('name'), origin=entry.get('origin') or 'user-created',
               enabled=not codec.is_true(entry.get('disable')), comment=entry.get('comment') or '',
               invert_match=codec.is_true(entry.get('invert-match')), mode=entry.get('mode') or 'all')
    for option in MATCHER_LISTS:
        out[option] = _as_list(entry.get(MATCHER_OPTIONS[option]))
    return out


def list_targets(client):
    """Every target with its options: one request per type (PVE's target list has no options)."""
    out = []
    for kind in TARGET_TYPES:
        out.extend(target_view(kind, e) for e in client.get(*_BASE, 'endpoints', kind) or [] if e.get('name'))
    return sorted(out, key=lambda t: t['name'])


def list_matchers(client):
    return sorted((matcher_view(e) for e in client.get(*_BASE, 'matchers') or [] if e.get('name')),
                  key=lambda m: m['name'])


def notification_facts(pve):
    """pve.ops.notification_info: the subsets of ``gather`` (targets, matchers)."""
    gather = list(pve.params.get('gather') or NOTIFICATION_INFO_GATHER)
    out = dict(changed=False)
    if 'targets' in gather:
        out['targets'] = list_targets(pve.client)
        if pve.params.get('type'):
            out['targets'] = [t for t in out['targets'] if t['type'] == pve.params['type']]
    if 'matchers' in gather:
        out['matchers'] = list_matchers(pve.client)
    return out


def _builtin_absent(kind, current):
    if current is not None and current['origin'] != 'user-created':
        raise errors.InvalidArgumentError('state: {0} {1!r} is built into PVE and cannot be removed (PVE brings it '
                                          'back); disable it with enabled=false'.format(kind, current['name']),
                                          field='state')


class _Notification(Resource):
    """What targets and matchers share: the body of a write and the update of what differs."""

    kind = ''

    def _path(self):
        raise NotImplementedError

    def _property(self, option):
        raise NotImplementedError

    def _body(self, changes, creating):
        body, deletes = {}, []
        for option, value in changes.items():
            if option == 'enabled':
                body['disable'] = codec.flag(not value)
                continue
            if option == 'invert_match':
                body['invert-match'] = codec.flag(value)
                continue
            key = self._property(option)
            if value in ('', [], {}, None):
                if not creating:
                    deletes.append(key)
                continue
            if option == 'headers':
                value = codec.Repeated('name={0},value={1}'.format(k, _b64(v)) for k, v in sorted(value.items()))
            elif option == 'body':
                value = _b64(value)
            elif isinstance(value, list):
                value = codec.Repeated(value)
            body[key] = value
        if deletes:
            body['delete'] = codec.Repeated(sorted(deletes))
        return body

    def _secrets(self, tracker, current):
        return {}

    def update(self, tracker, current, desired):
        changes = dict((k, v) for k, v in desired.items() if current.get(k) != v)
        secrets = self._secrets(tracker, current)
        if changes or secrets:
            body, secret_sent = self._body(changes, False), bool(secrets)
            deletes = list(body.pop('delete', [])) + list(secrets.pop('delete', []))
            body.update(secrets)
            if deletes:
                body['delete'] = codec.Repeated(sorted(deletes))

            def confirm(lost):
                if secret_sent:
                    raise errors.PveOpsError('a secret cannot be read back')
                return self.diff_view(self.read()) == self.diff_view(dict(current, **changes))
            tracker.write(self.client.put, *self._path(), **body, _confirm=confirm)
            if current.get('origin') == 'builtin':
                return dict(current, origin='modified-builtin', **changes)
        return dict(current, **changes)

    def delete(self, tracker, current):
        _builtin_absent(self.kind, current)
        tracker.write(self.client.delete, *self._path(), _confirm=lambda lost: self.read() is None)


class NotificationTarget(_Notification):
    """A notification target (``/cluster/notifications/endpoints/<type>/<name>``)."""
    noun = 'notification_target'
    kind = 'target'

    def _path(self):
        return _BASE + ('endpoints', self.type, self.params['name'])

    def _property(self, option):
        return {'comment': 'comment'}.get(option) or TARGET_OPTIONS[self.type][option]

    def read(self):
        name = self.params['name']
        entry = next((t for t in self.client.get(*_BASE, 'targets') or [] if t.get('name') == name), None)
        self.type = self.params.get('type') or (entry or {}).get('type')
        if entry is None:
            return None
        if self.params.get('state') != 'absent' and self.type != entry.get('type'):
            raise errors.InvalidArgumentError('type: target {0!r} is a {1} target; PVE does not change the type of a '
                                              'target (remove it first)'.format(name, entry.get('type')), field='type')
        self.type = entry['type']
        found = next((e for e in self.client.get(*_BASE, 'endpoints', self.type) or [] if e.get('name') == name),
                     None)
        return target_view(self.type, found, origin=entry.get('origin')) if found else None

    def diff_view(self, view):
        return dict((k, v) for k, v in (view or {}).items() if k != 'origin')

    def desired(self, current):
        p, kind = self.params, self.type
        known = set(o for options in TARGET_OPTIONS.values() for o in options) | {'password', 'token', 'secrets'}
        for option in sorted(known):
            if p.get(option) is not None and option not in TARGET_OPTIONS[kind] and \
                    option not in TARGET_SECRETS[kind]:
                raise errors.InvalidArgumentError('{0} is not an option of {1} targets'.format(option, kind),
                                                  field=option)
        want = dict((o, p[o]) for o in tuple(TARGET_OPTIONS[kind]) + ('comment', 'enabled') if p.get(o) is not None)
        if kind == 'webhook' and p.get('secrets') is not None:
            want['secrets'] = sorted(p['secrets'])
        if current is None:
            for option in TARGET_REQUIRED[kind]:
                if p.get(option) in (None, '', []):
                    raise errors.InvalidArgumentError('{0} is required to create a {1} target'.format(option, kind),
                                                      field=option)
        after = dict(current or {}, **want)
        if kind in ('sendmail', 'smtp') and not (after.get('mailto') or after.get('mailto_user')):
            raise errors.InvalidArgumentError('mailto: a {0} target needs a recipient (mailto or mailto_user)'.format(
                kind), field='mailto')
        return want

    def create(self, tracker, desired):
        p, kind = self.params, self.type
        body = self._body(dict((k, v) for k, v in desired.items() if k != 'secrets'), True)
        for option in TARGET_SECRETS[kind]:
            if p.get(option):
                tracker.secret(option, None, '(set)')
        if kind == 'smtp' and p.get('password'):
            body['password'] = p['password']
        if kind == 'gotify':
            body['token'] = p['token']
        if kind == 'webhook' and p.get('secrets'):
            body['secret'] = self._secret_items(p['secrets'], {})
        tracker.write(self.client.post, *_BASE, 'endpoints', kind, name=p['name'], **body,
                      _confirm=lambda lost: self.read() is not None)
        after = target_view(kind, {'name': p['name']}, origin='user-created')
        after.update(desired)
        if kind == 'webhook':
            after['secrets'] = sorted(p.get('secrets') or {})
        return after

    @staticmethod
    def _secret_items(wanted, keep):
        """Webhook secrets as PVE takes them: a value for each one given, the name alone for each one kept."""
        return codec.Repeated('name={0}'.format(k) if k in keep else 'name={0},value={1}'.format(k, _b64(v))
                              for k, v in sorted(wanted.items()))

    def _secrets(self, tracker, current):
        p, kind, always = self.params, self.type, self.params.get('update_secret') == 'always'
        out = {}
        if kind == 'smtp' and p.get('password') and always:
            out['password'] = p['password']
        if kind == 'gotify' and p.get('token') and always:
            out['token'] = p['token']
        if kind == 'webhook' and p.get('secrets') is not None:
            names = set(current.get('secrets') or ())
            if always or set(p['secrets']) != names:
                out['secret'] = self._secret_items(p['secrets'], set() if always else names)
                if not p['secrets']:
                    out = {'delete': codec.Repeated(['secret'])}
        if out:
            tracker.secret(TARGET_SECRETS[kind][0], '(set)', '(changed)')
        return out

    def update(self, tracker, current, desired):
        desired = dict((k, v) for k, v in desired.items() if k != 'secrets')
        after = super().update(tracker, current, desired)
        if self.type == 'webhook' and self.params.get('secrets') is not None:
            after['secrets'] = sorted(self.params['secrets'])
        return after


class NotificationMatcher(_Notification):
    """A notification matcher (``/cluster/notifications/matchers/<name>``)."""
    noun = 'notification_matcher'
    kind = 'matcher'

    def _path(self):
        return _BASE + ('matchers', self.params['name'])

    def _property(self, option):
        return {'comment': 'comment'}.get(option) or MATCHER_OPTIONS[option]

    def read(self):
        name = self.params['name']
        entry = next((m for m in self.client.get(*_BASE, 'matchers') or [] if m.get('name') == name), None)
        return matcher_view(entry) if entry else None

    def diff_view(self, view):
        return dict((k, v) for k, v in (view or {}).items() if k != 'origin')

    def desired(self, current):
        p = self.params
        want = dict((o, p[o]) for o in tuple(MATCHER_OPTIONS) + ('comment', 'enabled', 'invert_match')
                    if p.get(o) is not None)
        if want.get('targets'):
            known = set(t.get('name') for t in self.client.get(*_BASE, 'targets') or [])
            missing = [t for t in want['targets'] if t not in known]
            if missing:
                raise errors.InvalidArgumentError('targets: {0} {1} no notification target ({2})'.format(
                    ', '.join(missing), 'is' if len(missing) == 1 else 'are', ', '.join(sorted(known))),
                    field='targets')
        for item in want.get('match_field') or ():
            kind, sep, rest = item.partition(':')
            if kind not in ('exact', 'regex') or not sep or '=' not in rest:
                raise errors.InvalidArgumentError('match_field: {0!r} is not exact:<field>=<value> or '
                                                  'regex:<field>=<regex>'.format(item), field='match_field')
        for item in want.get('match_severity') or ():
            for severity in item.split(','):
                if severity.strip() not in ('info', 'notice', 'warning', 'error', 'unknown'):
                    raise errors.InvalidArgumentError('match_severity: {0!r} is not info, notice, warning, error or '
                                                      'unknown'.format(severity), field='match_severity')
        return want

    def create(self, tracker, desired):
        body = self._body(desired, True)
        tracker.write(self.client.post, *_BASE, 'matchers', name=self.params['name'], **body,
                      _confirm=lambda lost: self.read() is not None)
        after = matcher_view({'name': self.params['name']})
        after.update(desired)
        return after


def ensure_notification_target(pve):
    """pve.ops.notification_target: the result dict."""
    return NotificationTarget(pve).run()


def ensure_notification_matcher(pve):
    """pve.ops.notification_matcher: the result dict."""
    return NotificationMatcher(pve).run()
