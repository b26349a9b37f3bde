#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: sdn_subnet
short_description: Manage Proxmox VE SDN subnets
version_added: 0.1.0
description:
  - Creates, changes and removes a subnet of an SDN vnet (C(/cluster/sdn/vnets/{vnet}/subnets)); PVE names it
    C(<zone>-<network>-<prefix length>).
  - PVE writes the subnet to its pending SDN configuration; M(pve.ops.sdn_apply) applies it to the nodes.
    RV(pending) says whether applying would change this subnet. With the zone's IPAM (C(pve)), PVE registers
    the gateway there.
  - Checked before anything is sent, as PVE checks it (the vnet exists and is not VLAN-aware, O(gateway) is in
    the subnet (any address of an IPv4 /32), each O(dhcp_range) item is in it with its start not after its end,
    and the items do not overlap).
  - An option not given is left as it is; an empty O(gateway) or O(dhcp_range) clears it.
author:
  - pve.ops developers (@pve-ops)
options:
  vnet:
    description:
      - The vnet the subnet is on.
    type: str
    required: true
  subnet:
    description:
      - The subnet's CIDR (C(10.20.0.0/24)); an address with host bits names its network.
    type: str
    required: true
  state:
    description:
      - V(present) creates or changes the subnet, V(absent) removes it (PVE refuses while its IPAM holds
        addresses other than the gateway).
    type: str
    choices: [present, absent]
    default: present
  gateway:
    description:
      - The subnet's gateway address.
    type: str
  snat:
    description:
      - Whether PVE source-NATs the subnet's traffic leaving the node (C(simple) and C(evpn) zones).
    type: bool
  dhcp_range:
    description:
      - The address ranges the zone's DHCP server hands out (zones with O(pve.ops.sdn_zone#module:dhcp)).
    type: list
    elements: dict
    suboptions:
      start:
        description:
          - The first address of the range.
        type: str
        required: true
      end:
        description:
          - The last address of the range.
        type: str
        required: true
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.SDN_SUBNET
'''

EXAMPLES = r'''
- name: The subnet of the vnet web, with its gateway and a DHCP range
  pve.ops.sdn_subnet:
    vnet: web
    subnet: 10.20.0.0/24
    gateway: 10.20.0.1
    snat: true
    dhcp_range:
      - start: 10.20.0.100
        end: 10.20.0.199
'''

RETURN = r'''
subnet:
  description: The subnet's configuration after the run (predicted in check mode); null when absent.
  returned: always
  type: dict
  contains:
    vnet:
      description: Its vnet.
      type: str
    subnet:
      description: Its CIDR.
      type: str
    gateway:
      description: Its gateway (null when none).
      type: str
    snat:
      description: Whether PVE source-NATs it.
      type: bool
    dhcp_range:
      description: Its DHCP ranges (C(start), C(end)), sorted.
      type: list
      elements: dict
  sample: {vnet: web, subnet: 10.20.0.0/24, gateway: 10.20.0.1, snat: true,
           dhcp_range: [{start: 10.20.0.100, end: 10.20.0.199}]}
pending:
  description: Whether the subnet's configuration differs from the running one (applying would change it).
  returned: always
  type: bool
diff:
  description: The subnet's configuration before and after.
  returned: always
  type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.network.sdn import ensure_sdn_subnet


def argument_spec():
    return dict(
        vnet=dict(type='str', required=True),
        subnet=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        gateway=dict(type='str'),
        snat=dict(type='bool'),
        dhcp_range=dict(type='list', elements='dict', options=dict(
            start=dict(type='str', required=True),
            end=dict(type='str', required=True),
        )),
    )


LIMITS = {
    'vnet': limits.Limit(min_length=2, max_length=8, pattern=r'[a-zA-Z][a-zA-Z0-9]*[a-zA-Z0-9]',
                         schema=('POST', '/cluster/sdn/vnets', 'vnet')),
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_sdn_subnet(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
