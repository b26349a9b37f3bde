#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: node_repository
short_description: Enable or disable a standard APT repository of a Proxmox VE node
version_added: 0.1.0
description:
  - Manages one of the standard package repositories PVE offers a node (C(/nodes/{node}/apt/repositories)),
    named by its handle, as the node's B(Repositories) panel does.
  - V(present) adds the repository when it is not configured, or enables it when it is configured but disabled
    (C(PUT) with the handle; PVE enables the first configured entry of it, or adds one to the handle's standard
    file under C(/etc/apt/sources.list.d/)).
  - V(absent) disables every enabled entry of the repository (C(POST) with the entry's path and index, one by one).
    PVE's API cannot delete a repository entry, so the entries stay in their files, disabled; removing them
    takes an edit of the file on the node.
  - Every write carries the digest PVE reported just before it, so a change made meanwhile by someone else is
    refused rather than overwritten.
  - Refreshing the package index afterwards is M(pve.ops.node_updates) with O(pve.ops.node_updates#module:refresh).
author:
  - pve.ops developers (@pve-ops)
options:
  node:
    description:
      - The node.
    type: str
    required: true
  handle:
    description:
      - The standard repository, as PVE 9 names it. A node that does not offer it (an older PVE) is refused,
        naming the handles it offers.
    type: str
    required: true
    choices: [enterprise, no-subscription, test, ceph-squid-enterprise, ceph-squid-no-subscription, ceph-squid-test]
  state:
    description:
      - V(present) makes the repository configured and enabled; V(absent) disables all its entries (PVE cannot
        delete them).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.NODE_REPOSITORY
'''

EXAMPLES = r'''
- name: A node without a subscription takes its updates from the no-subscription repository
  pve.ops.node_repository:
    node: pve1
    handle: no-subscription

- name: And not from the enterprise one (its entry stays, disabled)
  pve.ops.node_repository:
    node: pve1
    handle: enterprise
    state: absent

- name: Ceph Squid packages without a subscription
  pve.ops.node_repository:
    node: pve1
    handle: ceph-squid-no-subscription
'''

RETURN = r'''
repository:
  description: The repository after the task (predicted in check mode).
  returned: always
  type: dict
  contains:
    handle:
      description: Its handle.
      type: str
    name:
      description: Its name as PVE shows it (C(No-Subscription)).
      type: str
    configured:
      description: Whether an entry of it is in the node's repository files.
      type: bool
    enabled:
      description: Whether PVE reports it enabled.
      type: bool
    entries:
      description: Its entries in the node's files (the path, the index within the file, whether enabled).
      type: list
      elements: dict
  sample: {handle: no-subscription, name: No-Subscription, configured: true, enabled: true,
           entries: [{path: /etc/apt/sources.list.d/proxmox.sources, index: 0, enabled: true}]}
node:
  description: The node.
  returned: always
  type: str
diff:
  description:
    - Whether the repository is configured and enabled, before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.nodes.repositories import HANDLES, ensure_repository


def argument_spec():
    return dict(
        node=dict(type='str', required=True),
        handle=dict(type='str', required=True, choices=list(HANDLES)),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )


LIMITS = {'node': limits.NODE}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_repository(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
