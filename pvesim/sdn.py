# SPDX-License-Identifier: AGPL-3.0-or-later
"""SDN: zones, vnets and subnets with PVE's pending model, applying, the zone status per node and the PVE IPAM.

Follows pve-network (PVE/API2/Network/SDN.pm, SDN/Zones.pm, Vnets.pm, Subnets.pm, Ipams.pm, Nodes/Zones.pm and
PVE/Network/SDN.pm, Zones/*Plugin.pm, VnetPlugin.pm, SubnetPlugin.pm, Ipams/PVEPlugin.pm):

- writes go to the configuration (/etc/pve/sdn/*.cfg); `PUT /cluster/sdn` commits it as the running
  configuration (a new version) in a `reloadnetworkall` task that reloads every online node;
- reads show the configuration, `running=1` the running one, `pending=1` PVE's pending_config: a new object
  keeps only `type` (and `vnet`) at the top and its values under `pending`, `state: new`; a changed one its
  running values, what changed under `pending` (`deleted` for a removed key), `state: changed`; a deleted one
  its running values, `pending: {}`, `state: deleted`;
- zones: simple, vlan and qinq (`bridge` required; qinq also `tag`), vxlan (exactly one of peers / fabric),
  evpn (`controller` and `vrf-vxlan` required; the simulator has no SDN controllers, so PVE's own "controller
  X don't exist" refuses every evpn zone, and creating a controller is refused as not modelled); faucet is
  refused as not modelled; options of another zone type are refused ("unexpected property");
- vnets: the zone must exist; tags as the zone type wants them (vlan: required, at most 4096, unique in the
  zone; qinq; vxlan/evpn: required, unique among vxlan and evpn zones; simple: none); no zone change with
  subnets; no vlanaware with subnets; no delete while subnets exist;
- subnets: created from a CIDR, id `<zone>-<network>-<prefix>`; the gateway inside the subnet (a /32 apart),
  dhcp-range items inside the subnet, start before end, not overlapping; with an IPAM (`pve`) the gateway
  gets an IPAM entry (`gateway: 1`), as PVE registers it;
- GET /nodes/{node}/sdn/zones: the running zones on that node: `pending` until the node reloaded the current
  version, `error` when a vnet of a vlan or qinq zone has no bridge on the node (the node's running network
  configuration), `available` otherwise; .../zones/{zone}/content: the vnets' status and message likewise
  (the zone's bridges, its IP-VRF and vnet firewalls are not modelled);
- GET /cluster/sdn/ipams/pve/status: the IPAM entries of the running zones with `ipam: pve` and `dhcp`;
- guests: a VM starts only when each NIC's bridge exists on its node (a bridge of the node's running network
  configuration, or a vnet applied and available there; else the start task fails with "bridge 'X' does not
  exist"); starting a VM whose NIC is on a vnet of a zone with `dhcp` and `ipam: pve` gives the NIC's MAC the
  next free address of the subnet's dhcp-range in the IPAM (once per MAC), as PVE reserves it; the entry goes
  when the guest is destroyed or the NIC removed or moved off the vnet, as PVE deletes it by MAC;
- `POST /cluster/sdn/rollback` drops the pending configuration; the global lock (`/cluster/sdn/lock`,
  `lock-token`) is not modelled and refused.
"""

import copy
import hashlib
import ipaddress

from fakepve import PveError
from fakepve.model import TaskError
from fakepve.routing import StatefulRoutes, check_digest, die, param_error, split_list

from .generic import not_modelled

SDN = '/cluster/sdn'
ZONES, ZONE = SDN + '/zones', SDN + '/zones/{zone}'
VNETS, VNET = SDN + '/vnets', SDN + '/vnets/{vnet}'
SUBNETS, SUBNET = VNET + '/subnets', VNET + '/subnets/{subnet}'
COMMON = ('nodes', 'mtu', 'dns', 'reversedns', 'dnszone', 'ipam')
# Options per zone type (optional unless listed in REQUIRED), as each plugin's options().
ZONE_OPTIONS = {
    'simple': COMMON + ('dhcp',),
    'vlan': COMMON + ('bridge', 'bridge-disable-mac-learning'),
    'qinq': COMMON + ('tag', 'bridge', 'bridge-disable-mac-learning', 'vlan-protocol'),
    'vxlan': COMMON + ('peers', 'vxlan-port', 'fabric'),
    'evpn': COMMON + ('vrf-vxlan', 'controller', 'exitnodes', 'exitnodes-local-routing', 'exitnodes-primary',
                      'advertise-subnets', 'disable-arp-nd-suppression', 'bridge-disable-mac-learning',
                      'rt-import', 'vxlan-port', 'mac'),
}
REQUIRED = {'vlan': ('bridge',), 'qinq': ('tag', 'bridge'), 'evpn': ('vrf-vxlan', 'controller')}
VNET_OPTIONS = ('zone', 'tag', 'alias', 'vlanaware', 'isolate-ports')
SUBNET_OPTIONS = ('vnet', 'gateway', 'snat', 'dnszoneprefix', 'dhcp-range', 'dhcp-dns-server')
LIST_KEYS = ('nodes', 'exitnodes')
KINDS = ('zones', 'vnets', 'subnets')
NOT_PARAMS = ('zone', 'vnet', 'subnet', 'type', 'delete', 'digest', 'lock-token')


def _empty():
    return dict((kind, {}) for kind in KINDS)


def _encoded(key, value):
    """PVE::Network::SDN::encode_value: node lists and dhcp ranges compare as their sorted text."""
    if isinstance(value, list):
        return ','.join(sorted(str(v) for v in value))
    return value


def pending_config(running, config):
    """PVE::Network::SDN::pending_config of one kind of object."""
    out = {}
    for oid in sorted(running):
        run, conf = running[oid], config.get(oid)
        for key in sorted(run):
            out.setdefault(oid, {})[key] = run[key]
            if not conf:
                out[oid]['state'] = 'deleted'
            elif conf.get(key) is None:
                out[oid].setdefault('pending', {})[key] = 'deleted'
                out[oid]['state'] = 'changed'
            elif _encoded(key, run[key]) != _encoded(key, conf[key]):
                out[oid]['state'] = 'changed'
        if out.get(oid, {}).get('state'):
            out[oid].setdefault('pending', {})
    for oid in sorted(config):
        run, conf = running.get(oid) or {}, config[oid]
        for key in sorted(conf):
            value, before = _encoded(key, conf[key]), _encoded(key, run.get(key))
            entry = out.setdefault(oid, {})
            if key in ('type', 'vnet'):
                entry[key] = value
            elif before is None or value != before:
                entry.setdefault('pending', {})[key] = conf[key]
            if not run:
                entry['state'] = 'new'
            elif before is None and value is not None:
                entry['state'] = 'changed'
        if out[oid].get('state'):
            out[oid].setdefault('pending', {})
    return out


RANGE_KEYS = ('start-address', 'end-address')


def _parse_range(text):
    """One pve-sdn-dhcp-range item (written ones are checked with it, so stored ones parse), parsed as
    PVE::JSONSchema::parse_property_string does: a key given twice
    (two ranges joined with a comma, where the schema wants one array item per range) or a key it does not
    know is refused."""
    out = {}
    for item in str(text).split(','):
        key, _sep, value = item.partition('=')
        if key not in RANGE_KEYS:
            raise param_error(**{'dhcp-range': 'invalid format - invalid key in comma-separated list property: '
                                 '{0}'.format(key)})
        if key in out:
            raise param_error(**{'dhcp-range': 'invalid format - duplicate key in comma-separated list property: '
                                 '{0}'.format(key)})
        out[key] = value
    return out


def _subnet_id(zone, cidr):
    """PVE's subnet id: the zone and the CIDR with '-' for '/' (lab-10.0.0.0-24)."""
    return '{0}-{1}'.format(zone, cidr.replace('/', '-'))


def _subnet_cidr(sid):
    _zone, network, mask = sid.split('-', 2)
    return '{0}/{1}'.format(network, mask)


def _check_subnet(sid, entry, vnet):
    cidr = _subnet_cidr(sid)
    net = ipaddress.ip_network(cidr, strict=False)
    if vnet.get('vlanaware'):
        raise param_error(vnet="you can't add a subnet on a vlanaware vnet")
    gateway = entry.get('gateway')
    pointopoint = gateway and net.version == 4 and net.prefixlen == 32
    if gateway and ipaddress.ip_address(gateway) not in net and not pointopoint:
        raise param_error(gateway='{0} is not in subnet {1}'.format(gateway, cidr))
    seen = []
    for item in entry.get('dhcp-range') or []:
        rng = _parse_range(item)
        start, end = rng.get('start-address'), rng.get('end-address')
        for name, text in (('start-address', start), ('end-address', end)):
            try:
                ipaddress.ip_address(text or '')
            except ValueError:
                raise param_error(**{'dhcp-range': '{0} is not a valid IP {1}'.format(name, text)}) from None
        low, high = ipaddress.ip_address(start), ipaddress.ip_address(end)
        if low > high:
            raise param_error(**{'dhcp-range': 'start-address {0} must be smaller than end-address {1}'.format(
                start, end)})
        for name, address in (('start-address', low), ('end-address', high)):
            if address not in net:
                raise param_error(**{'dhcp-range': '{0} {1} is not in subnet {2}'.format(name, address, cidr)})
        if any(low <= b and a <= high for a, b in seen):
            raise param_error(**{'dhcp-range': 'dhcp ranges must not overlap'})
        seen.append((low, high))


def _merged(current, values, delete, required=()):
    """An object after an update: PVE::SectionConfig::delete_from_config, then the values set."""
    entry = dict(current)
    for key in split_list(delete):
        if key in values:
            raise param_error(delete="cannot set and delete property '{0}' at the same time!".format(key))
        if key in required:
            raise param_error(delete="cannot delete required option '{0}'".format(key))
        entry.pop(key, None)
    entry.update(values)
    return entry


def _nic(text):
    """A VM NIC's bridge and MAC from its property string (virtio=MAC,bridge=...)."""
    out = {}
    for item in str(text).split(','):
        key, _sep, value = item.partition('=')
        if key == 'bridge':
            out['bridge'] = value
        elif key in ('virtio', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3', 'macaddr', 'hwaddr') and value:
            out['mac'] = value
    return out


class SdnApi(StatefulRoutes):
    """Mixin of PveSim: SDN zones, vnets, subnets, pending state, applying, zone status and the PVE IPAM."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sdn_config = _empty()
        # The running configuration ('version' 0: never applied) and the version each node reloaded.
        self.sdn_running = dict(_empty(), version=0)
        self.sdn_node_versions = {}
        # zone -> cidr -> ip -> entry (PVE's priv/ipam.db)
        self.sdn_ipam = {}

    def _routes_sdn(self):
        return [
            ('PUT', SDN, self._sdn_apply), ('POST', SDN + '/rollback', self._sdn_rollback),
            ('POST', SDN + '/lock', self._sdn_lock), ('DELETE', SDN + '/lock', self._sdn_lock),
            ('POST', SDN + '/controllers', self._sdn_controller),
            ('GET', ZONES, self._sdn_zones), ('POST', ZONES, self._sdn_zone_create),
            ('GET', ZONE, self._sdn_zone), ('PUT', ZONE, self._sdn_zone_update),
            ('DELETE', ZONE, self._sdn_zone_delete),
            ('GET', VNETS, self._sdn_vnets), ('POST', VNETS, self._sdn_vnet_create),
            ('GET', VNET, self._sdn_vnet), ('PUT', VNET, self._sdn_vnet_update),
            ('DELETE', VNET, self._sdn_vnet_delete),
            ('GET', SUBNETS, self._sdn_subnets), ('POST', SUBNETS, self._sdn_subnet_create),
            ('GET', SUBNET, self._sdn_subnet), ('PUT', SUBNET, self._sdn_subnet_update),
            ('DELETE', SUBNET, self._sdn_subnet_delete),
            ('GET', '/nodes/{node}/sdn/zones', self._sdn_node_zones),
            ('GET', '/nodes/{node}/sdn/zones/{zone}/content', self._sdn_node_zone_content),
            ('GET', SDN + '/ipams', self._sdn_ipams), ('GET', SDN + '/ipams/{ipam}', self._sdn_ipam),
            ('GET', SDN + '/ipams/{ipam}/status', self._sdn_ipam_status),
        ]

    def _save_sdn(self):
        return {'config': self.sdn_config, 'running': self.sdn_running, 'nodes': self.sdn_node_versions,
                'ipam': self.sdn_ipam}

    def _restore_sdn(self, data):
        data = data or {}
        self.sdn_config = data.get('config') or _empty()
        self.sdn_running = data.get('running') or dict(_empty(), version=0)
        self.sdn_node_versions = dict(data.get('nodes') or {})
        self.sdn_ipam = data.get('ipam') or {}

    # ---------------------------------------------------------------- views

    def _sdn_digest(self, kind):
        return hashlib.sha1(repr(sorted(self.sdn_config[kind].items())).encode()).hexdigest()

    def _sdn_objects(self, kind, v):
        """The objects of a kind as the read asks for them: the configuration, running or pending."""
        if v.get('pending'):
            return pending_config(self.sdn_running[kind], self.sdn_config[kind])
        return copy.deepcopy(self.sdn_running[kind] if v.get('running') else self.sdn_config[kind])

    def _sdn_view(self, kind, oid, entry):
        out = copy.deepcopy(entry)
        out[{'zones': 'zone', 'vnets': 'vnet', 'subnets': 'subnet'}[kind]] = oid
        out['digest'] = self._sdn_digest(kind)
        for values in (out, out.get('pending') or {}):
            for key in LIST_KEYS:
                if isinstance(values.get(key), list):
                    values[key] = ','.join(values[key])
        if kind == 'subnets':
            zone, network, mask = oid.split('-', 2)
            out.update(cidr='{0}/{1}'.format(network, mask), zone=zone, network=network, mask=mask, id=oid)
            out['dhcp-range'] = [_parse_range(item) for item in out.get('dhcp-range') or []]
        return out

    def _sdn_visible(self, user, path):
        return self.allowed(user, path, 'SDN.Audit') or self.allowed(user, path, 'SDN.Allocate')

    def _sdn_vnet_path(self, vnet):
        entry = self.sdn_config['vnets'].get(vnet) or self.sdn_running['vnets'].get(vnet) or {}
        return '/sdn/zones/{0}/{1}'.format(entry.get('zone', ''), vnet)

    def _sdn_need_vnet(self, user, vnet, privs):
        if not any(self.allowed(user, self._sdn_vnet_path(vnet), p) for p in privs):
            raise PveError(403, 'Permission check failed ({0}, {1})'.format(
                self._sdn_vnet_path(vnet), ' | '.join(privs)))

    @staticmethod
    def _sdn_refuse_lock(v):
        if v.get('lock-token'):
            raise not_modelled('lock-token', SDN + '/lock', 'the SDN global lock is not modelled')

    # ---------------------------------------------------------------- apply

    async def _sdn_apply(self, v, user):
        self._sdn_refuse_lock(v)
        running = copy.deepcopy(self.sdn_config)
        running['version'] = self.sdn_running.get('version', 0) + 1
        self.sdn_running = running
        node = sorted(self.nodes)[0]

        async def body():
            for name in sorted(self.nodes):
                if self.nodes[name].get('online', True):
                    self.sdn_node_versions[name] = running['version']
            return None
        return await self.task(node, 'reloadnetworkall', '', user, body)

    async def _sdn_rollback(self, v, user):
        self._sdn_refuse_lock(v)
        self.sdn_config = copy.deepcopy(dict((k, self.sdn_running[k]) for k in KINDS))

    async def _sdn_lock(self, v, user):
        raise not_modelled('POST', SDN + '/lock', 'the SDN global lock is not modelled')

    async def _sdn_controller(self, v, user):
        raise not_modelled('POST', SDN + '/controllers', 'SDN controllers (EVPN, BGP, IS-IS) are not modelled')

    # ---------------------------------------------------------------- zones

    async def _sdn_zones(self, v, user):
        out = []
        for zid, entry in sorted(self._sdn_objects('zones', v).items()):
            if not self._sdn_visible(user, '/sdn/zones/' + zid):
                continue
            if v.get('type') and entry.get('type') != v['type']:
                continue
            out.append(self._sdn_view('zones', zid, entry))
        return out

    async def _sdn_zone(self, v, user):
        zones = self._sdn_objects('zones', v)
        if v['zone'] not in zones:
            raise die("sdn '{0}' does not exist\n".format(v['zone']))
        return self._sdn_view('zones', v['zone'], zones[v['zone']])

    def _zone_values(self, kind, v, create):
        if kind == 'faucet':
            raise not_modelled('POST', ZONES, 'faucet zones are not modelled')
        values = {}
        for key, value in v.items():
            if key in NOT_PARAMS or value is None:
                continue
            if key not in ZONE_OPTIONS[kind]:
                raise die("unexpected property '{0}'\n".format(key))
            values[key] = sorted(split_list(value)) if key in LIST_KEYS else value
        if create:
            for key in REQUIRED.get(kind, ()):
                if key not in values:
                    raise die("missing value for required option '{0}'\n".format(key))
        return values

    def _zone_checks(self, zid, entry):
        if entry.get('dns'):
            raise param_error(dns="{0} don't exist".format(entry['dns']))
        if entry.get('reversedns'):
            raise param_error(reversedns="{0} don't exist".format(entry['reversedns']))
        if entry.get('dnszone'):
            raise param_error(dnszone='missing dns server')
        if entry.get('ipam') and entry['ipam'] != 'pve':
            raise param_error(ipam='{0} not existing'.format(entry['ipam']))
        kind = entry['type']
        if kind == 'vxlan' and bool(entry.get('peers')) == bool(entry.get('fabric')):
            text = 'must have exactly one of peers / fabric defined'
            raise param_error(peers=text, fabric=text)
        if kind == 'evpn':
            raise die("controller {0} don't exist".format(entry['controller']))

    async def _sdn_zone_create(self, v, user):
        self._sdn_refuse_lock(v)
        zid, kind = v['zone'], v['type']
        values = self._zone_values(kind, v, True)
        if zid in self.sdn_config['zones']:
            raise die("sdn zone object ID '{0}' already defined\n".format(zid))
        entry = dict(values, type=kind)
        self._zone_checks(zid, entry)
        self.sdn_config['zones'][zid] = entry

    async def _sdn_zone_update(self, v, user):
        self._sdn_refuse_lock(v)
        zid = v['zone']
        check_digest(self._sdn_digest('zones'), v.get('digest'))
        current = self.sdn_config['zones'].get(zid)
        if current is None:
            raise die("sdn '{0}' does not exist\n".format(zid))
        values = self._zone_values(current['type'], v, False)
        entry = _merged(current, values, v.get('delete'), REQUIRED.get(current['type'], ()))
        if entry.get('ipam') != current.get('ipam') and any(
                sid.split('-', 1)[0] == zid for sid in self.sdn_config['subnets']):
            raise param_error(ipam="can't change ipam if a subnet is already defined in this zone")
        self._zone_checks(zid, entry)
        self.sdn_config['zones'][zid] = entry

    async def _sdn_zone_delete(self, v, user):
        self._sdn_refuse_lock(v)
        zid = v['zone']
        if zid not in self.sdn_config['zones']:
            raise die("sdn '{0}' does not exist\n".format(zid))
        for vid, vnet in sorted(self.sdn_config['vnets'].items()):
            if vnet.get('zone') == zid:
                raise die('zone {0} is used by vnet {1}'.format(zid, vid))
        del self.sdn_config['zones'][zid]

    # ---------------------------------------------------------------- vnets

    async def _sdn_vnets(self, v, user):
        return [self._sdn_view('vnets', vid, entry) for vid, entry in sorted(self._sdn_objects('vnets', v).items())
                if self._sdn_visible(user, '/sdn/zones/{0}/{1}'.format(
                    entry.get('zone') or (entry.get('pending') or {}).get('zone', ''), vid))]

    async def _sdn_vnet(self, v, user):
        vnets = self._sdn_objects('vnets', v)
        if v['vnet'] not in vnets:
            raise die("sdn vnet '{0}' does not exist\n".format(v['vnet']))
        self._sdn_need_vnet(user, v['vnet'], ('SDN.Audit', 'SDN.Allocate'))
        return self._sdn_view('vnets', v['vnet'], vnets[v['vnet']])

    def _subnets_of(self, vid):
        return sorted(sid for sid, s in self.sdn_config['subnets'].items() if s.get('vnet') == vid)

    def _vnet_checks(self, vid, vnet):
        zone = self.sdn_config['zones'].get(vnet['zone'])
        if zone is None:
            raise die("unknown section type ''\n")
        kind, tag = zone['type'], vnet.get('tag')
        others = dict((o, e) for o, e in self.sdn_config['vnets'].items() if o != vid)
        if kind == 'simple' and tag is not None:
            raise param_error(tag='vlan tag is not allowed on simple zone')
        if kind == 'vlan':
            if tag is None:
                raise param_error(tag='missing vlan tag')
            if tag > 4096:
                raise param_error(tag='vlan tag max value is 4096')
            for oid, other in sorted(others.items()):
                if other['zone'] == vnet['zone'] and other.get('tag') == tag:
                    raise param_error(tag='tag {0} already exist in vnet {1}'.format(tag, oid))
        if kind == 'qinq':
            if tag and tag > 4096:
                raise param_error(tag='VLAN tag maximal value is 4096')
            for oid, other in sorted(others.items()):
                if other['zone'] != vnet['zone']:
                    continue
                if tag and other.get('tag') == tag:
                    raise param_error(tag='tag {0} already exist in zone {1} vnet {2}'.format(tag, vnet['zone'], oid))
                if not tag and not other.get('tag'):
                    raise param_error(tag='tag-less vnet already exists in zone {0} vnet {1}'.format(
                        vnet['zone'], oid))
        if kind in ('vxlan', 'evpn'):
            if tag is None:
                raise param_error(tag='missing vxlan tag')
            for oid, other in sorted(others.items()):
                other_zone = self.sdn_config['zones'].get(other['zone']) or {}
                if other_zone.get('type') in ('vxlan', 'evpn') and other.get('tag') == tag:
                    raise param_error(tag='vxlan tag {0} already exist in vnet {1} in zone {2} '.format(
                        tag, oid, other['zone']))
        if vnet.get('vlanaware') and self._subnets_of(vid):
            raise param_error(vlanaware='vlanaware vnet is not compatible with subnets')

    @staticmethod
    def _vnet_values(v):
        return dict((k, x) for k, x in v.items() if k in VNET_OPTIONS and x is not None)

    async def _sdn_vnet_create(self, v, user):
        self._sdn_refuse_lock(v)
        vid = v['vnet']
        if vid in self.sdn_config['vnets']:
            raise die("sdn vnet object ID '{0}' already defined\n".format(vid))
        entry = dict(self._vnet_values(v), type='vnet')
        self._vnet_checks(vid, entry)
        self.sdn_config['vnets'][vid] = entry

    async def _sdn_vnet_update(self, v, user):
        self._sdn_refuse_lock(v)
        vid = v['vnet']
        current = self.sdn_config['vnets'].get(vid)
        if current is None:
            raise die("sdn vnet '{0}' does not exist\n".format(vid))
        self._sdn_need_vnet(user, vid, ('SDN.Allocate',))
        check_digest(self._sdn_digest('vnets'), v.get('digest'))
        values = self._vnet_values(v)
        entry = _merged(current, values, v.get('delete'))
        if not entry.get('zone'):
            raise param_error(zone='cannot delete zone')
        if entry['zone'] != current['zone'] and self._subnets_of(vid):
            raise param_error(zone="can't change zone if subnets exist")
        self._vnet_checks(vid, entry)
        self.sdn_config['vnets'][vid] = entry

    async def _sdn_vnet_delete(self, v, user):
        self._sdn_refuse_lock(v)
        vid = v['vnet']
        if vid not in self.sdn_config['vnets']:
            raise die("sdn vnet '{0}' does not exist\n".format(vid))
        self._sdn_need_vnet(user, vid, ('SDN.Allocate',))
        if self._subnets_of(vid):
            raise param_error(vnet="Can't delete vnet if subnets exists")
        del self.sdn_config['vnets'][vid]

    # -------------------------------------------------------------- subnets

    def _known_vnet(self, user, vid, privs):
        if vid not in self.sdn_config['vnets'] and vid not in self.sdn_running['vnets']:
            raise die("sdn vnet '{0}' does not exist\n".format(vid))
        self._sdn_need_vnet(user, vid, privs)

    async def _sdn_subnets(self, v, user):
        self._known_vnet(user, v['vnet'], ('SDN.Audit', 'SDN.Allocate'))
        return [self._sdn_view('subnets', sid, entry) for sid, entry in sorted(self._sdn_objects('subnets', v).items())
                if entry.get('vnet') == v['vnet']]

    async def _sdn_subnet(self, v, user):
        self._known_vnet(user, v['vnet'], ('SDN.Audit', 'SDN.Allocate'))
        subnets = self._sdn_objects('subnets', v)
        sid = v['subnet']
        if sid not in subnets:
            raise die("sdn subnet '{0}' does not exist\n".format(sid))
        return self._sdn_view('subnets', sid, subnets[sid])

    @staticmethod
    def _subnet_values(v):
        return dict((k, x) for k, x in v.items() if k in SUBNET_OPTIONS and x not in (None, []))

    def _register_gateway(self, zone, sid, entry, old=None):
        if not zone.get('ipam'):
            return
        cidr = _subnet_cidr(sid)
        ips = self.sdn_ipam.setdefault(sid.split('-', 1)[0], {}).setdefault(cidr, {})
        old_gw, gateway = (old or {}).get('gateway'), entry.get('gateway')
        if old_gw and old_gw != gateway:
            ips.pop(old_gw, None)
        net = ipaddress.ip_network(cidr, strict=False)
        if gateway and not (net.version == 4 and net.prefixlen == 32):
            ips[gateway] = {'gateway': 1}

    async def _sdn_subnet_create(self, v, user):
        self._sdn_refuse_lock(v)
        vid = v['vnet']
        self._known_vnet(user, vid, ('SDN.Allocate',))
        vnet = self.sdn_config['vnets'].get(vid) or {}
        zone = self.sdn_config['zones'].get(vnet.get('zone')) or {}
        sid = _subnet_id(vnet.get('zone', ''), v['subnet'])
        if sid in self.sdn_config['subnets']:
            raise die("sdn subnet object ID '{0}' already defined\n".format(sid))
        entry = dict(self._subnet_values(v), type='subnet')
        _check_subnet(sid, entry, vnet)
        self._register_gateway(zone, sid, entry)
        self.sdn_config['subnets'][sid] = entry

    async def _sdn_subnet_update(self, v, user):
        self._sdn_refuse_lock(v)
        vid, sid = v['vnet'], v['subnet']
        self._known_vnet(user, vid, ('SDN.Allocate',))
        current = self.sdn_config['subnets'].get(sid)
        if current is None:
            raise die("sdn subnet '{0}' does not exist\n".format(sid))
        check_digest(self._sdn_digest('subnets'), v.get('digest'))
        values = self._subnet_values(v)
        entry = _merged(current, values, v.get('delete'))
        vnet = self.sdn_config['vnets'].get(vid) or {}
        _check_subnet(sid, entry, vnet)
        self._register_gateway(self.sdn_config['zones'].get(vnet.get('zone')) or {}, sid, entry, current)
        self.sdn_config['subnets'][sid] = entry

    async def _sdn_subnet_delete(self, v, user):
        self._sdn_refuse_lock(v)
        vid, sid = v['vnet'], v['subnet']
        self._known_vnet(user, vid, ('SDN.Allocate',))
        current = self.sdn_config['subnets'].get(sid)
        if current is None:
            raise die("sdn subnet '{0}' does not exist\n".format(sid))
        ips = self.sdn_ipam.get(sid.split('-', 1)[0], {}).get(_subnet_cidr(sid), {})
        if any(not e.get('gateway') for e in ips.values()):
            raise die("cannot delete subnet '{0}', not empty\n".format(_subnet_cidr(sid)))
        self.sdn_ipam.get(sid.split('-', 1)[0], {}).pop(_subnet_cidr(sid), None)
        del self.sdn_config['subnets'][sid]

    # ------------------------------------------------------- status and IPAM

    def _bridges(self, node):
        return set(i['iface'] for i in self._net(node)['running'].values() if i.get('type') in ('bridge', 'OVSBridge'))

    def _sdn_status(self, node):
        """PVE::Network::SDN::Zones::status on a node: {zone: status}, {vnet: (zone, status, statusmsg)}."""
        running = self.sdn_running
        if not running.get('version'):
            return {}, {}
        stale = None
        if not self.sdn_node_versions.get(node):
            stale = 'local sdn network configuration is not yet generated, please reload'
        elif self.sdn_node_versions[node] < running['version']:
            stale = 'local sdn network configuration is too old, please reload'
        zones, vnets = {}, {}
        for zid, zone in sorted(running['zones'].items()):
            if not zone.get('nodes') or node in zone['nodes']:
                zones[zid] = 'pending' if stale else 'available'
        bridges = self._bridges(node)
        for vid, vnet in sorted(running['vnets'].items()):
            zone = running['zones'].get(vnet['zone'])
            if zone is None:
                vnets[vid] = (None, 'error', "unknown zone '{0}' configured".format(vnet['zone']))
            elif vnet['zone'] in zones:
                if stale:
                    vnets[vid] = (vnet['zone'], 'pending', stale)
                elif zone['type'] in ('vlan', 'qinq') and zone['bridge'] not in bridges:
                    vnets[vid] = (vnet['zone'], 'error', 'missing {0}'.format(zone['bridge']))
                    zones[vnet['zone']] = 'error'
                else:
                    vnets[vid] = (vnet['zone'], 'available', None)
        return zones, vnets

    async def _sdn_node_zones(self, v, user):
        zones, _vnets = self._sdn_status(v['node'])
        return [{'zone': zid, 'status': state} for zid, state in sorted(zones.items())
                if self.allowed(user, '/sdn/zones/' + zid, 'SDN.Audit')]

    async def _sdn_node_zone_content(self, v, user):
        _zones, vnets = self._sdn_status(v['node'])
        out = []
        for vid, (zone, state, message) in sorted(vnets.items()):
            if zone == v['zone']:
                out.append(dict(vnet=vid, status=state, **({'statusmsg': message} if message else {})))
        return out

    # ---------------------------------------------------------------- guests

    def _node_bridges(self, node):
        """Bridges a guest NIC on node can use: the node's own and the vnets available there."""
        _zones, vnets = self._sdn_status(node)
        return self._bridges(node) | set(vid for vid, (_z, state, _m) in vnets.items() if state == 'available')

    async def _do_start(self, vm, user, p):
        config = dict(vm.config)
        config.update((k, x) for k, x in vm.pending.items() if x is not None)
        nics = [_nic(config[key]) for key in sorted(config) if key.startswith('net') and key[3:].isdigit()]
        if vm.template or vm.lock or vm.status == 'running' or vm.ha_managed:
            return await super()._do_start(vm, user, p)
        bridges = self._node_bridges(vm.node)
        missing = next((nic['bridge'] for nic in nics if nic.get('bridge') and nic['bridge'] not in bridges), None)
        if missing is not None:
            async def refused():
                raise TaskError("bridge '{0}' does not exist".format(missing))
            return await self.task(vm.node, 'qmstart', vm.vmid, user, refused, vm=vm)
        for nic in nics:
            self._sdn_reserve(vm, nic)
        return await super()._do_start(vm, user, p)

    def _sdn_guest_nics(self):
        """(vmid, vnet, MAC) of every guest NIC, its config and pending changes (a MAC in lower case)."""
        out = set()
        for guest in list(self.vms) + list(self.cts):
            config = dict(guest.config)
            config.update((k, x) for k, x in getattr(guest, 'pending', {}).items() if x is not None)
            for key, value in config.items():
                if key.startswith('net') and key[3:].isdigit():
                    nic = _nic(value)
                    if nic.get('mac') and nic.get('bridge'):
                        out.add((guest.vmid, nic['bridge'], nic['mac'].lower()))
        return out

    def _sdn_release_gone(self):
        """Drop the IPAM entries of guest NICs that are gone: PVE deletes a NIC's IP from the IPAM (by MAC) when
        the guest is destroyed or the NIC removed or moved off the vnet. Entries without a vmid (set by hand)
        stay. Done before every read and reservation, which is as if each removal had done it."""
        if not any(entry.get('vmid') is not None for subnets in self.sdn_ipam.values() for ips in subnets.values()
                   for entry in ips.values()):
            return  # no guest's entry: nothing to look up the guests for
        nics = self._sdn_guest_nics()
        for zid, subnets in self.sdn_ipam.items():
            for cidr, ips in subnets.items():
                sid = _subnet_id(zid, cidr)
                vnet = (self.sdn_running['subnets'].get(sid) or {}).get('vnet')
                for ip, entry in list(ips.items()):
                    if entry.get('vmid') is None or not entry.get('mac'):
                        continue
                    if (entry['vmid'], vnet, entry['mac'].lower()) not in nics:
                        del ips[ip]

    def _sdn_reserve(self, vm, nic):
        vnet = self.sdn_running['vnets'].get(nic.get('bridge'))
        zone = self.sdn_running['zones'].get((vnet or {}).get('zone')) or {}
        if not nic.get('mac') or zone.get('ipam') != 'pve' or not zone.get('dhcp'):
            return
        zid = vnet['zone']
        self._sdn_release_gone()
        for sid, subnet in sorted(self.sdn_running['subnets'].items()):
            if subnet.get('vnet') != nic['bridge'] or not subnet.get('dhcp-range'):
                continue
            ips = self.sdn_ipam.setdefault(zid, {}).setdefault(_subnet_cidr(sid), {})
            if any(e.get('mac', '').lower() == nic['mac'].lower() for e in ips.values()):
                return
            for item in subnet['dhcp-range']:
                rng = _parse_range(item)
                address = ipaddress.ip_address(rng['start-address'])
                while address <= ipaddress.ip_address(rng['end-address']):
                    if str(address) not in ips:
                        ips[str(address)] = {'mac': nic['mac'], 'hostname': vm.name, 'vmid': vm.vmid}
                        return
                    address += 1

    async def _sdn_ipams(self, v, user):
        if v.get('type') not in (None, 'pve') or not self._sdn_visible(user, '/sdn/ipams/pve'):
            return []
        return [{'ipam': 'pve', 'type': 'pve'}]

    async def _sdn_ipam(self, v, user):
        if v['ipam'] != 'pve':
            raise die("sdn '{0}' does not exist\n".format(v['ipam']))
        return {'ipam': 'pve', 'type': 'pve', 'digest': hashlib.sha1(b'sdn/ipams.cfg').hexdigest()}

    async def _sdn_ipam_status(self, v, user):
        if v['ipam'] != 'pve':
            raise die('Currently only PVE IPAM is supported!')
        self._sdn_release_gone()
        out = []
        for zid, subnets in sorted(self.sdn_ipam.items()):
            zone = self.sdn_running['zones'].get(zid)
            if not zone or zone.get('ipam') != 'pve' or not zone.get('dhcp'):
                continue
            for cidr, ips in sorted(subnets.items()):
                sid = _subnet_id(zid, cidr)
                vnet = (self.sdn_running['subnets'].get(sid) or {}).get('vnet')
                if not vnet or not self._sdn_visible(user, '/sdn/zones/{0}/{1}'.format(zid, vnet)):
                    continue
                for ip, entry in sorted(ips.items()):
                    out.append(dict(entry, zone=zid, subnet=cidr, ip=ip, vnet=vnet))
        return out
