# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.network_info: a node's interfaces (staged configuration), pending changes, and its VLAN setup."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils.network.interfaces import interface_view, read_network

SDN_KEYS = ('zone', 'type', 'bridge', 'tag', 'vnet', 'alias', 'vlanaware', 'mtu', 'nodes', 'state')


def _sdn(entry):
    return dict((k, entry[k]) for k in SDN_KEYS if k in entry)


def vlan_config(client, interfaces):
    """The node's VLAN interfaces and VLAN-aware bridges, and the cluster's SDN VLAN zones with their vnets."""
    zones = [_sdn(z) for z in client.get('cluster', 'sdn', 'zones', type='vlan') or []]
    names = set(z['zone'] for z in zones)
    vnets = [_sdn(v) for v in client.get('cluster', 'sdn', 'vnets') or [] if v.get('zone') in names]
    return dict(interfaces=[i for i in interfaces if i['type'] == 'vlan'],
                vlan_aware_bridges=[i for i in interfaces if i['type'] == 'bridge' and i.get('bridge_vlan_aware')],
                sdn_zones=zones, sdn_vnets=vnets)


def network_info(pve):
    p = pve.params
    ifaces, changes = read_network(pve.client, p['node'])
    interfaces = [interface_view(e) for _name, e in sorted(ifaces.items())]
    gather = p['gather']
    out = dict(changed=False, node=p['node'], pending=bool(changes), changes=changes or '')
    if 'interfaces' in gather:
        out['interfaces'] = [i for i in interfaces if not p.get('type') or i['type'] == p['type']]
    if 'vlans' in gather:
        out['vlans'] = vlan_config(pve.client, interfaces)
    return out
