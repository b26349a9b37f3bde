# SPDX-License-Identifier: AGPL-3.0-or-later
"""SFTP on the nodes' SSH endpoints (node_ssh.py): the backup storages' `dump/` directories, where a vzdump
archive copied in becomes a backup volume, as on PVE (the storage plugin lists the files of `dump/`).

- What a node's SFTP session sees: for each file-based storage enabled on the node whose content includes
  `backup`, its directory `<path>/dump` (`path` of a dir storage, `/mnt/pve/<id>` by default for nfs and
  cifs, as PVE mounts them). Every other path does not exist; symlinks and links are refused.
- The files are real: each storage's `dump/` is a directory of the simulator's own (a temporary directory
  made at start). A file whose name is a vzdump archive name (PVE's BACKUP_EXT pattern) becomes a backup
  volume once written and closed, or renamed to that name: size the file's, ctime the time in its name (in
  the node's time zone, as PVE's archive_info reads it), `subtype` from the name, and its sha256. Removing or
  renaming it away drops the volume; deleting the volume through the API removes the file.
- Restores: the volume carries the guest configuration read from the archive (archives.py: VMA header,
  tar's pct.conf); an archive pvesim cannot read (zstd, lzo, damaged) is listed and copied like any other, and a
  restore of it is refused saying why.
- Command `sha256sum -- <path>` (node_ssh.py runs it): the checksum of a file in a mapped directory, printed as
  GNU coreutils does. A backup the simulated vzdump made has no bytes here: that is refused, never invented.
- Rollbacks: the volumes' bytes are kept by checksum (content-addressed, never changed), so a volume a rollback
  brings back gets its file again; files of backup names no volume has are removed when a session starts.
"""

import calendar
import datetime
import errno
import hashlib
import os
import posixpath
import re
import shutil
import tempfile

import asyncssh
from fakepve.routing import split_list

from .archives import ArchiveError, read_archive

# PVE::Storage's archive name of a backup file (BACKUP_EXT with archive_info's parts).
ARCHIVE_FILE = re.compile(r'^vzdump-(qemu|lxc|openvz)-(\d+)-(\d{4})_(\d{2})_(\d{2})-(\d{2})_(\d{2})_(\d{2})'
                          r'\.(vma|tar)(?:\.(zst|gz|lzo))?$')


def _sha256(path):
    with open(path, 'rb') as handle:
        return hashlib.file_digest(handle, 'sha256').hexdigest()


class _DumpSftp(asyncssh.SFTPServer):
    """One session's SFTP server: the mapped dump directories only; writes become backup volumes."""

    def __init__(self, chan, sim, node):
        super().__init__(chan)
        self.sim, self.node = sim, node
        self._writing = {}
        sim.sync_dump_dirs()

    def _dirs(self):
        return self.sim.dump_dirs(self.node)

    def map_path(self, path):
        virtual = posixpath.normpath(posixpath.join('/root', path.decode('utf-8', 'surrogateescape')))
        for _sid, (shown, real) in self._dirs().items():
            if virtual == shown:
                return real.encode()
            if posixpath.dirname(virtual) == shown:
                return os.path.join(real, posixpath.basename(virtual)).encode()
        raise asyncssh.SFTPNoSuchFile('No such file or directory')

    def reverse_map_path(self, path):
        local = os.fsdecode(path)
        for _sid, (shown, real) in self._dirs().items():
            if local == real:
                return shown.encode()
            if os.path.dirname(local) == real:
                return posixpath.join(shown, os.path.basename(local)).encode()
        raise asyncssh.SFTPNoSuchFile('No such file or directory')

    def _where(self, path):
        """(storage id, file name) of a client path in a mapped directory."""
        local = os.fsdecode(self.map_path(path))
        for sid, (_shown, real) in self._dirs().items():
            if os.path.dirname(local) == real:
                return sid, os.path.basename(local)
        return None, None

    def open(self, path, pflags, attrs):
        handle = super().open(path, pflags, attrs)
        if pflags & (asyncssh.FXF_WRITE | asyncssh.FXF_APPEND | asyncssh.FXF_CREAT):
            self._writing[id(handle)] = self._where(path)
        return handle

    def close(self, file_obj):
        super().close(file_obj)
        sid, name = self._writing.pop(id(file_obj), (None, None))
        if sid:
            self._settle(sid, name)

    def _settle(self, sid, name):
        try:
            self.sim.dump_file_changed(sid, name, self.node)
        except OSError as exc:
            raise asyncssh.SFTPFailure(os.strerror(exc.errno) if exc.errno else str(exc)) from None

    def remove(self, path):
        sid, name = self._where(path)
        super().remove(path)
        self._settle(sid, name)

    def rename(self, oldpath, newpath):
        self._move(oldpath, newpath, posix=False)

    def posix_rename(self, oldpath, newpath):
        self._move(oldpath, newpath, posix=True)

    def _move(self, oldpath, newpath, posix):
        old, new = self._where(oldpath), self._where(newpath)
        if posix:
            super().posix_rename(oldpath, newpath)
        else:
            super().rename(oldpath, newpath)
        self._settle(*old)
        self._settle(*new)

    def symlink(self, oldpath, newpath):
        raise asyncssh.SFTPPermissionDenied('pvesim: links are not modelled')

    def link(self, oldpath, newpath):
        raise asyncssh.SFTPPermissionDenied('pvesim: links are not modelled')


class NodeSftpApi:
    """Mixin of PveSim: the backup storages' dump directories behind the nodes' SFTP."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._dump_root = None

    def sftp_factory(self, node):
        """The SFTP server factory of node's SSH endpoint."""
        return lambda chan: _DumpSftp(chan, self, node)

    def _dump_base(self):
        if self._dump_root is None:
            self._dump_root = tempfile.mkdtemp(prefix='pvesim-dump-')
        return self._dump_root

    async def stop(self, *args, **kwargs):
        await super().stop(*args, **kwargs)
        if self._dump_root is not None:
            shutil.rmtree(self._dump_root, ignore_errors=True)
            self._dump_root = None

    def dump_dirs(self, node=None):
        """{storage id: (the dump directory as the node shows it, the simulator's directory)} of the storages
        that take backups in files (on node, when given)."""
        out = {}
        for sid, store in sorted(self.storages.items()):
            spec = self._spec(store)
            if not (spec and spec['files']) or 'backup' not in split_list(store.get('content')):
                continue
            if node is not None and (store.get('disable') or (split_list(store.get('nodes'))
                                                              and node not in split_list(store.get('nodes')))):
                continue
            real = os.path.join(self._dump_base(), 'storages', sid, 'dump')
            os.makedirs(real, exist_ok=True)
            out[sid] = (posixpath.join(self._base_path(sid), 'dump'), real)
        return out

    def _blob(self, digest):
        folder = os.path.join(self._dump_base(), 'blobs')
        os.makedirs(folder, exist_ok=True)
        return os.path.join(folder, digest)

    def sync_dump_dirs(self):
        """Make the directories hold what the volumes say (after API deletes and rollbacks)."""
        for sid, (_shown, real) in self.dump_dirs().items():
            volumes = self.storages[sid].get('volumes', {})
            for name in os.listdir(real):
                vol = volumes.get('backup/' + name)
                if ARCHIVE_FILE.match(name) and not (vol and vol.get('sha256')):
                    os.unlink(os.path.join(real, name))
            for volname, vol in volumes.items():
                path = os.path.join(real, volname.split('/', 1)[1])
                if vol.get('sha256') and not os.path.exists(path) and os.path.exists(self._blob(vol['sha256'])):
                    os.link(self._blob(vol['sha256']), path)

    def dump_file_changed(self, sid, name, node):
        """A file of a dump directory was written, renamed or removed: the backup volume follows it."""
        if not (sid and ARCHIVE_FILE.match(name)):
            return
        volname = 'backup/' + name
        real = os.path.join(self.dump_dirs()[sid][1], name)
        if self._volumes(sid).get(volname) is not None:
            self._drop_volume(sid, volname)
        if not os.path.exists(real):
            return
        digest = _sha256(real)
        if not os.path.exists(self._blob(digest)):
            os.link(real, self._blob(digest))
        found = ARCHIVE_FILE.match(name)
        kind, fmt = found.group(1), found.group(9) + ('.' + found.group(10) if found.group(10) else '')
        stamp = datetime.datetime(*(int(found.group(i)) for i in range(3, 9)), tzinfo=self._node_tz(node))
        vol = {'content': 'backup', 'format': fmt, 'size': os.path.getsize(real),
               'ctime': calendar.timegm(stamp.utctimetuple()), 'vmid': int(found.group(2)), 'subtype': kind,
               'sha256': digest}
        try:
            vol['archive'] = read_archive(real, kind, fmt)
        except ArchiveError as exc:
            vol['unreadable'] = str(exc)
        try:
            self._put_volume(sid, volname, vol)
        except Exception:
            os.unlink(real)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)) from None

    def dump_sha256(self, node, path):
        """(exit status, stdout, stderr) of `sha256sum -- path` on node."""
        self.sync_dump_dirs()
        virtual = posixpath.normpath(path)
        for sid, (shown, real) in self.dump_dirs(node).items():
            if posixpath.dirname(virtual) == shown:
                name = posixpath.basename(virtual)
                local = os.path.join(real, name)
                if os.path.isfile(local):
                    return 0, '{0}  {1}\n'.format(_sha256(local), path), ''
                if self._volumes(sid).get('backup/' + name) is not None:
                    return 1, '', ('pvesim: {0} was made by the simulated vzdump, which keeps no archive bytes; '
                                   'its checksum is not simulated\n'.format(path))
        return 1, '', 'sha256sum: {0}: No such file or directory\n'.format(path)
