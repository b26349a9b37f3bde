# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource pools (/pools): reading a pool with its members, and reconciling its comment and members.

PVE 9 serves pools on ``/pools`` with ``poolid`` as a parameter (``GET /pools?poolid=``, ``PUT /pools``,
``DELETE /pools``); the ``/pools/{poolid}`` paths are deprecated (no nested pools) and not used here.

``GET /pools`` lists the pools (id and comment, no members); ``GET /pools?poolid=`` answers one pool with its
members: guests (``type`` qemu or lxc, ``vmid``, ``node``, ``status``, ``name``) and storages (``type``
storage, ``storage``, ``node``; PVE may list a storage once per node). A missing pool is a 500 whose only
sign is its text, so absence is confirmed from the listing, never from the wording.
"""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import find_guest
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource

# PVE's pve-poolid: up to three levels (nested pools), each of letters, digits, '.', '-' and '_'.
POOLID_RE = re.compile(r'^[A-Za-z0-9.\-_]+(?:/[A-Za-z0-9.\-_]+){0,2}$')
MEMBER_TYPES = ('qemu', 'lxc', 'storage')
GUEST_TYPES = ('qemu', 'lxc', 'openvz')


def check_poolid(poolid, field='poolid'):
    if not poolid or not POOLID_RE.match(poolid):
        raise errors.InvalidArgumentError(
            "{0} {1!r} is not a pool id: letters, digits, '.', '-' and '_', up to three levels joined by "
            "'/'".format(field, poolid), field=field)
    return poolid


# ----------------------------------------------------------------------------------------------- reads


def list_pools(client):
    """Every pool the credentials may see (GET /pools): [{poolid, comment}], sorted by id."""
    out = [dict(poolid=p['poolid'], comment=p.get('comment') or '') for p in client.get('pools') or []
           if p.get('poolid')]
    return sorted(out, key=lambda p: p['poolid'])


def member_view(entry):
    """A member as PVE lists it, with ``vmid`` an integer and flags as booleans."""
    out = dict(entry)
    if out.get('vmid') is not None:
        out['vmid'] = int(out['vmid'])
    for key in ('template', 'shared'):
        if key in out:
            out[key] = codec.is_true(out[key])
    return out


def pool_view(entry):
    """A pool of ``GET /pools?poolid=``: id, comment, members (guests by vmid, then storages), and the
    member ids as sorted lists (``vms``, ``storage``)."""
    members = [member_view(m) for m in entry.get('members') or []]
    guests = sorted((m for m in members if m.get('type') in GUEST_TYPES), key=lambda m: m.get('vmid') or 0)
    stores = sorted((m for m in members if m.get('type') == 'storage'),
                    key=lambda m: (m.get('storage') or '', m.get('node') or ''))
    return dict(poolid=entry['poolid'], comment=entry.get('comment') or '', members=guests + stores,
                vms=sorted(set(m['vmid'] for m in guests if m.get('vmid') is not None)),
                storage=sorted(set(m['storage'] for m in stores if m.get('storage'))))


def read_pool(client, poolid, member_type=None):
    """The pool with its members (pool_view), or None when there is no such pool. One request when it exists."""
    try:
        data = client.get('pools', poolid=poolid, type=member_type)
    except (errors.PermissionDeniedError, errors.AuthenticationError):
        raise
    except errors.ApiError:
        # PVE says "pool 'x' does not exist" with a 500: confirm the absence from the listing instead.
        if any(p['poolid'] == poolid for p in list_pools(client)):
            raise
        return None
    if isinstance(data, list):
        data = data[0] if data else None
    if not data:
        return None
    data = dict(data)
    data.setdefault('poolid', poolid)
    return pool_view(data)


def pool_facts(pve):
    """pve.ops.pool_info: the listing (one request), or one pool with its members (``pools`` and ``pool``)."""
    client, poolid, member_type = pve.client, pve.params['poolid'], pve.params['type']
    if member_type is not None and not poolid:
        raise errors.InvalidArgumentError('type filters the members of one pool: give poolid too', field='type')
    if not poolid:
        return dict(changed=False, pools=list_pools(client), pool=None)
    check_poolid(poolid)
    pool = read_pool(client, poolid, member_type=member_type)
    return dict(changed=False, pools=[pool] if pool else [], pool=pool)


# ------------------------------------------------------------------------------------------- reconcile


def _state_view(pool):
    """What the diff compares: id, comment, member vmids and storage ids."""
    if pool is None:
        return None
    return dict(poolid=pool['poolid'], comment=pool['comment'], vms=list(pool['vms']),
                storage=list(pool['storage']))


def _resources(client, vms, storage):
    """The cluster resources needed to resolve members: guests (and storages when asked); one request."""
    if not vms and not storage:
        return []
    if storage:
        return client.get('cluster', 'resources') or []
    return client.get('cluster', 'resources', type='vm') or []


def resolve_vms(items, resources):
    """[(vmid, resource entry)] for the given vmids or guest names; InvalidArgumentError for unknown ones."""
    guests = [r for r in resources if r.get('type') in GUEST_TYPES]
    out = {}
    for item in items:
        text = str(item).strip()
        if text.isdigit():
            guest = find_guest(None, vmid=int(text), guests=guests)
            missing = 'no guest with vmid {0}'.format(text)
        else:
            try:
                guest = find_guest(None, name=text, guests=guests)
            except errors.InvalidArgumentError as err:
                raise errors.InvalidArgumentError('vms: {0}'.format(err), field='vms') from None
            missing = 'no guest named {0!r}'.format(text)
        if guest is None:
            raise errors.InvalidArgumentError('vms: {0} in the cluster'.format(missing), field='vms')
        out[int(guest['vmid'])] = guest
    return out


def resolve_storage(items, resources):
    known = set(r.get('storage') for r in resources if r.get('type') == 'storage')
    wanted = []
    for item in items:
        sid = str(item).strip()
        if sid not in known:
            raise errors.InvalidArgumentError('storage: no storage {0!r} in the cluster (known: {1})'.format(
                sid, ', '.join(sorted(k for k in known if k)) or 'none'), field='storage')
        wanted.append(sid)
    return sorted(set(wanted))


def _ids(values):
    return ','.join(str(v) for v in values)


class Pool(Resource):
    """A pool: its comment and members; absent is refused while it has members, unless ``force``."""
    noun = 'pool'

    def read(self):
        self.poolid = check_poolid(self.params['poolid'])
        return read_pool(self.client, self.poolid)

    def diff_view(self, view):
        return _state_view(view) or {}

    def desired(self, current):
        """The members to add and drop; guests in another pool move only with allow_move (checked before any
        write, also in check mode)."""
        p, poolid = self.params, self.poolid
        resources = _resources(self.client, p['vms'], p['storage'])
        want_vms = resolve_vms(p['vms'], resources) if p['vms'] is not None else None
        want_storage = resolve_storage(p['storage'], resources) if p['storage'] is not None else None
        have_vms = set(current['vms']) if current else set()
        have_storage = set(current['storage']) if current else set()
        plan = dict(
            have_vms=have_vms, have_storage=have_storage,
            add_vms=sorted(set(want_vms or ()) - have_vms),
            add_storage=sorted(set(want_storage or ()) - have_storage),
            drop_vms=sorted(have_vms - set(want_vms)) if want_vms is not None and not p['append'] else [],
            drop_storage=sorted(have_storage - set(want_storage)) if want_storage is not None and not p['append']
            else [])
        elsewhere = ['{0} ({1})'.format(vmid, want_vms[vmid]['pool']) for vmid in plan['add_vms']
                     if want_vms[vmid].get('pool') and want_vms[vmid]['pool'] != poolid]
        if elsewhere and not p['allow_move']:
            raise errors.InvalidArgumentError(
                'vms: guests already in another pool: {0}; set allow_move: true to move them to {1!r}'.format(
                    ', '.join(elsewhere), poolid), field='vms')
        if elsewhere:
            self.extra['moved'] = sorted(vmid for vmid in plan['add_vms']
                                         if want_vms[vmid].get('pool') not in (None, '', poolid))
        return plan

    def create(self, tracker, desired):
        comment = self.params['comment']
        params = dict(poolid=self.poolid)
        if comment:
            params['comment'] = comment
        tracker.write(self.client.post, 'pools', **params)
        return self._members(tracker, None, desired, comment_change=False)

    def update(self, tracker, current, desired):
        comment = self.params['comment']
        return self._members(tracker, current, desired,
                             comment_change=comment is not None and current['comment'] != comment)

    def _members(self, tracker, current, plan, comment_change):
        client, poolid, comment = self.client, self.poolid, self.params['comment']
        if plan['drop_vms'] or plan['drop_storage']:
            params = dict(poolid=poolid, delete=True)
            if plan['drop_vms']:
                params['vms'] = _ids(plan['drop_vms'])
            if plan['drop_storage']:
                params['storage'] = _ids(plan['drop_storage'])
            tracker.write(client.put, 'pools', **params)
        if plan['add_vms'] or plan['add_storage'] or comment_change:
            params = dict(poolid=poolid)
            if comment_change:
                params['comment'] = comment
            if plan['add_vms']:
                params['vms'] = _ids(plan['add_vms'])
                if self.extra.get('moved'):
                    params['allow-move'] = True
            if plan['add_storage']:
                params['storage'] = _ids(plan['add_storage'])
            tracker.write(client.put, 'pools', **params)
        return dict(poolid=poolid, comment=comment if comment is not None else (current or {}).get('comment', ''),
                    vms=sorted((plan['have_vms'] - set(plan['drop_vms'])) | set(plan['add_vms'])),
                    storage=sorted((plan['have_storage'] - set(plan['drop_storage'])) | set(plan['add_storage'])))

    def delete(self, tracker, current):
        members = []
        if current['vms']:
            members.append('guests {0}'.format(', '.join(str(v) for v in current['vms'])))
        if current['storage']:
            members.append('storage {0}'.format(', '.join(current['storage'])))
        if members and not self.params['force']:
            raise errors.InvalidArgumentError(
                'pool {0!r} is not empty ({1}): PVE deletes empty pools only; set force: true to remove its members '
                'first'.format(current['poolid'], '; '.join(members)), field='force')
        if members:
            params = dict(poolid=current['poolid'], delete=True)
            if current['vms']:
                params['vms'] = _ids(current['vms'])
            if current['storage']:
                params['storage'] = _ids(current['storage'])
            tracker.write(self.client.put, 'pools', **params)
        tracker.write(self.client.delete, 'pools', poolid=current['poolid'])


def ensure_pool(pve):
    """pve.ops.pool: state present (create, comment, members) or absent (refused with members unless force)."""
    return Pool(pve).run()
