#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: firewall_ipset
short_description: Manage Proxmox VE firewall IP sets of the cluster or a guest
version_added: 0.1.0
description:
  - Creates, changes and removes a firewall IP set, a named list of addresses, networks and aliases, of the
    cluster (C(/cluster/firewall/ipset)) or of a VM's or container's firewall.
  - Rules and security groups refer to an IP set as C(+name) (C(+dc/name), C(+guest/name)).
  - "With O(entries) the set holds exactly those entries; without it they are left alone. PVE keeps a network
    without its host bits and a single address without C(/32) or C(/128): the module compares them so."
  - O(state=absent) removes the set with its entries.
author:
  - pve.ops developers (@pve-ops)
options:
  ipset:
    description:
      - The IP set's name (a letter, then letters, digits, C(-) and C(_); up to 64 characters).
    type: str
    required: true
  state:
    description:
      - V(present) creates or changes the set, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  comment:
    description:
      - The set's comment. Not given leaves it alone; an empty string clears it.
    type: str
  entries:
    description:
      - The set's entries, exactly. Not given leaves them alone; an empty list empties the set.
    type: list
    elements: dict
    suboptions:
      cidr:
        description:
          - An address, a network, or the name of an alias (C(office), C(dc/office), C(guest/db)).
        type: str
        required: true
      nomatch:
        description:
          - Exclude this entry from the set (PVE's C(nomatch)).
        type: bool
        default: false
      comment:
        description:
          - The entry's comment.
        type: str
  level:
    description:
      - Whose firewall, V(cluster) or a guest's (V(vm), V(container)).
    type: str
    choices: [cluster, vm, container]
    default: cluster
  vmid:
    description:
      - The guest's vmid (for O(level=vm) or V(container)).
    type: int
  guest:
    description:
      - The guest's name, instead of O(vmid).
    type: str
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.FIREWALL_IPSET
'''

EXAMPLES = r'''
- name: The monitoring hosts
  pve.ops.firewall_ipset:
    ipset: monitoring
    comment: scrapers
    entries:
      - cidr: 192.0.2.20
      - cidr: 198.51.100.0/28
      - cidr: 198.51.100.7
        nomatch: true

- name: Remove an IP set of a container with its entries
  pve.ops.firewall_ipset:
    ipset: old-scrapers
    level: container
    vmid: 200
    state: absent
'''

RETURN = r'''
ipset:
  description: The IP set after the run (predicted in check mode); null when absent.
  returned: always
  type: dict
  contains:
    ipset:
      description: Its name.
      type: str
    comment:
      description: Its comment (empty when none).
      type: str
    entries:
      description: Its entries sorted by C(cidr), each with C(cidr), C(nomatch) and C(comment).
      type: list
      elements: dict
  sample: {ipset: monitoring, comment: scrapers, entries: [{cidr: 192.0.2.20, nomatch: false, comment: ''}]}
level:
  description: Whose firewall (V(cluster), V(vm) or V(container)).
  returned: always
  type: str
node:
  description: The guest's node (guest levels).
  returned: when a guest's
  type: str
vmid:
  description: The guest's vmid (guest levels).
  returned: when a guest's
  type: int
diff:
  description: The IP set before and after.
  returned: always
  type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.firewall.aliases import ensure_ipset, name_limit, target_options
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        ipset=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        comment=dict(type='str'),
        entries=dict(type='list', elements='dict', options=dict(
            cidr=dict(type='str', required=True),
            nomatch=dict(type='bool', default=False),
            comment=dict(type='str'),
        )),
        **target_options()
    )


LIMITS = {
    'ipset': name_limit('/cluster/firewall/ipset'),
    'vmid': limits.VMID,
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS, mutually_exclusive=[('vmid', 'guest')])


def run(pve):
    return ensure_ipset(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
