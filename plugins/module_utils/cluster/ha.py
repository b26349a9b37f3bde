# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""High availability (/cluster/ha): HA resources, and the HA manager's status.

An HA resource is identified by its sid, ``vm:<vmid>`` or ``ct:<vmid>``. ``GET /cluster/ha/resources``
lists every resource with its whole config (``state``, ``max_restart``, ``max_relocate``, ``comment``, ...)
and the digest of resources.cfg, so one request reads the current state; a missing resource is simply not
in the listing. PVE fills in defaults when it reads the file for the CRM: ``state`` started (``enabled``
is the same), ``max_restart`` and ``max_relocate`` 1; the comparison here uses the same defaults.

Removing a resource (``DELETE /cluster/ha/resources/{sid}``) leaves the guest as it is.
"""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.guests.common import find_guest
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource, listed

SID_RE = re.compile(r'^(?:(vm|ct):)?(\d+)$')
HA_STATES = ('started', 'stopped', 'disabled', 'ignored')
HA_INFO_GATHER = ('resources', 'status', 'manager')
DEFAULTS = dict(state='started', max_restart=1, max_relocate=1, comment='')


def resource_view(entry):
    """A resource as the modules return it: sid, type, vmid, state, max_restart, max_relocate, comment
    (PVE's defaults filled in), and the other config keys PVE set (failback, group, ...) as they are."""
    sid = entry['sid']
    kind, vmid = sid.partition(':')[0], sid.partition(':')[2]
    out = dict(sid=sid, type=entry.get('type') or kind, vmid=int(vmid) if vmid.isdigit() else None)
    state = entry.get('state') or DEFAULTS['state']
    out['state'] = 'started' if state == 'enabled' else state
    for key in ('max_restart', 'max_relocate'):
        out[key] = int(entry[key]) if entry.get(key) is not None else DEFAULTS[key]
    out['comment'] = entry.get('comment') or ''
    for key in ('group', 'failback', 'auto-rebalance'):
        if entry.get(key) is not None:
            out[key.replace('-', '_')] = entry[key]
    return out


def list_resources(client, resource_type=None):
    """Every HA resource (resource_view), sorted by sid; one request."""
    items = client.get('cluster', 'ha', 'resources', type=resource_type) or []
    return sorted((resource_view(e) for e in items if e.get('sid')), key=lambda r: (r['type'], r['vmid'] or 0))


def resolve_sid(client, sid=None, vmid=None, name=None, need_guest=True):
    """The sid (``vm:100``/``ct:200``) for the given sid, vmid or guest name.

    A bare vmid (as sid or vmid) and a name are looked up in the cluster resources (one request); so is a
    typed sid when ``need_guest`` (the guest must exist and be of that type). InvalidArgumentError names the
    field when the guest is missing or the sid is malformed.
    """
    field = 'sid' if sid is not None else ('vmid' if vmid is not None else 'name')
    if sid is not None:
        found = SID_RE.match(str(sid).strip())
        if not found:
            raise errors.InvalidArgumentError(
                'sid {0!r} is not an HA resource id: give vm:<vmid>, ct:<vmid> or a vmid'.format(sid), field='sid')
        kind, vmid = found.group(1), int(found.group(2))
        if kind and not need_guest:
            return '{0}:{1}'.format(kind, vmid)
    else:
        kind = None
    if vmid is None and name is None:
        raise errors.InvalidArgumentError('give sid, vmid or name', field='sid')
    guest = find_guest(client, vmid=vmid, name=name if vmid is None else None)
    if guest is None:
        what = 'vmid {0}'.format(vmid) if vmid is not None else 'name {0!r}'.format(name)
        raise errors.InvalidArgumentError('{0}: no guest with {1} in the cluster'.format(field, what), field=field)
    guest_kind = 'ct' if guest.get('type') == 'lxc' else 'vm'
    if kind and kind != guest_kind:
        raise errors.InvalidArgumentError('sid {0!r}: guest {1} is a {2}, its sid is {3}:{1}'.format(
            sid, guest['vmid'], 'container' if guest_kind == 'ct' else 'VM', guest_kind), field='sid')
    return '{0}:{1}'.format(guest_kind, int(guest['vmid']))


def _state_view(view):
    if view is None:
        return None
    return dict((k, view[k]) for k in ('sid', 'state', 'max_restart', 'max_relocate', 'comment'))


def _desired(params):
    out = {}
    if params.get('ha_state') is not None:
        out['state'] = params['ha_state']
    for key in ('max_restart', 'max_relocate'):
        if params.get(key) is not None:
            if int(params[key]) < 0:
                raise errors.InvalidArgumentError('{0} must be 0 or more'.format(key), field=key)
            out[key] = int(params[key])
    if params.get('comment') is not None:
        out['comment'] = params['comment']
    return out


class HaResource(Resource):
    """The HA resource of a guest (``sid`` is vm:VMID or ct:VMID)."""
    noun = 'ha_resource'

    def read(self):
        params = self.params
        self.want = _desired(params)
        self.sid = resolve_sid(self.client, sid=params.get('sid'), vmid=params.get('vmid'), name=params.get('name'),
                               need_guest=not self.wants_absent())
        self.extra['sid'] = self.sid
        self.entry = listed(self.client.get('cluster', 'ha', 'resources'), 'sid', self.sid)
        return resource_view(self.entry) if self.entry else None

    def wants_absent(self):
        return (self.params.get('state') or 'present') == 'absent'

    def diff_view(self, view):
        return _state_view(view)

    def delete(self, tracker, current):
        tracker.write(self.client.delete, 'cluster', 'ha', 'resources', self.sid)

    def desired(self, current):
        return self.want

    def create(self, tracker, desired):
        sid = self.sid
        body = dict(desired)
        if body.get('comment') == '':
            body.pop('comment')
        tracker.write(self.client.post, 'cluster', 'ha', 'resources', sid=sid, **body)
        after = dict(DEFAULTS, sid=sid)
        after.update(desired)
        return dict(after, type=sid.split(':')[0], vmid=int(sid.split(':')[1]))

    def update(self, tracker, current, desired):
        changes = dict((k, v) for k, v in desired.items() if current.get(k) != v)
        view = dict(current)
        view.update(changes)
        if changes:
            body = dict(changes)
            if body.get('comment') == '':
                body.pop('comment')
                body['delete'] = 'comment'
            digest = self.entry.get('digest')
            if digest:
                body['digest'] = digest
            tracker.write(self.client.put, 'cluster', 'ha', 'resources', self.sid, **body)
        return view


def ensure_ha_resource(pve):
    """Create, update or remove the HA resource of a guest; returns the module result."""
    return HaResource(pve).run()


def ha_facts(pve):
    """pve.ops.ha_info: the subsets of ``gather`` (resources, status, manager); one request each."""
    client, resource_type = pve.client, pve.params.get('resource_type')
    gather = list(pve.params.get('gather') or ('resources', 'status'))
    for item in gather:
        if item not in HA_INFO_GATHER:
            raise errors.InvalidArgumentError('gather: unknown subset {0!r} (choose from {1})'.format(
                item, ', '.join(HA_INFO_GATHER)), field='gather')
    out = dict(changed=False)
    if 'resources' in gather:
        out['resources'] = list_resources(client, resource_type=resource_type)
    if 'status' in gather:
        status = []
        for entry in client.get('cluster', 'ha', 'status', 'current') or []:
            entry = dict(entry)
            if 'quorate' in entry:
                entry['quorate'] = codec.is_true(entry['quorate'])
            status.append(entry)
        out['status'] = status
        out['quorate'] = next((e['quorate'] for e in status if e.get('type') == 'quorum'), None)
        out['master_node'] = next((e.get('node') for e in status if e.get('type') == 'master'), None)
    if 'manager' in gather:
        out['manager'] = client.get('cluster', 'ha', 'status', 'manager_status') or {}
    return out
