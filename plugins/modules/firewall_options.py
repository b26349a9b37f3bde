#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: firewall_options
short_description: Set Proxmox VE firewall options (enable, default policies) of a level
version_added: 0.1.0
description:
  - Sets the firewall options of the cluster, a node, a VM or a container; only the options given are
    changed, the others are left as they are.
  - The cluster's O(enable) switches the whole firewall on or off; a guest's or node's O(enable) its own
    rules (they apply only while the cluster firewall is enabled).
author:
  - pve.ops developers (@pve-ops)
options:
  level:
    description:
      - Whose firewall. V(cluster) is the datacenter firewall, V(node) a node's host firewall (needs O(node)),
        V(vm) and V(container) a guest's firewall (needs O(vmid) or O(name)).
    type: str
    choices: [cluster, node, vm, container]
    default: cluster
  node:
    description:
      - The node, with O(level=node). For a guest the node is found from the cluster's resources.
    type: str
  vmid:
    description:
      - The guest's ID, with O(level=vm) or O(level=container).
    type: int
  name:
    description:
      - The guest's name (unique in the cluster), when O(vmid) is not given.
    type: str
  enable:
    description:
      - Enable the firewall at this level.
    type: bool
  policy_in:
    description:
      - The default policy for incoming traffic (cluster, VM, container).
    type: str
    choices: [ACCEPT, REJECT, DROP]
  policy_out:
    description:
      - The default policy for outgoing traffic (cluster, VM, container).
    type: str
    choices: [ACCEPT, REJECT, DROP]
  options:
    description:
      - Other options of the level, by their API names (for example C(log_level_in), C(macfilter),
        C(ipfilter), C(policy_forward), C(nf_conntrack_max)). Booleans may be given as V(true)/V(false).
    type: dict
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.FIREWALL_OPTIONS
'''

EXAMPLES = r'''
- name: Enable the cluster firewall, dropping what no rule accepts
  pve.ops.firewall_options:
    enable: true
    policy_in: DROP
    policy_out: ACCEPT

- name: Enable web01's firewall with IP filtering
  pve.ops.firewall_options:
    level: vm
    name: web01
    enable: true
    options:
      ipfilter: true
'''

RETURN = r'''
options:
  description: The options set at the level after the run (predicted in check mode).
  returned: always
  type: dict
  sample: {enable: 1, policy_in: DROP, policy_out: ACCEPT}
level:
  description: The level.
  returned: always
  type: str
  sample: cluster
node:
  description: The node (levels node, vm and container).
  returned: when it applies
  type: str
  sample: pve1
vmid:
  description: The guest (levels vm and container).
  returned: when it applies
  type: int
  sample: 100
diff:
  description: The options before and after.
  returned: always
  type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.firewall.options import ensure_options
from ansible_collections.pve.ops.plugins.module_utils.firewall.rules import OPTION_LEVELS, POLICIES
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        level=dict(type='str', choices=list(OPTION_LEVELS), default='cluster'),
        node=dict(type='str'),
        vmid=dict(type='int'),
        name=dict(type='str'),
        enable=dict(type='bool'),
        policy_in=dict(type='str', choices=list(POLICIES)),
        policy_out=dict(type='str', choices=list(POLICIES)),
        options=dict(type='dict'),
    )


LIMITS = {'vmid': limits.VMID, 'node': limits.NODE}

MODULE_KWARGS = dict(supports_check_mode=True, mutually_exclusive=[('vmid', 'name')], limits=LIMITS)


def run(pve):
    return ensure_options(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
