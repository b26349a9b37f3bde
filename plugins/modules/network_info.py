#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: network_info
short_description: Read a Proxmox VE node's network interfaces, pending changes and VLAN setup
version_added: 0.1.0
description:
  - Reads a node's network configuration (C(GET /nodes/{node}/network)) as M(pve.ops.network_interface) shows
    an interface, with the changes PVE has staged and not applied (RV(pending), RV(changes)).
  - "PVE lists the staged configuration: an interface made and not applied is listed, with C(active: false)."
  - With O(gather=vlans), also the node's VLAN interfaces and VLAN-aware bridges, and the cluster's SDN zones of
    type C(vlan) with their vnets (C(GET /cluster/sdn/zones), C(/cluster/sdn/vnets); PVE lists those the
    credentials may audit).
author:
  - pve.ops developers (@pve-ops)
options:
  node:
    description:
      - The node.
    type: str
    required: true
  gather:
    description:
      - What to read besides the pending changes.
    type: list
    elements: str
    choices: [interfaces, vlans]
    default: [interfaces]
  type:
    description:
      - Only interfaces of this type (in RV(interfaces)).
    type: str
    choices: [bridge, bond, vlan, eth]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.NETWORK_INFO
'''

EXAMPLES = r'''
- name: A node's bridges
  pve.ops.network_info:
    node: pve1
    type: bridge
  register: bridges

- name: Its VLAN setup
  pve.ops.network_info:
    node: pve1
    gather: [vlans]
'''

RETURN = r'''
node:
  description: The node.
  returned: always
  type: str
pending:
  description: Whether the node has staged network changes that are not applied.
  returned: always
  type: bool
changes:
  description: The staged changes as a diff of C(/etc/network/interfaces) (empty when nothing is pending).
  returned: always
  type: str
interfaces:
  description: The interfaces (as M(pve.ops.network_interface) returns one), sorted by name.
  returned: with O(gather=interfaces)
  type: list
  elements: dict
  sample: [{iface: vmbr0, type: bridge, active: true, bridge_ports: [eno1], cidr: 192.0.2.11/24}]
vlans:
  description: The VLAN setup.
  returned: with O(gather=vlans)
  type: dict
  contains:
    interfaces:
      description: The node's VLAN interfaces.
      type: list
      elements: dict
    vlan_aware_bridges:
      description: The node's VLAN-aware bridges.
      type: list
      elements: dict
    sdn_zones:
      description: The cluster's SDN zones of type C(vlan) (C(zone), C(bridge), C(mtu), C(nodes), ...).
      type: list
      elements: dict
    sdn_vnets:
      description: The vnets of those zones (C(vnet), C(zone), C(tag), C(alias), C(vlanaware)).
      type: list
      elements: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.network.info import network_info


def argument_spec():
    return dict(
        node=dict(type='str', required=True),
        gather=dict(type='list', elements='str', choices=['interfaces', 'vlans'], default=['interfaces']),
        type=dict(type='str', choices=['bridge', 'bond', 'vlan', 'eth']),
    )


LIMITS = {'node': limits.NODE}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return network_info(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
