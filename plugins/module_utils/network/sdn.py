# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SDN's pending configuration (what PVE lists with ``pending=1``) and applying it (pve.ops.sdn_apply)."""

from __future__ import annotations

import ipaddress

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
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


def _pending_entry(kind, entries, key, oid):
    """(running, configured) values of the object of a pending listing whose ``key`` is ``oid`` (None: none)."""
    entry = next((e for e in entries or [] if e.get(key) == oid), None)
    if entry is None:
        return None, None
    return _sides(kind, entry) if entry.get('state') else (_values(kind, entry),) * 2


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


class _Pending(Resource):
    """An SDN object's configuration; applying it is pve.ops.sdn_apply's (``pending`` says whether applying would
    change the object: whether its configuration after the run differs from the running one)."""

    running = None

    def result(self, tracker, after):
        out = super().result(tracker, after)
        out['pending'] = after != self.running
        return out


class SdnZone(_Pending):
    """An SDN zone."""

    noun = 'zone'

    def read(self):
        zone = self.params['zone']
        require_visible(self.client, 'SDN zone {0} exists'.format(zone), '/sdn/zones/' + zone,
                        ['SDN.Audit', 'SDN.Allocate'])
        before, after = _pending_entry('zones', self.client.get('cluster', 'sdn', 'zones', pending=1), 'zone', zone)
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


def ensure_sdn_zone(pve):
    return SdnZone(pve).run()


# pve.ops.sdn_vnet: option -> PVE key.
VNET_KEYS = {'zone': 'zone', 'tag': 'tag', 'alias': 'alias', 'vlanaware': 'vlanaware'}
# The tag each zone type wants of its vnets (pve-network's Zones/*Plugin.pm vnet_update_hook): required or not
# allowed, and its maximum.
_TAG_REQUIRED = ('vlan', 'vxlan', 'evpn')
_TAG_MAXIMUM = {'vlan': 4096, 'qinq': 4096}


def _vnet_view(vnet, values):
    if values is None:
        return None
    tag = values.get('tag')
    return dict(vnet=vnet, zone=values.get('zone'), tag=None if tag is None else int(tag),
                alias=values.get('alias') or None, vlanaware=bool(int(values.get('vlanaware') or 0)))


def _configured(client, kind, key):
    """{id: configured values} of a pending listing (what is deleted there is gone)."""
    out = {}
    for entry in client.get('cluster', 'sdn', kind, pending=1) or []:
        if entry.get('state') != 'deleted':
            out[entry[key]] = configured(kind, entry)
    return out


class SdnVnet(_Pending):
    """An SDN vnet: a zone's virtual network, a bridge for guests' NICs once applied."""

    noun = 'vnet'

    def read(self):
        vnet = self.params['vnet']
        require_visible(self.client, 'SDN vnet {0} exists'.format(vnet), '/sdn/zones',
                        ['SDN.Audit', 'SDN.Allocate'])
        before, after = _pending_entry('vnets', self.client.get('cluster', 'sdn', 'vnets', pending=1), 'vnet', vnet)
        self.running = _vnet_view(vnet, before)
        return _vnet_view(vnet, after)

    def _subnets(self, vnet):
        return [s.get('cidr') for s in self.client.get('cluster', 'sdn', 'vnets', vnet, 'subnets') or []]

    def desired(self, current):
        p = self.params
        if current is None and not p.get('zone'):
            raise errors.InvalidArgumentError('zone is required to create SDN vnet {0!r}'.format(p['vnet']),
                                              field='zone')
        out = dict(current or _vnet_view(p['vnet'], {}))
        for option in VNET_KEYS:
            if p.get(option) is not None:
                out[option] = p[option] or None if option == 'alias' else p[option]
        self._check(current, out)
        return out

    def _check(self, current, view):
        """What PVE refuses, before anything is sent: an unknown zone, a tag its type does not want, a zone
        change or VLAN awareness while the vnet has subnets."""
        zones = _configured(self.client, 'zones', 'zone')
        if view['zone'] not in zones:
            raise errors.InvalidArgumentError('SDN zone {0!r} does not exist (GET /cluster/sdn/zones)'.format(
                view['zone']), field='zone')
        kind, tag = zones[view['zone']].get('type'), view['tag']
        if kind == 'simple' and tag is not None:
            raise errors.InvalidArgumentError('a vnet of simple zone {0!r} takes no tag'.format(view['zone']),
                                              field='tag')
        if kind in _TAG_REQUIRED and tag is None:
            raise errors.InvalidArgumentError('tag is required for a vnet of {0} zone {1!r}'.format(
                kind, view['zone']), field='tag')
        if tag is not None and tag > _TAG_MAXIMUM.get(kind, 16777215):
            raise errors.InvalidArgumentError('the tag of a vnet of a {0} zone is at most {1}'.format(
                kind, _TAG_MAXIMUM[kind]), field='tag')
        self._check_unique(zones, view)
        subnets = self._subnets(view['vnet']) if current is not None else []
        if subnets and view['zone'] != current['zone']:
            raise errors.InvalidArgumentError("PVE cannot change SDN vnet {0!r}'s zone while it has subnets "
                                              "({1})".format(view['vnet'], ', '.join(subnets)), field='zone')
        if subnets and view['vlanaware']:
            raise errors.InvalidArgumentError('a VLAN-aware vnet cannot have subnets (SDN vnet {0!r} has '
                                              '{1})'.format(view['vnet'], ', '.join(subnets)), field='vlanaware')

    def _check_unique(self, zones, view):
        """A tag once per zone (qinq: one vnet without a tag), a VXLAN id once among the vxlan and evpn zones."""
        kind, tag = zones[view['zone']].get('type'), view['tag']
        for oid, other in sorted(_configured(self.client, 'vnets', 'vnet').items()):
            other_tag = None if other.get('tag') is None else int(other['tag'])
            if oid == view['vnet'] or (other.get('zone') != view['zone'] and kind not in ('vxlan', 'evpn')):
                continue
            if kind in ('vxlan', 'evpn') and zones.get(other.get('zone'), {}).get('type') not in ('vxlan', 'evpn'):
                continue
            if (tag is not None and other_tag == tag) or (kind == 'qinq' and tag is None and other_tag is None):
                raise errors.InvalidArgumentError('tag {0} is already the tag of SDN vnet {1!r} (zone {2!r})'.format(
                    tag, oid, other.get('zone')), field='tag')

    @staticmethod
    def _wire(view, keys):
        return dict((VNET_KEYS[o], int(view[o]) if o == 'vlanaware' else view[o]) for o in keys
                    if view[o] not in (None, False))

    def create(self, tracker, desired):
        tracker.write(self.client.post, 'cluster', 'sdn', 'vnets', vnet=desired['vnet'], type='vnet',
                      _confirm=lambda lost: self.read() is not None, **self._wire(desired, VNET_KEYS))
        return desired

    def update(self, tracker, current, desired):
        changed = [o for o in VNET_KEYS if desired[o] != current[o]]
        if changed:
            kept = [o for o in changed if desired[o] not in (None, False)]
            dropped = [VNET_KEYS[o] for o in changed if desired[o] in (None, False)]
            tracker.write(self.client.put, 'cluster', 'sdn', 'vnets', current['vnet'],
                          delete=','.join(dropped) or None, **self._wire(desired, kept))
        return desired

    def delete(self, tracker, current):
        subnets = self._subnets(current['vnet'])
        if subnets:
            raise errors.InvalidArgumentError('PVE cannot remove SDN vnet {0!r} while it has subnets ({1}): remove '
                                              'them first'.format(current['vnet'], ', '.join(subnets)), field='state')
        tracker.write(self.client.delete, 'cluster', 'sdn', 'vnets', current['vnet'],
                      _confirm=lambda lost: self.read() is None)


def ensure_sdn_vnet(pve):
    return SdnVnet(pve).run()


def _dhcp_range(item):
    """One dhcp-range item as PVE lists it (``{start-address, end-address}``, or its text in ``pending``)."""
    if not isinstance(item, dict):
        item = dict(part.partition('=')[::2] for part in str(item).split(',') if part)
    return dict(start=item.get('start-address'), end=item.get('end-address'))


def _subnet_view(vnet, cidr, values):
    if values is None:
        return None
    ranges = sorted((_dhcp_range(r) for r in values.get('dhcp-range') or []), key=lambda r: (r['start'], r['end']))
    return dict(vnet=vnet, subnet=cidr, gateway=values.get('gateway') or None,
                snat=bool(int(values.get('snat') or 0)), dhcp_range=ranges)


def _network(text, field):
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise errors.InvalidArgumentError('{0} {1!r} is not a CIDR (address/prefix length)'.format(field, text),
                                          field=field) from None


def _address(text, field):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise errors.InvalidArgumentError('{0} {1!r} is not an IP address'.format(field, text), field=field) from None


class SdnSubnet(_Pending):
    """An SDN subnet of a vnet (PVE names it ``<zone>-<network>-<prefix length>``)."""

    noun = 'subnet'
    zone = None

    @property
    def cidr(self):
        return str(_network(self.params['subnet'], 'subnet'))

    def read(self):
        vnet = self.params['vnet']
        require_visible(self.client, 'SDN vnet {0} exists'.format(vnet), '/sdn/zones',
                        ['SDN.Audit', 'SDN.Allocate'])
        self.vnet = _configured(self.client, 'vnets', 'vnet').get(vnet)
        if self.vnet is None:
            if self.wants_absent():
                return None
            raise errors.InvalidArgumentError('SDN vnet {0!r} does not exist (GET /cluster/sdn/vnets)'.format(vnet),
                                              field='vnet')
        listed = self.client.get('cluster', 'sdn', 'vnets', vnet, 'subnets', pending=1)
        before, after = _pending_entry('subnets', listed, 'cidr', self.cidr)
        self.running = _subnet_view(vnet, self.cidr, before)
        return _subnet_view(vnet, self.cidr, after)

    @property
    def sid(self):
        return '{0}-{1}'.format(self.vnet.get('zone'), self.cidr.replace('/', '-'))

    def desired(self, current):
        p = self.params
        out = dict(current or _subnet_view(p['vnet'], self.cidr, {}))
        if p.get('gateway') is not None:
            out['gateway'] = p['gateway'] or None
        if p.get('snat') is not None:
            out['snat'] = p['snat']
        if p.get('dhcp_range') is not None:
            out['dhcp_range'] = sorted((dict(start=r['start'], end=r['end']) for r in p['dhcp_range']),
                                       key=lambda r: (r['start'], r['end']))
        self._check(out)
        return out

    def _check(self, view):
        """What PVE refuses, before anything is sent (pve-network's SubnetPlugin): a subnet of a VLAN-aware vnet,
        a gateway outside the subnet (a /32 apart), DHCP ranges outside it, reversed or overlapping."""
        if int(self.vnet.get('vlanaware') or 0):
            raise errors.InvalidArgumentError('SDN vnet {0!r} is VLAN-aware: PVE adds no subnet to it'.format(
                view['vnet']), field='vnet')
        net = _network(view['subnet'], 'subnet')
        if view['gateway'] is not None:
            gateway = _address(view['gateway'], 'gateway')
            if gateway not in net and not (net.version == 4 and net.prefixlen == 32):
                raise errors.InvalidArgumentError('gateway {0} is not in subnet {1}'.format(gateway, net),
                                                  field='gateway')
        spans = []
        for item in view['dhcp_range']:
            start, end = _address(item['start'], 'dhcp_range'), _address(item['end'], 'dhcp_range')
            for address in (start, end):
                if address not in net:
                    raise errors.InvalidArgumentError('dhcp_range address {0} is not in subnet {1}'.format(
                        address, net), field='dhcp_range')
            if start > end:
                raise errors.InvalidArgumentError('dhcp_range start {0} is after its end {1}'.format(start, end),
                                                  field='dhcp_range')
            spans.append((start, end))
        spans.sort()
        if any(spans[n + 1][0] <= spans[n][1] for n in range(len(spans) - 1)):
            raise errors.InvalidArgumentError('dhcp_range items overlap', field='dhcp_range')

    @staticmethod
    def _wire(view, keys):
        out = {}
        if 'gateway' in keys and view['gateway']:
            out['gateway'] = view['gateway']
        if 'snat' in keys and view['snat']:
            out['snat'] = 1
        if 'dhcp_range' in keys and view['dhcp_range']:
            out['dhcp-range'] = codec.Repeated('start-address={start},end-address={end}'.format(**r)
                                               for r in view['dhcp_range'])
        return out

    def create(self, tracker, desired):
        tracker.write(self.client.post, 'cluster', 'sdn', 'vnets', desired['vnet'], 'subnets',
                      subnet=desired['subnet'], type='subnet', _confirm=lambda lost: self.read() is not None,
                      **self._wire(desired, ('gateway', 'snat', 'dhcp_range')))
        return desired

    def update(self, tracker, current, desired):
        changed = [o for o in ('gateway', 'snat', 'dhcp_range') if desired[o] != current[o]]
        if changed:
            kept = [o for o in changed if desired[o] not in (None, False, [])]
            dropped = [o.replace('_', '-') for o in changed if desired[o] in (None, False, [])]
            tracker.write(self.client.put, 'cluster', 'sdn', 'vnets', current['vnet'], 'subnets', self.sid,
                          delete=','.join(dropped) or None, **self._wire(desired, kept))
        return desired

    def delete(self, tracker, current):
        tracker.write(self.client.delete, 'cluster', 'sdn', 'vnets', current['vnet'], 'subnets', self.sid,
                      _confirm=lambda lost: self.read() is None)


def ensure_sdn_subnet(pve):
    return SdnSubnet(pve).run()
