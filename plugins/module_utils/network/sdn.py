# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SDN's pending configuration (what PVE lists with ``pending=1``) and applying it (pve.ops.sdn_apply)."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.privileges import require_visible
from ansible_collections.pve.ops.plugins.module_utils.tasks import task_started
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

# Keys of a pending listing that are not the object's values.
_META = ('state', 'pending', 'digest')
# What names an object in each listing (subnets also carry cidr, network, mask, zone and id, derived from it).
_DERIVED = {'subnets': ('cidr', 'network', 'mask', 'id', 'zone', 'subnet'), 'zones': ('zone',), 'vnets': ('vnet',)}


def _values(kind, entry):
    return dict((k, v) for k, v in entry.items() if k not in _META and k not in _DERIVED[kind]
                and not (kind == 'subnets' and k == 'dhcp-range' and v == []))


def _sides(kind, entry):
    """(before, after) of one object of a pending listing: the running values and the configured ones."""
    state = entry.get('state')
    running = _values(kind, entry)
    if state == 'new':
        return None, dict(running, **entry.get('pending') or {})
    if state == 'deleted':
        return running, None
    after = dict(running)
    for key, value in (entry.get('pending') or {}).items():
        if value == 'deleted':
            after.pop(key, None)
        else:
            after[key] = value
    return running, after


def pending_changes(client):
    """{kind: {id: {'state', 'before', 'after'}}} of the SDN objects whose configuration is not applied."""
    listed = {'zones': dict((z['zone'], z) for z in client.get('cluster', 'sdn', 'zones', pending=1) or []),
              'vnets': dict((v['vnet'], v) for v in client.get('cluster', 'sdn', 'vnets', pending=1) or [])}
    listed['subnets'] = {}
    for vnet in sorted(listed['vnets']):
        for subnet in client.get('cluster', 'sdn', 'vnets', vnet, 'subnets', pending=1) or []:
            listed['subnets'][subnet['subnet']] = subnet
    out = {}
    for kind, entries in listed.items():
        for oid, entry in sorted(entries.items()):
            if entry.get('state'):
                before, after = _sides(kind, entry)
                out.setdefault(kind, {})[oid] = dict(state=entry['state'], before=before, after=after)
    return out


def sdn_apply(pve):
    """pve.ops.sdn_apply: apply the pending SDN configuration (PUT /cluster/sdn), a dry run in check mode."""
    client = pve.client
    # PVE lists only the zones and vnets the credentials may see: a hidden pending change is not "nothing".
    require_visible(client, 'SDN changes are pending', '/sdn/zones', ['SDN.Audit', 'SDN.Allocate'])
    changes = pending_changes(client)
    before = dict((kind, dict((oid, c['before']) for oid, c in items.items() if c['before'] is not None))
                  for kind, items in changes.items())
    after = dict((kind, dict((oid, c['after']) for oid, c in items.items() if c['after'] is not None))
                 for kind, items in changes.items())
    tracker = ChangeTracker(pve.check_mode, before=before)
    if changes:
        upid = tracker.write(client.put, 'cluster', 'sdn', _confirm=lambda lost: _applied(client, lost))
        if upid:
            client.wait(upid, timeout=pve.params.get('timeout') or 60)
    pending = dict((kind, dict((oid, c['state']) for oid, c in items.items())) for kind, items in changes.items())
    return tracker.result(after=after, pending=pending, applied=bool(changes) and not pve.check_mode)


def _applied(client, lost):
    """After a lost answer: the reloadnetworkall task these credentials started on the node answering the API
    (the local one of the cluster status), where PVE starts it."""
    node = next((item['name'] for item in client.get('cluster', 'status') or []
                 if item.get('type') == 'node' and item.get('local')), None)
    if node is None:
        raise errors.PveOpsError('the cluster status names no local node to look for the reloadnetworkall task on')
    return task_started(client, node, 'reloadnetworkall')(lost)
