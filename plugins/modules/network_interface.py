#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: network_interface
short_description: Manage a Proxmox VE node's network interfaces (bridges, bonds, VLANs, NIC settings)
version_added: 0.1.0
description:
  - "Creates, changes and removes an interface of a node's network configuration (C(/nodes/{node}/network)):
    Linux bridges (ports, VLAN awareness and VLANs), bonds (mode, slaves, primary, hash policy), VLAN
    interfaces (raw device and VLAN id), and the settings of a physical interface; with addresses (IPv4 and
    IPv6 with their prefix length), gateways, MTU, autostart and comments."
  - "PVE stages every change in C(/etc/network/interfaces.new): the node goes on running its old
    configuration until the changes are applied. With O(apply=true) the module applies the node's staged
    changes (all of them, also those made by others, in one C(srvreload) task); otherwise it reports them as
    pending (RV(pending), RV(changes)). A second run sees the staged configuration, so it makes no write."
  - "A change that takes the node's management address away (the address the cluster knows the node by:
    removing the interface that carries it, changing that address, taking the ports of its bridge away,
    turning its autostart off) is refused unless O(force=true)."
  - Only the options given are changed; an empty string clears a text option.
author:
  - pve.ops developers (@pve-ops)
options:
  node:
    description:
      - The node whose network configuration is changed.
    type: str
    required: true
  iface:
    description:
      - The interface's name (C(vmbr1), C(bond0), C(eno1.20), C(vlan20), C(eno2)).
      - For O(type=vlan) it may be left out when O(vlan_raw_device) and O(vlan_id) are given; the name is then
        C(<vlan_raw_device>.<vlan_id>).
    type: str
    aliases: [name]
  state:
    description:
      - V(present) creates or changes the interface, V(absent) removes it (a physical interface cannot be
        removed).
      - V(reverted) drops all of the node's staged changes, not applied (PVE's C(DELETE /nodes/{node}/network),
        which removes C(interfaces.new)); it takes only O(node). Nothing staged is no change; in check mode and
        in the diff, RV(changes) shows what is (would be) dropped.
    type: str
    choices: [present, absent, reverted]
    default: present
  type:
    description:
      - The interface's type. Required to create one; a physical interface (V(eth)) can only be changed.
      - The type of an existing interface cannot be changed.
    type: str
    choices: [bridge, bond, vlan, eth]
  bridge_ports:
    description:
      - A bridge's ports (interfaces of the node). An empty list leaves the bridge without ports.
    type: list
    elements: str
  bridge_vlan_aware:
    description:
      - Whether the bridge is VLAN-aware (guests' NICs on it can carry a VLAN tag).
    type: bool
  bridge_vids:
    description:
      - The VLANs a VLAN-aware bridge carries, ids and ranges separated by spaces or commas (C(2-4094),
        C(10 20 100-200)). PVE uses C(2-4094) when a VLAN-aware bridge has none.
    type: str
  bond_slaves:
    description:
      - A bond's slaves (physical interfaces or bonds of the node).
    type: list
    elements: str
  bond_mode:
    description:
      - A bond's mode.
    type: str
    choices: [balance-rr, active-backup, balance-xor, broadcast, 802.3ad, balance-tlb, balance-alb]
  bond_primary:
    description:
      - The primary slave of an V(active-backup) bond (one of O(bond_slaves)).
    type: str
  bond_hash_policy:
    description:
      - The transmit hash policy of a V(balance-xor) or V(802.3ad) bond.
    type: str
    choices: [layer2, layer2+3, layer3+4]
  vlan_id:
    description:
      - A VLAN interface's VLAN id (1 to 4094). Taken from the name when it is C(<raw device>.<id>).
    type: int
  vlan_raw_device:
    description:
      - The interface a VLAN interface tags its traffic on. Taken from the name when it is C(<raw device>.<id>).
    type: str
  cidr:
    description:
      - The IPv4 address with its prefix length (C(192.0.2.5/24)). An empty string removes it.
    type: str
  gateway:
    description:
      - The IPv4 default gateway. A node has one per address family. An empty string removes it.
    type: str
  cidr6:
    description:
      - The IPv6 address with its prefix length (C(2001:db8::5/64)). An empty string removes it.
    type: str
  gateway6:
    description:
      - The IPv6 default gateway. An empty string removes it.
    type: str
  mtu:
    description:
      - The MTU (1280 to 65520). A child's MTU (a bridge's port, a VLAN's raw device) may not be lower than its own.
    type: int
  autostart:
    description:
      - Whether the interface is started on boot (and on apply).
    type: bool
  comments:
    description:
      - The interface's comment. An empty string clears it.
    type: str
  apply:
    description:
      - Apply the node's staged network changes (PVE's C(PUT /nodes/{node}/network), a C(srvreload) task),
        when there are any. All staged changes of the node are applied, not only this interface's.
    type: bool
    default: false
  force:
    description:
      - Make a change that takes the node's management address away (see the description).
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for the apply task.
    type: int
    default: 60
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.NETWORK_INTERFACE
'''

EXAMPLES = r'''
- name: A VLAN-aware bridge on the second NIC, applied
  pve.ops.network_interface:
    node: pve1
    iface: vmbr1
    type: bridge
    bridge_ports: [eno2]
    bridge_vlan_aware: true
    autostart: true
    comments: guest trunk
    apply: true

- name: A VLAN interface for storage traffic, staged only
  pve.ops.network_interface:
    node: pve1
    type: vlan
    vlan_raw_device: eno1
    vlan_id: 20
    cidr: 10.20.0.11/24

- name: Drop the node's staged network changes
  pve.ops.network_interface:
    node: pve1
    state: reverted

- name: Jumbo frames on a NIC
  pve.ops.network_interface:
    node: pve1
    iface: eno2
    mtu: 9000
    apply: true
'''

RETURN = r'''
interface:
  description: The interface after the run (predicted in check mode); null when absent, and with O(state=reverted).
  returned: always
  type: dict
  contains:
    iface:
      description: Its name.
      type: str
    type:
      description: Its type (V(bridge), V(bond), V(vlan), V(eth), ...).
      type: str
    active:
      description: Whether the node runs it now.
      type: bool
    cidr:
      description: Its IPv4 address with prefix length, or null.
      type: str
    gateway:
      description: Its IPv4 gateway, or null.
      type: str
    bridge_ports:
      description: A bridge's ports.
      type: list
      elements: str
  sample: {iface: vmbr1, type: bridge, active: true, bridge_ports: [eno2], bridge_vlan_aware: true,
           bridge_vids: 2-4094, cidr: null, gateway: null, cidr6: null, gateway6: null, mtu: null,
           autostart: true, comments: guest trunk}
pending:
  description: Whether the node has staged network changes that are not applied (after the run).
  returned: always
  type: bool
applied:
  description: Whether the run applied the node's staged changes.
  returned: always
  type: bool
changes:
  description:
    - The staged changes as a diff of C(/etc/network/interfaces) (empty when nothing is pending).
    - With O(state=reverted), the changes that were (in check mode, would be) dropped.
  returned: always
  type: str
reverted:
  description: Whether the run dropped the node's staged changes.
  returned: with O(state=reverted)
  type: bool
diff:
  description:
    - The interface before and after.
    - With O(state=reverted), C(pending) and C(changes) (the staged diff) before and after.
  returned: always
  type: dict
tasks:
  description: The UPIDs of the tasks waited on (the apply).
  returned: when a task ran
  type: list
  elements: str
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.network.interfaces import ensure_network_interface


def argument_spec():
    return dict(
        node=dict(type='str', required=True),
        iface=dict(type='str', aliases=['name']),
        state=dict(type='str', choices=['present', 'absent', 'reverted'], default='present'),
        type=dict(type='str', choices=['bridge', 'bond', 'vlan', 'eth']),
        bridge_ports=dict(type='list', elements='str'),
        bridge_vlan_aware=dict(type='bool'),
        bridge_vids=dict(type='str'),
        bond_slaves=dict(type='list', elements='str'),
        bond_mode=dict(type='str', choices=['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad',
                                            'balance-tlb', 'balance-alb']),
        bond_primary=dict(type='str'),
        bond_hash_policy=dict(type='str', choices=['layer2', 'layer2+3', 'layer3+4']),
        vlan_id=dict(type='int'),
        vlan_raw_device=dict(type='str'),
        cidr=dict(type='str'),
        gateway=dict(type='str'),
        cidr6=dict(type='str'),
        gateway6=dict(type='str'),
        mtu=dict(type='int'),
        autostart=dict(type='bool'),
        comments=dict(type='str'),
        apply=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
        timeout=dict(type='int', default=60),
    )


IFACE = limits.Limit(min_length=2, max_length=20, format='pve-iface', schema=('POST', '/nodes/{node}/network', 'iface'))
LIMITS = {
    'node': limits.NODE,
    'iface': IFACE,
    'bridge_ports': IFACE,
    'bond_slaves': IFACE,
    'bond_primary': IFACE,
    'vlan_raw_device': IFACE,
    'vlan_id': limits.Limit(minimum=1, maximum=4094, schema=('POST', '/nodes/{node}/network', 'vlan-id')),
    'mtu': limits.Limit(minimum=1280, maximum=65520, schema=('POST', '/nodes/{node}/network', 'mtu')),
    'bridge_vids': limits.Limit(pattern=r'[0-9]+(?:-[0-9]+)?(?:[ ,;]+[0-9]+(?:-[0-9]+)?)*',
                                expected='VLAN ids and ranges separated by spaces or commas (2-4094, 10 20 30-40)',
                                schema=('POST', '/nodes/{node}/network', 'bridge_vids'),
                                source='pve-common: the pve-vlan-id-or-range-list format'),
    'timeout': limits.TIMEOUT,
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_network_interface(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
