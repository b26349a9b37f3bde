#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ha_info
short_description: Read Proxmox VE high availability resources and status
version_added: 0.1.0
description:
  - Reads the HA resources (C(GET /cluster/ha/resources)), the HA status (C(GET /cluster/ha/status/current)) and
    the HA manager's full status (C(GET /cluster/ha/status/manager_status)) and the HA rules
    (C(GET /cluster/ha/rules)); one request per subset of O(gather).
author:
  - pve.ops developers (@pve-ops)
options:
  gather:
    description:
      - The subsets to read.
    type: list
    elements: str
    choices: [resources, status, manager, rules]
    default: [resources, status]
  resource_type:
    description:
      - Only HA resources of this type (V(vm) or V(ct)).
    type: str
    choices: [vm, ct]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.HA_INFO
'''

EXAMPLES = r'''
- name: HA resources and status
  pve.ops.ha_info:
  register: ha

- name: The manager's view too
  pve.ops.ha_info:
    gather: [status, manager]
'''

RETURN = r'''
resources:
  description: The HA resources, PVE's defaults filled in, sorted by type and vmid.
  returned: when O(gather) has V(resources)
  type: list
  elements: dict
  sample: [{sid: vm:100, type: vm, vmid: 100, state: started, max_restart: 1, max_relocate: 1, comment: ''}]
status:
  description: PVE's status entries (quorum, master, lrm per node, service per resource).
  returned: when O(gather) has V(status)
  type: list
  elements: dict
  sample: [{id: quorum, type: quorum, node: pve1, status: OK, quorate: true}]
quorate:
  description: Whether the cluster is quorate, from the status.
  returned: when O(gather) has V(status)
  type: bool
  sample: true
master_node:
  description: The node of the active HA manager (CRM master), from the status.
  returned: when O(gather) has V(status)
  type: str
  sample: pve1
manager:
  description: The HA manager's full status (manager_status, lrm_status, quorum).
  returned: when O(gather) has V(manager)
  type: dict
  sample: {manager_status: {master_node: pve1, service_status: {}}}
rules:
  description: The HA rules, as M(pve.ops.ha_rule) returns one.
  returned: when O(gather) has V(rules)
  type: list
  elements: dict
  sample: [{name: web-on-pve1, type: node-affinity, resources: ['vm:100'], nodes: ['pve1:2', pve2], strict: false,
            enabled: true, comment: ''}]
'''

from ansible_collections.pve.ops.plugins.module_utils.cluster.ha import HA_INFO_GATHER, ha_facts
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        gather=dict(type='list', elements='str', choices=list(HA_INFO_GATHER), default=['resources', 'status']),
        resource_type=dict(type='str', choices=['vm', 'ct']),
    )


LIMITS = {}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ha_facts(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
