# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Storage definitions (/storage), their retention (prune-backups) and their status per node."""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.privileges import holds, require_visible
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource, listed

# The options pve.ops.storage takes by name, per storage type: module option -> PVE option.
TYPE_OPTIONS = {
    'dir': ('path', 'shared'),
    'nfs': ('path', 'server', 'export'),
    'cifs': ('path', 'server', 'share', 'username', 'domain', 'subdir'),
    'lvm': ('vgname', 'shared'),
    'lvmthin': ('vgname', 'thinpool'),
    'zfspool': ('pool',),
    'pbs': ('server', 'datastore', 'username', 'fingerprint', 'namespace', 'port'),
}
STORAGE_TYPES = ('dir', 'nfs', 'cifs', 'cephfs', 'btrfs', 'lvm', 'lvmthin', 'zfspool', 'zfs', 'rbd', 'iscsi',
                 'iscsidirect', 'pbs', 'esxi')
NAMED_OPTIONS = ('path', 'server', 'export', 'share', 'username', 'domain', 'subdir', 'vgname', 'thinpool', 'pool',
                 'datastore', 'fingerprint', 'namespace', 'port', 'shared')
# The named options that are flags (compared as booleans).
FLAG_OPTIONS = ('shared',)
# Secrets PVE keeps apart from storage.cfg and never returns.
SECRET_OPTIONS = {'password': 'password', 'encryption_key': 'encryption-key'}
# Options PVE sets once at creation (a different value cannot be applied later).
FIXED_OPTIONS = ('path', 'server', 'export', 'share', 'vgname', 'thinpool', 'pool', 'datastore', 'subdir')
KEEP_KEYS = ('keep_all', 'keep_last', 'keep_hourly', 'keep_daily', 'keep_weekly', 'keep_monthly', 'keep_yearly')
# The storage types whose plugin takes prune-backups (pve-storage's options(): the file-based ones and pbs).
RETENTION_TYPES = ('dir', 'nfs', 'cifs', 'cephfs', 'btrfs', 'pbs')
CONTENT_TYPES = ('images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import', 'none')
UPLOAD_CONTENT = ('iso', 'vztmpl', 'import')
# The file names PVE's upload and download-url take per content type (pve-manager API2/Storage/Status.pm).
UPLOAD_EXTENSIONS = {'iso': r'\.(?:iso|img)$', 'vztmpl': r'\.tar\.(?:gz|xz|zst|bz2)$',
                     'import': r'\.(?:ova|ovf|qcow2|raw|vmdk)$'}
# PVE normalises an uploaded or downloaded file's name to these characters (PVE::Storage normalize_content_filename).
SAFE_FILENAME = re.compile(r'^[A-Za-z0-9_.-]+$')
UPLOAD_EXTENSION_TEXT = {'iso': '.iso or .img', 'vztmpl': '.tar.gz, .tar.xz, .tar.zst or .tar.bz2',
                         'import': '.ova, .ovf, .qcow2, .raw or .vmdk'}


# ----------------------------------------------------------------- retention

def retention_string(keep):
    """A retention dict (keep_last: 3, ...) as PVE's prune-backups property string; None when empty."""
    if not keep:
        return None
    items = []
    for key in KEEP_KEYS:
        value = keep.get(key)
        if value is None or value is False:
            continue
        if key == 'keep_all':
            items.append('keep-all={0}'.format(1 if value else 0))
            continue
        if int(value) < 1:
            raise errors.InvalidArgumentError('retention.{0} must be a positive number (got {1})'.format(key, value),
                                              field='retention')
        items.append('{0}={1}'.format(key.replace('_', '-'), int(value)))
    if keep.get('keep_all') and len(items) > 1:
        raise errors.InvalidArgumentError('retention.keep_all cannot be combined with other keep rules',
                                          field='retention')
    return ','.join(sorted(items)) or None


def desired_retention(retention):
    """A ``retention`` option as the view compares it (the keep rules given), checked as PVE would."""
    retention_string(retention)
    return dict((k, v) for k, v in retention.items() if v is not None)


def parse_retention(text):
    """PVE's prune-backups string (or the dict PVE may return) as a retention dict with module keys."""
    if isinstance(text, dict):
        items = text.items()
    else:
        items = [part.partition('=')[::2] for part in str(text or '').split(',') if '=' in part]
    out = {}
    for key, value in items:
        name = key.strip().replace('-', '_')
        if name in KEEP_KEYS:
            out[name] = codec.is_true(value) if name == 'keep_all' else int(value)
    return out


# --------------------------------------------------------------- definitions

def list_storages(client):
    return client.get('storage') or []


def get_storage(client, name):
    """The storage's definition (GET /storage lists every one; GET /storage/{id} answers 500 for a missing one)."""
    return listed(list_storages(client), 'storage', name)


def require_storage_visible(client, name):
    """GET /storage (and the storage listings per node) show a storage to credentials with Datastore.Audit or
    Datastore.AllocateSpace on it: unless these hold one, a storage not listed may exist (NotVisibleError)."""
    require_visible(client, 'storage {0!r} exists'.format(name), '/storage/' + name,
                    ('Datastore.Audit', 'Datastore.AllocateSpace'))


def backups_visible(client, storage, vmid=None):
    """Whether a listing of the storage's backups (of guest ``vmid``) shows all of them to these credentials:
    PVE lists a backup to Datastore.Allocate on the storage, or Datastore.AllocateSpace there and VM.Backup on
    its guest."""
    if getattr(client, 'identity', None) == 'root@pam' or holds(client, '/storage/' + storage, ('Datastore.Allocate',)):
        return True
    return vmid is not None and holds(client, '/storage/' + storage, ('Datastore.AllocateSpace',)) and \
        holds(client, '/vms/{0}'.format(vmid), ('VM.Backup',))


def require_backups_visible(client, storage, vmid, what):
    """NotVisibleError unless a listing of the backups of guest ``vmid`` on ``storage`` shows them all."""
    if backups_visible(client, storage, vmid):
        return
    raise errors.NotVisibleError(
        'cannot tell whether {0}: PVE lists a backup only to Datastore.Allocate on /storage/{1}, or '
        'Datastore.AllocateSpace there and VM.Backup on /vms/{2} (not held)'.format(what, storage, vmid),
        privilege='Datastore.Allocate', acl_path='/storage/' + storage)


def storage_view(cfg):
    """A definition as the module shows it: content and nodes as sorted lists, flags as booleans."""
    if cfg is None:
        return {}
    view = dict((k, v) for k, v in cfg.items() if k not in ('digest',))
    view['content'] = sorted(codec.split_list(cfg.get('content')))
    if 'nodes' in cfg:
        view['nodes'] = sorted(codec.split_list(cfg.get('nodes')))
    for key in ('shared', 'disable'):
        if key in cfg:
            view[key] = codec.is_true(cfg[key])
    view['enabled'] = not view.pop('disable', False)
    if 'prune-backups' in cfg:
        view['prune-backups'] = parse_retention(cfg['prune-backups'])
    return view


def desired_storage(params):
    """{PVE option: value} the parameters ask for (only what was given)."""
    want = {}
    for key in NAMED_OPTIONS:
        if params.get(key) is not None:
            want[key] = params[key]
    if params.get('content') is not None:
        if not params['content']:
            raise errors.InvalidArgumentError('content: give at least one content type, or [none] for a storage '
                                              'that holds nothing (an empty list would leave PVE to pick)',
                                              field='content')
        bad = [c for c in params['content'] if c not in CONTENT_TYPES]
        if bad:
            raise errors.InvalidArgumentError('content: unknown content type(s) {0}; known: {1}'.format(
                ', '.join(bad), ', '.join(CONTENT_TYPES)), field='content')
        want['content'] = sorted(set(params['content']))
    if params.get('nodes') is not None:
        want['nodes'] = sorted(set(params['nodes']))
    if params.get('enabled') is not None:
        want['enabled'] = params['enabled']
    if params.get('retention') is not None:
        want['prune-backups'] = desired_retention(params['retention'])
    for key, value in (params.get('options') or {}).items():
        if key in ('storage', 'type', 'digest', 'delete') or key in SECRET_OPTIONS.values():
            raise errors.InvalidArgumentError('options.{0}: give this as its own option'.format(key), field='options')
        # A flag of a named option given through options is the user's text: PVE's boolean words, or an error.
        want[key] = codec.bool_option(value, 'options.' + key) if key in FLAG_OPTIONS else value
    return want


def _check_type_options(kind, params):
    """The named options that apply to the storage's type (TYPE_OPTIONS), before anything is sent."""
    if params.get('retention') and kind in STORAGE_TYPES and kind not in RETENTION_TYPES:
        raise errors.InvalidArgumentError('retention: a {0} storage holds no backups and takes no retention rules '
                                          '(storages of type {1} do)'.format(kind, ', '.join(RETENTION_TYPES)),
                                          field='retention')
    if kind not in TYPE_OPTIONS:
        return
    takes = TYPE_OPTIONS[kind] + (('password',) if kind in ('cifs', 'pbs') else ()) + \
        (('encryption_key',) if kind == 'pbs' else ())
    wrong = [k for k in NAMED_OPTIONS + tuple(SECRET_OPTIONS) if params.get(k) is not None and k not in takes]
    if wrong:
        network = ' (network storages are always shared)' if 'shared' in wrong and kind in ('nfs', 'cifs', 'pbs') \
            else ''
        raise errors.InvalidArgumentError('{0}: not an option of a {1} storage{2}; a {1} storage takes {3} (others '
                                          'through options)'.format(', '.join(wrong), kind, network, ', '.join(takes)),
                                          field=wrong[0])


def _wire_value(key, value):
    return retention_string(value) if key == 'prune-backups' else codec.wire(value)


def _same(key, current, wanted):
    if key in FLAG_OPTIONS or isinstance(wanted, bool):
        return current is not None and codec.is_true(current) == bool(wanted)
    if key in ('content', 'nodes'):
        return sorted(current or []) == sorted(wanted)
    return str(current) == str(wanted) if current is not None else False


class Storage(Resource):
    """A storage definition; its secrets are sent, never read back."""
    noun = 'storage'

    def read(self):
        self.name = self.params['name']
        current = get_storage(self.client, self.name)
        if current is None:
            require_storage_visible(self.client, self.name)
            return None
        return storage_view(current)

    def delete(self, tracker, current):
        client, name = self.client, self.name
        tracker.write(client.delete, 'storage', name, _confirm=lambda lost: get_storage(client, name) is None)

    def desired(self, current):
        """{PVE option: value} asked for; the type's checks before anything is sent."""
        params, name = self.params, self.name
        kind = params.get('type')
        if current is None and not kind:
            raise errors.InvalidArgumentError('type is required to create storage {0!r}'.format(name), field='type')
        if current is not None and kind and current.get('type') != kind:
            raise errors.InvalidArgumentError(
                'storage {0!r} is of type {1}; PVE cannot change the type of a storage (remove it and create a {2} '
                'storage, or use another name)'.format(name, current.get('type'), kind), field='type')
        _check_type_options(kind or current.get('type'), params)
        self.secrets = dict((SECRET_OPTIONS[k], params[k]) for k in SECRET_OPTIONS if params.get(k) is not None)
        return desired_storage(params)

    def create(self, tracker, desired):
        client, name, kind = self.client, self.name, self.params['type']
        # retention: {} asks for no keep rules of the storage's own: nothing to send.
        body = dict((k if k != 'enabled' else 'disable', _wire_value(k, v) if k != 'enabled' else int(not v))
                    for k, v in desired.items() if not (k == 'prune-backups' and not v))
        body.update(self.secrets)
        tracker.write(client.post, 'storage', storage=name, type=kind, **body,
                      _confirm=lambda lost: get_storage(client, name) is not None)
        after = dict(desired, storage=name, type=kind)
        after.setdefault('enabled', True)
        if not after.get('prune-backups', True):
            after.pop('prune-backups')
        return after

    def update(self, tracker, current, desired):
        client, name, want, secrets = self.client, self.name, desired, self.secrets
        changes = {}
        for key, value in want.items():
            if key == 'enabled':
                if current['enabled'] != value:
                    changes['disable'] = int(not value)
                continue
            if key == 'prune-backups':
                if current.get('prune-backups', {}) != value:
                    changes[key] = retention_string(value)
                continue
            if not _same(key, current.get(key), value):
                if key in FIXED_OPTIONS and current.get(key) is not None:
                    raise errors.InvalidArgumentError(
                        '{0}: PVE cannot change {0} of an existing storage ({1!r} -> {2!r})'.format(
                            key, current.get(key), value), field=key)
                changes[key] = _wire_value(key, value)
        deletes = []
        for key in ('nodes', 'prune-backups'):
            if key in changes and not want[key]:
                changes.pop(key)
                deletes.append(key)
        if self.params.get('update_secrets') == 'always' and secrets:
            changes.update(secrets)
        if changes or deletes:
            kwargs = dict(changes)
            if deletes:
                kwargs['delete'] = ','.join(deletes)
            tracker.write(client.put, 'storage', name, **kwargs,
                          _confirm=lambda lost: _storage_has(client, name, want, changes, deletes, secrets))
        after = dict(current)
        after.update(want)
        for key in deletes:
            after.pop(key, None)
        return after

    def shown(self, tracker, after):
        return storage_view(get_storage(self.client, self.name)) if self.wrote(tracker) else after


def ensure_storage(pve):
    """pve.ops.storage: create, update or remove one storage definition."""
    return Storage(pve).run()


def _storage_has(client, name, want, changes, deletes, secrets):
    """After a lost answer to PUT /storage/{name}: whether the definition now has the changes."""
    if any(key in changes for key in secrets):
        raise errors.PveOpsError('PVE never returns storage secrets, so a re-read cannot show them')
    view = storage_view(get_storage(client, name))
    for key in changes:
        if key == 'disable':
            if view.get('enabled') is not want.get('enabled'):
                return False
        elif key == 'prune-backups':
            if view.get(key) != want[key]:
                return False
        elif not _same(key, view.get(key), want[key]):
            return False
    return all(view.get(key) in (None, []) for key in deletes)


# ------------------------------------------------------------------- status

def storage_nodes(client, name=None):
    """[(node, storage)] pairs where a storage is available ('available' in /cluster/resources)."""
    items = client.get('cluster', 'resources', type='storage') or []
    return sorted((i['node'], i['storage']) for i in items
                  if i.get('status') == 'available' and (name is None or i.get('storage') == name))


def pick_node(client, storage, node=None):
    """The node to reach a storage through: the one given, or the first where it is available."""
    if node:
        return node
    nodes = [n for n, _s in storage_nodes(client, storage)]
    if not nodes:
        require_storage_visible(client, storage)
        raise errors.NotFoundError('storage {0!r} is not available on any online node'.format(storage))
    return nodes[0]


def storage_status(client, node=None, name=None):
    """Status per node: [{node, storage, type, active, enabled, shared, total, used, avail, used_fraction}]."""
    nodes = [node] if node else sorted(set(n.get('node') for n in client.get('nodes') or []
                                           if n.get('status') == 'online'))
    out = []
    for each in nodes:
        kwargs = dict(storage=name) if name else {}
        for item in client.get('nodes', each, 'storage', **kwargs) or []:
            entry = dict(item, node=each)
            entry.setdefault('used_fraction', (entry['used'] / entry['total']) if entry.get('total') else 0.0)
            out.append(entry)
    return out
