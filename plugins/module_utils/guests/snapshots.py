# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots of VMs and containers: the API calls, and the reconcile of pve.ops.snapshot (one for both guest
types: the paths are the same)."""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.guests.actions import DEFAULT_TIMEOUT, wait_task
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import kind, path
from ansible_collections.pve.ops.plugins.module_utils.guests.visibility import find_target
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

SNAPSHOT_STATES = ('present', 'absent', 'rollback')
# PVE's pve-configid format for snapshot names.
SNAPNAME_RE = re.compile(r'^[A-Za-z][A-Za-z0-9_-]{1,39}$')


def list_snapshots(client, guest):
    """The guest's snapshots (without PVE's ``current`` entry)."""
    return [s for s in client.get(*path(guest, 'snapshot')) or [] if s.get('name') != 'current']


def create_snapshot(client, guest, snapname, description=None, vmstate=None, wait=True, timeout=DEFAULT_TIMEOUT):
    params = dict(snapname=snapname)
    if description:
        params['description'] = description
    if vmstate is not None and guest['type'] == 'qemu':
        params['vmstate'] = vmstate
    upid = client.post(*path(guest, 'snapshot'), **params)
    return wait_task(client, upid, wait, timeout)


def update_snapshot(client, guest, snapname, description):
    return client.put(*path(guest, 'snapshot', snapname, 'config'), description=description)


def delete_snapshot(client, guest, snapname, wait=True, timeout=DEFAULT_TIMEOUT):
    upid = client.delete(*path(guest, 'snapshot', snapname))
    return wait_task(client, upid, wait, timeout)


def rollback_snapshot(client, guest, snapname, start=None, wait=True, timeout=DEFAULT_TIMEOUT):
    params = {}
    if start is not None:
        params['start'] = start
    upid = client.post(*path(guest, 'snapshot', snapname, 'rollback'), **params)
    return wait_task(client, upid, wait, timeout)


def snapshot_view(entry):
    if entry is None:
        return None
    out = dict(name=entry.get('name'), description=entry.get('description') or '',
               snaptime=entry.get('snaptime'), vmstate=bool(entry.get('vmstate')))
    if entry.get('parent'):
        out['parent'] = entry['parent']
    return out


def guest_view(guest):
    return dict(vmid=int(guest['vmid']), name=guest.get('name'), node=guest['node'], type=guest['type'])


def assumed(pve):
    """Check mode, no such guest (yet): what the task would do to the guest an earlier task creates."""
    p = pve.params
    tracker = ChangeTracker(True, before={})
    after = None
    if p['state'] == 'present':
        after = dict(name=p['snapname'], description=p.get('description') or '', vmstate=bool(p.get('vmstate')))
    if p['state'] != 'absent':
        tracker.mark()
    guest = dict((k, v) for k, v in dict(vmid=p.get('vmid'), name=p.get('name')).items() if v is not None)
    return tracker.result(after=after or {}, snapshot=after, guest=guest)


def ensure_snapshot(pve):
    p = pve.params
    client = pve.client
    name = p['snapname']
    if not SNAPNAME_RE.match(name) or name.lower() in ('current', 'pending'):
        raise errors.InvalidArgumentError(
            'snapname {0!r}: 2 to 40 letters, digits, - and _, starting with a letter; not current or pending'.format(
                name), field='snapname')
    guest = find_target(pve)
    if guest is None:
        return assumed(pve)
    if p.get('vmstate') and guest['type'] == 'lxc':
        raise errors.InvalidArgumentError('vmstate is for VMs only; {0} is a container'.format(guest['vmid']),
                                          field='vmstate')
    found = next((s for s in list_snapshots(client, guest) if s.get('name') == name), None)
    if found is None and p['state'] == 'present' and codec.is_true(guest.get('template')):
        # PVE's snapshot_prepare dies in the task: "you can't take a snapshot if it's a template".
        raise errors.InvalidArgumentError(
            "{0} {1} is a template: PVE takes no snapshot of a template (you can't take a snapshot if it's a "
            "template); snapshot a clone of it instead".format(kind(guest['type']), guest['vmid']),
            field='vmid' if p.get('vmid') is not None else 'name')
    before = snapshot_view(found)
    tracker = ChangeTracker(pve.check_mode, before=before or {})
    timeout = p.get('timeout') or DEFAULT_TIMEOUT
    state = p['state']
    after = before
    if state == 'absent':
        if found is not None:
            tracker.write(delete_snapshot, client, guest, name, wait=p['wait'], timeout=timeout)
        after = None
    elif state == 'present':
        if found is None:
            tracker.write(create_snapshot, client, guest, name, description=p.get('description'),
                          vmstate=p.get('vmstate'), wait=p['wait'], timeout=timeout)
            after = dict(name=name, description=p.get('description') or '',
                         vmstate=bool(p.get('vmstate')) and guest.get('status') == 'running')
            if not pve.check_mode and p['wait']:
                after = snapshot_view(next((s for s in list_snapshots(client, guest)
                                            if s.get('name') == name), None)) or after
        elif p.get('description') is not None and (found.get('description') or '').rstrip() != \
                p['description'].rstrip():
            tracker.write(update_snapshot, client, guest, name, p['description'])
            after = dict(before, description=p['description'])
    else:
        if found is None:
            missing = '{0} {1} has no snapshot {2!r} to roll back to'.format(
                kind(guest['type']), guest['vmid'], name)
            if not pve.check_mode:
                raise errors.NotFoundError(missing)
            pve.warn('{0}; in check mode this task assumes an earlier task takes it, and reports the rollback it '
                     'would make then'.format(missing))
            tracker.mark()
            return tracker.result(after={}, snapshot=None, guest=guest_view(guest))
        tracker.write(rollback_snapshot, client, guest, name, start=p.get('start'), wait=p['wait'],
                      timeout=timeout)
    return tracker.result(after=after or {}, snapshot=after, guest=guest_view(guest))
