#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: firewall_info
short_description: Read Proxmox VE firewall rules, options, security groups, aliases and IP sets
version_added: 0.1.0
description:
  - Reads the firewall of the cluster, a node, a VM, a container or a security group (O(level)), and the
    cluster's security groups.
  - Rules are returned with the option names of M(pve.ops.firewall_rule) (O(pve.ops.firewall_rule#module:icmp_type),
    O(pve.ops.firewall_rule#module:enable) as a boolean) and their position.
author:
  - pve.ops developers (@pve-ops)
options:
  gather:
    description:
      - What to read. V(rules) and V(options) of the level (a security group has no options), V(groups) the
        cluster's security groups with their rules, V(aliases) and V(ipsets) of the cluster or guest (nodes
        have none).
    type: list
    elements: str
    choices: [rules, options, groups, aliases, ipsets]
    default: [rules, options]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.firewall
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.FIREWALL_INFO
'''

EXAMPLES = r'''
- name: The cluster's rules and options
  pve.ops.firewall_info:
  register: fw

- name: The firewall of web01
  pve.ops.firewall_info:
    level: vm
    name: web01
    gather: [rules, options, ipsets]

- name: The security groups
  pve.ops.firewall_info:
    gather: [groups]
'''

RETURN = r'''
firewall:
  description: The firewall of the level.
  returned: always
  type: dict
  contains:
    level:
      description: The level read.
      type: str
    node:
      description: The node (levels node, vm, container).
      type: str
    vmid:
      description: The guest (levels vm, container).
      type: int
    group:
      description: The security group (level group).
      type: str
    rules:
      description: The rules in order, each with its position C(pos).
      type: list
      elements: dict
    options:
      description: The firewall options set at the level (C(enable), C(policy_in), C(policy_out), ...).
      type: dict
    aliases:
      description: The aliases (C(name), C(cidr), C(comment)).
      type: list
      elements: dict
    ipsets:
      description: The IP sets (C(name), C(comment), C(entries) with C(cidr), C(nomatch), C(comment)).
      type: list
      elements: dict
  sample: {level: cluster, rules: [{pos: 0, type: in, action: ACCEPT, macro: SSH, enable: true}],
           options: {enable: 1, policy_in: DROP}}
groups:
  description: The security groups (C(name), C(comment), C(rules)), with O(gather) V(groups).
  returned: with gather groups
  type: list
  elements: dict
  sample: [{name: webserver, comment: web, rules: [{pos: 0, type: in, action: ACCEPT, macro: HTTP, enable: true}]}]
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.firewall.info import firewall_info
from ansible_collections.pve.ops.plugins.module_utils.firewall.rules import GATHER, target_options
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    spec = target_options()
    spec['gather'] = dict(type='list', elements='str', choices=list(GATHER), default=['rules', 'options'])
    return spec


LIMITS = {'vmid': limits.VMID, 'node': limits.NODE}

MODULE_KWARGS = dict(supports_check_mode=True, mutually_exclusive=[('vmid', 'name')], limits=LIMITS)


def run(pve):
    return firewall_info(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
