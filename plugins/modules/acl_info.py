#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: acl_info
short_description: List Proxmox VE access control list entries
version_added: 0.1.0
description:
  - Returns the ACL entries (C(GET /access/acl)) the credentials may see (with C(Sys.Audit) on C(/access) all of
    them, otherwise those on paths where they may modify permissions).
author:
  - pve.ops developers (@pve-ops)
options:
  path:
    description:
      - Only entries on this path.
    type: str
  type:
    description:
      - Only entries of this kind.
    type: str
    choices: [user, group, token]
  ugid:
    description:
      - Only entries of this user, group or token id.
    type: str
  roleid:
    description:
      - Only entries of this role.
    type: str
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.ACL_INFO
'''

EXAMPLES = r'''
- name: Who has which role on the demo pool?
  pve.ops.acl_info:
    path: /pool/demo
  register: acl
'''

RETURN = r'''
acl:
  description: The entries, sorted by path, type, id and role.
  returned: always
  type: list
  elements: dict
  sample: [{path: /pool/demo, type: group, ugid: tenant-a, roleid: PVEVMUser, propagate: true}]
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.access.acl import acl_facts
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        path=dict(type='str'),
        type=dict(type='str', choices=['user', 'group', 'token']),
        ugid=dict(type='str'),
        roleid=dict(type='str'),
    )


def run(pve):
    return acl_facts(pve)


LIMITS = {'roleid': limits.ROLEID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
