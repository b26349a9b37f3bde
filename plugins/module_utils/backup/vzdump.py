# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backups now (vzdump), and what the backup modules share: archive names and durations."""

from __future__ import annotations

import re
import time

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import list_guests
from ansible_collections.pve.ops.plugins.module_utils.guests.visibility import ensure_not_hidden
from ansible_collections.pve.ops.plugins.module_utils.storage.content import BACKUP_NAME, list_content
from ansible_collections.pve.ops.plugins.module_utils.storage.definitions import get_storage, require_storage_visible
from ansible_collections.pve.ops.plugins.module_utils.tasks import task_started
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

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
