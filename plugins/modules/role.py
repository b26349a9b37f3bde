#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: role
short_description: Manage Proxmox VE roles
version_added: 0.1.0
description:
  - Creates, updates and removes roles (C(/access/roles)), the named sets of privileges.
  - The privileges are exact by default; with O(append) they are added to the role's current ones.
  - Built-in roles (C(Administrator), C(PVEAdmin), C(PVEVMUser), C(NoAccess), ...) cannot be changed or removed;
    the module says so instead of trying.
author:
  - pve.ops developers (@pve-ops)
options:
  roleid:
    description:
      - The role id. Ids starting with C(PVE) are reserved for built-in roles.
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(present) creates or updates the role, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  privileges:
    description:
      - The role's privileges, for example C(VM.Audit), C(VM.PowerMgmt).
      - Without it an existing role's privileges are left alone, and a new role has none.
    type: list
    elements: str
    aliases: [privs]
  append:
    description:
      - Add O(privileges) to the role instead of replacing its privileges.
    type: bool
    default: false
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.ROLE
'''

EXAMPLES = r'''
- name: A role that may only look at guests and power them
  pve.ops.role:
    roleid: GuestOperator
    privileges: [VM.Audit, VM.PowerMgmt, VM.Console]
'''

RETURN = r'''
role:
  description: The role after the change (predicted in check mode); null when absent.
  returned: always
  type: dict
  contains:
    roleid:
      description: The role id.
      type: str
    privileges:
      description: The privileges, sorted.
      type: list
      elements: str
    special:
      description: Whether it is a built-in role.
      type: bool
  sample: {roleid: GuestOperator, privileges: [VM.Audit, VM.Console, VM.PowerMgmt], special: false}
diff:
  description:
    - The role before and after (its privileges), as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.access.roles import ensure_role
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        roleid=dict(type='str', required=True, aliases=['name']),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        privileges=dict(type='list', elements='str', aliases=['privs']),
        append=dict(type='bool', default=False),
    )


LIMITS = {'roleid': limits.ROLEID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_role(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
