# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A vzdump archive copied onto a backup storage (pve.ops.backup_archive).

PVE's upload API takes ISO images, container templates and import files only, so a backup made elsewhere is
copied the way administrators do it: over SFTP into the storage's ``dump/`` directory on a node (ssh.py, the
host key verified), where PVE's storage plugin lists it as a backup volume.

- The storage must take ``backup`` content in files PVE keeps under a path: ``dir`` (its ``path``), ``nfs``
  and ``cifs`` (their ``path``, by default ``/mnt/pve/<storage>``, where PVE mounts them).
- The file name must be a vzdump archive name (PVE::Storage's pattern), or PVE would not list it.
- The copy goes to a hidden temporary name in ``dump/``, its sha256 is computed on the node (``sha256sum --
  <path>``: a fixed command; the path is the storage's and a name of letters, digits, ``_``, ``-`` and ``.``)
  and compared with the local file's, and only then is it renamed to its name: a failed or corrupted copy is
  never listed. Then ``GET .../content?content=backup`` must list it.
- The same name with the same content is no change (and no write); other content is refused unless ``force``.
- ``absent`` deletes the volume through the API (``DELETE .../content/{volume}``, a task).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import secrets
import time

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.nodes import power
from ansible_collections.pve.ops.plugins.module_utils.nodes.ssh import NodeShell, node_address
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource, listed
from ansible_collections.pve.ops.plugins.module_utils.storage.content import content_view, list_content
from ansible_collections.pve.ops.plugins.module_utils.storage.definitions import (
    get_storage,
    require_backups_visible,
    require_storage_visible,
)
from ansible_collections.pve.ops.plugins.module_utils.tasks import find_started_task

try:
    import asyncssh
except ImportError:  # pragma: no cover - NodeShell says it is needed
    asyncssh = None

# PVE::Storage's vzdump archive names (BACKUP_EXT and archive_info).
ARCHIVE_NAME = re.compile(r'^vzdump-(qemu|lxc)-([1-9]\d{2,8})-(\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2})'
                          r'\.(vma|tar)(?:\.(zst|gz|lzo))?$')
# Storage types whose backups are files under a path PVE knows.
PATH_TYPES = ('dir', 'nfs', 'cifs')
SHA256SUM = ['sha256sum', '--']
CHUNK = 1024 * 1024


def check_name(name):
    """The archive's file name, checked as PVE parses it; InvalidArgumentError naming ``name`` otherwise."""
    found = ARCHIVE_NAME.match(name or '')
    if not found:
        raise errors.InvalidArgumentError(
            'name {0!r} is not a vzdump archive name: vzdump-{{qemu,lxc}}-<vmid>-<YYYY_MM_DD-HH_MM_SS>.{{vma,tar}}'
            '[.zst|.gz|.lzo] (PVE lists no other file of dump/ as a backup)'.format(name), field='name')
    kind, ext = found.group(1), found.group(4)
    if (kind == 'qemu') != (ext == 'vma'):
        raise errors.InvalidArgumentError('name {0!r}: a {1} backup is a .{2} archive'.format(
            name, kind, 'vma' if kind == 'qemu' else 'tar'), field='name')
    return int(found.group(2))


def local_sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(CHUNK), b''):
            digest.update(block)
    return digest.hexdigest()


def dump_dir(cfg, storage):
    """The storage's dump/ directory on the node; InvalidArgumentError for a storage that has none."""
    kind = cfg.get('type')
    if kind not in PATH_TYPES:
        raise errors.InvalidArgumentError(
            "storage {0!r} is a {1} storage: archives are copied into the dump/ directory of a dir, nfs or cifs "
            'storage only'.format(storage, kind), field='storage')
    content = [c.strip() for c in str(cfg.get('content') or '').split(',')]
    if 'backup' not in content:
        raise errors.InvalidArgumentError("storage {0!r} does not take backup content (its content: {1})".format(
            storage, cfg.get('content') or 'none'), field='storage')
    path = cfg.get('path') or ('/mnt/pve/' + storage if kind != 'dir' else None)
    if not path:
        raise errors.InvalidArgumentError('storage {0!r} has no path'.format(storage), field='storage')
    return posixpath.join(path, 'dump')


class Archive(Resource):
    """A backup volume whose bytes are a file of the controller."""
    noun = 'archive'

    def read(self):
        params, client = self.params, self.client
        self.name = params.get('name') or (os.path.basename(params['src']) if params.get('src') else None)
        if not self.name:
            raise errors.InvalidArgumentError('give name (or src, whose file name it is by default)', field='name')
        self.vmid = check_name(self.name)
        src = params.get('src')
        if not self.wants_absent():
            if not src:
                raise errors.InvalidArgumentError('state present needs src, the archive on the controller',
                                                  field='src')
            if not os.path.isfile(src):
                raise errors.InvalidArgumentError('src {0!r} is not a readable file'.format(src), field='src')
        self.node, self.storage = params['node'], params['storage']
        self.volid = '{0}:backup/{1}'.format(self.storage, self.name)
        self.extra.update(volid=self.volid, node=self.node)
        cfg = get_storage(client, self.storage)
        if cfg is None:
            require_storage_visible(client, self.storage)
            raise errors.NotFoundError('storage {0!r} does not exist'.format(self.storage))
        self.path = posixpath.join(dump_dir(cfg, self.storage), self.name)
        entry, _status = power.node_entry(client, self.node)
        if not entry.get('online'):
            raise errors.InvalidArgumentError('node: {0} is offline'.format(self.node), field='node')
        current = self._listed()
        if current is None:
            require_backups_visible(client, self.storage, self.vmid, 'backup {0} exists'.format(self.volid))
        elif not self.wants_absent() and int(current.get('size') or 0) == os.path.getsize(src):
            # Same size: the content is compared by checksum, read on the node (a read: check mode too).
            current['sha256'] = self._remote_sha256(self.path)
        return current

    def _listed(self):
        return content_view(listed(list_content(self.client, self.node, self.storage, content='backup'),
                                   'volid', self.volid)) or None

    def _shell(self):
        if getattr(self, '_node_shell', None) is None:
            host = self.params.get('ssh_host') or node_address(self.client, self.node)
            self._node_shell = NodeShell(self.params, host)
        return self._node_shell

    def _remote_sha256(self, path):
        out = self._shell().run(SHA256SUM + [path])[1]
        return out.split()[0].lower() if out.split() else None

    def diff_view(self, view):
        if not view:
            return {}
        return dict((k, view.get(k)) for k in ('volid', 'size', 'sha256') if view.get(k) is not None)

    def desired(self, current):
        src = self.params['src']
        self.sha256 = local_sha256(src)
        return {'volid': self.volid, 'size': os.path.getsize(src), 'sha256': self.sha256}

    def create(self, tracker, desired):
        self._copy(tracker)
        return self._after(tracker, dict(desired, content='backup', vmid=self.vmid, format=self._format(),
                                         subtype=ARCHIVE_NAME.match(self.name).group(1)))

    def update(self, tracker, current, desired):
        if current.get('sha256') == desired['sha256']:
            return dict(current, path=self.path)
        if not self.params.get('force'):
            raise errors.InvalidArgumentError(
                'backup {0} is there with other content (size {1}, sha256 {2}; the file: size {3}, sha256 {4}): '
                'force: true replaces it'.format(self.volid, current.get('size'), current.get('sha256') or 'not read',
                                                 desired['size'], desired['sha256']), field='force')
        if current.get('protected'):
            raise errors.InvalidArgumentError('backup {0} is protected: remove its protection first '
                                              '(pve.ops.storage_content protected: false)'.format(self.volid),
                                              field='force')
        self._copy(tracker)
        return self._after(tracker, dict(current, **desired))

    def delete(self, tracker, current):
        if current.get('protected') and not self.params.get('force'):
            raise errors.InvalidArgumentError(
                'backup {0} is protected: set force: true to remove the protection and delete it'.format(self.volid),
                field='force')
        client, node, storage, volid = self.client, self.node, self.storage, self.volid
        if current.get('protected'):
            tracker.write(client.put, 'nodes', node, 'storage', storage, 'content', volid, protected=0)

        def confirm(lost):
            return find_started_task(client, node, 'imgdel', lost.sent_at) or self._listed() is None
        upid = tracker.write(client.delete, 'nodes', node, 'storage', storage, 'content', volid, _confirm=confirm)
        if upid:
            client.wait(upid, timeout=self.params.get('timeout') or 600)

    def _format(self):
        found = ARCHIVE_NAME.match(self.name)
        return found.group(4) + ('.' + found.group(5) if found.group(5) else '')

    def _copy(self, tracker):
        size = os.path.getsize(self.params['src'])

        def confirm(lost):
            after = self._listed()
            return bool(after) and int(after.get('size') or 0) == size and \
                self._remote_sha256(self.path) == self.sha256
        tracker.write(self._put, _confirm=confirm)

    def _put(self):
        """Copy src to a temporary name in dump/, verify its sha256 there, then rename it to its name."""
        src, final = self.params['src'], self.path
        temp = posixpath.join(posixpath.dirname(final), '.{0}.pveops-{1}.part'.format(self.name, secrets.token_hex(8)))
        shell = self._shell()

        async def copy(sftp):
            try:
                await sftp.put(src, temp)
            except BaseException:
                await _remove_quietly(sftp, temp)
                raise
        shell.sftp(copy)
        try:
            got = self._remote_sha256(temp)
        except errors.PveOpsError:
            shell.sftp(lambda sftp: _remove_quietly(sftp, temp))
            raise
        if got != self.sha256:
            shell.sftp(lambda sftp: _remove_quietly(sftp, temp))
            raise errors.PveOpsError('the copy of {0} on node {1} has sha256 {2}, the file {3}: nothing was '
                                     'renamed into place'.format(src, self.node, got, self.sha256))
        sent_at = time.time()

        async def rename(sftp):
            try:
                await sftp.posix_rename(temp, final)
            except asyncssh.SFTPError:
                raise
            except (OSError, asyncssh.Error) as exc:
                raise errors.AnswerLostError('sftp rename {0} -> {1}: {2}'.format(temp, final, exc), method='SFTP',
                                             path=final, sent_at=sent_at) from None
        shell.sftp(rename)

    def _after(self, tracker, predicted):
        """The volume as PVE lists it after the copy (predicted in check mode)."""
        if not self.wrote(tracker):
            return dict(predicted, path=self.path)
        after = self._listed()
        if after is None:
            raise errors.PveOpsError('{0} was copied to {1} on node {2}, but PVE does not list it as a backup of '
                                     'storage {3}'.format(self.params['src'], self.path, self.node, self.storage))
        return dict(after, sha256=self.sha256, path=self.path)


async def _remove_quietly(sftp, path):
    try:
        await sftp.remove(path)
    except asyncssh.SFTPError:
        pass


def ensure_archive(pve):
    """pve.ops.backup_archive: a vzdump archive of the controller on a backup storage, or deleted."""
    return Archive(pve).run()
