#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: firewall_alias
short_description: Manage Proxmox VE firewall aliases of the cluster or a guest
version_added: 0.1.0
description:
  - Creates, changes and removes a firewall alias, a name for an address or network, of the cluster
    (C(/cluster/firewall/aliases)) or of a VM's or container's firewall.
  - Rules, security groups and IP sets refer to an alias by its name (C(dc/name) for the cluster's,
    C(guest/name) for the guest's). PVE compares alias names without case.
author:
  - pve.ops developers (@pve-ops)
options:
  alias:
    description:
      - The alias's name (a letter, then letters, digits, C(-) and C(_); up to 64 characters).
    type: str
    required: true
  state:
    description:
      - V(present) creates or changes the alias, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  cidr:
    description:
      - The address or network (C(192.0.2.10), C(10.0.0.0/8), C(2001:db8::/32)). Required to create the alias.
    type: str
  comment:
    description:
      - The alias's comment. Not given leaves it alone; an empty string clears it.
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
  - pve.ops.privileges.FIREWALL_ALIAS
'''

EXAMPLES = r'''
- name: A name for the office network
  pve.ops.firewall_alias:
    alias: office
    cidr: 192.0.2.0/24
    comment: head office

- name: The same alias in a VM's firewall
  pve.ops.firewall_alias:
    alias: office
    cidr: 192.0.2.0/24
    level: vm
    vmid: 100
'''

RETURN = r'''
alias:
  description: The alias after the run (predicted in check mode); null when absent.
  returned: always
  type: dict
  contains:
    alias:
      description: Its name as PVE keeps it.
      type: str
    cidr:
      description: Its address or network.
      type: str
    comment:
      description: Its comment (empty when none).
      type: str
  sample: {alias: office, cidr: 192.0.2.0/24, comment: head office}
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
  description: The alias before and after.
  returned: always
  type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.firewall.aliases import ensure_alias, name_limit, target_options
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        alias=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        cidr=dict(type='str'),
        comment=dict(type='str'),
        **target_options()
    )


LIMITS = {
    'alias': name_limit('/cluster/firewall/aliases'),
    'vmid': limits.VMID,
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS, mutually_exclusive=[('vmid', 'guest')])


def run(pve):
    return ensure_alias(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
