# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A node's network interfaces in PVE's staged model: changes go to interfaces.new, applied or reverted later.

PVE keeps a node's changed network configuration in /etc/network/interfaces.new until somebody applies it
(``PUT /nodes/{node}/network``, a ``srvreload`` task) or reverts it (``DELETE /nodes/{node}/network``). The
list of interfaces shows the staged configuration and carries ``changes``, the diff, beside its data.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource
from ansible_collections.pve.ops.plugins.module_utils.tasks import task_started
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

TYPES = ('bridge', 'bond', 'vlan', 'eth')
# option -> PVE key, for the settings compared and written as they are.
KEYS = {
    'bridge_vlan_aware': 'bridge_vlan_aware', 'bridge_vids': 'bridge_vids', 'bond_mode': 'bond_mode',
    'bond_primary': 'bond-primary', 'bond_hash_policy': 'bond_xmit_hash_policy', 'vlan_id': 'vlan-id',
    'vlan_raw_device': 'vlan-raw-device', 'cidr': 'cidr', 'gateway': 'gateway', 'cidr6': 'cidr6',
    'gateway6': 'gateway6', 'mtu': 'mtu', 'autostart': 'autostart', 'comments': 'comments',
    'bridge_ports': 'bridge_ports', 'bond_slaves': 'slaves',
}
LISTS = ('bridge_ports', 'bond_slaves')
FLAGS = ('bridge_vlan_aware', 'autostart')
# Options that belong to one type only.
ONLY = {'bridge_ports': 'bridge', 'bridge_vlan_aware': 'bridge', 'bridge_vids': 'bridge', 'bond_slaves': 'bond',
        'bond_mode': 'bond', 'bond_primary': 'bond', 'bond_hash_policy': 'bond', 'vlan_id': 'vlan',
        'vlan_raw_device': 'vlan'}
# PVE writes an address and its gateway only with the static method, so an update sends them every time.
ADDRESSING = ('cidr', 'gateway', 'cidr6', 'gateway6')


def interface_view(entry):
    """An interface as the module shows it (options' names, lists as lists, flags as booleans)."""
    view = dict(iface=entry['iface'], type=entry.get('type'), active=codec.is_true(entry.get('active')))
    for option, key in KEYS.items():
        value = entry.get(key)
        if option in LISTS:
            view[option] = codec.split_list(value)
        elif option in FLAGS:
            view[option] = codec.is_true(value)
        elif option in ('comments',):
            view[option] = (value or '').rstrip('\n')
        elif option in ('vlan_id', 'mtu'):
            view[option] = int(value) if value not in (None, '') else None
        elif option == 'bridge_vids':
            view[option] = ' '.join(codec.split_list(value)) if value else None
        elif option in ADDRESSING:
            view[option] = _ip_text(option, value)
        else:
            view[option] = value if value not in ('',) else None
    if view['type'] != 'bridge':
        for option in ('bridge_vlan_aware', 'bridge_ports', 'bridge_vids'):
            view.pop(option, None)
    if view['type'] != 'bond':
        for option in ('bond_slaves', 'bond_mode', 'bond_primary', 'bond_hash_policy'):
            view.pop(option, None)
    if view['type'] != 'vlan':
        view.pop('vlan_id', None)
        view.pop('vlan_raw_device', None)
    return view


def read_network(client, node):
    """(interfaces by name, the staged diff or None) of a node."""
    answer = client.get_answer('nodes', node, 'network')
    ifaces = dict((e['iface'], e) for e in answer.get('data') or [])
    return ifaces, answer.get('changes') or None


def management_address(client, node):
    """The node's address in the cluster (what /cluster/status shows), or None."""
    for entry in client.get('cluster', 'status') or []:
        if entry.get('type') == 'node' and entry.get('name') == node:
            return entry.get('ip')
    return None


def _ip_text(option, value):
    """An address or CIDR as compared: the way ipaddress writes it (lower case, IPv6 compressed)."""
    if not value:
        return None
    try:
        if option.startswith('cidr'):
            return ipaddress.ip_interface(value).with_prefixlen
        return str(ipaddress.ip_address(value))
    except ValueError:
        return value


def _address(cidr):
    return str(cidr).split('/', maxsplit=1)[0] if cidr else None


def _desired_value(option, value):
    if option in LISTS:
        return codec.split_list(value)
    if option == 'bridge_vids':
        return ' '.join(codec.split_list(value)) or None
    if option in ADDRESSING:
        return _ip_text(option, value)
    if option in ('vlan_raw_device', 'bond_primary', 'bond_mode',
                  'bond_hash_policy'):
        return value or None
    return value


def _entry(view):
    """A view as PVE keys the references between interfaces."""
    return {'iface': view['iface'], 'type': view.get('type'), 'bridge_ports': ' '.join(view.get('bridge_ports') or []),
            'slaves': ' '.join(view.get('bond_slaves') or []), 'bond-primary': view.get('bond_primary'),
            'vlan-raw-device': view.get('vlan_raw_device'), 'vlan-id': view.get('vlan_id'), 'mtu': view.get('mtu'),
            'gateway': view.get('gateway'), 'gateway6': view.get('gateway6')}


def _mtu(ifaces, parent, child, field):
    pmtu = int((ifaces.get(parent) or {}).get('mtu') or 1500)
    cmtu = int((ifaces.get(child) or {}).get('mtu') or 1500)
    if cmtu > pmtu:
        raise errors.InvalidArgumentError('{0}: {1} would have MTU {2}, above the {3} of {4}, which it runs on'.format(
            field, child, cmtu, pmtu, parent), field=field)


def check_config(ifaces, name):
    """Refuse, before anything is sent, what PVE refuses when it writes the file: ``ifaces`` is the node's
    configuration as it would be (PVE keys), ``name`` the interface changed (or removed)."""
    entry = ifaces.get(name)
    if entry is not None:
        ports = codec.split_list(entry.get('bridge_ports')) + codec.split_list(entry.get('slaves'))
        field = 'bridge_ports' if entry.get('type') == 'bridge' else 'bond_slaves'
        for other in sorted(ifaces):
            if other == name:
                continue
            used = codec.split_list(ifaces[other].get('bridge_ports')) + codec.split_list(ifaces[other].get('slaves'))
            for port in ports:
                if port in used:
                    raise errors.InvalidArgumentError('{0}: {1} is already used on interface {2}'.format(
                        field, port, other), field=field)
            for key in ('gateway', 'gateway6'):
                if entry.get(key) and ifaces[other].get(key):
                    raise errors.InvalidArgumentError('{0}: interface {1} has the default gateway of that family; a '
                                                      'node has one'.format(key, other), field=key)
    for iface in sorted(ifaces):
        item = ifaces[iface]
        kind = item.get('type')
        mine = iface == name
        if kind == 'bridge':
            for port in codec.split_list(item.get('bridge_ports')):
                base = port if port in ifaces else port.split('.')[0]
                if base not in ifaces:
                    raise errors.InvalidArgumentError(
                        '{0}: bridge {1} would have port {2}, which node has no interface of'.format(
                            'bridge_ports' if mine else 'state', iface, port), field='bridge_ports' if mine else 'state')
                if mine or base == name:
                    _mtu(ifaces, base, iface, 'mtu')
        elif kind == 'bond':
            slaves = codec.split_list(item.get('slaves'))
            for slave in slaves:
                found = ifaces.get(slave)
                if found is None or found.get('type') not in ('eth', 'bond'):
                    raise errors.InvalidArgumentError(
                        '{0}: bond {1} would have slave {2}, which is {3}'.format(
                            'bond_slaves' if mine else 'state', iface, slave,
                            'no interface of the node' if found is None else 'a ' + str(found.get('type'))),
                        field='bond_slaves' if mine else 'state')
                if mine or slave == name:
                    _mtu(ifaces, slave, iface, 'mtu')
            if mine and item.get('bond-primary') and item['bond-primary'] not in slaves:
                raise errors.InvalidArgumentError('bond_primary {0!r} is not one of the bond\'s slaves'.format(
                    item['bond-primary']), field='bond_primary')
        elif kind == 'vlan':
            raw = item.get('vlan-raw-device')
            parent = ifaces.get(raw)
            if parent is None or parent.get('type') not in ('eth', 'bridge', 'bond', 'vlan'):
                raise errors.InvalidArgumentError('{0}: VLAN {1} would run on {2}, which is {3}'.format(
                    'vlan_raw_device' if mine else 'state', iface, raw,
                    'no interface of the node' if parent is None else 'a ' + str(parent.get('type'))),
                    field='vlan_raw_device' if mine else 'state')
            if mine and not 1 <= int(item.get('vlan-id') or 0) <= 4094:
                raise errors.InvalidArgumentError('vlan_id {0}: expected 1 to 4094'.format(item.get('vlan-id')),
                                                  field='vlan_id')
            if mine or raw == name:
                _mtu(ifaces, raw, iface, 'mtu')


class NetworkInterface(Resource):
    """One interface of a node's network configuration, staged, and applied when asked."""

    noun = 'interface'

    def __init__(self, pve):
        super().__init__(pve)
        self.node = self.params['node']
        self.iface = self._iface_name()
        self.upids = []

    # ---------------------------------------------------------------- naming

    def _iface_name(self):
        p = self.params
        iface = p.get('iface')
        raw, vid = p.get('vlan_raw_device'), p.get('vlan_id')
        if iface:
            if '.' in iface and (raw or vid is not None):
                base, _dot, number = iface.rpartition('.')
                if (raw and raw != base) or (vid is not None and str(vid) != number):
                    raise errors.InvalidArgumentError(
                        'iface {0!r} names VLAN {1} on {2}; vlan_id and vlan_raw_device must agree with it or be '
                        'left out'.format(iface, number, base), field='iface')
            return iface
        if p.get('type') == 'vlan' and raw and vid is not None:
            return '{0}.{1}'.format(raw, vid)
        raise errors.InvalidArgumentError('iface is required (or, for type vlan, vlan_raw_device and vlan_id, '
                                          'which name it <raw device>.<vlan id>)', field='iface')

    # ---------------------------------------------------------------- reading

    def read(self):
        self.ifaces, self.changes = read_network(self.client, self.node)
        self.pending = bool(self.changes)
        entry = self.ifaces.get(self.iface)
        return interface_view(entry) if entry is not None else None

    def desired(self, current):
        p = self.params
        kind = p.get('type') or (current or {}).get('type')
        if current is None and not p.get('type'):
            raise errors.InvalidArgumentError('type is required to create interface {0!r} (bridge, bond or '
                                              'vlan)'.format(self.iface), field='type')
        if current is not None and p.get('type') and p['type'] != current['type']:
            raise errors.InvalidArgumentError(
                'type: {0} is a {1}; changing the type of an interface is not offered (remove it first)'.format(
                    self.iface, current['type']), field='type')
        if current is None and kind == 'eth':
            raise errors.InvalidArgumentError(
                'type: {0} is not a network device of node {1}; a physical interface (eth) cannot be '
                'created'.format(self.iface, self.node), field='type')
        for option, only in ONLY.items():
            if p.get(option) not in (None, []) and kind != only:
                raise errors.InvalidArgumentError('{0} applies to type {1} only ({2} is a {3})'.format(
                    option, only, self.iface, kind), field=option)
        if kind == 'vlan' and current is None and '.' not in self.iface and (
                not p.get('vlan_raw_device') or p.get('vlan_id') is None):
            raise errors.InvalidArgumentError(
                'vlan_raw_device and vlan_id are required for VLAN {0!r} (its name does not say them, as '
                '<raw device>.<vlan id> would)'.format(self.iface), field='vlan_raw_device')
        for cidr, family in (('cidr', 4), ('cidr6', 6)):
            if p.get(cidr):
                try:
                    address = ipaddress.ip_interface(p[cidr])
                except ValueError:
                    address = None
                if address is None or address.version != family or not p[cidr].rpartition('/')[2].isdigit():
                    raise errors.InvalidArgumentError('{0} {1!r}: expected an IPv{2} address with its prefix '
                                                      'length, for example {3}'.format(
                                                          cidr, p[cidr], family,
                                                          '192.0.2.5/24' if family == 4 else '2001:db8::5/64'),
                                                      field=cidr)
        for gateway, family in (('gateway', 4), ('gateway6', 6)):
            if p.get(gateway):
                try:
                    ok = ipaddress.ip_address(p[gateway]).version == family
                except ValueError:
                    ok = False
                if not ok:
                    raise errors.InvalidArgumentError('{0} {1!r}: expected an IPv{2} address'.format(
                        gateway, p[gateway], family), field=gateway)
        view = dict(current or {}, iface=self.iface, type=kind)
        view.setdefault('active', False)
        for option in KEYS:
            if option in ONLY and ONLY[option] != kind:
                continue
            if p.get(option) is not None:
                view[option] = _desired_value(option, p[option])
            elif current is None:
                view[option] = [] if option in LISTS else (False if option in FLAGS else None)
        if kind == 'vlan' and '.' in self.iface:
            base, _dot, number = self.iface.rpartition('.')
            view['vlan_raw_device'], view['vlan_id'] = base, int(number)
        if kind == 'bridge' and view.get('bridge_vlan_aware') and not view.get('bridge_vids'):
            view['bridge_vids'] = '2-4094'  # what PVE writes for a VLAN-aware bridge without its VLANs
        for option in ('gateway', 'gateway6'):
            family = 'cidr' if option == 'gateway' else 'cidr6'
            if view.get(option) and not view.get(family):
                raise errors.InvalidArgumentError('{0} needs an address of its family on the interface ({1})'.format(
                    option, family), field=option)
        self._check_management(current, view)
        prospective = dict(self.ifaces)
        prospective[self.iface] = _entry(view)
        check_config(prospective, self.iface)
        return view

    def _check_management(self, current, desired):
        """Refuse, unless forced, a change that takes the node's management address away."""
        if self.params.get('force') or current is None:
            return
        address = management_address(self.client, self.node)
        if not address or _address(current.get('cidr')) != address:
            return
        why = None
        if desired is None:
            why = 'removes the interface that carries it'
        elif _address(desired.get('cidr')) != address:
            why = 'changes or removes that address'
        elif current.get('bridge_ports') and not desired.get('bridge_ports'):
            why = 'takes away the ports of the bridge that carries it'
        elif current.get('bond_slaves') and not desired.get('bond_slaves'):
            why = 'takes away the slaves of the bond that carries it'
        elif current.get('autostart') and not desired.get('autostart'):
            why = 'stops the interface that carries it from starting on boot'
        if why:
            raise errors.InvalidArgumentError(
                'refused: the change to {0} {1}, {2}, the management address of node {3}; applying it would cut '
                'the node off (force: true does it anyway)'.format(self.iface, why, address, self.node),
                field='force')

    # ---------------------------------------------------------------- writes

    def _wire(self, view, options):
        out = {}
        for option in options:
            value = view.get(option)
            key = KEYS[option]
            if option in LISTS:
                out[key] = ' '.join(value) if value else None
            elif option in FLAGS:
                out[key] = bool(value)
            else:
                out[key] = value
        return dict((k, v) for k, v in out.items() if v not in (None, ''))

    def _options_of(self, kind):
        dotted_vlan = kind == 'vlan' and '.' in self.iface
        return [o for o in KEYS if not (o in ONLY and ONLY[o] != kind)
                and not (dotted_vlan and o in ('vlan_id', 'vlan_raw_device'))]

    def create(self, tracker, desired):
        args = self._wire(desired, self._options_of(desired['type']))
        tracker.write(self.client.post, 'nodes', self.node, 'network', iface=self.iface, type=desired['type'],
                      _confirm=lambda lost: self.iface in read_network(self.client, self.node)[0], **args)
        return self._finish(tracker, desired)

    def update(self, tracker, current, desired):
        options = self._options_of(desired['type'])
        differs = [o for o in options if desired.get(o) != current.get(o)]
        if differs:
            send = sorted(set(differs) | set(o for o in ADDRESSING if desired.get(o)))
            args = self._wire(desired, send)
            cleared = [KEYS[o] for o in differs if desired.get(o) in (None, '', [], False) and o not in FLAGS]
            if cleared:
                args['delete'] = ','.join(sorted(cleared))
            tracker.write(self.client.put, 'nodes', self.node, 'network', self.iface, type=desired['type'], **args)
        return self._finish(tracker, desired)

    def delete(self, tracker, current):
        if current['type'] == 'eth':
            raise errors.InvalidArgumentError(
                'state: {0} is a physical interface of node {1}; it cannot be removed (set its options '
                'instead)'.format(self.iface, self.node), field='state')
        self._check_management(current, None)
        prospective = dict(self.ifaces)
        prospective.pop(self.iface)
        check_config(prospective, self.iface)
        tracker.write(self.client.delete, 'nodes', self.node, 'network', self.iface,
                      _confirm=lambda lost: self.iface not in read_network(self.client, self.node)[0])
        self._finish(tracker, None)

    def _finish(self, tracker, after):
        """Apply the node's staged changes when asked; note what stays pending."""
        wrote = tracker.changed
        self.pending = bool(self.changes) or wrote
        if self.params.get('apply') and self.pending:
            upid = tracker.write(self.client.put, 'nodes', self.node, 'network',
                                 _confirm=task_started(self.client, self.node, 'srvreload', 'networking'))
            if upid:
                self.client.wait(upid, timeout=self.params.get('timeout') or 60)
            self.pending = False
            self.applied = True
        if after is not None and self.applied:
            after = dict(after, active=bool(after.get('autostart')) or after.get('active', False))
        return after

    applied = False
    pending = False

    def result(self, tracker, after):
        out = tracker.result(after=after or {}, interface=after)
        out['pending'] = self.pending
        out['applied'] = self.applied
        changes = self.changes
        if self.pending and tracker.changed and not self.check_mode:
            changes = read_network(self.client, self.node)[1]
        out['changes'] = (changes or '') if self.pending else ''
        return out


def ensure_network_interface(pve):
    """network_interface: a node's bridge, bond, VLAN or NIC settings, staged and optionally applied."""
    if pve.params.get('state') == 'reverted':
        return revert_network(pve)
    return NetworkInterface(pve).run()


# Options state=reverted refuses: it concerns the node's whole staged configuration, not one interface.
_NOT_REVERTED = ('iface', 'type') + tuple(KEYS)


def revert_network(pve):
    """network_interface state=reverted: drop the node's staged changes (interfaces.new), PVE's
    ``DELETE /nodes/{node}/network``; nothing staged is no change."""
    p, client, node = pve.params, pve.client, pve.params['node']
    given = [o for o in _NOT_REVERTED if p.get(o) is not None] + [o for o in ('apply', 'force') if p.get(o)]
    if given:
        raise errors.InvalidArgumentError(
            '{0}: state=reverted drops all of node {1}\'s staged network changes; it takes no interface, settings, '
            'apply or force'.format(given[0], node), field=given[0])
    _ifaces, changes = read_network(client, node)
    tracker = ChangeTracker(pve.check_mode, before=dict(pending=bool(changes), changes=changes or ''))
    if changes:
        tracker.write(client.delete, 'nodes', node, 'network',
                      _confirm=lambda lost: read_network(client, node)[1] is None)
    return tracker.result(after=dict(pending=False, changes=''), interface=None, pending=False, applied=False,
                          changes=changes or '', reverted=bool(changes) and not pve.check_mode)
