#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: pool
short_description: Manage Proxmox VE resource pools and their members
version_added: 0.1.0
description:
  - Creates, updates and removes resource pools (C(/pools)) and sets their members, guests and storages.
  - Members are exact by default (the pool ends up with exactly the O(vms) and O(storage) given); with
    O(append) they are added to the current members. An option left out leaves that kind of member alone.
  - A guest is in at most one pool; one that is in another pool is moved only with O(allow_move).
  - PVE deletes empty pools only; O(force) removes the members first.
author:
  - pve.ops developers (@pve-ops)
options:
  poolid:
    description:
      - The pool id (nested pools as C(parent/child), up to three levels).
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(present) creates or updates the pool, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  comment:
    description:
      - A comment; left alone when not given.
    type: str
  vms:
    description:
      - The guests (VMs and containers) of the pool, by vmid or by name (unique in the cluster).
    type: list
    elements: str
  storage:
    description:
      - The storage ids of the pool.
    type: list
    elements: str
  append:
    description:
      - Add O(vms) and O(storage) to the current members instead of making the members exactly these.
    type: bool
    default: false
  allow_move:
    description:
      - Move guests that are in another pool into this one (PVE's C(allow-move)); without it such a guest is
        an error.
    type: bool
    default: false
  force:
    description:
      - With O(state=absent), remove the members of a pool that has some, then delete it.
    type: bool
    default: false
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.POOL
notes:
  - Uses C(POST), C(PUT) and C(DELETE /pools) with C(poolid) as a parameter (the C(/pools/{poolid}) paths are
    deprecated in PVE 9).
  - Guest names and vmids, and storage ids, are checked against the cluster resources before any change.
'''

EXAMPLES = r'''
- name: The pool of tenant A with two guests and its storage
  pve.ops.pool:
    poolid: tenant-a
    comment: Tenant A
    vms: [web01, 101]
    storage: [local-lvm]

- name: One more guest, taken from the pool it is in
  pve.ops.pool:
    poolid: tenant-a
    vms: [build01]
    append: true
    allow_move: true

- name: Remove the pool and its memberships (the guests and storages stay)
  pve.ops.pool:
    poolid: tenant-a
    state: absent
    force: true
'''

RETURN = r'''
pool:
  description: The pool after the change (predicted in check mode); null when absent.
  returned: always
  type: dict
  contains:
    poolid:
      description: The pool id.
      type: str
    comment:
      description: The comment.
      type: str
    vms:
      description: The vmids of the guests in the pool, sorted.
      type: list
      elements: int
    storage:
      description: The storage ids in the pool, sorted.
      type: list
      elements: str
  sample: {poolid: tenant-a, comment: Tenant A, vms: [100, 101], storage: [local-lvm]}
moved:
  description: The vmids moved here from another pool (with O(allow_move)).
  returned: when guests were moved
  type: list
  elements: int
  sample: [102]
diff:
  description:
    - The pool before and after (comment and members), as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.cluster.pools import ensure_pool
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        poolid=dict(type='str', required=True, aliases=['name']),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        comment=dict(type='str'),
        vms=dict(type='list', elements='str'),
        storage=dict(type='list', elements='str'),
        append=dict(type='bool', default=False),
        allow_move=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
    )


LIMITS = {'poolid': limits.POOL_ID, 'storage': limits.STORAGE_ID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_pool(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
