# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Storage definitions (/storage), their status per node and their content (volumes, uploads, downloads)."""

from __future__ import annotations

import os
import posixpath
import re
from urllib.parse import urlparse

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.privileges import holds, require_visible
from ansible_collections.pve.ops.plugins.module_utils.tasks import find_started_task
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

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


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [v for v in str(value).replace(';', ',').replace(' ', ',').split(',') if v]


# --------------------------------------------------------------- definitions

def list_storages(client):
    return client.get('storage') or []


def get_storage(client, name):
    """The storage's definition (GET /storage lists every one; GET /storage/{id} answers 500 for a missing one)."""
    for item in list_storages(client):
        if item.get('storage') == name:
            return item
    return None


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
    view['content'] = sorted(_as_list(cfg.get('content')))
    if 'nodes' in cfg:
        view['nodes'] = sorted(_as_list(cfg.get('nodes')))
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
        retention_string(params['retention'])
        want['prune-backups'] = dict((k, v) for k, v in params['retention'].items() if v is not None)
    for key, value in (params.get('options') or {}).items():
        if key in ('storage', 'type', 'digest', 'delete') or key in SECRET_OPTIONS.values():
            raise errors.InvalidArgumentError('options.{0}: give this as its own option'.format(key), field='options')
        want[key] = value
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
    if key == 'shared' or isinstance(wanted, bool):
        return current is not None and codec.is_true(current) == bool(wanted)
    if key in ('content', 'nodes'):
        return sorted(current or []) == sorted(wanted)
    return str(current) == str(wanted) if current is not None else False


def ensure_storage(pve):
    """pve.ops.storage: create, update or remove one storage definition."""
    client, params, check_mode = pve.client, pve.params, pve.check_mode
    name, state = params['name'], params['state']
    current = get_storage(client, name)
    if current is None:
        require_storage_visible(client, name)
    before = storage_view(current)
    tracker = ChangeTracker(check_mode, before=before)
    if state == 'absent':
        if current is not None:
            tracker.write(client.delete, 'storage', name, _confirm=lambda lost: get_storage(client, name) is None)
        return tracker.result(after={}, storage=None)
    kind = params.get('type')
    if current is None and not kind:
        raise errors.InvalidArgumentError('type is required to create storage {0!r}'.format(name), field='type')
    if current is not None and kind and current.get('type') != kind:
        raise errors.InvalidArgumentError(
            'storage {0!r} is of type {1}; PVE cannot change the type of a storage (remove it and create a {2} '
            'storage, or use another name)'.format(name, current.get('type'), kind), field='type')
    _check_type_options(kind or current.get('type'), params)
    want = desired_storage(params)
    secrets = dict((SECRET_OPTIONS[k], params[k]) for k in SECRET_OPTIONS if params.get(k) is not None)
    if current is None:
        # retention: {} asks for no keep rules of the storage's own: nothing to send.
        body = dict((k if k != 'enabled' else 'disable', _wire_value(k, v) if k != 'enabled' else int(not v))
                    for k, v in want.items() if not (k == 'prune-backups' and not v))
        body.update(secrets)
        tracker.write(client.post, 'storage', storage=name, type=kind, **body,
                      _confirm=lambda lost: get_storage(client, name) is not None)
        after = dict(want, storage=name, type=kind)
        after.setdefault('enabled', True)
        if not after.get('prune-backups', True):
            after.pop('prune-backups')
    else:
        view = storage_view(current)
        changes = {}
        for key, value in want.items():
            if key == 'enabled':
                if view['enabled'] != value:
                    changes['disable'] = int(not value)
                continue
            if key == 'prune-backups':
                if view.get('prune-backups', {}) != value:
                    changes[key] = retention_string(value)
                continue
            if not _same(key, view.get(key), value):
                if key in FIXED_OPTIONS and view.get(key) is not None:
                    raise errors.InvalidArgumentError(
                        '{0}: PVE cannot change {0} of an existing storage ({1!r} -> {2!r})'.format(
                            key, view.get(key), value), field=key)
                changes[key] = _wire_value(key, value)
        deletes = []
        for key in ('nodes', 'prune-backups'):
            if key in changes and not want[key]:
                changes.pop(key)
                deletes.append(key)
        if params.get('update_secrets') == 'always' and secrets:
            changes.update(secrets)
        if changes or deletes:
            kwargs = dict(changes)
            if deletes:
                kwargs['delete'] = ','.join(deletes)
            tracker.write(client.put, 'storage', name, **kwargs,
                          _confirm=lambda lost: _storage_has(client, name, want, changes, deletes, secrets))
        after = dict(view)
        after.update(want)
        for key in deletes:
            after.pop(key, None)
    result_view = storage_view(get_storage(client, name)) if tracker.changed and not check_mode else after
    return tracker.result(after=after, storage=result_view)


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


# ------------------------------------------------------------------- content

def list_content(client, node, storage, content=None, vmid=None):
    return client.get('nodes', node, 'storage', storage, 'content', content=content, vmid=vmid) or []


def volume_id(storage, volume=None, content=None, filename=None):
    """The full volid: 'storage:content/filename', from a volid, a volume name, or content and file name."""
    if volume:
        if ':' in volume:
            if volume.split(':', 1)[0] != storage:
                raise errors.InvalidArgumentError('volume {0!r} is not on storage {1!r}'.format(volume, storage),
                                                  field='volume')
            return volume
        return '{0}:{1}'.format(storage, volume)
    if not (content and filename):
        raise errors.InvalidArgumentError('give volume, or content with filename (or src / url)', field='volume')
    return '{0}:{1}/{2}'.format(storage, content, filename)


def _volume_file(volume, filename, content):
    """The file name an upload or download of ``volume`` must have (iso/debian.iso -> debian.iso): the file is
    stored under its name, so another filename would put it beside the volume, never at it."""
    name = volume.split(':', 1)[-1]
    kind, slash, base = name.partition('/')
    if not slash or not base or '/' in base:
        raise errors.InvalidArgumentError('volume {0!r}: give <content>/<file name> (or a volume id) with src or '
                                          'url'.format(volume), field='volume')
    if content and kind != content:
        raise errors.InvalidArgumentError('volume {0!r} is {1} content, not {2}'.format(volume, kind, content),
                                          field='volume')
    if filename and filename != base:
        raise errors.InvalidArgumentError('filename {0!r} differs from the file of volume {1!r} ({2!r}): give one of '
                                          'them'.format(filename, volume, base), field='filename')
    return base


def find_volume(client, node, storage, volid):
    """The content entry of a volume, or None."""
    content = volid.split(':', 1)[1].split('/', 1)[0]
    listing = list_content(client, node, storage, content=content if '/' in volid else None)
    for item in listing:
        if item.get('volid') == volid:
            return item
    return None


def ensure_content(pve):
    """pve.ops.storage_content: upload, download, annotate or delete one volume."""
    client, params, check_mode = pve.client, pve.params, pve.check_mode
    storage, state = params['storage'], params['state']
    missing = check_mode and get_storage(client, storage) is None
    if missing:
        require_storage_visible(client, storage)
    node = params.get('node') if missing else pick_node(client, storage, params.get('node'))
    src, url = params.get('src'), params.get('url')
    content = params.get('content')
    filename = params.get('filename')
    if (src or url) and params.get('volume'):
        filename = _volume_file(params['volume'], filename, content)
    if src and not filename:
        filename = os.path.basename(src)
    if url and not filename:
        filename = posixpath.basename(urlparse(url).path)
        if not filename:
            raise errors.InvalidArgumentError('cannot take a file name from url {0!r}: give filename'.format(url),
                                              field='filename')
    if (src or url) and content not in UPLOAD_CONTENT:
        raise errors.InvalidArgumentError(
            'content must be one of {0} with src or url: PVE uploads and downloads ISO images, container templates '
            'and import files only (a backup file has to be copied to the storage outside the API)'.format(
                ', '.join(UPLOAD_CONTENT)), field='content')
    if (src or url) and not SAFE_FILENAME.match(filename):
        raise errors.InvalidArgumentError('filename {0!r}: PVE would store it as {1!r} (it replaces characters other '
                                          'than letters, digits, ".", "_" and "-"): give that name'.format(
                                              filename, re.sub(r'[^A-Za-z0-9_.-]', '_', filename)), field='filename')
    if (src or url) and not re.search(UPLOAD_EXTENSIONS[content], filename, re.I):
        raise errors.InvalidArgumentError('filename {0!r}: PVE takes {1} content only in files named *{2}'.format(
            filename, content, UPLOAD_EXTENSION_TEXT[content]), field='filename')
    if src and not os.path.isfile(src):
        raise errors.InvalidArgumentError('src {0!r} is not a readable file'.format(src), field='src')
    if params.get('checksum') and not params.get('checksum_algorithm'):
        raise errors.InvalidArgumentError('checksum needs checksum_algorithm', field='checksum_algorithm')
    volid = volume_id(storage, params.get('volume'), content, filename)
    if missing:
        # Check mode of a play that creates the storage first: it holds nothing yet.
        tracker = ChangeTracker(check_mode)
        tracker.assume('storage {0!r}'.format(storage), 'it holds no volume yet')
        if state == 'absent':
            return tracker.result(after={}, volume=None, node=node)
        tracker.mark()
        after = dict(volid=volid, content=content)
        return tracker.result(after=after, volume=after, node=node)
    current = find_volume(client, node, storage, volid)
    before = _content_view(current)
    tracker = ChangeTracker(check_mode, before=before)
    timeout = params.get('timeout') or 600
    if state == 'absent' and current is None:
        _require_volume_visible(client, storage, volid)
    if state == 'absent':
        if current is not None:
            if codec.is_true(current.get('protected')):
                if not params.get('force'):
                    raise errors.InvalidArgumentError(
                        'volume {0} is protected: set force: true to remove the protection and delete it'.format(
                            volid), field='force')
                tracker.write(client.put, 'nodes', node, 'storage', storage, 'content', volid, protected=0)
            upid = tracker.write(client.delete, 'nodes', node, 'storage', storage, 'content', volid,
                                 _confirm=_volume_task(client, node, storage, volid, 'imgdel', present=False))
            if upid:
                client.wait(upid, timeout=timeout)
        return tracker.result(after={}, volume=None, node=node)
    if current is None or (src and int(current.get('size') or 0) != os.path.getsize(src)):
        if src:
            _upload(client, tracker, node, storage, content, src, filename, params, timeout)
        elif url:
            upid = tracker.write(client.post, 'nodes', node, 'storage', storage, 'download-url', url=url,
                                 content=content, filename=filename, checksum=params.get('checksum'),
                                 **_opt({'checksum-algorithm': params.get('checksum_algorithm'),
                                         'verify-certificates': params.get('verify_certificates')}),
                                 _confirm=_volume_task(client, node, storage, volid, 'download'))
            if upid:
                client.wait(upid, timeout=timeout)
        elif check_mode:
            # A backup an earlier task of the play would make, say: its notes and protection are planned.
            tracker.assume('volume {0}'.format(volid), 'its notes and protection would be set')
            tracker.mark()
        else:
            raise errors.NotFoundError('volume {0} does not exist: give src or url to put it there'.format(volid))
    after = dict(before) if current else {'volid': volid, 'content': content}
    if not check_mode and tracker.changed:
        current = find_volume(client, node, storage, volid)
        after = _content_view(current)
    attrs = {}
    if params.get('notes') is not None and (current or {}).get('notes', '') != params['notes']:
        attrs['notes'] = params['notes']
    if params.get('protected') is not None and codec.is_true((current or {}).get('protected')) != params['protected']:
        attrs['protected'] = int(params['protected'])
    if attrs:
        if (current or {}).get('content', content or _content_of(volid)) != 'backup':
            raise errors.InvalidArgumentError('notes and protected apply to backups only', field='protected')
        tracker.write(client.put, 'nodes', node, 'storage', storage, 'content', volid, **attrs,
                      _confirm=lambda lost: _volume_has(client, node, storage, volid, attrs))
        after.update(notes=attrs.get('notes', after.get('notes')))
        if 'protected' in attrs:
            after['protected'] = bool(attrs['protected'])
    return tracker.result(after=after, volume=after, node=node)


def _opt(values):
    """The items of ``values`` that are set (hyphenated PVE names cannot be keyword arguments)."""
    return dict((k, v) for k, v in values.items() if v is not None)


def _upload(client, tracker, node, storage, content, src, filename, params, timeout):
    """POST .../upload as multipart: proxmoxer sends an open file as a file part named by the file's ``name``."""
    extra = _opt({'checksum': params.get('checksum'), 'checksum-algorithm': params.get('checksum_algorithm')})
    upid = tracker.write(client.post, 'nodes', node, 'storage', storage, 'upload', content=content, **extra,
                         _open={'filename': lambda: _upload_file(src, filename)},
                         _confirm=_volume_task(client, node, storage, volume_id(storage, None, content, filename),
                                               'imgcopy'))
    if upid:
        client.wait(upid, timeout=timeout)


def _upload_file(src, filename):
    """The file to upload, open (unbuffered), named ``filename`` for the multipart part."""
    handle = open(src, 'rb', buffering=0)
    handle.name = filename
    return handle


BACKUP_OWNER = re.compile(r'(?:^|/)vzdump-(?:qemu|lxc|openvz)-(\d+)-')


def _require_volume_visible(client, storage, volid):
    """A volume not listed may exist unseen: backups need their own privileges, other volumes the storage's."""
    owner = BACKUP_OWNER.search(volid)
    if owner:
        require_backups_visible(client, storage, int(owner.group(1)), 'backup {0} exists'.format(volid))
    else:
        require_storage_visible(client, storage)


def _content_of(volid):
    """The content type a volume id names (backup-nfs:backup/vzdump-... -> backup), or None."""
    name = volid.split(':', 1)[-1]
    return name.split('/', 1)[0] if '/' in name else None


def _volume_has(client, node, storage, volid, attrs):
    """After a lost answer to PUT .../content/{volume}: whether the volume now has the notes and protection."""
    view = _content_view(find_volume(client, node, storage, volid))
    return bool(view) and all((view.get(k) or '') == v if k == 'notes' else view.get(k) is bool(v)
                              for k, v in attrs.items())


def _volume_task(client, node, storage, volid, task_type, present=True):
    """A ChangeTracker ``_confirm`` for a write on a volume: the task it started, else whether the volume is
    now there (``present``) or gone."""
    def confirm(lost):
        upid = find_started_task(client, node, task_type, lost.sent_at)
        if upid:
            return upid
        return (find_volume(client, node, storage, volid) is not None) is present
    return confirm


def _content_view(item):
    if not item:
        return {}
    view = dict(item)
    if 'protected' in view:
        view['protected'] = codec.is_true(view['protected'])
    else:
        view['protected'] = False if view.get('content') == 'backup' else view.get('protected')
        if view['protected'] is None:
            view.pop('protected')
    return view


def retention_argument_spec():
    """The suboptions of a `retention` option (PVE's prune-backups), shared by storage and backup_job."""
    return dict(
        keep_all=dict(type='bool'),
        keep_last=dict(type='int'),
        keep_hourly=dict(type='int'),
        keep_daily=dict(type='int'),
        keep_weekly=dict(type='int'),
        keep_monthly=dict(type='int'),
        keep_yearly=dict(type='int'),
    )


# ---------------------------------------------------------------------- info


def storage_facts(pve):
    """pve.ops.storage_info: the result dict."""
    p, client = pve.params, pve.client
    out = dict(changed=False)
    if 'content' in p['gather'] and not p['name']:
        raise errors.InvalidArgumentError('gather content needs name (the storage to list)', field='name')
    if pve.check_mode and p['name'] and get_storage(client, p['name']) is None:
        # Check mode of a play that creates the storage first: there is nothing to read yet.
        require_storage_visible(client, p['name'])
        pve.warn('storage {0!r} does not exist yet: check mode takes it as made by an earlier task of the play; it '
                 'holds nothing yet'.format(p['name']))
        empty = dict(config=('storages', []), status=('status', []), content=('content', []))
        out.update(empty[g] for g in p['gather'])
        return out
    if 'config' in p['gather']:
        out['storages'] = [storage_view(s) for s in list_storages(client)
                           if p['name'] is None or s.get('storage') == p['name']]
        if p['name'] and not out['storages']:
            require_storage_visible(client, p['name'])
            raise errors.NotFoundError('storage {0!r} does not exist'.format(p['name']))
    if 'status' in p['gather']:
        out['status'] = storage_status(client, p['node'], p['name'])
    if 'content' in p['gather']:
        node = pick_node(client, p['name'], p['node'])
        items = list_content(client, node, p['name'], content=p['content'], vmid=p['vmid'])
        if p['content'] in (None, 'backup') and not backups_visible(client, p['name'], p['vmid']):
            if p['vmid'] is not None and not items:
                require_backups_visible(client, p['name'], p['vmid'], 'guest {0} has backups there'.format(p['vmid']))
            pve.warn('PVE lists a backup only to Datastore.Allocate on /storage/{0}, or Datastore.AllocateSpace '
                     'there and VM.Backup on its guest: backups these credentials may not see are not in '
                     'content'.format(p['name']))
        for item in items:
            if 'protected' in item or item.get('content') == 'backup':
                item['protected'] = codec.is_true(item.get('protected'))
        out.update(content=items, node=node)
    return out
