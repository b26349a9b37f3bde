# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots of VMs and containers: one reconcile for both guest types (the paths are the same)."""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.guests import common as guests
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

SNAPSHOT_STATES = ('present', 'absent', 'rollback')
# PVE's pve-configid format for snapshot names.
SNAPNAME_RE = re.compile(r'^[A-Za-z][A-Za-z0-9_-]{1,39}$')


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
    guest = guests.find_target(pve)
    if guest is None:
        return assumed(pve)
    if p.get('vmstate') and guest['type'] == 'lxc':
        raise errors.InvalidArgumentError('vmstate is for VMs only; {0} is a container'.format(guest['vmid']),
                                          field='vmstate')
    found = next((s for s in guests.list_snapshots(client, guest) if s.get('name') == name), None)
    if found is None and p['state'] == 'present' and codec.is_true(guest.get('template')):
        # PVE's snapshot_prepare dies in the task: "you can't take a snapshot if it's a template".
        raise errors.InvalidArgumentError(
            "{0} {1} is a template: PVE takes no snapshot of a template (you can't take a snapshot if it's a "
            "template); snapshot a clone of it instead".format(guests.kind(guest['type']), guest['vmid']),
            field='vmid' if p.get('vmid') is not None else 'name')
    before = snapshot_view(found)
    tracker = ChangeTracker(pve.check_mode, before=before or {})
    timeout = p.get('timeout') or guests.DEFAULT_TIMEOUT
    state = p['state']
    after = before
    if state == 'absent':
        if found is not None:
            tracker.write(guests.delete_snapshot, client, guest, name, wait=p['wait'], timeout=timeout)
        after = None
    elif state == 'present':
        if found is None:
            tracker.write(guests.create_snapshot, client, guest, name, description=p.get('description'),
                          vmstate=p.get('vmstate'), wait=p['wait'], timeout=timeout)
            after = dict(name=name, description=p.get('description') or '',
                         vmstate=bool(p.get('vmstate')) and guest.get('status') == 'running')
            if not pve.check_mode and p['wait']:
                after = snapshot_view(next((s for s in guests.list_snapshots(client, guest)
                                            if s.get('name') == name), None)) or after
        elif p.get('description') is not None and (found.get('description') or '').rstrip() != \
                p['description'].rstrip():
            tracker.write(guests.update_snapshot, client, guest, name, p['description'])
            after = dict(before, description=p['description'])
    else:
        if found is None:
            missing = '{0} {1} has no snapshot {2!r} to roll back to'.format(
                guests.kind(guest['type']), guest['vmid'], name)
            if not pve.check_mode:
                raise errors.NotFoundError(missing)
            pve.warn('{0}; in check mode this task assumes an earlier task takes it, and reports the rollback it '
                     'would make then'.format(missing))
            tracker.mark()
            return tracker.result(after={}, snapshot=None, guest=guest_view(guest))
        tracker.write(guests.rollback_snapshot, client, guest, name, start=p.get('start'), wait=p['wait'],
                      timeout=timeout)
    return tracker.result(after=after or {}, snapshot=after, guest=guest_view(guest))
