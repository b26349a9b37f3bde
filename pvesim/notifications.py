# SPDX-License-Identifier: AGPL-3.0-or-later
"""PVE's notification system (/cluster/notifications): targets (endpoints) and matchers.

Follows pve-manager (PVE/API2/Cluster/Notifications.pm) and proxmox-notify (src/api/*.rs, the section
config of notifications.cfg and priv/notifications.cfg):

- endpoints of four types, `/cluster/notifications/endpoints/{sendmail,smtp,gotify,webhook}` (list,
  create) and `/{name}` (read, update with `delete` and `digest`, delete), and matchers
  (`/cluster/notifications/matchers`, `/{name}`); endpoints and matchers share one namespace (one
  file): a second entity of a name is refused ("Cannot create '...', an entity with the same name
  already exists").
- PVE's built-in sendmail target `mail-to-root` and matcher `default-matcher` are always there
  (`origin: builtin`); changing one makes it `modified-builtin`, deleting a modified one puts the
  built-in back, deleting an unmodified one leaves it as it was (PVE merges the built-ins in again on
  every read).
- Secrets live apart (priv/notifications.cfg) and no GET returns them: smtp's `password` and gotify's
  `token` are left out, webhook `secret`s are listed by name only (`name=<name>`); an update naming a
  secret without a value keeps the value stored ("secret '...' not found" if there is none).
- Checks: sendmail and smtp need a recipient (`mailto` or `mailto-user`); a matcher's targets must exist
  ("endpoint '...' does not exist", 404); a target a matcher uses cannot be deleted ("cannot delete
  '...', referenced by: ..."); `match-field` is `exact:<field>=<value>` or `regex:<field>=<regex>`
  (the regex compiles), `match-severity` items are lists of info, notice, warning, error and unknown;
  webhook headers and secrets are `name=<name>,value=<base64>` and the body is base64.
- GET /cluster/notifications/targets: every endpoint as a target (name, type, comment, disable, origin).
- POST /cluster/notifications/targets/{name}/test: a test notification, recorded in
  `sim.notification_deliveries` (target, type, severity, title, time; /_sim/state shows them) instead of
  being sent; the simulated network has no mail, Gotify or webhook servers.
- matcher-fields and matcher-field-values as PVE derives them from the cluster.
"""

import base64
import binascii
import copy
import hashlib
import re
import time

from fakepve import PveError
from fakepve.routing import StatefulRoutes, die, param_error

BASE = '/cluster/notifications'
TYPES = ('sendmail', 'smtp', 'gotify', 'webhook')
# Per type: the properties kept in notifications.cfg, the required ones and the secret ones (priv/).
PROPS = {
    'sendmail': ('mailto', 'mailto-user', 'from-address', 'author', 'comment', 'disable'),
    'smtp': ('server', 'port', 'mode', 'username', 'mailto', 'mailto-user', 'from-address', 'author', 'comment',
             'disable'),
    'gotify': ('server', 'comment', 'disable'),
    'webhook': ('url', 'method', 'header', 'body', 'comment', 'disable'),
}
REQUIRED = {'sendmail': (), 'smtp': ('server', 'from-address'), 'gotify': ('server',), 'webhook': ('url', 'method')}
SECRETS = {'sendmail': (), 'smtp': ('password',), 'gotify': ('token',), 'webhook': ('secret',)}
MATCHER_PROPS = ('target', 'match-field', 'match-severity', 'match-calendar', 'mode', 'invert-match', 'comment',
                 'disable')
LISTS = ('mailto', 'mailto-user', 'header', 'secret', 'target', 'match-field', 'match-severity', 'match-calendar')
FLAGS = ('disable', 'invert-match')
SEVERITIES = ('info', 'notice', 'warning', 'error', 'unknown')
MAIL_TO_ROOT = {'mailto-user': ['root@pam'], 'comment': "Send mails to root@pam's email address"}
DEFAULT_MATCHER = {'target': ['mail-to-root'], 'mode': 'all', 'comment': 'Route all notifications to mail-to-root'}
BUILTIN = {'mail-to-root': ('sendmail', MAIL_TO_ROOT), 'default-matcher': ('matcher', DEFAULT_MATCHER)}
NOTIFICATION_TYPES = ('fencing', 'package-updates', 'replication', 'system-mail', 'vzdump')
FIELD_RE = re.compile(r'^(exact|regex):([^=]+)=(.*)$', re.S)
KEY_VALUE_RE = re.compile(r'^name=([^,=]+)(?:,value=([^,]*))?$')
CALENDAR_RE = re.compile(r'^[A-Za-z0-9*/:.,~ -]+$')


def _flag(value):
    return 1 if str(value).lower() in ('1', 'true', 'yes', 'on') else 0


def _base64(field, text):
    try:
        base64.b64decode(str(text), validate=True)
    except (binascii.Error, ValueError):
        raise param_error(**{field: 'invalid base64 encoding'}) from None


def _key_values(field, items, need_value):
    """Webhook headers or secrets, `name=<name>,value=<base64>`: {name: value or None}, in the order given."""
    out = {}
    for item in items:
        found = KEY_VALUE_RE.match(str(item))
        if not found or (need_value and found.group(2) is None):
            raise param_error(**{field: "value '{0}' does not match the format name=<name>,value=<base64 value>"
                                 .format(item)})
        if found.group(2) is not None:
            _base64(field, found.group(2))
        out[found.group(1)] = found.group(2)
    return out


def _matcher_checks(values):
    for item in values.get('match-field') or ():
        found = FIELD_RE.match(item)
        if not found:
            raise param_error(**{'match-field': "invalid match-field statement '{0}': must be "
                                                "(regex|exact):<field>=<value>".format(item)})
        if found.group(1) == 'regex':
            try:
                re.compile(found.group(3))
            except re.error as exc:
                raise param_error(**{'match-field': 'invalid regex: {0}'.format(exc)}) from None
    for item in values.get('match-severity') or ():
        for severity in str(item).split(','):
            if severity.strip() not in SEVERITIES:
                raise param_error(**{'match-severity': "invalid severity '{0}'".format(severity)})
    for item in values.get('match-calendar') or ():
        if not CALENDAR_RE.match(item):
            raise param_error(**{'match-calendar': "unable to parse calendar event '{0}'".format(item)})


class NotificationsApi(StatefulRoutes):
    """Mixin of PveSim: notification targets (sendmail, smtp, gotify, webhook), matchers, test deliveries."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # notifications.cfg: name -> {'type': sendmail|smtp|gotify|webhook|matcher, property: value}
        # (user-created entities and changed built-ins); priv/notifications.cfg: name -> {secret: value}.
        self.notification_config = {}
        self.notification_secrets = {}
        # The test notifications the targets were sent: [{target, type, severity, title, time}].
        self.notification_deliveries = []

    def _routes_notifications(self):
        out = [('GET', BASE + '/targets', self._nt_targets),
               ('POST', BASE + '/targets/{name}/test', self._nt_test),
               ('GET', BASE + '/matchers', self._nt_matcher_list), ('POST', BASE + '/matchers', self._nt_matcher_add),
               ('GET', BASE + '/matchers/{name}', self._nt_matcher_read),
               ('PUT', BASE + '/matchers/{name}', self._nt_matcher_update),
               ('DELETE', BASE + '/matchers/{name}', self._nt_matcher_delete),
               ('GET', BASE + '/matcher-fields', self._nt_matcher_fields),
               ('GET', BASE + '/matcher-field-values', self._nt_matcher_values)]
        for kind in TYPES:
            path = BASE + '/endpoints/' + kind
            out += [('GET', path, self._nt_lister(kind)), ('POST', path, self._nt_adder(kind)),
                    ('GET', path + '/{name}', self._nt_reader(kind)), ('PUT', path + '/{name}', self._nt_updater(kind)),
                    ('DELETE', path + '/{name}', self._nt_deleter(kind))]
        return out

    def _save_notifications(self):
        return {'config': self.notification_config, 'secrets': self.notification_secrets,
                'deliveries': self.notification_deliveries}

    def _restore_notifications(self, data):
        data = data or {}
        self.notification_config = copy.deepcopy(data.get('config') or {})
        self.notification_secrets = copy.deepcopy(data.get('secrets') or {})
        self.notification_deliveries = list(data.get('deliveries') or [])

    # ------------------------------------------------------------------ the merged configuration

    def _nt_entities(self):
        """name -> (kind, properties, origin): the built-ins merged with notifications.cfg."""
        out = {}
        for name, (kind, props) in BUILTIN.items():
            out[name] = (kind, copy.deepcopy(props), 'builtin')
        for name, conf in self.notification_config.items():
            props = dict((k, v) for k, v in conf.items() if k != 'type')
            out[name] = (conf['type'], copy.deepcopy(props), 'modified-builtin' if name in BUILTIN else 'user-created')
        return out

    def _nt_digest(self):
        text = repr(sorted((name, sorted(conf.items())) for name, conf in self.notification_config.items()))
        return hashlib.sha256(text.encode()).hexdigest()

    def _nt_verify_digest(self, given):
        if given and given != self._nt_digest():
            raise PveError(400, 'detected modified configuration - file changed by other user? Try again.')

    def _nt_get(self, kind, name):
        entity = self._nt_entities().get(name)
        if entity is None or entity[0] != kind:
            what = 'matcher' if kind == 'matcher' else 'endpoint'
            raise PveError(404, "{0} '{1}' not found".format(what, name))
        return entity

    def _nt_shown(self, kind, name, props, origin=None):
        out = dict(name=name, **props)
        if kind == 'webhook':
            names = list((self.notification_secrets.get(name) or {}).get('secret') or {})
            if names:
                out['secret'] = ['name={0}'.format(n) for n in names]
        if origin:
            out['origin'] = origin
        return out

    def _nt_values(self, kind, v, allowed):
        values = {}
        for key in allowed:
            if v.get(key) is None:
                continue
            value = v[key]
            if key in LISTS:
                value = [str(x) for x in (value if isinstance(value, list) else [value])]
            elif key in FLAGS:
                value = _flag(value)
            values[key] = value
        if 'header' in values:
            _key_values('header', values['header'], True)
        if values.get('body'):
            _base64('body', values['body'])
        return values

    def _nt_check_recipients(self, kind, props):
        if kind in ('sendmail', 'smtp') and not props.get('mailto') and not props.get('mailto-user'):
            raise PveError(400, 'must at least provide one recipient, either in mailto or in mailto-user')

    def _nt_ensure_unique(self, name):
        if name in self._nt_entities():
            raise PveError(400, "Cannot create '{0}', an entity with the same name already exists".format(name))

    # ------------------------------------------------------------------ endpoints

    def _nt_lister(self, kind):
        async def handler(v, user):
            return [self._nt_shown(kind, name, props, origin)
                    for name, (k, props, origin) in sorted(self._nt_entities().items()) if k == kind]
        return handler

    def _nt_reader(self, kind):
        async def handler(v, user):
            _kind, props, _origin = self._nt_get(kind, v['name'])
            return dict(self._nt_shown(kind, v['name'], props), digest=self._nt_digest())
        return handler

    def _nt_adder(self, kind):
        async def handler(v, user):
            name = v['name']
            self._nt_ensure_unique(name)
            props = self._nt_values(kind, v, PROPS[kind])
            for key in REQUIRED[kind] + (('token',) if kind == 'gotify' else ()):
                if v.get(key) in (None, ''):
                    raise param_error(**{key: 'property is missing and it is not optional'})
            self._nt_check_recipients(kind, props)
            secrets = self._nt_new_secrets(kind, name, v, {})
            self.notification_config[name] = dict(props, type=kind)
            if secrets:
                self.notification_secrets[name] = secrets
            return None
        return handler

    def _nt_new_secrets(self, kind, name, v, old):
        """The secrets an add or update leaves in priv/notifications.cfg (``old``: those stored)."""
        out = dict(old)
        if kind == 'smtp' and v.get('password') is not None:
            out['password'] = v['password']
        if kind == 'gotify' and v.get('token') is not None:
            out['token'] = v['token']
        if kind == 'webhook' and v.get('secret') is not None:
            items = v['secret'] if isinstance(v['secret'], list) else [v['secret']]
            given = _key_values('secret', [str(x) for x in items], False)
            stored = old.get('secret') or {}
            kept = {}
            for key, value in given.items():
                if value is None:
                    if key not in stored:
                        raise PveError(400, "secret '{0}' not found".format(key))
                    value = stored[key]
                kept[key] = value
            out['secret'] = kept
        return out

    def _nt_updater(self, kind):
        async def handler(v, user):
            name = v['name']
            _kind, props, _origin = self._nt_get(kind, name)
            self._nt_verify_digest(v.get('digest'))
            values = self._nt_values(kind, v, PROPS[kind])
            deletes = [str(x) for x in (v.get('delete') or [])]
            deletable = set(PROPS[kind]) - set(REQUIRED[kind]) | set(SECRETS[kind]) - {'token'}
            for key in deletes:
                if key not in deletable:
                    raise param_error(delete="cannot delete property '{0}'".format(key))
            after = dict((k, x) for k, x in props.items() if k not in deletes)
            after.update(values)
            self._nt_check_recipients(kind, after)
            secrets = dict((k, x) for k, x in (self.notification_secrets.get(name) or {}).items() if k not in deletes)
            secrets = self._nt_new_secrets(kind, name, v, secrets)
            self.notification_config[name] = dict(after, type=kind)
            if secrets:
                self.notification_secrets[name] = secrets
            else:
                self.notification_secrets.pop(name, None)
            return None
        return handler

    def _nt_deleter(self, kind):
        async def handler(v, user):
            name = v['name']
            self._nt_get(kind, name)
            users = sorted(m for m, (k, props, _o) in self._nt_entities().items()
                           if k == 'matcher' and name in (props.get('target') or ()))
            if users:
                raise PveError(400, "cannot delete '{0}', referenced by: {1}".format(name, ', '.join(users)))
            self.notification_config.pop(name, None)
            self.notification_secrets.pop(name, None)
            return None
        return handler

    # ------------------------------------------------------------------ targets

    async def _nt_targets(self, v, user):
        out = []
        for name, (kind, props, origin) in sorted(self._nt_entities().items()):
            if kind == 'matcher':
                continue
            entry = {'name': name, 'type': kind, 'origin': origin, 'disable': props.get('disable', 0)}
            if props.get('comment'):
                entry['comment'] = props['comment']
            out.append(entry)
        return out

    async def _nt_test(self, v, user):
        entity = self._nt_entities().get(v['name'])
        if entity is None or entity[0] == 'matcher':
            raise die("target '{0}' does not exist".format(v['name']))
        self.notification_deliveries.append({'target': v['name'], 'type': entity[0], 'severity': 'info',
                                             'title': 'Test notification', 'time': int(time.time())})
        return None

    # ------------------------------------------------------------------ matchers

    def _nt_matcher_checks(self, values):
        _matcher_checks(values)
        targets = self._nt_entities()
        for target in values.get('target') or ():
            if target not in targets or targets[target][0] == 'matcher':
                raise PveError(404, "endpoint '{0}' does not exist".format(target))

    async def _nt_matcher_list(self, v, user):
        return [self._nt_shown('matcher', name, props, origin)
                for name, (k, props, origin) in sorted(self._nt_entities().items()) if k == 'matcher']

    async def _nt_matcher_read(self, v, user):
        _kind, props, _origin = self._nt_get('matcher', v['name'])
        return dict(self._nt_shown('matcher', v['name'], props), digest=self._nt_digest())

    async def _nt_matcher_add(self, v, user):
        self._nt_ensure_unique(v['name'])
        values = self._nt_values('matcher', v, MATCHER_PROPS)
        self._nt_matcher_checks(values)
        self.notification_config[v['name']] = dict(values, type='matcher')
        return None

    async def _nt_matcher_update(self, v, user):
        _kind, props, _origin = self._nt_get('matcher', v['name'])
        self._nt_verify_digest(v.get('digest'))
        values = self._nt_values('matcher', v, MATCHER_PROPS)
        deletes = [str(x) for x in (v.get('delete') or [])]
        for key in deletes:
            if key not in MATCHER_PROPS:
                raise param_error(delete="cannot delete property '{0}'".format(key))
        self._nt_matcher_checks(values)
        after = dict((k, x) for k, x in props.items() if k not in deletes)
        after.update(values)
        self.notification_config[v['name']] = dict(after, type='matcher')
        return None

    async def _nt_matcher_delete(self, v, user):
        self._nt_get('matcher', v['name'])
        self.notification_config.pop(v['name'], None)
        return None

    async def _nt_matcher_fields(self, v, user):
        return [{'name': name} for name in ('hostname', 'job-id', 'type')]

    async def _nt_matcher_values(self, v, user):
        values = [{'field': 'type', 'value': kind} for kind in NOTIFICATION_TYPES]
        values += [{'field': 'hostname', 'value': node} for node in sorted(self.nodes)]
        jobs = getattr(self, 'backup_jobs', {})
        values += [{'field': 'job-id', 'value': job, 'comment': jobs[job].get('comment') or 'backup job'}
                   for job in sorted(jobs)]
        return values

