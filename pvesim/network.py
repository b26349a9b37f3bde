# SPDX-License-Identifier: AGPL-3.0-or-later
"""A node's network configuration in PVE's staged model (pve-manager's PVE/API2/Network.pm, pve-common's INotify).

Each node has a running configuration (/etc/network/interfaces, what the node uses) and, once somebody changed
something, a staged one (/etc/network/interfaces.new). Writes go to the staged copy; reads show it, and the
list answer carries `changes`, the diff between the two, beside `data` (as PVE's `set_result_attrib`):

- GET /nodes/{node}/network: the staged configuration (else the running one); `active` says what runs;
- POST /nodes/{node}/network, PUT/DELETE /nodes/{node}/network/{iface}: change the staged configuration, with
  PVE's checks: an existing name refused, one default gateway per family ("Default gateway already exists on
  interface 'vmbr0'."), a port used twice, cidr beside address; then the whole file is checked as INotify
  writes it (a bridge's ports, a bond's slaves and a VLAN's raw device must exist; a child's MTU not above its
  parent's) and nothing is stored when it fails;
- PUT /nodes/{node}/network: a `srvreload` task (id `networking`) that makes the staged configuration the
  running one; DELETE /nodes/{node}/network drops the staged one (reverting; no error when there is none);
- GET /nodes/{node}/network/{iface}: one interface (node_facts serves it from node_interfaces).

VLAN ids 1 to 4094 and the formats are the schema's (fakepve checks them). Comments read back with the
trailing newline INotify's parser keeps. Deleting a physical NIC's entry leaves the NIC (it exists), unconfigured.
"""

import copy
import difflib
import ipaddress
import json

from fakepve.routing import StatefulRoutes, die, param_error, split_list

NETWORK = '/nodes/{node}/network'
IFACE = NETWORK + '/{iface}'
PORT_KEYS = ('bridge_ports', 'ovs_ports', 'slaves', 'ovs_bonds')
# Keys INotify writes as 'yes'/'no' or 1 and reads back as 1 (absent when off).
FLAGS = ('autostart', 'bridge_vlan_aware')
DEFAULT_VIDS = '2-4094'


def _eth(name, priority, active=False):
    out = {'iface': name, 'type': 'eth', 'method': 'manual', 'method6': 'manual', 'families': ['inet'],
           'exists': 1, 'priority': priority}
    if active:
        out['active'] = 1
    return out


class NetworkApi(StatefulRoutes):
    """Mixin of PveSim: the staged network configuration of each node (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # node -> {'running': {iface: entry}, 'staged': {iface: entry} or None}
        self.node_networks = {}

    def _routes_network(self):
        return [('POST', NETWORK, self._net_create), ('PUT', NETWORK, self._net_reload),
                ('DELETE', NETWORK, self._net_revert), ('PUT', IFACE, self._net_update),
                ('DELETE', IFACE, self._net_delete)]

    # ------------------------------------------------------------------ state

    def _net(self, node):
        if node not in self.node_networks:
            running = dict((i['iface'], i) for i in super().node_interfaces(node))
            self.node_networks[node] = {'running': running, 'staged': None}
        return self.node_networks[node]

    def node_interfaces(self, node):
        """What GET /nodes/{node}/network lists: the staged configuration if any, `active` from the running one."""
        net = self._net(node)
        shown = net['staged'] if net['staged'] is not None else net['running']
        out = []
        for name, entry in sorted(shown.items(), key=lambda kv: (kv[1].get('priority', 99), kv[0])):
            view = copy.deepcopy(entry)
            view.pop('active', None)
            if (net['running'].get(name) or {}).get('active'):
                view['active'] = 1
            out.append(view)
        return out

    def network_changes(self, node):
        """The diff between the running and the staged file, as PVE's `changes` (None when nothing is staged)."""
        net = self._net(node)
        if net['staged'] is None:
            return None
        diff = difflib.unified_diff(_render(net['running']).splitlines(True), _render(net['staged']).splitlines(True),
                                    '/etc/network/interfaces', '/etc/network/interfaces.new')
        return ''.join(diff) or None

    def _staged(self, node):
        net = self._net(node)
        return copy.deepcopy(net['staged'] if net['staged'] is not None else net['running'])

    def _stage(self, node, ifaces):
        _check_file(ifaces)
        self._net(node)['staged'] = ifaces

    def _save_network(self):
        return self.node_networks

    def _restore_network(self, data):
        self.node_networks = dict((node, {'running': net['running'], 'staged': net.get('staged')})
                                  for node, net in (data or {}).items())

    # ------------------------------------------------------------ the answer

    def _stateful_handler(self, template, handler):
        serve = super()._stateful_handler(template, handler)
        if template != NETWORK:
            return serve

        async def with_changes(request):
            response = await serve(request)
            if request.method != 'GET' or response.status != 200:
                return response
            changes = self.network_changes(request.match_info['node'])
            if changes is None:
                return response
            from aiohttp import web
            return web.json_response(dict(json.loads(response.text), changes=changes))
        return with_changes

    # --------------------------------------------------------------- writes

    async def _net_create(self, v, user):
        node, iface = v['node'], v['iface']
        ifaces = self._staged(node)
        if iface in ifaces:
            raise param_error(iface='interface already exists')
        param = _params(v)
        _check_gateways(ifaces, iface, param)
        _check_duplicate_ports(ifaces, iface, param)
        _map_cidr(param)
        _check_ipv6(param)
        _address_methods(param)
        _vids(param)
        param['iface'] = iface
        param['priority'] = max([e.get('priority', 0) for e in ifaces.values()] + [0]) + 1
        ifaces[iface] = _stored(param)
        self._stage(node, ifaces)

    async def _net_update(self, v, user):
        node, iface = v['node'], v['iface']
        ifaces = self._staged(node)
        if iface not in ifaces:
            raise param_error(iface='interface does not exist')
        entry = ifaces[iface]
        param = _params(v)
        delete = split_list(param.pop('delete', ''))
        for key in delete:
            entry.pop(key, None)
            if key == 'cidr':
                entry.pop('netmask', None)
                entry.pop('address', None)
            elif key == 'cidr6':
                entry.pop('netmask6', None)
                entry.pop('address6', None)
        _map_cidr(param)
        _check_gateways(ifaces, iface, param)
        _check_duplicate_ports(ifaces, iface, param)
        _check_ipv6(param)
        # As update_network does: the families and methods follow the addresses of this request.
        _address_methods(param)
        _vids(param)
        entry.update(param)
        # INotify writes an address (and its gateway) only for a static method: an update without the address
        # drops it, which is why PVE's own GUI sends the whole interface every time.
        for method, keys in (('method', ('address', 'netmask', 'gateway')),
                             ('method6', ('address6', 'netmask6', 'gateway6'))):
            if entry[method] == 'manual':
                for key in keys:
                    entry.pop(key, None)
        ifaces[iface] = _stored(entry)
        self._stage(node, ifaces)

    async def _net_delete(self, v, user):
        node, iface = v['node'], v['iface']
        ifaces = self._staged(node)
        if iface not in ifaces:
            raise param_error(iface='interface does not exist')
        entry = ifaces.pop(iface)
        if entry.get('exists'):
            # A physical NIC stays: the parser lists every NIC the node has, unconfigured when it has no entry.
            ifaces[iface] = _eth(iface, entry.get('priority', 99))
        self._stage(node, ifaces)

    async def _net_revert(self, v, user):
        self._net(v['node'])['staged'] = None

    async def _net_reload(self, v, user):
        node = v['node']

        async def body():
            net = self._net(node)
            if net['staged'] is not None:
                running = net['staged']
                for entry in running.values():
                    entry.pop('active', None)
                    if entry.get('autostart') or (entry.get('type') == 'eth' and _is_port(running, entry['iface'])):
                        entry['active'] = 1
                net['running'], net['staged'] = running, None
            return None
        return await self.task(node, 'srvreload', 'networking', user, body)


# ------------------------------------------------------------------------- helpers


def _params(v):
    return dict((k, val) for k, val in v.items() if k not in ('node', 'iface'))


def _check_gateways(ifaces, iface, param):
    for key, name in (('gateway', 'Default gateway'), ('gateway6', 'Default ipv6 gateway')):
        if not param.get(key):
            continue
        for other in sorted(ifaces):
            if other != iface and ifaces[other].get(key):
                raise param_error(**{key: "{0} already exists on interface '{1}'.".format(name, other)})


def _ports(entry):
    return [p for key in PORT_KEYS for p in split_list(entry.get(key) or '')]


def _check_duplicate_ports(ifaces, iface, param):
    name = next((k for k in PORT_KEYS if param.get(k)), None)
    new = set(_ports(param))
    if not new:
        return
    for other in sorted(ifaces):
        if other == iface:
            continue
        for port in _ports(ifaces[other]):
            if port in new:
                raise param_error(**{name: "{0} is already used on interface '{1}'.".format(port, other)})


def _map_cidr(param):
    for cidr, address, netmask in (('cidr', 'address', 'netmask'), ('cidr6', 'address6', 'netmask6')):
        if not param.get(cidr):
            continue
        if param.get(address):
            raise param_error(**{address: '{0} conflicts with {1}'.format(address, cidr)})
        if param.get(netmask):
            raise param_error(**{netmask: '{0} conflicts with {1}'.format(netmask, cidr)})
        addr, mask = param.pop(cidr).rsplit('/', 1)
        param[address] = addr
        param[netmask] = mask if cidr == 'cidr' else int(mask)


def _check_ipv6(param):
    if not param.get('address6'):
        return
    address = ipaddress.IPv6Address(param['address6'])
    if address.is_multicast or address.is_unspecified or address.is_loopback:
        raise param_error(address="{0} with type '{1}', cannot be used as host IPv6 address.".format(
            param['address6'], 'MULTICAST' if address.is_multicast else 'RESERVED'))


def _address_methods(param):
    """The address families and methods of an interface, from the addresses of the request (create and update)."""
    families = [f for f, key in (('inet', 'address'), ('inet6', 'address6')) if param.get(key)] or ['inet']
    param.update(families=families, method='static' if param.get('address') else 'manual',
                 method6='static' if param.get('address6') else 'manual')


def _vids(param):
    if 'bridge_vids' in param and param['bridge_vids'] is not None:
        items = split_list(param['bridge_vids'])
        if not items:
            raise param_error(bridge_vids='VLAN list items are empty')
        param['bridge_vids'] = ' '.join(items)


def _stored(entry):
    """An entry as INotify writes and reads it back: flags 1 or absent, lists space separated, cidr beside the
    address, a VLAN's raw device and id from its name, comments with their newline, the VLAN-aware default vids."""
    out = dict((k, v) for k, v in entry.items() if v not in (None, ''))
    for key in FLAGS:
        if not out.get(key):
            out.pop(key, None)
        else:
            out[key] = 1
    for key in PORT_KEYS:
        if key in out:
            out[key] = ' '.join(split_list(out[key]))
    if out.get('bridge_vlan_aware') and not out.get('bridge_vids'):
        out['bridge_vids'] = DEFAULT_VIDS
    if out.get('address') and out.get('netmask'):
        out['cidr'] = '{0}/{1}'.format(out['address'], _prefix(out['netmask']))
        out['netmask'] = str(_prefix(out['netmask']))
    else:
        out.pop('cidr', None)
    if out.get('address6') and out.get('netmask6') is not None:
        out['cidr6'] = '{0}/{1}'.format(out['address6'], out['netmask6'])
    else:
        out.pop('cidr6', None)
    for key in ('comments', 'comments6'):
        if key in out and not out[key].endswith('\n'):
            out[key] += '\n'
    name = out.get('iface', '')
    if out.get('type') == 'vlan' and '.' in name:
        raw, vid = name.rsplit('.', 1)
        out['vlan-raw-device'], out['vlan-id'] = raw, int(vid)
    return out


def _prefix(netmask):
    text = str(netmask)
    if text.isdigit():
        return int(text)
    return ipaddress.IPv4Network('0.0.0.0/' + text).prefixlen


def _is_port(ifaces, name):
    return any(name in _ports(e) for e in ifaces.values())


def _check_file(ifaces):
    """What INotify checks when it writes the file: the references between interfaces (die, nothing written)."""
    for name in sorted(ifaces):
        entry = ifaces[name]
        kind = entry.get('type')
        if kind == 'bridge':
            for port in split_list(entry.get('bridge_ports') or ''):
                base = port.split('.')[0] if '.' in port and port not in ifaces else port
                if base not in ifaces:
                    raise die("bridge '{0}' - unable to find bridge port '{1}'\n".format(name, port))
                _check_mtu(ifaces, base, name)
        elif kind == 'bond':
            for slave in split_list(entry.get('slaves') or ''):
                found = ifaces.get(slave)
                if found is None:
                    raise die("bond '{0}' - unable to find slave '{1}'\n".format(name, slave))
                if found.get('type') not in ('eth', 'bond'):
                    raise die("bond '{0}' - wrong interface type on slave '{1}' ('{2}' != 'eth or bond')\n".format(
                        name, slave, found.get('type')))
                _check_mtu(ifaces, slave, name)
            primary = entry.get('bond-primary')
            if primary and primary not in split_list(entry.get('slaves') or ''):
                raise die("bond '{0}' - bond-primary interface is not a slave\n".format(name))
        elif kind == 'vlan':
            raw = entry.get('vlan-raw-device')
            if not raw:
                raise die("vlan '{0}' - vlan-raw-device is not set\n".format(name))
            if not entry.get('vlan-id'):
                raise die("vlan '{0}' - vlan-id is not set\n".format(name))
            if not 1 <= int(entry['vlan-id']) <= 4094:
                # The schema bounds the vlan-id parameter; a name's id (eno1.5000) meets the kernel's bound.
                raise die("vlan '{0}' - vlan-id {1} is not in 1-4094\n".format(name, entry['vlan-id']))
            parent = ifaces.get(raw)
            if parent is None:
                raise die("vlan '{0}' - unable to find parent '{1}'\n".format(name, raw))
            if parent.get('type') not in ('eth', 'bridge', 'bond', 'vlan', 'OVSIntPort'):
                raise die("vlan '{0}' - wrong interface type on parent '{1}' ('{2}' != 'eth|bond|bridge|vlan')\n"
                          .format(name, raw, parent.get('type')))
            _check_mtu(ifaces, raw, name)


def _check_mtu(ifaces, parent, child):
    """A child (a bridge on its port, a bond on its slave, a VLAN on its raw device) above its parent's MTU
    (1500 when not set) is refused."""
    pmtu = int(ifaces.get(parent, {}).get('mtu') or 1500)
    cmtu = int(ifaces.get(child, {}).get('mtu') or 1500)
    if cmtu > pmtu:
        raise die('{0} - mtu {1} is bigger than parent {2} mtu {3}\n'.format(child, cmtu, parent, pmtu))


def _render(ifaces):
    """The interfaces file (enough of it for a faithful diff)."""
    lines = ['auto lo', 'iface lo inet loopback', '']
    order = sorted(ifaces.values(), key=lambda e: (e.get('priority', 99), e['iface']))
    for entry in order:
        name = entry['iface']
        if entry.get('autostart'):
            lines.append('auto {0}'.format(name))
        lines.append('iface {0} inet {1}'.format(name, entry.get('method', 'manual')))
        if entry.get('address'):
            lines.append('\taddress {0}'.format(entry.get('cidr') or entry['address']))
        if entry.get('gateway'):
            lines.append('\tgateway {0}'.format(entry['gateway']))
        for key, word in (('bridge_ports', 'bridge-ports'), ('slaves', 'bond-slaves'), ('bond_mode', 'bond-mode'),
                          ('bond_xmit_hash_policy', 'bond-xmit-hash-policy'), ('bond-primary', 'bond-primary'),
                          ('vlan-raw-device', 'vlan-raw-device'), ('vlan-id', 'vlan-id'), ('mtu', 'mtu')):
            if entry.get(key) not in (None, ''):
                lines.append('\t{0} {1}'.format(word, entry[key]))
        if entry.get('type') == 'bridge':
            lines.append('\tbridge-stp off')
            lines.append('\tbridge-fd 0')
            if entry.get('bridge_vlan_aware'):
                lines.append('\tbridge-vlan-aware yes')
                lines.append('\tbridge-vids {0}'.format(entry.get('bridge_vids') or DEFAULT_VIDS))
        for comment in (entry.get('comments') or '').splitlines():
            lines.append('#{0}'.format(comment))
        if entry.get('address6'):
            lines.append('')
            lines.append('iface {0} inet6 static'.format(name))
            lines.append('\taddress {0}'.format(entry.get('cidr6') or entry['address6']))
            if entry.get('gateway6'):
                lines.append('\tgateway {0}'.format(entry['gateway6']))
        lines.append('')
    return '\n'.join(lines)
