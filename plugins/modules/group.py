#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: group
short_description: Manage Proxmox VE groups and their members
version_added: 0.1.0
description:
  - Creates, updates and removes groups (C(/access/groups)) and sets their members.
  - Members are exact by default (the group ends up with exactly O(members)); with O(append) they are added
    to the current members. Without O(members) the membership is left alone.
author:
  - pve.ops developers (@pve-ops)
options:
  groupid:
    description:
      - The group id.
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(present) creates or updates the group, V(absent) removes it (with its ACL entries).
    type: str
    choices: [present, absent]
    default: present
  comment:
    description:
      - A comment.
    type: str
  members:
    description:
      - The realm-qualified ids of the group's users; each must exist.
    type: list
    elements: str
  append:
    description:
      - Add O(members) instead of making the membership exactly O(members).
    type: bool
    default: false
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.GROUP
notes:
  - PVE keeps membership on the user, so adding or removing a member is a C(PUT /access/users/{userid}).
'''

EXAMPLES = r'''
- name: The operators of tenant A
  pve.ops.group:
    groupid: tenant-a
    comment: Tenant A operators
    members: [alice@pve, bob@pve]

- name: One more member, keeping the others
  pve.ops.group:
    groupid: tenant-a
    members: [carol@pve]
    append: true
'''

RETURN = r'''
group:
  description: The group after the change (predicted in check mode); null when absent.
  returned: always
  type: dict
  contains:
    groupid:
      description: The group id.
      type: str
    comment:
      description: The comment.
      type: str
    members:
      description: The members, sorted.
      type: list
      elements: str
  sample: {groupid: tenant-a, comment: Tenant A operators, members: [alice@pve, bob@pve]}
diff:
  description:
    - The group before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.access.groups import ensure_group
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        groupid=dict(type='str', required=True, aliases=['name']),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        comment=dict(type='str'),
        members=dict(type='list', elements='str'),
        append=dict(type='bool', default=False),
    )


LIMITS = {'groupid': limits.GROUPID, 'members': limits.USERID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_group(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
