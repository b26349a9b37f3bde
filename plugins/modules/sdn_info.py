#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: sdn_info
short_description: Read the Proxmox VE SDN configuration, its pending changes, the IPAM and the status per node
version_added: 0.1.0
description:
  - Reads the cluster's SDN zones, vnets and subnets as configured (written, applied or not; C(GET
    /cluster/sdn/zones), C(/cluster/sdn/vnets), C(/cluster/sdn/vnets/{vnet}/subnets) with C(pending=1)), each
    with the state of its pending change, and what applying the configuration would change (RV(pending), as
    M(pve.ops.sdn_apply) shows it in check mode).
  - With O(gather=ipam), the entries of the PVE IPAM (C(GET /cluster/sdn/ipams/pve/status)); with
    O(gather=status), each online node's zones and their vnets with their status there (C(GET
    /nodes/{node}/sdn/zones), C(.../zones/{zone}/content)).
  - PVE lists only the SDN objects the credentials may audit; the module fails (it never reports "none") when
    they lack C(SDN.Audit) or C(SDN.Allocate) on C(/sdn/zones) (on C(/sdn/zones/{zone}) with O(zone)); with
    O(gather=status), C(SDN.Audit) itself (what PVE lists a node's zones by).
author:
  - pve.ops developers (@pve-ops)
options:
  gather:
    description:
      - The subsets to read.
    type: list
    elements: str
    choices: [zones, vnets, subnets, pending, ipam, status]
    default: [zones, vnets, subnets]
  zone:
    description:
      - Only this zone, its vnets, their subnets, its IPAM entries and its status.
    type: str
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.SDN_INFO
'''

EXAMPLES = r'''
- name: The SDN configuration
  pve.ops.sdn_info:
  register: sdn

- name: What applying it would change, and the status of zone lab on each node
  pve.ops.sdn_info:
    zone: lab
    gather: [pending, status]
'''

RETURN = r'''
zones:
  description:
    - The configured zones (PVE's keys, C(zone) and C(type) and the type's options), sorted by name. C(pending)
      is the state of the zone's change not yet applied (V(new) or V(changed)), null when it runs as configured.
  returned: when O(gather) has V(zones)
  type: list
  elements: dict
  sample: [{zone: lab, type: vlan, bridge: vmbr0, pending: new}]
vnets:
  description: The configured vnets (C(vnet), C(zone), C(tag), C(alias), C(vlanaware), C(pending)), sorted by name.
  returned: when O(gather) has V(vnets)
  type: list
  elements: dict
  sample: [{vnet: web, type: vnet, zone: lab, tag: 20, pending: null}]
subnets:
  description:
    - The configured subnets of those vnets (C(subnet), the id C(<zone>-<network>-<prefix>); C(cidr), C(vnet),
      C(gateway), C(snat), C(dhcp-range), C(pending)).
  returned: when O(gather) has V(subnets)
  type: list
  elements: dict
  sample: [{subnet: lab-10.20.0.0-24, cidr: 10.20.0.0/24, vnet: web, gateway: 10.20.0.1, pending: new}]
pending:
  description:
    - What applying the configuration would change, by kind (C(zones), C(vnets), C(subnets)) and id, each with
      its C(state) (V(new), V(changed), V(deleted)), C(before) (the running values; null when new) and C(after)
      (the configured values; null when deleted). Empty when nothing is pending.
  returned: when O(gather) has V(pending)
  type: dict
  sample: {zones: {lab: {state: changed, before: {type: vlan, bridge: vmbr0, mtu: 1500},
                          after: {type: vlan, bridge: vmbr0, mtu: 9000}}}}
ipam:
  description: The PVE IPAM's entries (C(zone), C(vnet), C(subnet), C(ip), and C(mac), C(hostname), C(vmid) or C(gateway)).
  returned: when O(gather) has V(ipam)
  type: list
  elements: dict
  sample: [{zone: lab, vnet: web, subnet: 10.20.0.0/24, ip: 10.20.0.100, mac: 'BC:24:11:00:00:01', vmid: 100}]
status:
  description:
    - Per node (sorted), C(online) and, for an online node, its running zones with their C(status) (V(available),
      V(pending) until the node reloaded the applied configuration, V(error)) and their C(vnets) with C(status)
      and C(statusmsg).
  returned: when O(gather) has V(status)
  type: list
  elements: dict
  sample: [{node: pve1, online: true, zones: [{zone: lab, status: available,
                                               vnets: [{vnet: web, status: available, statusmsg: null}]}]}]
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.network.sdn_info import GATHER, sdn_info


def argument_spec():
    return dict(
        gather=dict(type='list', elements='str', choices=list(GATHER), default=['zones', 'vnets', 'subnets']),
        zone=dict(type='str'),
    )


LIMITS = {'zone': limits.SDN_ZONE}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return sdn_info(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
