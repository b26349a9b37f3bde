#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: sdn_zone
short_description: Manage Proxmox VE SDN zones
version_added: 0.1.0
description:
  - Creates, changes and removes an SDN zone (C(/cluster/sdn/zones)) of type C(simple), C(vlan), C(qinq),
    C(vxlan) or C(evpn).
  - PVE writes the zone to its pending SDN configuration; M(pve.ops.sdn_apply) applies it to the nodes.
    RV(pending) says whether applying would change this zone.
  - PVE checks the options against the zone's type (a C(vlan) or C(qinq) zone needs O(bridge), a C(qinq) zone
    O(tag), a C(vxlan) zone O(peers), an C(evpn) zone O(controller) and O(vrf_vxlan)) and refuses an option of
    another type.
  - An option not given is left as it is; an empty list clears O(peers) or O(nodes).
author:
  - pve.ops developers (@pve-ops)
options:
  zone:
    description:
      - The zone's id (a letter, then letters and digits; 2 to 8 characters).
    type: str
    required: true
  state:
    description:
      - V(present) creates or changes the zone, V(absent) removes it (PVE refuses while a vnet uses it).
    type: str
    choices: [present, absent]
    default: present
  type:
    description:
      - The zone's type. Required to create it; a zone's type cannot change.
    type: str
    choices: [simple, vlan, qinq, vxlan, evpn]
  bridge:
    description:
      - The node bridge the zone's VLANs are on (C(vlan) and C(qinq) zones). It must exist on the nodes, or the
        zone's status there is C(error) once applied.
    type: str
  tag:
    description:
      - The service VLAN tag (C(qinq) zones).
    type: int
  vlan_protocol:
    description:
      - The service VLAN protocol (C(qinq) zones).
    type: str
    choices: [802.1q, 802.1ad]
  peers:
    description:
      - The addresses of the VXLAN peers (C(vxlan) zones).
    type: list
    elements: str
  mtu:
    description:
      - The MTU of the zone's vnets.
    type: int
  nodes:
    description:
      - The nodes the zone is on (empty list, all nodes).
    type: list
    elements: str
  ipam:
    description:
      - The IPAM of the zone's subnets (C(pve), PVE's built-in one).
    type: str
  dhcp:
    description:
      - The DHCP server of the zone's subnets (C(simple) zones).
    type: str
    choices: [dnsmasq]
  controller:
    description:
      - The EVPN controller (C(evpn) zones).
    type: str
  vrf_vxlan:
    description:
      - The VXLAN id of the zone's VRF (C(evpn) zones).
    type: int
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.SDN_ZONE
'''

EXAMPLES = r'''
- name: A VLAN zone on the VLAN-aware bridge vmbr1
  pve.ops.sdn_zone:
    zone: lab
    type: vlan
    bridge: vmbr1
    ipam: pve

- name: A VXLAN zone between two nodes (apply it with pve.ops.sdn_apply)
  pve.ops.sdn_zone:
    zone: overlay
    type: vxlan
    peers: [192.0.2.11, 192.0.2.12]
    mtu: 1450
'''

RETURN = r'''
zone:
  description: The zone's configuration after the run (predicted in check mode); null when absent.
  returned: always
  type: dict
  contains:
    zone:
      description: Its id.
      type: str
    type:
      description: Its type.
      type: str
  sample: {zone: lab, type: vlan, bridge: vmbr1, tag: null, vlan_protocol: null, peers: [], mtu: null, nodes: [],
           ipam: pve, dhcp: null, controller: null, vrf_vxlan: null}
pending:
  description: Whether the zone's configuration differs from the running one (applying would change it).
  returned: always
  type: bool
diff:
  description: The zone's configuration before and after.
  returned: always
  type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.network.sdn import ensure_sdn_zone


def argument_spec():
    return dict(
        zone=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        type=dict(type='str', choices=['simple', 'vlan', 'qinq', 'vxlan', 'evpn']),
        bridge=dict(type='str'),
        tag=dict(type='int'),
        vlan_protocol=dict(type='str', choices=['802.1q', '802.1ad']),
        peers=dict(type='list', elements='str'),
        mtu=dict(type='int'),
        nodes=dict(type='list', elements='str'),
        ipam=dict(type='str'),
        dhcp=dict(type='str', choices=['dnsmasq']),
        controller=dict(type='str'),
        vrf_vxlan=dict(type='int'),
    )


LIMITS = {
    'zone': limits.SDN_ZONE,
    'tag': limits.Limit(minimum=0, schema=('POST', '/cluster/sdn/zones', 'tag')),
    'vrf_vxlan': limits.Limit(minimum=1, maximum=16777215, schema=('POST', '/cluster/sdn/zones', 'vrf-vxlan')),
    'nodes': limits.NODE,
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_sdn_zone(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
