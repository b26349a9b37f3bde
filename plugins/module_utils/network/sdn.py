# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SDN's pending configuration (what PVE lists with ``pending=1``) and applying it (pve.ops.sdn_apply)."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.privileges import require_visible
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource
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


def configured(kind, entry):
    """An object of a pending listing as configured (written, applied or not); None when its deletion is pending."""
    return _sides(kind, entry)[1] if entry.get('state') else _values(kind, entry)


def pending_listings(client):
    """{kind: {id: entry}} of PVE's pending listings (``pending=1``) of zones, vnets and subnets."""
    listed = {'zones': dict((z['zone'], z) for z in client.get('cluster', 'sdn', 'zones', pending=1) or []),
              'vnets': dict((v['vnet'], v) for v in client.get('cluster', 'sdn', 'vnets', pending=1) or [])}
    listed['subnets'] = {}
    for vnet in sorted(listed['vnets']):
        for subnet in client.get('cluster', 'sdn', 'vnets', vnet, 'subnets', pending=1) or []:
            listed['subnets'][subnet['subnet']] = subnet
    return listed


def pending_changes(client, listed=None):
    """{kind: {id: {'state', 'before', 'after'}}} of the SDN objects whose configuration is not applied."""
    if listed is None:
        listed = pending_listings(client)
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


# pve.ops.sdn_zone: option -> PVE key, for the zone options the module manages.
ZONE_KEYS = {'bridge': 'bridge', 'tag': 'tag', 'vlan_protocol': 'vlan-protocol', 'peers': 'peers', 'mtu': 'mtu',
             'nodes': 'nodes', 'ipam': 'ipam', 'dhcp': 'dhcp', 'controller': 'controller', 'vrf_vxlan': 'vrf-vxlan'}
_LISTS = ('peers', 'nodes')
# The options of each zone type and the ones it requires (pve-network's Zones/*Plugin.pm options()).
_COMMON = ('mtu', 'nodes', 'ipam')
TYPE_OPTIONS = {'simple': _COMMON + ('dhcp',), 'vlan': _COMMON + ('bridge',),
                'qinq': _COMMON + ('bridge', 'tag', 'vlan_protocol'), 'vxlan': _COMMON + ('peers',),
                'evpn': _COMMON + ('controller', 'vrf_vxlan')}
TYPE_REQUIRED = {'vlan': ('bridge',), 'qinq': ('bridge', 'tag'), 'vxlan': ('peers',),
                 'evpn': ('controller', 'vrf_vxlan')}


def _zone_view(zone, values):
    """A zone's values as the module names them (None: no such zone)."""
    if values is None:
        return None
    view = dict(zone=zone, type=values.get('type'))
    for option, key in ZONE_KEYS.items():
        value = values.get(key)
        if option in _LISTS:
            value = sorted(x for x in str(value or '').replace(';', ',').replace(' ', ',').split(',') if x)
        view[option] = value
    return view


class SdnZone(Resource):
    """An SDN zone's configuration; applying it is pve.ops.sdn_apply's (``pending`` says whether applying would
    change the zone)."""

    noun = 'zone'
    running = None

    def read(self):
        zone = self.params['zone']
        require_visible(self.client, 'SDN zone {0} exists'.format(zone), '/sdn/zones/' + zone,
                        ['SDN.Audit', 'SDN.Allocate'])
        entry = next((e for e in self.client.get('cluster', 'sdn', 'zones', pending=1) or []
                      if e.get('zone') == zone), None)
        if entry is None:
            return None
        before, after = _sides('zones', entry) if entry.get('state') else (_values('zones', entry),) * 2
        self.running = _zone_view(zone, before)
        return _zone_view(zone, after)

    def desired(self, current):
        p = self.params
        if current is None and not p.get('type'):
            raise errors.InvalidArgumentError('type is required to create SDN zone {0!r}'.format(p['zone']),
                                              field='type')
        if current is not None and p.get('type') and p['type'] != current['type']:
            raise errors.InvalidArgumentError("SDN zone {0!r} is of type {1!r}: PVE cannot change a zone's "
                                              "type".format(p['zone'], current['type']), field='type')
        out = current or _zone_view(p['zone'], dict(type=p['type']))
        out = dict(out)
        for option in ZONE_KEYS:
            if p.get(option) is not None:
                out[option] = sorted(p[option]) if option in _LISTS else p[option]
        self._check(out)
        return out

    def _check(self, view):
        """What PVE refuses, before anything is sent: options of another type, missing ones, unknown IPAMs and
        controllers."""
        kind = view['type']
        for option in ZONE_KEYS:
            if view[option] not in (None, []) and option not in TYPE_OPTIONS[kind]:
                raise errors.InvalidArgumentError('{0} is not an option of {1} zones'.format(option, kind),
                                                  field=option)
        for option in TYPE_REQUIRED.get(kind, ()):
            if view[option] in (None, []):
                raise errors.InvalidArgumentError('{0} is required for a {1} zone'.format(option, kind),
                                                  field=option)
        for option, kind_path, key in (('ipam', 'ipams', 'ipam'), ('controller', 'controllers', 'controller')):
            if view[option] is not None and view[option] not in [
                    e.get(key) for e in self.client.get('cluster', 'sdn', kind_path) or []]:
                raise errors.InvalidArgumentError('{0} {1!r} does not exist (GET /cluster/sdn/{2})'.format(
                    option, view[option], kind_path), field=option)

    @staticmethod
    def _wire(view, keys):
        return dict((ZONE_KEYS[o], ','.join(view[o]) if o in _LISTS else view[o]) for o in keys
                    if view[o] not in (None, []))

    def create(self, tracker, desired):
        tracker.write(self.client.post, 'cluster', 'sdn', 'zones', zone=desired['zone'], type=desired['type'],
                      _confirm=lambda lost: self.read() is not None, **self._wire(desired, ZONE_KEYS))
        return desired

    def update(self, tracker, current, desired):
        changed = [o for o in ZONE_KEYS if desired[o] != current[o]]
        if changed:
            kept = [o for o in changed if desired[o] not in (None, [])]
            dropped = [ZONE_KEYS[o] for o in changed if desired[o] in (None, [])]
            tracker.write(self.client.put, 'cluster', 'sdn', 'zones', current['zone'],
                          delete=','.join(dropped) or None, **self._wire(desired, kept))
        return desired

    def delete(self, tracker, current):
        tracker.write(self.client.delete, 'cluster', 'sdn', 'zones', current['zone'],
                      _confirm=lambda lost: self.read() is None)

    def result(self, tracker, after):
        out = super().result(tracker, after)
        out['pending'] = after != self.running
        return out


def ensure_sdn_zone(pve):
    return SdnZone(pve).run()
