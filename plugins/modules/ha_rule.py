#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ha_rule
short_description: Manage Proxmox VE high availability rules (node and resource affinity)
version_added: 0.1.0
description:
  - Creates, updates or removes an HA rule (C(/cluster/ha/rules), Proxmox VE 9).
  - "A V(node-affinity) rule keeps HA resources on the nodes listed (a higher priority is preferred);
    with O(strict) they run nowhere else. A V(resource-affinity) rule keeps HA resources together
    (V(positive)) or apart (V(negative))."
  - The resources must be HA resources already (M(pve.ops.ha_resource)); PVE refuses others.
  - Options left out are left alone on an existing rule. The type of a rule cannot change.
  - HA groups, which PVE 9 deprecates in favour of these rules, are not managed.
author:
  - pve.ops developers (@pve-ops)
options:
  name:
    description:
      - The rule's ID.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the rule, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  type:
    description:
      - The kind of rule; required with O(state=present).
    type: str
    choices: [node-affinity, resource-affinity]
  resources:
    description:
      - The HA resources the rule applies to, V(vm:<vmid>), V(ct:<vmid>) or a bare vmid; required to create.
    type: list
    elements: str
  nodes:
    description:
      - For V(node-affinity), the nodes, each V(node) or V(node:priority); required to create.
    type: list
    elements: str
  strict:
    description:
      - For V(node-affinity), whether the resources may run only on O(nodes).
    type: bool
  affinity:
    description:
      - For V(resource-affinity), V(positive) keeps the resources on one node, V(negative) on different nodes;
        required to create.
    type: str
    choices: [positive, negative]
  enabled:
    description:
      - Whether the rule is in force (PVE's C(disable), inverted).
    type: bool
  comment:
    description:
      - A comment; an empty string removes it.
    type: str
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.HA_RULE
'''

EXAMPLES = r'''
- name: Prefer pve1 for the web servers, fall back to pve2
  pve.ops.ha_rule:
    name: web-on-pve1
    type: node-affinity
    resources: [vm:100, vm:104]
    nodes: ['pve1:2', pve2]

- name: Keep the two database nodes apart
  pve.ops.ha_rule:
    name: db-apart
    type: resource-affinity
    resources: [vm:101, vm:105]
    affinity: negative

- name: Remove a rule
  pve.ops.ha_rule:
    name: db-apart
    state: absent
'''

RETURN = r'''
ha_rule:
  description: The rule after the change (predicted in check mode), PVE's defaults filled in; null when absent.
  returned: always
  type: dict
  contains:
    name:
      description: The rule's ID.
      type: str
    type:
      description: V(node-affinity) or V(resource-affinity).
      type: str
    resources:
      description: The HA resource ids, sorted.
      type: list
      elements: str
    nodes:
      description: The nodes with their priorities (node-affinity rules).
      type: list
      elements: str
    strict:
      description: Whether the resources run only on the nodes (node-affinity rules).
      type: bool
    affinity:
      description: V(positive) or V(negative) (resource-affinity rules).
      type: str
    enabled:
      description: Whether the rule is in force.
      type: bool
    comment:
      description: The comment.
      type: str
  sample: {name: web-on-pve1, type: node-affinity, resources: ['vm:100'], nodes: ['pve1:2', pve2], strict: false,
           enabled: true, comment: ''}
diff:
  description:
    - The rule before and after, as C(before) and C(after), for C(--diff).
  returned: always
  type: dict
  contains:
    before:
      description: The state before the task.
      type: dict
    after:
      description: The state after the task (in check mode, as it would be).
      type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.cluster.ha import RULE_TYPES, ensure_ha_rule
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        type=dict(type='str', choices=list(RULE_TYPES)),
        resources=dict(type='list', elements='str'),
        nodes=dict(type='list', elements='str'),
        strict=dict(type='bool'),
        affinity=dict(type='str', choices=['positive', 'negative']),
        enabled=dict(type='bool'),
        comment=dict(type='str'),
    )


LIMITS = {
    'name': limits.Limit(format='pve-configid', schema=('POST', '/cluster/ha/rules', 'rule')),
    'comment': limits.Limit(max_length=4096, schema=('POST', '/cluster/ha/rules', 'comment')),
}

MODULE_KWARGS = dict(supports_check_mode=True, required_if=[('state', 'present', ('type',))], limits=LIMITS)


def run(pve):
    return ensure_ha_rule(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
