# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.sdn_info: the SDN configuration (zones, vnets, subnets), what applying it would change, the PVE IPAM
and the zones' status on each node."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.network.sdn import configured, pending_changes, pending_listings
from ansible_collections.pve.ops.plugins.module_utils.privileges import require_visible

GATHER = ('zones', 'vnets', 'subnets', 'pending', 'ipam', 'status')
# What the listings need to be complete: PVE lists only the objects the credentials may audit.
_SEE = ['SDN.Audit', 'SDN.Allocate']


def _objects(listed, kind, key):
    """The configured objects of a kind, with the state of their pending change (None: applied as they are)."""
    out = []
    for oid, entry in sorted(listed[kind].items()):
        values = configured(kind, entry)
        if values is not None:
            out.append(dict(values, **{key: oid, 'pending': entry.get('state')}))
    return out


def _status(client, zones):
    """Each node's zones with their status (GET /nodes/{node}/sdn/zones) and the vnets of each zone there."""
    out = []
    for item in sorted(client.get('nodes') or [], key=lambda n: n['node']):
        node, online = item['node'], item.get('status') == 'online'
        entry = dict(node=node, online=online)
        if online:
            entry['zones'] = []
            for zone in client.get('nodes', node, 'sdn', 'zones') or []:
                if zones is not None and zone['zone'] not in zones:
                    continue
                vnets = client.get('nodes', node, 'sdn', 'zones', zone['zone'], 'content') or []
                entry['zones'].append(dict(zone=zone['zone'], status=zone.get('status'), vnets=[
                    dict(vnet=v['vnet'], status=v.get('status'), statusmsg=v.get('statusmsg')) for v in vnets]))
        out.append(entry)
    return out


def sdn_info(pve):
    client, p = pve.client, pve.params
    gather = list(p.get('gather') or ('zones', 'vnets', 'subnets'))
    for item in gather:
        if item not in GATHER:
            raise errors.InvalidArgumentError('gather: unknown subset {0!r} (choose from {1})'.format(
                item, ', '.join(GATHER)), field='gather')
    zone = p.get('zone')
    path = '/sdn/zones' + ('/' + zone if zone else '')
    what = 'the SDN configuration{0} is complete'.format(' of zone ' + zone if zone else '')
    # A node lists its zones to SDN.Audit only (GET /nodes/{node}/sdn/zones); the other listings to either.
    require_visible(client, what, path, ['SDN.Audit'] if 'status' in gather else _SEE)
    out = dict(changed=False)
    if set(gather) & {'zones', 'vnets', 'subnets', 'pending'}:
        listed = pending_listings(client)
        if zone:
            listed = _of_zone(listed, zone)
        if 'zones' in gather:
            out['zones'] = _objects(listed, 'zones', 'zone')
        if 'vnets' in gather:
            out['vnets'] = _objects(listed, 'vnets', 'vnet')
        if 'subnets' in gather:
            out['subnets'] = [dict(s, cidr=listed['subnets'][s['subnet']].get('cidr'))
                              for s in _objects(listed, 'subnets', 'subnet')]
        if 'pending' in gather:
            out['pending'] = pending_changes(client, listed)
    if 'ipam' in gather:
        out['ipam'] = [e for e in client.get('cluster', 'sdn', 'ipams', 'pve', 'status') or []
                       if not zone or e.get('zone') == zone]
    if 'status' in gather:
        out['status'] = _status(client, [zone] if zone else None)
    return out


def _of_zone(listed, zone):
    """The listings narrowed to one zone: it, its vnets and their subnets."""
    def zone_of(entry):
        return entry.get('zone') or (entry.get('pending') or {}).get('zone')
    vnets = dict((v, e) for v, e in listed['vnets'].items() if zone_of(e) == zone)
    return {'zones': dict((z, e) for z, e in listed['zones'].items() if z == zone), 'vnets': vnets,
            'subnets': dict((s, e) for s, e in listed['subnets'].items() if e.get('vnet') in vnets)}
