#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: acl
short_description: Manage Proxmox VE access control list entries
version_added: 0.1.0
description:
  - Grants or revokes roles on an ACL path (C(/), C(/vms/100), C(/pool/demo), C(/storage/local), ...)
    for users, groups and API tokens (C(PUT /access/acl)).
  - Every combination of a role in O(roles) and a member in O(users), O(groups) and O(tokens) is one entry.
    Entries are compared as a set, so the order in which the API lists them never matters.
  - With O(exclusive) the path's entries become exactly the given ones (others on the same path are removed).
  - Refuses to remove entries through which the module's own credentials (O(api_user) or O(api_token_id) and
    the user's groups) may hold their permissions, unless O(force) is set.
author:
  - pve.ops developers (@pve-ops)
options:
  path:
    description:
      - The ACL path.
    type: str
    required: true
  roles:
    description:
      - The roles to grant or revoke.
    type: list
    elements: str
    required: true
  users:
    description:
      - Realm-qualified user ids.
    type: list
    elements: str
  groups:
    description:
      - Group ids.
    type: list
    elements: str
  tokens:
    description:
      - Full API token ids (C(user@realm!tokenid)).
    type: list
    elements: str
  propagate:
    description:
      - Whether the entries also apply below O(path).
    type: bool
    default: true
  state:
    description:
      - V(present) grants, V(absent) revokes.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With O(state=present), remove every other entry on O(path).
    type: bool
    default: false
  force:
    description:
      - Allow removing entries through which the module's own credentials hold their permissions.
    type: bool
    default: false
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.ACL
'''

EXAMPLES = r'''
- name: Tenant A operates the guests of its pool
  pve.ops.acl:
    path: /pool/tenant-a
    roles: [PVEVMUser]
    groups: [tenant-a]

- name: An automation token may only audit and power VMs of the pool
  pve.ops.acl:
    path: /pool/tenant-a
    roles: [GuestOperator]
    tokens: ["automation@pve!ci"]

- name: Exactly these entries on /vms/100
  pve.ops.acl:
    path: /vms/100
    roles: [PVEVMAdmin]
    users: [alice@pve]
    exclusive: true
'''

RETURN = r'''
acl:
  description: The entries of the path after the change (predicted in check mode).
  returned: always
  type: dict
  contains:
    path:
      description: The normalised ACL path.
      type: str
    entries:
      description: The entries of the path.
      type: list
      elements: dict
      contains:
        type:
          description: C(user), C(group) or C(token).
          type: str
        ugid:
          description: The user, group or token id.
          type: str
        roleid:
          description: The role.
          type: str
        propagate:
          description: Whether the entry applies below the path.
          type: bool
  sample: {path: /pool/tenant-a, entries: [{type: group, ugid: tenant-a, roleid: PVEVMUser, propagate: true}]}
diff:
  description:
    - The ACL entries of the path before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.access.acl import ensure_acl
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        path=dict(type='str', required=True),
        roles=dict(type='list', elements='str', required=True),
        users=dict(type='list', elements='str'),
        groups=dict(type='list', elements='str'),
        tokens=dict(type='list', elements='str', no_log=False),
        propagate=dict(type='bool', default=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        exclusive=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
    )


LIMITS = {'roles': limits.ROLEID, 'users': limits.USERID, 'groups': limits.GROUPID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_acl(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
