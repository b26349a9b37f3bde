# SPDX-License-Identifier: AGPL-3.0-or-later
"""Backups: vzdump, restores, prune, backup jobs, and uploads that verify their checksum.

Follows pve-manager (PVE/API2/VZDump.pm, PVE/VZDump.pm, PVE/API2/Backup.pm), qemu-server and
pve-container (restore through the create calls) and pve-storage (prune_mark_backup_group,
API2/Storage/Status.pm upload):

- POST /nodes/{node}/vzdump is a `vzdump` task that backs up the guests of that node (others
  are skipped as "external", as PVE does) to a file storage: one volume per guest named
  `backup/vzdump-<qemu|lxc>-<vmid>-<YYYY_MM_DD-HH_MM_SS>.<vma|tar>[.zst|.gz|.lzo]`, carrying a
  copy of the guest's config (the archive), notes from the notes template and the protected
  flag; then, unless remove=0, it prunes the guest's backups by the retention given or the
  storage's `prune-backups`. The guest holds the `backup` lock while the task runs.
- GET /nodes/{node}/vzdump/extractconfig: the config file inside a backup.
- POST /nodes/{node}/qemu with `archive` (task `qmrestore`) and POST /nodes/{node}/lxc with
  `restore=1` (task `vzrestore`) recreate the guest from the archive: new disks on the target
  storage (or the original one), new vmgenid, new MACs with unique=1, `force` to overwrite a
  stopped guest of the same id.
- GET /nodes/{node}/storage/{storage}/prunebackups lists what the keep rules keep and remove;
  DELETE removes it (task `prunebackups`); protected backups are never removed.
- /cluster/backup: the backup jobs (jobs.cfg), created, read, updated and deleted.
- POST /nodes/{node}/storage/{storage}/upload: fakepve's upload plus PVE's checks of the file
  name and the checksum; a mismatch fails the task and leaves nothing on the storage.

Backups live on one storage entry for the whole cluster (fakepve keeps one set of volumes per
storage id), so a non-shared storage such as `local` shows the same backups on every node.
Times are UTC.
"""

import copy
import datetime
import email.parser
import email.policy
import hashlib
import re
import secrets
import time
import uuid
import zoneinfo

from fakepve import FakeCt, FakeVm, PveError, TaskError
from fakepve.lxc import SIZE_UNITS, format_size, mount_type, parse_mount, parse_size, print_mount, random_mac
from fakepve.qemu import CREATE_ONLY as QM_CREATE_ONLY
from fakepve.qemu import DRIVE_KEY, is_cdrom, join_drive, split_drive, volume_ref, with_mac
from fakepve.routing import StatefulRoutes, die, param_error, split_list

GIB = 1024 ** 3
KEEP_OPTIONS = ('keep-last', 'keep-hourly', 'keep-daily', 'keep-weekly', 'keep-monthly', 'keep-yearly')
BACKUP_NAME = re.compile(r'^backup/vzdump-(qemu|lxc|openvz)-(\d+)-(\d{4})_(\d{2})_(\d{2})-(\d{2})_(\d{2})_(\d{2})'
                         r'\.(vma|tar)(?:\.(zst|gz|lzo))?$')
COMPRESS_EXT = {'0': '', '1': '.lzo', 'lzo': '.lzo', 'gzip': '.gz', 'zstd': '.zst'}
# The share of a guest's disk space a backup takes: uncompressed, and compressed.
RAW_RATIO = 0.25
COMPRESSED_RATIO = 0.1
MIB = 1024 ** 2
# Container create parameters that are not config keys (pve-container's create API).
CT_CREATE_ONLY = ('node', 'vmid', 'ostemplate', 'storage', 'password', 'ssh-public-keys', 'ignore-unpack-errors',
                  'bwlimit', 'start', 'ha-managed', 'force', 'restore', 'unique', 'pool')
# Config keys a backup does not carry.
ARCHIVE_SKIP = ('lock', 'snapstate', 'parent', 'digest')
UPLOAD_EXT = {'iso': r'\.(?:iso|img)$', 'vztmpl': r'\.tar\.(?:gz|xz|zst|bz2)$',
              'import': r'\.(?:ova|ovf|qcow2|raw|vmdk)$'}
JOB_ID_PREFIX = 'backup-'


# ------------------------------------------------------------------ keep rules

def parse_prune_backups(text, field='prune-backups'):
    """The keep options of a prune-backups property string: {'keep-last': 3, ...}; PVE's 400 when invalid."""
    keep = {}
    for item in split_list(str(text or '').replace(',', ' ')):
        key, eq, value = item.partition('=')
        if not eq or key not in KEEP_OPTIONS + ('keep-all',):
            raise param_error(**{field: "invalid format - unknown property '{0}'".format(key if eq else item)})
        if not re.fullmatch(r'\d+', value) or (key != 'keep-all' and int(value) < 1) or \
                (key == 'keep-all' and value not in ('0', '1')):
            raise param_error(**{field: "invalid format - {0}: value must be a positive integer".format(key)
                                 if key != 'keep-all' else 'invalid format - keep-all: not a boolean'})
        keep[key] = int(value)
    if keep.get('keep-all') and any(k != 'keep-all' for k in keep):
        raise param_error(**{field: 'keep-all cannot be set together with other options.'})
    return keep


PERIOD_FORMAT = {'keep-hourly': '%H/%d/%m/%Y', 'keep-daily': '%d/%m/%Y', 'keep-weekly': '%V/%G',
                 'keep-monthly': '%m/%Y', 'keep-yearly': '%Y'}


def _period(rule, ctime, tz):
    if rule == 'keep-last':
        return ctime
    return datetime.datetime.fromtimestamp(ctime, tz).strftime(PERIOD_FORMAT[rule])


def mark_backup_group(entries, keep, tz=datetime.UTC):
    """Mark the backups of one guest as PVE's prune_mark_backup_group does.

    entries: dicts with `ctime` and an optional `mark` ('protected' entries keep it and count for
    no rule). Each keep rule, in the order last, hourly, daily, weekly, monthly, yearly, keeps the
    newest backup of each of its newest N periods not yet covered by a kept backup; everything
    else is marked 'remove'. keep-all, or no positive rule, keeps everything. Changes entries.
    """
    rules = [k for k in KEEP_OPTIONS if keep.get(k, 0) > 0]
    if keep.get('keep-all') or not rules:
        for entry in entries:
            if not entry.get('mark') or entry['mark'] == 'remove':
                entry['mark'] = 'keep'
        return entries
    ordered = sorted(entries, key=lambda e: -e['ctime'])
    for rule in rules:
        count = keep[rule]
        covered = set(_period(rule, e['ctime'], tz) for e in ordered if e.get('mark') == 'keep')
        taken = set()
        for entry in ordered:
            period = _period(rule, entry['ctime'], tz)
            if entry.get('mark') or period in covered:
                continue
            if period in taken:
                entry['mark'] = 'remove'
                continue
            if len(taken) >= count:
                break
            taken.add(period)
            entry['mark'] = 'keep'
    for entry in ordered:
        entry.setdefault('mark', 'remove')
        if entry['mark'] is None:
            entry['mark'] = 'remove'
    return entries


def _bytes(text):
    found = re.match(r'^(\d+(?:\.\d+)?)([KMGT]?)$', str(text or ''))
    if not found:
        return 0
    return int(float(found.group(1)) * SIZE_UNITS.get(found.group(2), 1))


def _prop(value, name):
    for part in str(value).split(',')[1:]:
        key, _eq, val = part.partition('=')
        if key == name:
            return val
    return None


def config_text(config):
    """A guest config as its file reads: the description as # comments, then `key: value` lines."""
    lines = ['#' + line for line in str(config.get('description', '')).split('\n')] \
        if config.get('description') else []
    for key in sorted(config):
        if key != 'description':
            lines.append('{0}: {1}'.format(key, config[key]))
    return '\n'.join(lines) + '\n'


class BackupsApi(StatefulRoutes):
    """Mixin of PveSim: vzdump, restores, prune, backup jobs, checked uploads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # jobs.cfg's vzdump jobs: id -> options as PVE returns them.
        self.backup_jobs = {}
        # PVE seconds a backup or a restore of one guest takes.
        self.vzdump_secs = 2
        self.restore_secs = 2

    def _routes_backups(self):
        store = '/nodes/{node}/storage/{storage}/prunebackups'
        return [('POST', '/nodes/{node}/vzdump', self._vzdump),
                ('GET', '/nodes/{node}/vzdump/extractconfig', self._extractconfig),
                ('GET', store, self._prune_list), ('DELETE', store, self._prune_run),
                ('GET', '/cluster/backup', self._job_list), ('POST', '/cluster/backup', self._job_create),
                ('GET', '/cluster/backup/{id}', self._job_read), ('PUT', '/cluster/backup/{id}', self._job_update),
                ('DELETE', '/cluster/backup/{id}', self._job_delete)]

    # --------------------------------------------------------------- state

    def _save_backup_jobs(self):
        return self.backup_jobs

    def _restore_backup_jobs(self, data):
        self.backup_jobs = dict((k, dict(v)) for k, v in (data or {}).items())

    def _item(self, name, volname, vol):
        item = super()._item(name, volname, vol)
        if vol.get('content') == 'backup':
            found = BACKUP_NAME.match(volname)
            subtype = vol.get('subtype') or (found and found.group(1))
            if subtype:
                item['subtype'] = subtype
        return item

    def _node_tz(self, node):
        """The node's time zone (backup file names and prune periods are in local time, as on PVE)."""
        name = (getattr(self, 'node_settings', {}).get(node) or {}).get('timezone') or 'UTC'
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return datetime.UTC

    # ---------------------------------------------------------------- helpers

    async def _worker(self, node, ttype, tid, user, body, log=()):
        """fakepve's task(), with body(lines) handed the task's own log to append to as it runs.

        With time_scale 0 the body runs inside task(), before anything else can start a task, so the
        newest task is its own; otherwise task() returns first and the record is handed over.
        """
        holder = {}

        async def run():
            record = holder.get('record') or self.tasklog[-1]
            return await body(record['log'])
        upid = await self.task(node, ttype, tid, user, run, log=log)
        holder['record'] = self.tasks[upid]
        return upid

    def _backup_store(self, sid, node):
        """The storage a backup goes to: exists, enabled on the node, file based, takes backups."""
        if sid not in self.storages:
            raise die("storage '{0}' does not exist".format(sid))
        store = self._active_store(sid, node)
        spec = self._spec(store)
        if not (spec and spec['files']):
            raise die("can't use storage type '{0}' for backup".format(store.get('type')))
        if 'backup' not in split_list(store.get('content')):
            raise die("can't use storage '{0}' for backups - wrong content type".format(sid))
        return store

    @staticmethod
    def _spec(store):
        from fakepve.storage import spec_of
        return spec_of(store)

    @staticmethod
    def _guest_kind(guest):
        return 'lxc' if isinstance(guest, FakeCt) else 'qemu'

    def _disk_bytes(self, guest):
        total = 0
        for key, value in guest.config.items():
            if re.fullmatch(r'(ide|sata|scsi|virtio)\d+|efidisk0|tpmstate0|rootfs|mp\d+', key):
                if 'media=cdrom' in str(value):
                    continue
                total += _bytes(_prop(value, 'size'))
        return total

    def _backups(self, sid):
        """{volname: volume} of the storage's backup volumes."""
        return dict((n, v) for n, v in self._volumes(sid).items() if v.get('content') == 'backup')

    def add_backup(self, storage, vmid, ctime, kind='qemu', config=None, protected=False, notes=None, size=MIB):
        """Put a backup volume on a storage (for seeds and tests): returns its volid."""
        stamp = time.strftime('%Y_%m_%d-%H_%M_%S', time.gmtime(ctime))
        volname = 'backup/vzdump-{0}-{1}-{2}.{3}.zst'.format(kind, vmid, stamp, 'vma' if kind == 'qemu' else 'tar')
        vol = {'content': 'backup', 'format': ('vma' if kind == 'qemu' else 'tar') + '.zst', 'size': size,
               'ctime': int(ctime), 'vmid': int(vmid), 'subtype': kind,
               'archive': {'type': kind, 'config': dict(config or {})}}
        if protected:
            vol['protected'] = True
        if notes:
            vol['notes'] = notes
        self._put_volume(storage, volname, vol)
        return '{0}:{1}'.format(storage, volname)

    def _put_volume(self, sid, volname, vol):
        store = self.storages[sid]
        if vol['size'] > store.get('avail', float('inf')):
            raise TaskError("unable to write to storage '{0}': No space left on device".format(sid))
        store.setdefault('volumes', {})[volname] = vol
        if 'avail' in store:
            store['avail'] -= vol['size']

    def _drop_volume(self, sid, volname):
        store = self.storages[sid]
        vol = store.get('volumes', {}).pop(volname, None)
        if vol is not None and 'avail' in store:
            store['avail'] += int(vol.get('size') or 0)

    def _archive(self, volid, user=None):
        """(storage id, volname, volume) of a backup volume id; PVE's errors when it is not one."""
        sid, colon, volname = str(volid).partition(':')
        if not colon:
            raise param_error(archive="unable to parse volume ID '{0}'".format(volid))
        store = self._store(sid)
        vtype, owner, _fmt = self._parse_volname(store, volname)
        if vtype != 'backup':
            raise die("unable to use volume {0} - content type needs to be 'backup'".format(volid))
        if user is not None:
            self._check_access(user, sid, vtype, owner, volid)
        vol = self._volumes(sid).get(volname)
        if vol is None:
            raise die("volume '{0}' does not exist".format(volid))
        if vol.get('unreadable'):
            raise die("pvesim: cannot read the configuration in backup '{0}': {1}; it cannot be restored here"
                      .format(volid, vol['unreadable']))
        if not vol.get('archive'):
            raise die("pvesim: backup '{0}' holds no guest configuration (it was not made by vzdump here); "
                      'it cannot be restored'.format(volid))
        return sid, volname, vol

    # ----------------------------------------------------------------- vzdump

    def _selection(self, v, node):
        """(guests on this node to back up, vmids missing, vmids on other nodes) of a vzdump request."""
        if v.get('all') and v.get('vmid'):
            raise param_error(all="option conflicts with option 'vmid'")
        if v.get('pool') and v.get('vmid'):
            raise param_error(pool="option conflicts with option 'vmid'")
        if v.get('exclude') and not v.get('all'):
            raise param_error(exclude="option only makes sense in combination with option 'all'")
        if not (v.get('all') or v.get('pool') or v.get('vmid') or v.get('stop')):
            raise param_error(vmid='property is missing')
        guests = self._guests()
        if v.get('all'):
            excluded = set(int(x) for x in split_list(v.get('exclude')))
            chosen = [g.vmid for g in guests if g.vmid not in excluded]
        elif v.get('pool'):
            if v['pool'] not in self.pools:
                raise die("pool '{0}' does not exist".format(v['pool']))
            chosen = sorted(self.pools[v['pool']])
        else:
            chosen = [int(x) for x in split_list(v.get('vmid'))]
        local, missing, external = [], [], []
        for vmid in sorted(set(chosen)):
            guest = self.guest(vmid)
            if guest is None:
                missing.append(vmid)
            elif guest.node != node:
                external.append(vmid)
            else:
                local.append(guest)
        return local, missing, external

    async def _vzdump(self, v, user):
        node = v['node']
        if v.get('stdout'):
            raise param_error(stdout='stdout is only allowed on the command line')
        for key in ('dumpdir', 'tmpdir', 'script', 'job-id'):
            if v.get(key) is not None and user != 'root@pam':
                raise param_error(**{key: 'Only root may set this option.'})
        if v.get('dumpdir'):
            raise die('pvesim: backups to a dumpdir are not simulated; give a storage')
        sid = v.get('storage') or 'local'
        store = self._backup_store(sid, node)
        self.require(user, '/storage/' + sid, 'Datastore.AllocateSpace')
        if v.get('prune-backups') is not None:
            self.require(user, '/storage/' + sid, 'Datastore.Allocate')
            keep = parse_prune_backups(v['prune-backups'])
        else:
            keep = parse_prune_backups(store.get('prune-backups') or 'keep-all=1')
        local, missing, external = self._selection(v, node)
        for guest in local:
            self.require(user, '/vms/{0}'.format(guest.vmid), 'VM.Backup')
        for vmid in missing:
            self.require(user, '/vms/{0}'.format(vmid), 'VM.Backup')
        mode = v.get('mode') or 'snapshot'
        compress = str(v.get('compress') if v.get('compress') is not None else '0')
        ident = str(local[0].vmid) if len(local) + len(missing) == 1 and local else ''
        command = 'vzdump {0}'.format(' '.join(str(g.vmid) for g in local) if v.get('vmid') else
                                      '--all 1' if v.get('all') else '--pool ' + str(v.get('pool')))
        log = ['INFO: starting new backup job: {0} --storage {1} --mode {2} --compress {3}'.format(
            command, sid, mode, compress)]
        if external:
            log.append('INFO: skip external VMs: {0}'.format(', '.join(str(x) for x in external)))

        async def body(lines):
            failed = []
            for vmid in missing:
                lines.append("ERROR: Backup of VM {0} failed - unable to find VM '{0}'".format(vmid))
                failed.append(vmid)
            for guest in local:
                try:
                    await self._backup_one(guest, sid, mode, compress, v, keep, lines)
                except TaskError as e:
                    lines.append('ERROR: Backup of VM {0} failed - {1}'.format(guest.vmid, e))
                    failed.append(guest.vmid)
            if failed:
                raise TaskError('job errors')
            return 'INFO: Backup job finished successfully'
        return await self._worker(node, 'vzdump', ident, user, body, log=log)

    async def _backup_one(self, guest, sid, mode, compress, v, keep, log):
        kind = self._guest_kind(guest)
        label = 'VM' if kind == 'qemu' else 'CT'
        log.append('INFO: Starting Backup of VM {0} ({1})'.format(guest.vmid, kind))
        if guest.lock:
            raise TaskError('VM is locked ({0})'.format(guest.lock))
        if getattr(guest, 'lock_holder', None) is not None:
            raise TaskError("can't lock file '/var/lock/qemu-server/lock-{0}.conf' - got timeout".format(guest.vmid))
        was = guest.status
        guest.lock_holder = 'vzdump'
        guest.lock = 'backup'
        if kind == 'qemu':
            guest.config['lock'] = 'backup'
        try:
            if was == 'running' and mode in ('stop', 'suspend'):
                log.append('INFO: {0} {1} ...'.format('stopping' if mode == 'stop' else 'suspending', label))
                guest.status = 'stopped' if mode == 'stop' else guest.status
            await self.pause(self.vzdump_secs)
            ctime = int(time.time())
            ext = ('vma' if kind == 'qemu' else 'tar') + COMPRESS_EXT.get(compress, '')
            while True:
                stamp = datetime.datetime.fromtimestamp(ctime, self._node_tz(guest.node)).strftime(
                    '%Y_%m_%d-%H_%M_%S')
                volname = 'backup/vzdump-{0}-{1}-{2}.{3}'.format(kind, guest.vmid, stamp, ext)
                if volname not in self._volumes(sid):
                    break
                ctime += 1
            log.append("INFO: creating vzdump archive '{0}'".format(self._volume_path(sid, volname, 'backup')))
            config = dict((k, copy.deepcopy(x)) for k, x in guest.config.items() if k not in ARCHIVE_SKIP)
            ratio = COMPRESSED_RATIO if COMPRESS_EXT.get(compress) else RAW_RATIO
            size = max(MIB, int(self._disk_bytes(guest) * ratio))
            vol = {'content': 'backup', 'format': ext, 'size': size, 'ctime': ctime, 'vmid': guest.vmid,
                   'subtype': kind, 'archive': {'type': kind, 'config': config, 'node': guest.node}}
            if kind == 'qemu' and self._disk_images(config):
                vol['archive']['images'] = self._disk_images(config)  # what the disks hold (guest_images.py)
            notes = self._notes(v.get('notes-template'), guest)
            if notes:
                vol['notes'] = notes
            if v.get('protected'):
                vol['protected'] = True
            self._put_volume(sid, volname, vol)
        finally:
            guest.status = was
            guest.lock = None
            if kind == 'qemu':
                guest.config.pop('lock', None)
            guest.lock_holder = None
        volid = '{0}:{1}'.format(sid, volname)
        log.append('INFO: archive file size: {0}'.format(format_size(size)))
        if notes:
            log.append('INFO: adding notes to backup')
        if v.get('protected'):
            log.append('INFO: marking backup as protected')
        if v.get('remove', 1) and not keep.get('keep-all') and any(keep.values()):
            log.append('INFO: prune older backups with retention: {0}'.format(
                ', '.join('{0}={1}'.format(k, keep[k]) for k in KEEP_OPTIONS if keep.get(k))))
            removed = self._prune(sid, keep, kind, guest.vmid, log, self._node_tz(guest.node))
            log.append('INFO: pruned {0} backup(s)'.format(len(removed)) if removed else
                       'INFO: pruned 0 backup(s)')
        log.append('INFO: Finished Backup of VM {0} (00:00:{1:02d})'.format(guest.vmid, int(self.vzdump_secs)))
        return volid

    def _notes(self, template, guest):
        if not template:
            return None
        info = {'cluster': self.cluster_name, 'guestname': guest.name, 'node': guest.node, 'vmid': str(guest.vmid)}
        text = re.sub(r'\\(.)', lambda m: {'\\': '\\', 'n': '\n'}.get(m.group(1), m.group(0)), template)
        return re.sub(r'\{\{(cluster|guestname|node|vmid)\}\}', lambda m: info[m.group(1)], text)

    async def _extractconfig(self, v, user):
        _sid, _volname, vol = self._archive(v['volume'], user)
        return config_text(vol['archive']['config'])

    # ------------------------------------------------------------------ prune

    def _prune_plan(self, sid, keep, kind=None, vmid=None, tz=datetime.UTC):
        """PVE's prune listing: [{volid, ctime, mark, type, vmid}] of the storage's backups."""
        groups, out = {}, []
        for volname, vol in sorted(self._backups(sid).items()):
            found = BACKUP_NAME.match(volname)
            entry = {'volid': '{0}:{1}'.format(sid, volname), 'ctime': int(vol.get('ctime') or 0)}
            if found:
                entry.update(type=found.group(1), vmid=int(found.group(2)))
            else:
                entry.update(type=vol.get('subtype') or 'unknown', mark='renamed')
                if vol.get('vmid') is not None:
                    entry['vmid'] = vol['vmid']
            if (kind and entry['type'] != kind) or (vmid is not None and entry.get('vmid') != vmid):
                continue
            if vol.get('protected') and 'mark' not in entry:
                entry['mark'] = 'protected'
            out.append(entry)
            if found:
                groups.setdefault((entry['type'], entry['vmid']), []).append(entry)
        for group in groups.values():
            mark_backup_group(group, keep, tz)
        return sorted(out, key=lambda e: (e.get('vmid') or 0, -e['ctime'], e['volid']))

    def _prune(self, sid, keep, kind, vmid, log, tz=datetime.UTC):
        removed = []
        for entry in self._prune_plan(sid, keep, kind, vmid, tz):
            if entry['mark'] == 'remove':
                self._drop_volume(sid, entry['volid'].split(':', 1)[1])
                log.append("INFO: removing backup '{0}'".format(entry['volid']))
                removed.append(entry['volid'])
        return removed

    def _prune_args(self, v, user, write):
        sid, node = v['storage'], v['node']
        store = self._active_store(sid, node)
        spec = self._spec(store)
        if not (spec and 'backup' in spec['content']):
            raise die("storage '{0}' does not support backups".format(sid))
        if v.get('prune-backups') is not None:
            keep = parse_prune_backups(v['prune-backups'])
        else:
            keep = parse_prune_backups(store.get('prune-backups') or 'keep-all=1')
        if write:
            if v.get('vmid') is not None:
                self.require(user, '/storage/' + sid, 'Datastore.AllocateSpace')
                self.require(user, '/vms/{0}'.format(v['vmid']), 'VM.Backup')
            else:
                self.require(user, '/storage/' + sid, 'Datastore.Allocate')
        elif not self._can_audit(user, sid):
            raise PveError(403, 'Permission check failed (/storage/{0}, Datastore.Audit|Datastore.AllocateSpace)'
                           .format(sid))
        return sid, keep

    async def _prune_list(self, v, user):
        sid, keep = self._prune_args(v, user, False)
        return self._prune_plan(sid, keep, v.get('type'), v.get('vmid'), self._node_tz(v['node']))

    async def _prune_run(self, v, user):
        sid, keep = self._prune_args(v, user, True)
        ident = '{0}@{1}'.format(v['vmid'], sid) if v.get('vmid') is not None else sid

        async def body(lines):
            removed = self._prune(sid, keep, v.get('type'), v.get('vmid'), lines, self._node_tz(v['node']))
            return 'pruned {0} backup(s)'.format(len(removed))
        return await self._worker(v['node'], 'prunebackups', ident, user, body)

    # ---------------------------------------------------------------- restore

    async def _qm_create(self, v, user):
        if not v.get('archive'):
            return await super()._qm_create(v, user)
        return await self._qm_restore(v, user)

    async def _qm_restore(self, v, user):
        node, vmid, archive = v['node'], int(v['vmid']), v['archive']
        self.need_quorum()
        emsg = 'unable to restore VM {0} -'.format(vmid)
        for key in sorted(v):
            if DRIVE_KEY.match(key) or re.fullmatch(r'unused\d+', key):
                raise param_error(**{key: "option conflicts with option 'archive'"})
        pool, target = v.get('pool'), v.get('storage')
        self._qm_check_pool(pool)
        if target:
            self._qm_image_store(target, user)
        if v.get('start'):
            self._qm_perm(user, vmid, pool, 'VM.PowerMgmt')
        existing = self.guest(vmid)
        if isinstance(existing, FakeCt):
            raise die("{0} CT {1} already exists on node '{2}'".format(emsg, vmid, existing.node))
        if existing is not None:
            if existing.node != node:
                raise die("{0} VM {1} already exists on node '{2}'".format(emsg, vmid, existing.node))
            if not v.get('force'):
                raise die('{0} config file already exists'.format(emsg))
            if existing.status == 'running':
                raise die('{0} vm is running'.format(emsg))
            if existing.config.get('protection') in (1, '1', True):
                raise die('{0} protection mode enabled'.format(emsg))
            if existing.lock or existing.lock_holder is not None:
                raise die('{0} VM is locked ({1})'.format(emsg, existing.lock or 'backup'))
            self._qm_perm(user, vmid, pool, 'VM.Backup')
        elif not (self.allowed(user, '/vms/{0}'.format(vmid), 'VM.Allocate')
                  or (pool and self.allowed(user, '/pool/' + pool, 'VM.Allocate'))):
            raise PveError(403, 'Permission check failed (/vms/{0}, VM.Allocate)'.format(vmid))
        sid, _volname, vol = self._archive(archive, user)
        if vol['archive']['type'] != 'qemu':
            raise die("{0} archive '{1}' is not a VM backup (it holds a container)".format(emsg, archive))
        overrides = dict((k, x) for k, x in v.items() if k not in QM_CREATE_ONLY)
        source = copy.deepcopy(vol['archive']['config'])
        for key, value in source.items():
            if DRIVE_KEY.match(key) and not is_cdrom(*split_drive(value)):
                disk_sid = target or volume_ref(split_drive(value)[0])[0]
                if disk_sid not in self.storages:
                    raise die("{0} storage '{1}' does not exist (give storage)".format(emsg, disk_sid))
                self._qm_image_store(disk_sid, user)
        if existing is not None:
            old = existing
            self.vms.remove(old)
        else:
            old = None
        vm = FakeVm(vmid, source.get('name') or 'VM {0}'.format(vmid), node=node)
        vm.config.pop('name', None)
        self._qm_lock(vm, 'create')
        self.vms.append(vm)
        self.nodes.setdefault(node, {'online': True})
        made = []
        log = ["restore vma archive: {0}".format(self._volume_path(sid, _volname, 'backup'))]

        async def body():
            try:
                if old is not None:
                    for key, value in list(old.config.items()):
                        if DRIVE_KEY.match(key) or re.fullmatch(r'unused\d+', key):
                            volume = split_drive(value)[0]
                            if not is_cdrom(*split_drive(value)):
                                self._qm_free(volume)
                await self.pause(self.restore_secs)
                conf = {}
                for key, value in sorted(source.items()):
                    if re.fullmatch(r'unused\d+', key):
                        continue
                    if DRIVE_KEY.match(key):
                        volume, props = split_drive(value)
                        props = dict(props)
                        if is_cdrom(volume, props) or volume in ('none', ''):
                            conf[key] = value
                            continue
                        disk_sid = target or volume_ref(volume)[0]
                        size = _bytes(props.get('size')) or GIB
                        fmt = volume.rsplit('.', 1)[-1] if re.search(r'\.(qcow2|raw|vmdk)$', volume) else None
                        spec = self._spec(self.storages[disk_sid]) or {}
                        if fmt and fmt not in (spec.get('formats') or ['raw']):
                            fmt = None
                        volid, _fmt = self._qm_alloc(disk_sid, vmid, fmt, size)
                        made.append(volid)
                        self._carry_image(volid, vol['archive'].get('images', {}).get(key))
                        log.append("map '{0}' to '{1}' (write zeros = 0)".format(key, volid))
                        conf[key] = join_drive(volid, props)
                    elif re.fullmatch(r'net\d+', key) and v.get('unique'):
                        conf[key] = with_mac(value, fresh=True)
                    else:
                        conf[key] = value
                if str(conf.get('vmgenid', '0')) != '0':
                    conf['vmgenid'] = str(uuid.uuid4())
                if v.get('unique') and conf.get('smbios1'):
                    conf['smbios1'] = re.sub(r'uuid=[0-9a-fA-F-]+', 'uuid=' + str(uuid.uuid4()), conf['smbios1'])
                for key, value in overrides.items():
                    conf[key] = value
                vm.config = conf
            except (PveError, TaskError) as e:
                for volid in made:
                    self._qm_free(volid)
                if vm in self.vms:
                    self.vms.remove(vm)
                raise TaskError('{0} {1}'.format(emsg, getattr(e, 'message', None) or str(e))) from e
            vm.name = conf.get('name') or 'VM {0}'.format(vmid)
            vm.template = bool(conf.get('template'))
            self._qm_lock(vm, None)
            if pool:
                self._pool_join(pool, vmid)
            if v.get('start'):
                vm.status = vm.qmpstatus = 'running'
                vm.started_at = time.time()
            return 'rescan volumes...'
        return await self.task(node, 'qmrestore', vmid, user, body, vm=vm, log=log)

    async def _lxc_create(self, user, v):
        if not v.get('restore'):
            return await super()._lxc_create(user, v)
        sid, colon, volname = str(v.get('ostemplate', '')).partition(':')
        vol = self._volumes(sid).get(volname) if colon and sid in self.storages else None
        if not vol or not vol.get('archive'):
            # Not a backup this simulator made: fakepve's restore (a container from the parameters).
            return await super()._lxc_create(user, v)
        return await self._ct_restore(user, v)

    async def _ct_restore(self, user, v):
        node, vmid, archive = v['node'], int(v['vmid']), v['ostemplate']
        self.need_quorum()
        force = bool(v.get('force'))
        existing = self.ct(vmid)
        same = existing is not None and existing.node == node
        if same and force:
            if existing.status == 'running':
                raise die("can't overwrite running container")
            self._check_protection(existing, 'unable to restore CT {0}'.format(vmid))
        else:
            self._check_vmid_unused(vmid)
        pool = v.get('pool')
        if pool and pool not in self.pools:
            raise PveError(403, "Permission check failed (pool '{0}' does not exist)".format(pool))
        if v.get('start'):
            self._vm_perm(user, vmid, pool, 'VM.PowerMgmt')
        if not (self.allowed(user, '/vms/{0}'.format(vmid), 'VM.Allocate')
                or (pool and self.allowed(user, '/pool/' + pool, 'VM.Allocate'))
                or (force and same and self.allowed(user, '/vms/{0}'.format(vmid), 'VM.Backup'))):
            raise PveError(403, 'Permission check failed')
        self._check_template(user, archive, True)
        _sid, _volname, vol = self._archive(archive, user)
        emsg = 'unable to restore CT {0} -'.format(vmid)
        if vol['archive']['type'] != 'lxc':
            raise die('{0} archive {1} is not a container backup'.format(emsg, archive))
        source = copy.deepcopy(vol['archive']['config'])
        overrides = dict((k, x) for k, x in v.items() if k not in CT_CREATE_ONLY)
        target = v.get('storage')
        mounts = {}
        for key in sorted(source):
            if key == 'rootfs' or re.fullmatch(r'mp\d+', key):
                mount = parse_mount(source[key])
                if mount_type(mount.get('volume', '')) == 'volume':
                    disk_sid = target or mount['volume'].split(':')[0]
                    self._storage_for(disk_sid, user, vmid)
                    gib = parse_size(mount.get('size', '0')) / GIB if mount.get('size') else 4
                    mount['volume'] = '{0}:{1}'.format(disk_sid, int(gib) if gib == int(gib) else gib)
                    mount.pop('size', None)
                    mounts[key] = print_mount(mount, key == 'rootfs')
                else:
                    mounts[key] = source[key]
        for key in list(overrides):
            if key == 'rootfs' or re.fullmatch(r'mp\d+', key):
                mounts[key] = overrides.pop(key)
        if same and force:
            self._drop(existing)
        ct = FakeCt(vmid, node=node, defaults=False, config={'lock': 'create'})
        self.cts.append(ct)

        async def body():
            try:
                await self.pause(self.restore_secs)
                taken = self._taken_volumes()
                conf = dict((k, x) for k, x in source.items()
                            if k not in mounts and not re.fullmatch(r'unused\d+', k))
                for key in sorted(mounts, key=lambda k: (k != 'rootfs', k)):
                    conf[key] = self._realise(vmid, key, mounts[key], taken)
                if v.get('unique'):
                    for key in [k for k in conf if re.fullmatch(r'net\d+', k)]:
                        conf[key] = re.sub(r'hwaddr=[0-9A-Fa-f:]+', 'hwaddr=' + random_mac(), conf[key])
                conf.update(overrides)
                ct.config = conf
            except (PveError, TaskError) as e:
                self._drop(ct)
                raise TaskError('{0} {1}'.format(emsg, getattr(e, 'message', None) or str(e))) from e
            if pool:
                self._pool_join(pool, vmid)
            if v.get('start'):
                await self._start_steps(ct, user)
            return None
        log = ['recovering backed-up configuration from {0!r}'.format(archive)]
        return await self.task(node, 'vzrestore', vmid, user, body, vm=ct, log=log)

    # ------------------------------------------------------------------- jobs

    def _job_view(self, job_id):
        job = dict(self.backup_jobs[job_id])
        job['id'] = job_id
        return job

    def _job_check(self, job):
        if job.get('all') and job.get('vmid'):
            raise param_error(all="option conflicts with option 'vmid'")
        if job.get('pool') and job.get('vmid'):
            raise param_error(pool="option conflicts with option 'vmid'")
        if job.get('exclude') and not job.get('all'):
            raise param_error(exclude="option only makes sense in combination with option 'all'")
        if not (job.get('all') or job.get('pool') or job.get('vmid')):
            raise param_error(vmid='property is missing')
        if job.get('storage') and job['storage'] not in self.storages:
            raise die("storage '{0}' does not exist".format(job['storage']))
        if job.get('prune-backups') is not None:
            parse_prune_backups(job['prune-backups'])

    @staticmethod
    def _schedule(values):
        """PVE turns the old starttime (and dow) into a schedule."""
        start = values.pop('starttime', None)
        dow = values.pop('dow', None)
        if start is not None:
            hour, minute = start.split(':')
            days = dow or 'mon,tue,wed,thu,fri,sat,sun'
            prefix = '' if days == 'mon,tue,wed,thu,fri,sat,sun' else days + ' '
            values['schedule'] = '{0}{1:02d}:{2:02d}'.format(prefix, int(hour), int(minute))
        return values

    async def _job_list(self, v, user):
        return [self._job_view(job_id) for job_id in sorted(self.backup_jobs)]

    async def _job_read(self, v, user):
        if v['id'] not in self.backup_jobs:
            raise die("job '{0}' does not exist".format(v['id']))
        return self._job_view(v['id'])

    async def _job_create(self, v, user):
        values = dict((k, x) for k, x in v.items() if k != 'id')
        for key in ('tmpdir', 'dumpdir', 'script'):
            if values.get(key) is not None and user != 'root@pam':
                raise param_error(**{key: 'Only root may set this option.'})
        job_id = v.get('id') or '{0}{1}-{2}'.format(JOB_ID_PREFIX, secrets.token_hex(4), secrets.token_hex(2))
        if job_id in self.backup_jobs:
            raise die("Job '{0}' already exists".format(job_id))
        values = self._schedule(values)
        if not values.get('schedule'):
            raise param_error(schedule='property is missing')
        self._job_check(values)
        values.setdefault('enabled', 1)
        values['type'] = 'vzdump'
        self.backup_jobs[job_id] = values
        return None

    async def _job_update(self, v, user):
        job_id = v['id']
        if job_id not in self.backup_jobs:
            raise die("job '{0}' does not exist".format(job_id))
        job = dict(self.backup_jobs[job_id])
        deletes = split_list(v.get('delete'))
        values = self._schedule(dict((k, x) for k, x in v.items() if k not in ('id', 'delete')))
        for key in ('tmpdir', 'dumpdir', 'script'):
            if values.get(key) is not None and user != 'root@pam':
                raise param_error(**{key: 'Only root may set this option.'})
        for key in deletes:
            if key in ('schedule', 'type', 'id'):
                raise param_error(delete="unable to delete required option '{0}'".format(key))
            if key in values:
                raise param_error(delete="cannot set and delete property '{0}' at the same time".format(key))
            job.pop(key, None)
        job.update(values)
        self._job_check(job)
        self.backup_jobs[job_id] = job
        return None

    async def _job_delete(self, v, user):
        if v['id'] not in self.backup_jobs:
            raise die("job '{0}' does not exist".format(v['id']))
        del self.backup_jobs[v['id']]
        return None

    # ----------------------------------------------------------------- upload

    async def _upload(self, request):
        from fakepve.server import USER, ok
        node, sid = request.match_info['node'], request.match_info['storage']
        store = self._active_store(sid, node)
        user = request[USER]
        self.require(user, '/storage/' + sid, 'Datastore.AllocateTemplate')
        body = await request.read()
        head = 'Content-Type: {0}\r\nMIME-Version: 1.0\r\n\r\n'.format(request.headers.get('Content-Type', ''))
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head.encode() + body)
        if not message.is_multipart():
            raise PveError(400, 'bad upload request')
        fields, data = {}, None
        for part in message.iter_parts():
            name = part.get_param('name', header='content-disposition')
            if part.get_filename() is not None:
                fields['filename'] = part.get_filename()
                data = part.get_payload(decode=True) or b''
            elif name:
                fields[name] = part.get_payload(decode=True).decode('utf-8', 'replace')
        if data is None:
            raise PveError(400, 'Parameter verification failed.', {'filename': 'property is missing'})
        fields = self._verify(request, fields)
        content, filename = fields['content'], fields['filename']
        spec = self._spec(store)
        if not (spec and spec['files']):
            raise die("can't upload to storage type '{0}'".format(store.get('type')))
        if content not in split_list(store.get('content')):
            raise die("storage '{0}' does not support '{1}' content".format(sid, content))
        if not re.search(UPLOAD_EXT[content], filename, re.I) or '/' in filename:
            raise param_error(filename='wrong file extension')
        self.uploaded = dict(fields, data=data)
        target = self._volume_path(sid, '{0}/{1}'.format(content, filename), content)
        tmp = '/var/tmp/pveupload-{0}'.format(secrets.token_hex(16))
        log = ['starting file import from: {0}'.format(tmp), 'target node: {0}'.format(node),
               'target file: {0}'.format(target), 'file size is: {0}'.format(len(data))]

        async def task_body(lines):
            if fields.get('checksum'):
                algorithm = fields['checksum-algorithm']
                got = hashlib.new(algorithm, data).hexdigest()
                lines.append('calculating checksum...')
                if got.lower() != fields['checksum'].strip().lower():
                    raise TaskError("checksum mismatch: got '{0}' != expect '{1}'".format(got, fields['checksum']))
                lines.append('checksum verification successful')
            old = self._volumes(sid).get('{0}/{1}'.format(content, filename))
            if old is not None:
                self._drop_volume(sid, '{0}/{1}'.format(content, filename))
            self.store_file(sid, filename, len(data), content)
            return 'successfully imported file: {0}'.format(target)
        return ok(await self._worker(node, 'imgcopy', '', user, task_body, log=log))
