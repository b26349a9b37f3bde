# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Storage replication jobs (``/cluster/replication``): one job per guest and target node.

A job's id is ``<vmid>-<jobnum>``; PVE allows one job of a guest to each target, so the module finds a job
by its guest and target and gives a new one the lowest free job number. PVE refuses a guest with a disk on a
storage that cannot replicate (only ZFS pools can).
"""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource

DEFAULT_SCHEDULE = '*/15'
# The storage types whose volumes PVE can replicate (the storage plugins with the replicate feature).
REPLICATING = ('zfspool',)
# The config keys that hold a guest's disks (VMs and containers).
_DISK = re.compile(r'^(scsi|virtio|sata|ide|efidisk|tpmstate|mp)\d+$|^rootfs$')
REPLICATION_INFO_GATHER = ('jobs', 'status')


def job_view(entry):
    """A job as the modules return it: id, vmid, jobnum, target, schedule (PVE's default filled in), rate
    (null: no limit), comment, enabled."""
    rate = entry.get('rate')
    return dict(id=entry.get('id'), vmid=int(entry.get('guest')), jobnum=int(entry.get('jobnum')),
                target=entry.get('target'), schedule=entry.get('schedule') or DEFAULT_SCHEDULE,
                rate=float(rate) if rate not in (None, '') else None, comment=entry.get('comment') or '',
                enabled=not codec.is_true(entry.get('disable')))


def list_jobs(client, vmid=None):
    jobs = [job_view(e) for e in client.get('cluster', 'replication') or [] if e.get('id')]
    return [j for j in jobs if vmid is None or j['vmid'] == vmid]


def replication_facts(pve):
    """pve.ops.replication_info: the jobs, and their status on each node that answers."""
    client, vmid = pve.client, pve.params.get('vmid')
    gather = list(pve.params.get('gather') or ('jobs',))
    out = dict(changed=False)
    if 'jobs' in gather:
        out['jobs'] = list_jobs(client, vmid)
    if 'status' in gather:
        status = []
        for node in sorted(n.get('node') for n in client.get('nodes') or [] if n.get('status') == 'online'):
            status.extend(client.get('nodes', node, 'replication', guest=vmid) or [])
        out['status'] = status
    return out


class Replication(Resource):
    """A replication job of one guest to one target node."""
    noun = 'replication'

    def read(self):
        p = self.params
        found = [j for j in list_jobs(self.client, p['vmid']) if j['target'] == p['target']]
        return found[0] if found else None

    def _check_new(self):
        """What PVE checks when a job is created, before anything is sent: the guest, the target node, and that
        every disk of the guest is on a storage that can replicate."""
        p, client = self.params, self.client
        guest = next((g for g in client.get('cluster', 'resources', type='vm') or [] if g.get('vmid') == p['vmid']),
                     None)
        if guest is None:
            raise errors.InvalidArgumentError('vmid: no guest {0} (or these credentials may not see it)'.format(
                p['vmid']), field='vmid')
        nodes = sorted(n.get('node') for n in client.get('nodes') or [])
        if p['target'] not in nodes:
            raise errors.InvalidArgumentError('target: {0!r} is not a cluster node ({1})'.format(
                p['target'], ', '.join(nodes)), field='target')
        if p['target'] == guest.get('node'):
            raise errors.InvalidArgumentError('target: guest {0} is on {1}; it cannot replicate to its own node'.format(
                p['vmid'], p['target']), field='target')
        kind = 'lxc' if guest.get('type') == 'lxc' else 'qemu'
        config = client.get('nodes', guest['node'], kind, p['vmid'], 'config') or {}
        types = dict((s.get('storage'), s.get('type')) for s in client.get('storage') or [])
        for key, value in sorted(config.items()):
            volid = str(value).split(',', maxsplit=1)[0]
            storage = volid.split(':')[0] if ':' in volid else None
            if not _DISK.match(key) or storage not in types or 'media=cdrom' in str(value) or 'cloudinit' in volid:
                continue
            if types[storage] not in REPLICATING:
                raise errors.InvalidArgumentError(
                    'vmid: {0} of guest {1} is on {2} ({3}), which cannot replicate; PVE replicates disks on ZFS '
                    'pools only'.format(key, p['vmid'], storage, types[storage]), field='vmid')

    def desired(self, current):
        p = self.params
        if current is None:
            self._check_new()
        want = dict((k, p[k]) for k in ('schedule', 'comment', 'enabled') if p.get(k) is not None)
        if want.get('schedule') == '':
            want['schedule'] = DEFAULT_SCHEDULE
        if p.get('rate') is not None:
            want['rate'] = float(p['rate']) if p['rate'] else None
        return want

    def _body(self, changes):
        body, deletes = {}, []
        for key, value in changes.items():
            if key == 'enabled':
                body['disable'] = codec.flag(not value)
            elif value in ('', None):
                deletes.append(key)
            else:
                body[key] = value
        if deletes:
            body['delete'] = ','.join(sorted(deletes))
        return body

    def create(self, tracker, desired):
        p = self.params
        taken = set(j['jobnum'] for j in list_jobs(self.client, p['vmid']))
        jobnum = next(n for n in range(len(taken) + 1) if n not in taken)
        job_id = '{0}-{1}'.format(p['vmid'], jobnum)
        body = dict((k, v) for k, v in self._body(desired).items() if k != 'delete')
        tracker.write(self.client.post, 'cluster', 'replication', id=job_id, type='local', target=p['target'],
                      **body, _confirm=lambda lost: self.read() is not None)
        after = job_view({'id': job_id, 'guest': p['vmid'], 'jobnum': jobnum, 'target': p['target']})
        after.update(desired)
        return after

    def update(self, tracker, current, desired):
        changes = dict((k, v) for k, v in desired.items() if current.get(k) != v)
        if changes:
            tracker.write(self.client.put, 'cluster', 'replication', current['id'], **self._body(changes),
                          _confirm=lambda lost: self.read() == dict(current, **changes))
        return dict(current, **changes)

    def delete(self, tracker, current):
        tracker.write(self.client.delete, 'cluster', 'replication', current['id'],
                      _confirm=lambda lost: self.read() is None)


def ensure_replication(pve):
    """pve.ops.replication: the result dict."""
    return Replication(pve).run()
