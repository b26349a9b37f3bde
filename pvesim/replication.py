# SPDX-License-Identifier: AGPL-3.0-or-later
"""Storage replication jobs (/cluster/replication, replication.cfg) and their status on a node.

Follows pve-manager (PVE/API2/ReplicationConfig.pm, PVE/API2/Replication.pm) and pve-guest-common
(PVE/ReplicationConfig.pm, PVE/AbstractConfig.pm get_replicatable_volumes):

- list (GET; only the jobs of guests the caller may audit), create (POST: the id is `<vmid>-<jobnum>`, type
  `local`, a target node), read, update (PUT with `delete` and `digest`), delete.
- Create refuses a guest that does not exist, a target that is no cluster node or is the guest's own node,
  a second job of the guest to the same target, and a guest with a disk on a storage that cannot replicate
  ("missing replicate feature on volume '...'": only ZFS pools, `zfspool`, can); the privileges are
  VM.Replicate (writes) and VM.Audit (reads) on /vms/<vmid>.
- Delete without `force` marks the job for removal (`remove_job`: `full`, or `local` with `keep`) as PVE
  does; PVE's replication runner then removes the replicated snapshots and the job. The simulator keeps no
  replicated volumes, so that run has nothing to remove and the job is gone at once.
- GET /nodes/{node}/replication: the jobs of the guests on that node with their state (never run: no
  last sync, no failures), filtered by `guest`; `/{id}/status` one of them, `/{id}/log` the log of a job
  that never ran (PVE's dump_logfile of a missing file).
"""

import hashlib

from fakepve import PveError
from fakepve.routing import StatefulRoutes, check_digest, die, param_error, split_list

KEYS = ('target', 'schedule', 'rate', 'comment', 'disable', 'remove_job')
REPLICATING = ('zfspool',)


def _flag(value):
    return 1 if str(value).lower() in ('1', 'true', 'yes', 'on') else 0


class ReplicationApi(StatefulRoutes):
    """Mixin of PveSim: storage replication jobs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # job id -> {'type': 'local', 'guest', 'jobnum', 'target', and the properties set}, in the order created.
        self.replication_jobs = {}

    def _routes_replication(self):
        one = '/cluster/replication/{id}'
        return [('GET', '/cluster/replication', self._rp_list), ('POST', '/cluster/replication', self._rp_create),
                ('GET', one, self._rp_read), ('PUT', one, self._rp_update), ('DELETE', one, self._rp_delete),
                ('GET', '/nodes/{node}/replication', self._rp_status),
                ('GET', '/nodes/{node}/replication/{id}/status', self._rp_job_status),
                ('GET', '/nodes/{node}/replication/{id}/log', self._rp_log)]

    def _save_replication(self):
        return self.replication_jobs

    def _restore_replication(self, data):
        self.replication_jobs = dict((k, dict(v)) for k, v in (data or {}).items())

    # -------------------------------------------------------------- helpers

    def _rp_digest(self):
        text = '\n'.join('local: {0}\n{1}'.format(i, sorted(c.items())) for i, c in self.replication_jobs.items())
        return hashlib.sha1(text.encode()).hexdigest()

    def _rp_job(self, job_id):
        job = self.replication_jobs.get(job_id)
        if job is None:
            raise die("replication job '{0}' does not exist".format(job_id))
        return job

    def _rp_check(self, user, vmid, privilege):
        if not self.allowed(user, '/vms/{0}'.format(vmid), privilege):
            raise PveError(403, "Permission check failed (/vms/{0}, {1})".format(vmid, privilege))

    def _rp_values(self, v):
        values = {}
        for key in KEYS:
            if v.get(key) is None:
                continue
            values[key] = _flag(v[key]) if key == 'disable' else v[key]
        if 'rate' in values:
            values['rate'] = float(values['rate'])
        return values

    def _rp_replicatable(self, guest):
        """PVE::AbstractConfig::get_replicatable_volumes with noerr off: every disk on a storage that replicates."""
        for key, value in sorted(guest.config.items()):
            if key.startswith('unused') or not isinstance(value, str):
                continue
            volid = value.split(',')[0]
            storage = volid.split(':')[0] if ':' in volid else None
            if storage not in self.storages or 'media=cdrom' in value or volid.endswith('cloudinit'):
                continue
            disk = key == 'rootfs' or key.startswith(('scsi', 'virtio', 'sata', 'ide', 'efidisk', 'tpmstate', 'mp'))
            if disk and self.storages[storage].get('type') not in REPLICATING:
                raise die("missing replicate feature on volume '{0}'".format(volid))

    def _rp_entry(self, job_id, job):
        return dict(id=job_id, **job)

    # -------------------------------------------------------------- handlers

    async def _rp_list(self, v, user):
        return [self._rp_entry(i, job) for i, job in self.replication_jobs.items()
                if self.allowed(user, '/vms/{0}'.format(job['guest']), 'VM.Audit')]

    async def _rp_read(self, v, user):
        job = self._rp_job(v['id'])
        self._rp_check(user, job['guest'], 'VM.Audit')
        return dict(self._rp_entry(v['id'], job), digest=self._rp_digest())

    async def _rp_create(self, v, user):
        job_id = v['id']
        vmid, _sep, jobnum = job_id.partition('-')
        self._rp_check(user, vmid, 'VM.Replicate')
        if job_id in self.replication_jobs:
            raise die("replication job '{0}' already exists".format(job_id))
        guest = self.guest(int(vmid))
        if guest is None:
            raise die("Guest '{0}' does not exist".format(vmid))
        target = v['target']
        if target not in self.nodes:
            raise param_error(target="no such cluster node '{0}'".format(target))
        if target == guest.node:
            raise die("target '{0}' is the node the guest is on: a guest cannot replicate to its own node".format(
                target))
        for other, job in self.replication_jobs.items():
            if job['guest'] == int(vmid) and job['target'] == target:
                raise die("replication job for guest '{0}' to target '{1}' already exists ({2})".format(
                    vmid, target, other))
        self._rp_replicatable(guest)
        self.replication_jobs[job_id] = dict(self._rp_values(v), type=v['type'], guest=int(vmid), jobnum=int(jobnum))
        return None

    async def _rp_update(self, v, user):
        job = self._rp_job(v['id'])
        self._rp_check(user, job['guest'], 'VM.Replicate')
        check_digest(self._rp_digest(), v.get('digest'))
        values = self._rp_values(v)
        deletes = split_list(v.get('delete'))
        for key in deletes:
            if key in values:
                raise param_error(delete="cannot set and delete property '{0}' at the same time!".format(key))
            if key not in ('schedule', 'rate', 'comment', 'disable', 'remove_job'):
                raise param_error(delete="unable to delete required option '{0}'".format(key))
        after = dict((k, x) for k, x in job.items() if k not in deletes)
        after.update(values)
        self.replication_jobs[v['id']] = after
        return None

    async def _rp_delete(self, v, user):
        job = self._rp_job(v['id'])
        self._rp_check(user, job['guest'], 'VM.Replicate')
        if not _flag(v.get('force', 0)):
            # marked for removal (remove_job full or local); the runner's removal finds nothing replicated
            job['remove_job'] = 'local' if _flag(v.get('keep', 0)) else 'full'
        del self.replication_jobs[v['id']]
        return None

    async def _rp_status(self, v, user):
        out = []
        for job_id, job in self.replication_jobs.items():
            guest = self.guest(job['guest'])
            if guest is None or guest.node != v['node']:
                continue
            if v.get('guest') and int(v['guest']) != job['guest']:
                continue
            if not self.allowed(user, '/vms/{0}'.format(job['guest']), 'VM.Audit'):
                continue
            out.append(dict(self._rp_entry(job_id, job), source=v['node'], last_sync=0, fail_count=0,
                            vmtype='lxc' if guest.__class__.__name__ == 'FakeCt' else 'qemu'))
        return out

    async def _rp_job_status(self, v, user):
        found = [e for e in await self._rp_status({'node': v['node']}, user) if e['id'] == v['id']]
        if not found:
            raise die('no such replication job')
        return found[0]

    async def _rp_log(self, v, user):
        job = self._rp_job(v['id'])
        if not (self.allowed(user, '/vms/{0}'.format(job['guest']), 'VM.Audit')
                or self.allowed(user, '/nodes/{0}'.format(v['node']), 'Sys.Audit')):
            raise PveError(403, 'Permission check failed (/vms/{0}, VM.Audit)'.format(job['guest']))
        return [{'n': 1, 't': 'unable to open file - No such file or directory'}]
