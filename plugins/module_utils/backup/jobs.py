# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scheduled backup jobs (/cluster/backup): read, compare, apply only what differs."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource, listed
from ansible_collections.pve.ops.plugins.module_utils.storage.definitions import (
    desired_retention,
    parse_retention,
    retention_string,
)

# ---------------------------------------------------------------------- jobs

JOB_SCALARS = (('schedule', 'schedule'), ('storage', 'storage'), ('mode', 'mode'), ('compress', 'compress'),
               ('notes_template', 'notes-template'), ('comment', 'comment'), ('node', 'node'),
               ('pool', 'pool'), ('mailto', 'mailto'))
SELECTION = ('vmid', 'pool', 'all')


def _ids(value):
    return sorted(set(int(v) for v in codec.split_list(value)))


def job_view(job):
    """A job as the module shows it: lists of vmids, booleans, retention as a dict."""
    if not job:
        return {}
    view = dict(job)
    for key in ('vmid', 'exclude'):
        if key in view:
            view[key] = _ids(view[key])
    for key in ('all', 'enabled', 'protected'):
        if key in view:
            view[key] = codec.is_true(view[key])
    view.setdefault('enabled', True)
    if 'prune-backups' in view:
        view['prune-backups'] = parse_retention(view['prune-backups'])
    return view


def desired_job(params):
    want = {}
    for option, key in JOB_SCALARS:
        if params.get(option) is not None:
            want[key] = params[option]
    if params.get('vmids') is not None:
        want['vmid'] = sorted(set(params['vmids']))
    if params.get('all') is not None:
        want['all'] = params['all']
    if params.get('exclude') is not None:
        want['exclude'] = sorted(set(params['exclude']))
    if params.get('enabled') is not None:
        want['enabled'] = params['enabled']
    if params.get('protected') is not None:
        want['protected'] = params['protected']
    if params.get('retention') is not None:
        want['prune-backups'] = desired_retention(params['retention'])
    return want


def _job_wire(key, value):
    return retention_string(value) if key == 'prune-backups' else codec.wire(value)


def _job_has(client, job_id, want, changes, deletes):
    """After a lost answer to PUT /cluster/backup/{id}: whether the job now has the changes."""
    view = job_view(get_job(client, job_id))
    return (all(view.get(key) == want[key] for key in changes)
            and all(key not in view for key in deletes if key != 'all') and not ('all' in deletes and view.get('all')))


def list_jobs(client):
    return client.get('cluster', 'backup') or []


def get_job(client, job_id):
    return listed(list_jobs(client), 'id', job_id)


class Job(Resource):
    """A scheduled backup job; empty values ('', [], {}) mean "not set": PVE keeps no such key."""
    noun = 'job'

    def read(self):
        self.job_id = self.params['id']
        current = get_job(self.client, self.job_id)
        return job_view(current) if current else None

    def delete(self, tracker, current):
        client, job_id = self.client, self.job_id
        tracker.write(client.delete, 'cluster', 'backup', job_id, _confirm=lambda lost: get_job(client, job_id) is None)

    def desired(self, current):
        want = desired_job(self.params)
        self.chosen = [k for k in SELECTION if want.get(k)]
        if len(self.chosen) > 1:
            raise errors.InvalidArgumentError('give one of vmids, pool and all: true', field='vmids')
        if want.get('exclude') and not want.get('all'):
            raise errors.InvalidArgumentError('exclude only works with all: true', field='exclude')
        # An empty value ('', [], {}) means "not set": PVE keeps no such key, so it is deleted where present.
        self.empty = sorted(k for k, v in want.items() if _empty(v))
        return want

    def create(self, tracker, desired):
        client, job_id, want, empty = self.client, self.job_id, desired, self.empty
        if not want.get('schedule'):
            raise errors.InvalidArgumentError('schedule is required to create a backup job', field='schedule')
        if not self.chosen:
            raise errors.InvalidArgumentError('give vmids, pool or all: true to create a backup job', field='vmids')
        body = dict((k, _job_wire(k, v)) for k, v in want.items() if not (k == 'all' and not v) and k not in empty)
        _with_storage(body, want.get('storage'))
        tracker.write(client.post, 'cluster', 'backup', id=job_id, **body,
                      _confirm=lambda lost: get_job(client, job_id) is not None)
        after = dict((k, v) for k, v in want.items() if k not in empty)
        after['id'] = job_id
        return after

    def update(self, tracker, current, desired):
        client, job_id, want, empty, chosen, before = \
            self.client, self.job_id, desired, self.empty, self.chosen, current
        if 'vmid' in empty and before.get('vmid') and not chosen:
            raise errors.InvalidArgumentError('vmids: [] would leave the job without guests: give pool or all: '
                                              'true instead', field='vmids')
        changes, deletes = {}, [k for k in empty if k in before]
        for key, value in want.items():
            if key in empty:
                continue
            if before.get(key) != value and not (key == 'all' and not value and not before.get('all')):
                if key == 'all' and not value:
                    deletes.append('all')
                else:
                    changes[key] = _job_wire(key, value)
        if chosen:
            for other in SELECTION:
                if other not in chosen and before.get(other) and other not in deletes:
                    deletes.append(other)
            if 'all' in deletes and before.get('exclude') and 'exclude' not in want:
                deletes.append('exclude')
        _with_storage(changes, want.get('storage') or before.get('storage'))
        if changes or deletes:
            kwargs = dict(changes)
            if deletes:
                kwargs['delete'] = ','.join(sorted(deletes))
            tracker.write(client.put, 'cluster', 'backup', job_id, **kwargs,
                          _confirm=lambda lost: _job_has(client, job_id, want, changes, deletes))
        after = dict(before)
        for key in deletes:
            after.pop(key, None)
        after.update((k, v) for k, v in want.items() if k not in empty)
        return after

    def shown(self, tracker, after):
        return job_view(get_job(self.client, self.job_id)) if self.wrote(tracker) else after


def ensure_job(pve):
    """pve.ops.backup_job: one scheduled backup job, present or absent."""
    return Job(pve).run()


# PVE takes these job options only together with the job's storage in the same request (the schema's `requires`).
NEEDS_STORAGE = ('notes-template', 'protected')


def _with_storage(body, storage):
    """Add the job's storage to a create or update body that sets an option PVE takes only with it."""
    needing = [k for k in NEEDS_STORAGE if k in body]
    if not needing or 'storage' in body:
        return
    if not storage:
        raise errors.InvalidArgumentError('{0} {1} the backup storage in the same request (PVE): give storage'.format(
            ' and '.join(k.replace('-', '_') for k in needing), 'needs' if len(needing) == 1 else 'need'),
            field='storage')
    body['storage'] = storage


def _empty(value):
    return isinstance(value, (str, list, dict)) and not value
