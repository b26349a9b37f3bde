#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: cluster_info
short_description: Read the status, resources and version of a Proxmox VE cluster
version_added: 0.1.0
description:
  - Returns the cluster's status (name, quorum, nodes), its resources (guests, storages, nodes, SDN zones)
    and the API version.
  - Makes one API request per gathered subset.
author:
  - pve.ops developers (@pve-ops)
options:
  gather:
    description:
      - The subsets to read.
    type: list
    elements: str
    choices: [status, resources, version]
    default: [status, resources, version]
  resource_type:
    description:
      - Only resources of this type.
    type: str
    choices: [vm, storage, node, sdn]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.CLUSTER_INFO
'''

EXAMPLES = r'''
- name: Read everything about the cluster
  pve.ops.cluster_info:
    api_host: pve1.example.com
    api_user: root@pam
    api_token_id: automation
    api_token_secret: "{{ vault_pve_token_secret }}"
  register: cluster

- name: Only the guests, credentials from module_defaults
  pve.ops.cluster_info:
    gather: [resources]
    resource_type: vm
  register: guests
'''

RETURN = r'''
cluster:
  description: The cluster's name, quorum and node counts (from the status).
  returned: when status is gathered
  type: dict
  contains:
    name:
      description: The cluster name; null for a single node without a cluster.
      type: str
    quorate:
      description: Whether the cluster has quorum.
      type: bool
    nodes:
      description: The number of nodes.
      type: int
    nodes_online:
      description: The number of nodes online.
      type: int
  sample: {name: prod, quorate: true, nodes: 3, nodes_online: 3}
status:
  description: The entries of C(GET /cluster/status) (one of type C(cluster), one per node).
  returned: when status is gathered
  type: list
  elements: dict
resources:
  description: The entries of C(GET /cluster/resources).
  returned: when resources are gathered
  type: list
  elements: dict
  sample: [{id: qemu/100, type: qemu, vmid: 100, name: web01, node: pve1, status: running}]
version:
  description: The API version (C(GET /version)).
  returned: when version is gathered
  type: dict
  sample: {version: 9.0.10, release: '9.0', repoid: abcdef12}
'''

from ansible_collections.pve.ops.plugins.module_utils.cluster.status import (
    CLUSTER_SUBSETS,
    RESOURCE_TYPES,
    cluster_facts,
)
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        gather=dict(type='list', elements='str', choices=list(CLUSTER_SUBSETS), default=list(CLUSTER_SUBSETS)),
        resource_type=dict(type='str', choices=list(RESOURCE_TYPES)),
    )


LIMITS = {}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return cluster_facts(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
