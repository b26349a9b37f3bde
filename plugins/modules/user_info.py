#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: user_info
short_description: List Proxmox VE users with their groups and tokens
version_added: 0.1.0
description:
  - Returns the users the credentials may see (C(GET /access/users?full=1)), each with its groups and the ids of
    its API tokens. Never returns passwords or token secrets.
author:
  - pve.ops developers (@pve-ops)
options:
  userid:
    description:
      - Only this user.
    type: str
    aliases: [name]
  enabled:
    description:
      - Only enabled (V(true)) or disabled (V(false)) users.
    type: bool
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.USER_INFO
'''

EXAMPLES = r'''
- name: Every user
  pve.ops.user_info:
  register: users

- name: One user
  pve.ops.user_info:
    userid: alice@pve
  register: alice
'''

RETURN = r'''
users:
  description: The users, sorted by id.
  returned: always
  type: list
  elements: dict
  sample: [{userid: alice@pve, enable: true, expire: 0, email: alice@example.com, groups: [tenant-a],
            tokens: [automation], realm_type: pve}]
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.access.users import user_facts
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        userid=dict(type='str', aliases=['name']),
        enabled=dict(type='bool'),
    )


def run(pve):
    return user_facts(pve)


LIMITS = {'userid': limits.USERID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
