# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backups: vzdump now, restores, scheduled backup jobs (/cluster/backup) and pruning by retention."""

from __future__ import annotations

import re
import time

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.guests import ensure_not_hidden, find_guest, list_guests
from ansible_collections.pve.ops.plugins.module_utils.storage import (
    get_storage,
    list_content,
    parse_retention,
    pick_node,
    require_backups_visible,
    require_storage_visible,
    retention_string,
)
from ansible_collections.pve.ops.plugins.module_utils.tasks import task_started
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

BACKUP_NAME = re.compile(r'(?:^|/)vzdump-(qemu|lxc|openvz)-(\d+)-')
DURATION = re.compile(r'^\s*(\d+)\s*([smhdw]?)\s*$')
UNITS = {'': 1, 's': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}
_KIND_WORD = {'qemu': 'VM', 'lxc': 'container'}


def parse_duration(text, field='max_age'):
    """Seconds of a duration such as 3600, 90m, 12h, 1d, 2w."""
    found = DURATION.match(str(text))
    if not found:
        raise errors.InvalidArgumentError('{0}: {1!r} is not a duration (seconds, or a number with s, m, h, d or '
                                          'w)'.format(field, text), field=field)
    return int(found.group(1)) * UNITS[found.group(2)]


def archive_type(volid):
    """'qemu' or 'lxc' from a backup's file name (vzdump-qemu-100-..., vzdump-lxc-200-...)."""
    found = BACKUP_NAME.search(str(volid))
    if not found:
        raise errors.InvalidArgumentError('{0!r} is not a vzdump backup volume (vzdump-qemu-<vmid>-... or '
                                          'vzdump-lxc-<vmid>-...)'.format(volid), field='archive')
    return 'lxc' if found.group(1) in ('lxc', 'openvz') else 'qemu', int(found.group(2))


# -------------------------------------------------------------------- backup now

def _select(client, params, check_mode=False):
    """The guests to back up; in check mode (see run_backup) also the vmids not there yet."""
    guests = list_guests(client)
    by_id = dict((int(g['vmid']), g) for g in guests)
    kind = params.get('guest_type')
    if params.get('all') or params.get('pool'):
        exclude = set(params.get('exclude') or [])
        return [g for g in sorted(guests, key=lambda g: g['vmid'])
                if (kind is None or g.get('type') == kind) and int(g['vmid']) not in exclude
                and (not params.get('pool') or g.get('pool') == params['pool'])]
    missing = [v for v in params['vmids'] if v not in by_id]
    for vmid in missing:
        ensure_not_hidden(client, vmid=vmid, authid=client.identity)
    if missing and not check_mode:
        raise errors.InvalidArgumentError('vmids: no guest {0}'.format(', '.join(str(v) for v in missing)),
                                          field='vmids')
    other = [v for v in params['vmids'] if kind and v in by_id and by_id[v].get('type') != kind]
    if other:
        raise errors.InvalidArgumentError('vmids: {0} {1} not a {2}'.format(
            ', '.join(str(v) for v in other), 'is' if len(other) == 1 else 'are', _KIND_WORD[kind]), field='vmids')
    return [by_id[v] if v in by_id else dict(vmid=v, node=None, type=kind, name=None)
            for v in sorted(set(params['vmids']))]


def _backups_by_vmid(client, storage, nodes):
    """{vmid: [content entries of its backups]} on the storage, read through each of the nodes."""
    out, seen = {}, set()
    for node in sorted(nodes):
        for item in list_content(client, node, storage, content='backup'):
            if item['volid'] in seen:
                continue
            seen.add(item['volid'])
            vmid = item.get('vmid')
            if vmid is None:
                found = BACKUP_NAME.search(item['volid'])
                vmid = found and int(found.group(2))
            if vmid is not None:
                out.setdefault(int(vmid), []).append(item)
    return out


def run_backup(pve):
    """pve.ops.backup: vzdump the chosen guests (per node), or nothing when max_age finds recent backups."""
    client, params, check_mode = pve.client, pve.params, pve.check_mode
    if not (params.get('vmids') or params.get('pool') or params.get('all')):
        raise errors.InvalidArgumentError('give vmids, pool or all: true', field='vmids')
    if params.get('exclude') and not params.get('all'):
        raise errors.InvalidArgumentError('exclude only works with all: true', field='exclude')
    max_age = parse_duration(params['max_age']) if params.get('max_age') is not None else None
    storage = params.get('storage')
    if storage is None:
        raise errors.InvalidArgumentError('storage is required', field='storage')
    # Check mode of a play that creates the pool, the guests or the storage first: they are not there yet.
    assumed = ChangeTracker(check_mode)
    guests = _select(client, params, check_mode)
    if not guests and not check_mode:
        raise errors.InvalidArgumentError('the selection holds no guest', field='pool' if params.get('pool')
                                          else 'vmids')
    if not guests:
        assumed.assume('a guest in {0}'.format('pool {0!r}'.format(params['pool']) if params.get('pool') else
                                               'the cluster'), 'the guests it will hold would be backed up')
    for guest in guests:
        if guest['node'] is None:
            assumed.assume('guest {0}'.format(guest['vmid']), 'it would be backed up')
    nodes = set(g['node'] for g in guests if g['node'] is not None)
    if check_mode and get_storage(client, storage) is None:
        require_storage_visible(client, storage)
        assumed.assume('storage {0!r}'.format(storage), 'the backups would go to it')
        existing = {}
    else:
        existing = _backups_by_vmid(client, storage, nodes)
    now = time.time()
    todo, up_to_date = [], []
    for guest in guests:
        newest = max([int(b.get('ctime') or 0) for b in existing.get(int(guest['vmid']), [])] or [0])
        if max_age is not None and newest and now - newest < max_age:
            up_to_date.append(dict(vmid=int(guest['vmid']), newest=newest))
        else:
            todo.append(guest)
    before = dict((str(g['vmid']), max([int(b.get('ctime') or 0) for b in existing.get(int(g['vmid']), [])] or [0])
                   or None) for g in guests)
    tracker = ChangeTracker(check_mode, before=dict(latest_backup=before))
    tracker.warnings.extend(assumed.warnings)
    if assumed.warnings:
        tracker.mark()
    planned = [dict(vmid=int(g['vmid']), node=g['node'], type=g['type'], name=g.get('name')) for g in todo]
    created = []
    timeout = params.get('timeout') or 3600
    for node in sorted(set(g['node'] for g in todo if g['node'] is not None)):
        vmids = [int(g['vmid']) for g in todo if g['node'] == node]
        running = {} if check_mode else running_backups(client, node, vmids)
        for upid in sorted(set(running.values())):
            # A re-run while the backup it lost track of still runs, or another caller's: never a second one.
            tracker.mark()
            tracker.warnings.append('a backup of guest {0} was running already (task {1}): waited for it instead of '
                                    'starting a second one'.format(', '.join(str(v) for v in sorted(
                                        v for v, u in running.items() if u == upid)), upid))
            client.wait(upid, timeout=timeout)
        vmids = [v for v in vmids if v not in running]
        if not vmids:
            continue
        body = dict(vmid=','.join(str(v) for v in vmids), storage=storage, mode=params.get('mode'),
                    compress=params.get('compress'), protected=params.get('protected'), remove=params.get('prune'))
        if params.get('notes') is not None:
            body['notes-template'] = params['notes']
        # PVE names a vzdump task by its guest when it backs up one, else by nothing.
        upid = tracker.write(client.post, 'nodes', node, 'vzdump', **body,
                             _confirm=task_started(client, node, 'vzdump', vmids[0] if len(vmids) == 1 else ''))
        if upid:
            try:
                client.wait(upid, timeout=timeout)
            except errors.AnswerLostError as lost:
                raise errors.outcome_unknown(lost, 'the backup may be made: a run while it still runs waits for it; '
                                                   'with max_age a later run skips the guests it backed up') from None
    if todo and not check_mode:
        after_backups = _backups_by_vmid(client, storage, nodes)
        known = set(b['volid'] for items in existing.values() for b in items)
        for guest in todo:
            for item in after_backups.get(int(guest['vmid']), []):
                if item['volid'] not in known:
                    created.append(dict(item, node=guest['node'], type=guest['type']))
    after = dict(before)
    for entry in planned:
        after[str(entry['vmid'])] = 'new backup'
    return tracker.result(after=dict(latest_backup=after), backups=created, volids=[b['volid'] for b in created],
                          planned=planned, up_to_date=up_to_date)


# vzdump's first log line: "INFO: starting new backup job: vzdump 100 101 --storage backup-nfs --mode snapshot"
VZDUMP_COMMAND = re.compile(r'starting new backup job: vzdump((?:\s+\d+)+)')


def running_backups(client, node, vmids):
    """{vmid: UPID} of the guests in ``vmids`` a vzdump task running on ``node`` backs up now."""
    wanted = set(int(v) for v in vmids)
    out = {}
    tasks = client.get('nodes', node, 'tasks', typefilter='vzdump', source='active', limit=50) or []
    for task in tasks:
        if task.get('type') != 'vzdump' or 'endtime' in task:
            continue
        if str(task.get('id') or '').isdigit():
            covered = {int(task['id'])}
        else:
            # A task of several guests is named by none: its first log line lists them.
            head = client.get('nodes', node, 'tasks', task['upid'], 'log', start=0, limit=1) or []
            found = VZDUMP_COMMAND.search(head[0].get('t', '')) if head else None
            covered = set(int(v) for v in found.group(1).split()) if found else set()
        for vmid in covered & wanted:
            out[vmid] = task['upid']
    return out


# ------------------------------------------------------------------------ restore

def restore(pve):
    """pve.ops.restore: recreate a VM or container from a backup volume."""
    client, params, check_mode = pve.client, pve.params, pve.check_mode
    archive = params['archive']
    if params.get('force') and params.get('skip_existing'):
        raise errors.InvalidArgumentError('force and skip_existing exclude each other: overwrite an existing guest, '
                                          'or leave it alone', field='skip_existing')
    kind, archive_vmid = archive_type(archive)
    if params.get('guest_type') and params['guest_type'] != kind:
        raise errors.InvalidArgumentError('archive {0} holds a {1}, not a {2}'.format(
            archive, _KIND_WORD[kind], _KIND_WORD[params['guest_type']]), field='archive')
    if ':' not in archive:
        raise errors.InvalidArgumentError('archive must be a volume id such as backup-nfs:backup/vzdump-...',
                                          field='archive')
    vmid = params.get('vmid') or archive_vmid
    node = params['node']
    storage = archive.split(':', 1)[0]
    guests = list_guests(client)
    current = find_guest(client, vmid=vmid, guests=guests)
    if current is None:
        ensure_not_hidden(client, vmid=vmid, authid=client.identity)
    before = _guest_view(client, current)
    tracker = ChangeTracker(check_mode, before=before)
    if check_mode and get_storage(client, storage) is None:
        require_storage_visible(client, storage)
        tracker.assume('storage {0!r}'.format(storage), 'the backup would be restored from it')
    else:
        backups = list_content(client, pick_node(client, storage, node), storage, content='backup')
        if not any(item.get('volid') == archive for item in backups):
            require_backups_visible(client, storage, archive_vmid, 'backup {0} exists'.format(archive))
            if not check_mode:
                raise errors.NotFoundError('backup {0} does not exist'.format(archive))
            tracker.assume('backup {0}'.format(archive), 'it would be restored')
    if current is not None and current.get('type') != kind:
        raise errors.InvalidArgumentError(
            'vmid {0} is a {1} ({2}) and the backup holds a {3}: neither skip_existing nor force applies to '
            'another kind of guest; give another vmid'.format(vmid, _KIND_WORD[current.get('type')], current.get('name'),
                                                              _KIND_WORD[kind]), field='vmid')
    if current is not None and params.get('skip_existing'):
        return dict(tracker.result(after=before, guest=before, restored=False),
                    msg='guest {0} exists ({1} on {2}): left alone (skip_existing)'.format(
                        vmid, current.get('name'), current.get('node')))
    if current is not None and not params.get('force'):
        raise errors.InvalidArgumentError(
            'guest {0} exists ({1} on {2}): nothing restored; set skip_existing: true to leave an existing guest '
            'alone (so the play can run again), force: true to overwrite it with the backup, or give another '
            'vmid'.format(vmid, current.get('name'), current.get('node')), field='vmid')
    if current is not None:
        if current.get('node') != node:
            raise errors.InvalidArgumentError('vmid {0} lives on {1}: restore over it on that node'.format(
                vmid, current.get('node')), field='node')
        if current.get('status') == 'running':
            raise errors.InvalidArgumentError('guest {0} is running: stop it before restoring over it'.format(vmid),
                                              field='force')
    body = dict(vmid=vmid, storage=params.get('storage'), pool=params.get('pool'), start=params.get('start'),
                unique=params.get('unique'), force=1 if current is not None else None)
    if kind == 'qemu':
        body['archive'] = archive
        upid = tracker.write(client.post, 'nodes', node, 'qemu', **body,
                             _confirm=task_started(client, node, 'qmrestore', vmid))
    else:
        body.update(ostemplate=archive, restore=1)
        upid = tracker.write(client.post, 'nodes', node, 'lxc', **body,
                             _confirm=task_started(client, node, 'vzrestore', vmid))
    if upid:
        client.wait(upid, timeout=params.get('timeout') or 3600)
    if check_mode:
        after = dict(vmid=vmid, node=node, type=kind, archive=archive)
    else:
        after = _guest_view(client, find_guest(client, vmid=vmid))
    return tracker.result(after=after, guest=after, restored=True)


def _guest_view(client, resource):
    if resource is None:
        return {}
    kind = resource.get('type')
    config = client.get('nodes', resource['node'], kind, resource['vmid'], 'config') or {}
    config = dict((k, v) for k, v in config.items() if k != 'digest')
    return dict(vmid=int(resource['vmid']), node=resource['node'], type=kind, name=resource.get('name'),
                status=resource.get('status'), config=config)


# ---------------------------------------------------------------------- jobs

JOB_SCALARS = (('schedule', 'schedule'), ('storage', 'storage'), ('mode', 'mode'), ('compress', 'compress'),
               ('notes_template', 'notes-template'), ('comment', 'comment'), ('node', 'node'),
               ('pool', 'pool'), ('mailto', 'mailto'))
SELECTION = ('vmid', 'pool', 'all')


def _ids(value):
    return sorted(set(int(v) for v in re.split(r'[\s,;]+', str(value or '')) if v))


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
        retention_string(params['retention'])
        want['prune-backups'] = dict((k, v) for k, v in params['retention'].items() if v is not None)
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
    for job in list_jobs(client):
        if job.get('id') == job_id:
            return job
    return None


def ensure_job(pve):
    """pve.ops.backup_job: one scheduled backup job, present or absent."""
    client, params, check_mode = pve.client, pve.params, pve.check_mode
    job_id, state = params['id'], params['state']
    current = get_job(client, job_id)
    before = job_view(current)
    tracker = ChangeTracker(check_mode, before=before)
    if state == 'absent':
        if current is not None:
            tracker.write(client.delete, 'cluster', 'backup', job_id,
                          _confirm=lambda lost: get_job(client, job_id) is None)
        return tracker.result(after={}, job=None)
    want = desired_job(params)
    chosen = [k for k in SELECTION if want.get(k)]
    if len(chosen) > 1:
        raise errors.InvalidArgumentError('give one of vmids, pool and all: true', field='vmids')
    if want.get('exclude') and not want.get('all'):
        raise errors.InvalidArgumentError('exclude only works with all: true', field='exclude')
    # An empty value ('', [], {}) means "not set": PVE keeps no such key, so it is deleted where present.
    empty = sorted(k for k, v in want.items() if _empty(v))
    if current is None:
        if not want.get('schedule'):
            raise errors.InvalidArgumentError('schedule is required to create a backup job', field='schedule')
        if not chosen:
            raise errors.InvalidArgumentError('give vmids, pool or all: true to create a backup job', field='vmids')
        body = dict((k, _job_wire(k, v)) for k, v in want.items() if not (k == 'all' and not v) and k not in empty)
        _with_storage(body, want.get('storage'))
        tracker.write(client.post, 'cluster', 'backup', id=job_id, **body,
                      _confirm=lambda lost: get_job(client, job_id) is not None)
        after = dict((k, v) for k, v in want.items() if k not in empty)
        after['id'] = job_id
    else:
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
    result = job_view(get_job(client, job_id)) if tracker.changed and not check_mode else after
    return tracker.result(after=after, job=result)


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
