#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: sdn_apply
short_description: Apply the pending Proxmox VE SDN configuration
version_added: 0.1.0
description:
  - Applies the cluster's pending SDN configuration (zones, vnets and subnets written but not yet applied) with
    C(PUT /cluster/sdn), a C(reloadnetworkall) task that reloads the network of every node, and waits for it.
  - Nothing pending is no change and sends no write.
  - In check mode it is a dry run of applying; its diff and RV(pending) show what applying would change, as PVE
    lists it with C(pending=1) (objects C(new), C(changed) or C(deleted)).
author:
  - pve.ops developers (@pve-ops)
options:
  timeout:
    description:
      - Seconds to wait for the C(reloadnetworkall) task.
    type: int
    default: 60
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.SDN_APPLY
'''

EXAMPLES = r'''
- name: Show what applying the SDN configuration would change
  pve.ops.sdn_apply:
  check_mode: true
  register: sdn_plan

- name: Apply it
  pve.ops.sdn_apply:
'''

RETURN = r'''
pending:
  description:
    - The SDN objects that were pending (would be applied in check mode), by kind (C(zones), C(vnets),
      C(subnets)) and id, with their state (C(new), C(changed), C(deleted)). Empty when nothing was pending.
  returned: always
  type: dict
  sample: {zones: {lab: new}, vnets: {web: changed}}
applied:
  description: Whether the configuration was applied by this run (false in check mode and when nothing was pending).
  returned: always
  type: bool
diff:
  description:
    - Before, the running configuration of the pending objects; after, their configuration once applied (an
      object missing on one side is new or deleted), by kind and id.
  returned: always
  type: dict
tasks:
  description: The UPID of the C(reloadnetworkall) task waited on.
  returned: when applied
  type: list
  elements: str
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.network.sdn import sdn_apply


def argument_spec():
    return dict(timeout=dict(type='int', default=60))


LIMITS = {'timeout': limits.TIMEOUT}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return sdn_apply(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
