# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pruning backups by retention (pve.ops.backup_prune); the dry-run list is PVE's own."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.backup.jobs import get_job
from ansible_collections.pve.ops.plugins.module_utils.storage.definitions import (
    get_storage,
    parse_retention,
    pick_node,
    require_storage_visible,
    retention_string,
)
from ansible_collections.pve.ops.plugins.module_utils.tasks import task_started
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

# ----------------------------------------------------------------------- prune


def prune(pve):
    """pve.ops.backup_prune: remove the backups a retention does not keep; the dry-run list is PVE's own."""
    client, params, check_mode = pve.client, pve.params, pve.check_mode
    storage, retention = params.get('storage'), params.get('retention')
    tracker = ChangeTracker(check_mode)
    if params.get('job'):
        job = get_job(client, params['job'])
        if job is None and not check_mode:
            raise errors.NotFoundError('backup job {0!r} does not exist'.format(params['job']))
        if job is None:
            tracker.assume('backup job {0!r}'.format(params['job']),
                           'what its retention would remove cannot be planned before it exists')
            return tracker.result(after=dict(backups=[]), removed=[], kept=[], plan=[], node=params.get('node'),
                                  storage=storage)
        storage = storage or job.get('storage')
        if retention is None and job.get('prune-backups'):
            retention = parse_retention(job['prune-backups'])
    if not storage:
        raise errors.InvalidArgumentError('storage is required (or a job with a storage)', field='storage')
    if check_mode and get_storage(client, storage) is None:
        require_storage_visible(client, storage)
        tracker.assume('storage {0!r}'.format(storage), 'a new storage holds no backup to prune')
        return tracker.result(after=dict(backups=[]), removed=[], kept=[], plan=[], node=params.get('node'),
                              storage=storage)
    node = pick_node(client, storage, params.get('node'))
    query = dict(vmid=params.get('vmid'), type=params.get('guest_type'))
    if retention is not None:
        query['prune-backups'] = retention_string(retention)
    plan = client.get('nodes', node, 'storage', storage, 'prunebackups', **query) or []
    remove = sorted(e['volid'] for e in plan if e.get('mark') == 'remove')
    keep = sorted(e['volid'] for e in plan if e.get('mark') != 'remove')
    tracker = ChangeTracker(check_mode, before=dict(backups=sorted(e['volid'] for e in plan)))
    if remove:
        upid = tracker.write(client.delete, 'nodes', node, 'storage', storage, 'prunebackups', **query,
                             _confirm=task_started(client, node, 'prunebackups'))
        if upid:
            client.wait(upid, timeout=params.get('timeout') or 600)
    return tracker.result(after=dict(backups=keep), removed=remove, kept=keep, plan=plan, node=node,
                          storage=storage)
