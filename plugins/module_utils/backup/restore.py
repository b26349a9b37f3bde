# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restores of a VM or container from a backup volume (pve.ops.restore)."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.backup.vzdump import _KIND_WORD, archive_type
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import find_guest, list_guests
from ansible_collections.pve.ops.plugins.module_utils.guests.visibility import ensure_not_hidden
from ansible_collections.pve.ops.plugins.module_utils.storage.content import list_content
from ansible_collections.pve.ops.plugins.module_utils.storage.definitions import (
    get_storage,
    pick_node,
    require_backups_visible,
    require_storage_visible,
)
from ansible_collections.pve.ops.plugins.module_utils.tasks import task_started
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

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
