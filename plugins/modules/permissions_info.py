#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: permissions_info
short_description: The effective privileges of a Proxmox VE user or API token
version_added: 0.1.0
description:
  - Asks the API what a user or token may do (C(GET /access/permissions)), that is the privileges PVE computes
    from ACLs, roles, groups, pools and token privilege separation, so a playbook or an agent can check before
    it acts.
  - With O(privileges) and O(path), also says whether all of them are held there and which are missing.
author:
  - pve.ops developers (@pve-ops)
options:
  userid:
    description:
      - The user (C(alice@pve)) or token (C(ci@pve!automation)). Defaults to the module's own credentials.
      - Another user's permissions need C(Sys.Audit) on C(/access) (a user may always read its own tokens').
    type: str
  path:
    description:
      - Only this ACL path (for example C(/vms/100)); otherwise every path with privileges.
    type: str
  privileges:
    description:
      - Privileges to test on O(path); sets RV(allowed) and RV(missing).
    type: list
    elements: str
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.PERMISSIONS_INFO
'''

EXAMPLES = r'''
- name: May the CI token power VM 100?
  pve.ops.permissions_info:
    userid: ci@pve!automation
    path: /vms/100
    privileges: [VM.PowerMgmt]
  register: perms
# perms.allowed is true or false; perms.missing names what is lacking.

- name: Everything the module's own credentials may do
  pve.ops.permissions_info:
  register: mine
'''

RETURN = r'''
userid:
  description: The user or token asked about.
  returned: always
  type: str
permissions:
  description: Path to the sorted list of privileges held there.
  returned: always
  type: dict
  sample: {/vms/100: [VM.Audit, VM.PowerMgmt]}
propagate:
  description: Path to privilege to whether it propagates below the path (PVE's raw answer as booleans).
  returned: always
  type: dict
  sample: {/vms/100: {VM.Audit: true, VM.PowerMgmt: true}}
allowed:
  description: Whether every privilege of O(privileges) is held on O(path).
  returned: when privileges are given
  type: bool
missing:
  description: The privileges of O(privileges) not held on O(path).
  returned: when privileges are given
  type: list
  elements: str
'''

from ansible_collections.pve.ops.plugins.module_utils.access.acl import permission_facts
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        userid=dict(type='str'),
        path=dict(type='str'),
        privileges=dict(type='list', elements='str'),
    )


def run(pve):
    return permission_facts(pve)


LIMITS = {}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
