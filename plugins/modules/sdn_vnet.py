#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: sdn_vnet
short_description: Manage Proxmox VE SDN vnets
version_added: 0.1.0
description:
  - Creates, changes and removes an SDN vnet (C(/cluster/sdn/vnets)), a virtual network of an SDN zone. Once
    applied, a guest NIC uses it as its bridge (C(net0) C(bridge=<vnet>)).
  - PVE writes the vnet to its pending SDN configuration; M(pve.ops.sdn_apply) applies it to the nodes.
    RV(pending) says whether applying would change this vnet.
  - Checked before anything is sent, as PVE checks it (the zone exists; a vnet of a C(vlan), C(vxlan) or
    C(evpn) zone needs O(tag), one of a C(simple) zone takes none, a C(vlan) or C(qinq) zone's tags are at most
    4096 and unique in the zone, a VXLAN id unique among the C(vxlan) and C(evpn) zones). PVE cannot change the
    zone of a vnet with subnets, make a vnet with subnets VLAN-aware, or remove a vnet with subnets.
  - An option not given is left as it is; an empty O(alias) clears it.
author:
  - pve.ops developers (@pve-ops)
options:
  vnet:
    description:
      - The vnet's id (a letter, then letters and digits; 2 to 8 characters), the bridge name guests use.
    type: str
    required: true
  state:
    description:
      - V(present) creates or changes the vnet, V(absent) removes it (PVE refuses while it has subnets).
    type: str
    choices: [present, absent]
    default: present
  zone:
    description:
      - The SDN zone the vnet is in. Required to create it.
    type: str
  tag:
    description:
      - The VLAN tag (C(vlan) and C(qinq) zones) or the VXLAN id (C(vxlan) and C(evpn) zones).
    type: int
  alias:
    description:
      - A description of the vnet.
    type: str
  vlanaware:
    description:
      - Whether the vnet is VLAN-aware (guests tag their traffic on it). A VLAN-aware vnet has no subnets.
    type: bool
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.SDN_VNET
'''

EXAMPLES = r'''
- name: VLAN 20 of the VLAN zone lab, as the vnet web (apply it with pve.ops.sdn_apply)
  pve.ops.sdn_vnet:
    vnet: web
    zone: lab
    tag: 20
    alias: web tier

- name: Remove the vnet web (after its subnets)
  pve.ops.sdn_vnet:
    vnet: web
    state: absent
'''

RETURN = r'''
vnet:
  description: The vnet's configuration after the run (predicted in check mode); null when absent.
  returned: always
  type: dict
  contains:
    vnet:
      description: Its id.
      type: str
    zone:
      description: Its zone.
      type: str
    tag:
      description: Its tag (null when none).
      type: int
    alias:
      description: Its alias (null when none).
      type: str
    vlanaware:
      description: Whether it is VLAN-aware.
      type: bool
  sample: {vnet: web, zone: lab, tag: 20, alias: web tier, vlanaware: false}
pending:
  description: Whether the vnet's configuration differs from the running one (applying would change it).
  returned: always
  type: bool
diff:
  description: The vnet's configuration before and after.
  returned: always
  type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.network.sdn import ensure_sdn_vnet


def argument_spec():
    return dict(
        vnet=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        zone=dict(type='str'),
        tag=dict(type='int'),
        alias=dict(type='str'),
        vlanaware=dict(type='bool'),
    )


LIMITS = {
    'vnet': limits.Limit(min_length=2, max_length=8, pattern=r'[a-zA-Z][a-zA-Z0-9]*[a-zA-Z0-9]',
                         schema=('POST', '/cluster/sdn/vnets', 'vnet')),
    'tag': limits.Limit(minimum=1, maximum=16777215, schema=('POST', '/cluster/sdn/vnets', 'tag')),
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_sdn_vnet(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
