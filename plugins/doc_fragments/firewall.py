# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Where a firewall setting lives (module_utils/firewall.py target_options), shared by firewall_rule and
    # firewall_info.
    DOCUMENTATION = r'''
options:
  level:
    description:
      - Whose firewall. V(cluster) is the datacenter firewall, V(node) a node's host firewall (needs O(node)),
        V(vm) and V(container) a guest's firewall (needs O(vmid) or O(name)), V(group) the rules of a cluster
        security group (needs O(group)).
    type: str
    choices: [cluster, node, vm, container, group]
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
  group:
    description:
      - The security group, with O(level=group).
    type: str
'''
