#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: node_info
short_description: List Proxmox VE nodes, or read one node's status, version, time and DNS
version_added: 0.1.0
description:
  - Without O(node), lists the cluster's nodes with their status and usage (one API request).
  - With O(node), reads the subsets in O(gather) of that node (one API request each).
author:
  - pve.ops developers (@pve-ops)
options:
  node:
    description:
      - The node to read. Omit to list all nodes.
    type: str
  gather:
    description:
      - The subsets to read for O(node).
    type: list
    elements: str
    choices: [status, version, time, dns]
    default: [status, version, time, dns]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
'''

EXAMPLES = r'''
- name: List the nodes
  pve.ops.node_info:
  register: nodes

- name: Status and DNS of one node
  pve.ops.node_info:
    node: pve1
    gather: [status, dns]
  register: pve1
'''

RETURN = r'''
nodes:
  description: The nodes (C(GET /nodes)), sorted by name.
  returned: when O(node) is not given
  type: list
  elements: dict
  sample: [{node: pve1, status: online, cpu: 0.03, maxcpu: 16, mem: 4294967296, maxmem: 68719476736, uptime: 86400}]
node:
  description: The node O(node), with one key per gathered subset.
  returned: when O(node) is given
  type: dict
  contains:
    node:
      description: The node name.
      type: str
    status:
      description: C(GET /nodes/{node}/status) (cpu, memory, uptime, pveversion, kversion, ...).
      type: dict
    version:
      description: C(GET /nodes/{node}/version).
      type: dict
    time:
      description: C(GET /nodes/{node}/time) (timezone, localtime, time).
      type: dict
    dns:
      description: C(GET /nodes/{node}/dns) (search, dns1, dns2, dns3).
      type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.nodes import NODE_SUBSETS, list_nodes, node_facts


def argument_spec():
    return dict(
        node=dict(type='str'),
        gather=dict(type='list', elements='str', choices=list(NODE_SUBSETS), default=list(NODE_SUBSETS)),
    )


MODULE_KWARGS = dict(supports_check_mode=True)


def run(pve):
    if pve.params['node']:
        return dict(changed=False, node=node_facts(pve.client, pve.params['node'], pve.params['gather']))
    return dict(changed=False, nodes=list_nodes(pve.client))


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
