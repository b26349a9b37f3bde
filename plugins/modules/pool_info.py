#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: pool_info
short_description: List Proxmox VE resource pools, or read one with its members
version_added: 0.1.0
description:
  - Without O(poolid), lists the pools the credentials may see (C(GET /pools), one request; no members).
  - With O(poolid), reads that pool with its members (C(GET /pools?poolid=)), guests and storages with their
    type, node and status.
author:
  - pve.ops developers (@pve-ops)
options:
  poolid:
    description:
      - Only this pool, with its members.
    type: str
    aliases: [name]
  type:
    description:
      - Only members of this type (with O(poolid)).
    type: str
    choices: [qemu, lxc, storage]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.POOL_INFO
'''

EXAMPLES = r'''
- name: Every pool
  pve.ops.pool_info:
  register: pools

- name: The guests of one pool
  pve.ops.pool_info:
    poolid: demo
  register: demo

- name: Its VMs only
  pve.ops.pool_info:
    poolid: demo
    type: qemu
'''

RETURN = r'''
pools:
  description: The pools, sorted by id (id and comment); with O(poolid), that pool with its members, or empty.
  returned: always
  type: list
  elements: dict
  sample: [{poolid: demo, comment: Demo workloads}]
pool:
  description: With O(poolid), the pool with its members; null when there is no such pool or none was asked.
  returned: always
  type: dict
  contains:
    poolid:
      description: The pool id.
      type: str
    comment:
      description: The comment.
      type: str
    members:
      description:
        - The members, guests by vmid then storages, as PVE lists them; guests have C(vmid), C(name),
          C(type) (qemu or lxc), C(node) and C(status); storages have C(storage), C(node), C(status) and
          C(plugintype) (PVE may list a storage once per node).
      type: list
      elements: dict
    vms:
      description: The vmids of the guest members, sorted.
      type: list
      elements: int
    storage:
      description: The storage ids of the storage members, sorted.
      type: list
      elements: str
  sample:
    poolid: demo
    comment: Demo workloads
    members: [{id: qemu/100, type: qemu, vmid: 100, name: web01, node: pve1, status: running}]
    vms: [100]
    storage: []
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.cluster.pools import pool_facts
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        poolid=dict(type='str', aliases=['name']),
        type=dict(type='str', choices=['qemu', 'lxc', 'storage']),
    )


LIMITS = {'poolid': limits.POOL_ID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return pool_facts(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
