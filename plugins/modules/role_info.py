#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: role_info
short_description: List Proxmox VE roles and their privileges
version_added: 0.1.0
description:
  - Returns the roles (C(GET /access/roles)), built-in and custom, with their privileges.
author:
  - pve.ops developers (@pve-ops)
options:
  roleid:
    description:
      - Only this role.
    type: str
    aliases: [name]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.ROLE_INFO
'''

EXAMPLES = r'''
- name: What may PVEVMUser do?
  pve.ops.role_info:
    roleid: PVEVMUser
  register: role
'''

RETURN = r'''
roles:
  description: The roles, sorted by id.
  returned: always
  type: list
  elements: dict
  sample: [{roleid: PVETemplateUser, privileges: [VM.Audit, VM.Clone], special: true}]
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.access.roles import role_facts
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(roleid=dict(type='str', aliases=['name']))


def run(pve):
    return role_facts(pve)


LIMITS = {'roleid': limits.ROLEID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
