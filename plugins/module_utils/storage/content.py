# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Storage content: volumes, uploads and downloads (pve.ops.storage_content)."""

from __future__ import annotations

import os
import posixpath
import re
from urllib.parse import urlparse

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource, listed
from ansible_collections.pve.ops.plugins.module_utils.storage.definitions import (
    SAFE_FILENAME,
    UPLOAD_CONTENT,
    UPLOAD_EXTENSION_TEXT,
    UPLOAD_EXTENSIONS,
    get_storage,
    pick_node,
    require_backups_visible,
    require_storage_visible,
)
from ansible_collections.pve.ops.plugins.module_utils.tasks import find_started_task

# ------------------------------------------------------------------- content

# A vzdump archive's name: the guest type and the vmid of the guest it backs up.
BACKUP_NAME = re.compile(r'(?:^|/)vzdump-(qemu|lxc|openvz)-(\d+)-')


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
    return listed(list_content(client, node, storage, content=content if '/' in volid else None), 'volid', volid)


class Content(Resource):
    """One volume of a storage: uploaded, downloaded or (a backup) annotated; or deleted."""
    noun = 'volume'

    def read(self):
        client, params, check_mode = self.client, self.params, self.check_mode
        storage = self.storage = params['storage']
        self.missing = check_mode and get_storage(client, storage) is None
        if self.missing:
            require_storage_visible(client, storage)
        self.node = params.get('node') if self.missing else pick_node(client, storage, params.get('node'))
        self.extra['node'] = self.node
        self.filename = _check_transfer(params)
        self.volid = volume_id(storage, params.get('volume'), params.get('content'), self.filename)
        if self.missing:
            return None
        current = find_volume(client, self.node, storage, self.volid)
        if current is None and self.wants_absent():
            _require_volume_visible(client, storage, self.volid)
        return content_view(current) or None

    def start(self, current):
        tracker = super().start(current)
        if self.missing:
            # Check mode of a play that creates the storage first: it holds nothing yet.
            tracker.assume('storage {0!r}'.format(self.storage), 'it holds no volume yet')
        return tracker

    def delete(self, tracker, current):
        client, node, storage, volid = self.client, self.node, self.storage, self.volid
        if current.get('protected'):
            if not self.params.get('force'):
                raise errors.InvalidArgumentError(
                    'volume {0} is protected: set force: true to remove the protection and delete it'.format(
                        volid), field='force')
            tracker.write(client.put, 'nodes', node, 'storage', storage, 'content', volid, protected=0)
        upid = tracker.write(client.delete, 'nodes', node, 'storage', storage, 'content', volid,
                             _confirm=_volume_task(client, node, storage, volid, 'imgdel', present=False))
        if upid:
            client.wait(upid, timeout=self._timeout())

    def desired(self, current):
        return None

    def create(self, tracker, desired):
        content = self.params.get('content')
        if self.missing:
            tracker.mark()
            return dict(volid=self.volid, content=content)
        self._transfer(tracker, None)
        return self._attributes(tracker, None, {'volid': self.volid, 'content': content})

    def update(self, tracker, current, desired):
        src = self.params.get('src')
        if src and int(current.get('size') or 0) != os.path.getsize(src):
            self._transfer(tracker, current)
        return self._attributes(tracker, current, dict(current))

    def _timeout(self):
        return self.params.get('timeout') or 600

    def _transfer(self, tracker, current):
        """Upload ``src`` or download ``url`` to the volume (check mode without either: assume the volume)."""
        client, params, node, storage, volid = self.client, self.params, self.node, self.storage, self.volid
        src, url, content, filename = params.get('src'), params.get('url'), params.get('content'), self.filename
        if src:
            _upload(client, tracker, node, storage, content, src, filename, params, self._timeout())
        elif url:
            upid = tracker.write(client.post, 'nodes', node, 'storage', storage, 'download-url', url=url,
                                 content=content, filename=filename, checksum=params.get('checksum'),
                                 **_opt({'checksum-algorithm': params.get('checksum_algorithm'),
                                         'verify-certificates': params.get('verify_certificates')}),
                                 _confirm=_volume_task(client, node, storage, volid, 'download'))
            if upid:
                client.wait(upid, timeout=self._timeout())
        elif self.check_mode:
            # A backup an earlier task of the play would make, say: its notes and protection are planned.
            tracker.assume('volume {0}'.format(volid), 'its notes and protection would be set')
            tracker.mark()
        else:
            raise errors.NotFoundError('volume {0} does not exist: give src or url to put it there'.format(volid))

    def _attributes(self, tracker, current, after):
        """A backup's notes and protection; returns the view after."""
        client, params, node, storage, volid = self.client, self.params, self.node, self.storage, self.volid
        if not self.check_mode and tracker.changed:
            current = content_view(find_volume(client, node, storage, volid))
            after = dict(current)
        current = current or {}
        attrs = {}
        if params.get('notes') is not None and current.get('notes', '') != params['notes']:
            attrs['notes'] = params['notes']
        if params.get('protected') is not None and bool(current.get('protected')) != params['protected']:
            attrs['protected'] = int(params['protected'])
        if attrs:
            if current.get('content', params.get('content') or _content_of(volid)) != 'backup':
                raise errors.InvalidArgumentError('notes and protected apply to backups only', field='protected')
            tracker.write(client.put, 'nodes', node, 'storage', storage, 'content', volid, **attrs,
                          _confirm=lambda lost: _volume_has(client, node, storage, volid, attrs))
            after.update(notes=attrs.get('notes', after.get('notes')))
            if 'protected' in attrs:
                after['protected'] = bool(attrs['protected'])
        return after


def ensure_content(pve):
    """pve.ops.storage_content: upload, download, annotate or delete one volume."""
    return Content(pve).run()


def _check_transfer(params):
    """The file name of an upload or download (or the one given), checked as PVE would before anything is sent."""
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
    return filename


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
    handle = open(src, 'rb', buffering=0)  # noqa: SIM115 - ChangeTracker.write enters and closes it (_open)
    handle.name = filename
    return handle


def _require_volume_visible(client, storage, volid):
    """A volume not listed may exist unseen: backups need their own privileges, other volumes the storage's."""
    owner = BACKUP_NAME.search(volid)
    if owner:
        require_backups_visible(client, storage, int(owner.group(2)), 'backup {0} exists'.format(volid))
    else:
        require_storage_visible(client, storage)


def _content_of(volid):
    """The content type a volume id names (backup-nfs:backup/vzdump-... -> backup), or None."""
    name = volid.split(':', 1)[-1]
    return name.split('/', 1)[0] if '/' in name else None


def _volume_has(client, node, storage, volid, attrs):
    """After a lost answer to PUT .../content/{volume}: whether the volume now has the notes and protection."""
    view = content_view(find_volume(client, node, storage, volid))
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


def content_view(item):
    """A volume as the modules show it: ``protected`` a bool (False for a backup that has none)."""
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
