# SPDX-License-Identifier: AGPL-3.0-or-later
"""Container behaviour fakepve's lxc.py leaves out, refined where its tasks end.

fakepve models the container routes (create, clone, destroy, power, config and pending, migrate in
restart mode, resize, snapshots). What it leaves out, following pve-container (PVE/API2/LXC.pm,
PVE/LXC/Migrate.pm) and pve-guest-common (PVE/VZDump/Plugin.pm):

- DELETE /nodes/{node}/lxc/{vmid} frees the container's own volumes from the storage (the volumes a
  seed or a restore registered, giving their space back), and with `purge=1` removes the container
  from the backup jobs: its vmid leaves each job's list, and a job whose list becomes empty is removed
  (remove_vmid_from_backup_jobs).
- PUT /nodes/{node}/lxc/{vmid}/resize grows the registered volume too (its size and the storage's
  free space), not only the `size=` of the mount point.
- POST /nodes/{node}/lxc/{vmid}/migrate in restart mode starts the container again on the target, so
  its pending changes apply there, as every container start does. To a node that is offline the task
  fails as PVE's does when it cannot reach the target over SSH (`migration aborted`), and the
  container stays where it was.

- GET /nodes/{node}/lxc/{vmid}/interfaces carries what `ip --json a` gives pve-container: integer
  prefixes and lowercase hardware addresses (fakepve sends the prefixes as strings).

The hooks sit on fakepve's `_ct_task` (the task of a container action) and wrap the task's body, so
the refinements happen when the task does its work, also when tasks run later (time_scale > 0).
"""

import re

from fakepve.lxc import parse_mount, parse_size, volume_owner
from fakepve.model import TaskError
from fakepve.routing import split_list


class ContainersApi:
    """Mixin of PveSim: the refinements of fakepve's container tasks."""

    async def _lxc_interfaces(self, user, v):
        data = await super()._lxc_interfaces(user, v)
        for item in data or []:
            for field in ('hwaddr', 'hardware-address'):
                if field in item:
                    item[field] = item[field].lower()
            for address in item.get('ip-addresses', []):
                address['prefix'] = int(address['prefix'])
        return data

    # --------------------------------------------------------------- hooks

    async def _lxc_destroy(self, user, v):
        ct = self.ct(int(v['vmid']))
        if ct is not None and ct.node == v['node']:
            ct.purge_requested = bool(v.get('purge'))
        return await super()._lxc_destroy(user, v)

    async def _lxc_migrate(self, user, v):
        ct = self.ct(int(v['vmid']))
        if ct is not None and ct.node == v['node']:
            ct.migrate_target = v.get('target')
        return await super()._lxc_migrate(user, v)

    async def _ct_task(self, ct, ttype, user, body, **kwargs):
        if ttype == 'vzdestroy':
            body = self._ct_after_destroy(ct, body)
        elif ttype == 'resize':
            body = self._ct_after_resize(ct, body)
        elif ttype == 'vzmigrate':
            body = self._ct_after_migrate(ct, body)
        return await super()._ct_task(ct, ttype, user, body, **kwargs)

    def _ct_after_destroy(self, ct, body):
        async def wrapped():
            own = self._ct_own_volumes(ct)
            note = await body()
            for sid, volname in own:
                self._ct_free_volume(sid, volname)
            if getattr(ct, 'purge_requested', False):
                self._ct_purge_backup_jobs(ct.vmid)
            return note
        return wrapped

    def _ct_after_resize(self, ct, body):
        async def wrapped():
            before = dict(ct.config)
            note = await body()
            for key, value in ct.config.items():
                if before.get(key) != value and re.fullmatch(r'rootfs|mp\d+', key):
                    self._ct_sync_volume_size(value)
            return note
        return wrapped

    def _ct_after_migrate(self, ct, body):
        async def wrapped():
            target = getattr(ct, 'migrate_target', None)
            if target and not self.nodes.get(target, {}).get('online', True):
                # AbstractMigrate's first step, ssh to the target, fails before anything moves.
                raise TaskError('migration aborted')
            running = ct.status == 'running'
            note = await body()
            if running and ct.status == 'running' and ct.pending:
                # The restart on the target node is a start: it takes the pending changes.
                self._apply(ct)
            return note
        return wrapped

    # ------------------------------------------------------------- volumes

    def _ct_own_volumes(self, ct):
        """(storage, volname) of the volumes of ct's config and snapshots that belong to it."""
        out = set()
        for cfg in [ct.config] + list(ct.snapshots.values()):
            for key, value in cfg.items():
                if not re.fullmatch(r'rootfs|mp\d+|unused\d+', key):
                    continue
                volume = parse_mount(value).get('volume', '')
                if ':' in volume and volume_owner(volume) == ct.vmid:
                    sid, volname = volume.split(':', 1)
                    out.add((sid, volname))
        return sorted(out)

    def _ct_free_volume(self, sid, volname):
        store = self.storages.get(sid)
        if store is None:
            return
        vol = store.get('volumes', {}).pop(volname, None)
        if vol is not None and 'avail' in store:
            store['avail'] += int(vol.get('size') or 0)

    def _ct_sync_volume_size(self, value):
        mount = parse_mount(value)
        volume = mount.get('volume', '')
        size = parse_size(mount.get('size', ''))
        if ':' not in volume or not size:
            return
        sid, volname = volume.split(':', 1)
        store = self.storages.get(sid)
        vol = (store or {}).get('volumes', {}).get(volname)
        if vol is None:
            return
        grown = size - int(vol.get('size') or 0)
        vol['size'] = size
        if 'avail' in store and grown > 0:
            store['avail'] = max(0, store['avail'] - grown)

    # ---------------------------------------------------------- backup jobs

    def _ct_purge_backup_jobs(self, vmid):
        """remove_vmid_from_backup_jobs: the vmid leaves every job's list; an emptied job goes."""
        jobs = getattr(self, 'backup_jobs', None)
        if not jobs:
            return
        for job_id in sorted(jobs):
            job = jobs[job_id]
            if not job.get('vmid'):
                continue
            vmids = split_list(job['vmid'])
            kept = [x for x in vmids if str(x) != str(vmid)]
            if len(kept) == len(vmids):
                continue
            if kept:
                job['vmid'] = ','.join(kept)
            else:
                del jobs[job_id]

