#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: user
short_description: Manage Proxmox VE users
version_added: 0.1.0
description:
  - Creates, updates and removes users of a Proxmox VE cluster (C(/access/users)).
  - Only the options given are managed; the others are left as they are.
  - Group membership is exact by default (the user ends up in exactly O(groups)); with O(append) the groups
    are added to those the user already has.
  - A password is set when the user is created. With O(update_password=always) the module checks whether
    the password still works and changes it through C(PUT /access/password) only if it does not.
    Passwords never appear in results, diffs or logs.
author:
  - pve.ops developers (@pve-ops)
options:
  userid:
    description:
      - The realm-qualified user id, for example C(alice@pve).
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(present) creates or updates the user, V(absent) removes it (with its tokens and ACL entries).
    type: str
    choices: [present, absent]
    default: present
  password:
    description:
      - The password (at least 8 characters), for users of the C(pve) and C(pam) realms.
      - Set on creation; on an existing user only with O(update_password=always).
    type: str
  update_password:
    description:
      - V(on_create) sets O(password) only when the user is created.
      - V(always) also makes an existing user's password O(password) (checked by a login attempt, changed
        only if it fails).
    type: str
    choices: [always, on_create]
    default: on_create
  email:
    description:
      - The e-mail address.
    type: str
  firstname:
    description:
      - The first name.
    type: str
  lastname:
    description:
      - The last name.
    type: str
  comment:
    description:
      - A comment.
    type: str
  enable:
    description:
      - Whether the account may log in.
    type: bool
  expire:
    description:
      - Account expiry as seconds since the epoch; C(0) means never.
    type: int
  keys:
    description:
      - Yubico key ids for two-factor authentication.
    type: str
  groups:
    description:
      - The groups of the user. Exact unless O(append) is set; C([]) removes the user from every group.
    type: list
    elements: str
  append:
    description:
      - Add O(groups) to the user's groups instead of replacing them.
    type: bool
    default: false
  force:
    description:
      - Allow removing C(root@pam) or the user the module authenticates as.
    type: bool
    default: false
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.USER
notes:
  - Group membership is changed through the user (C(PUT /access/users/{userid})), as PVE stores it.
'''

EXAMPLES = r'''
- name: A tenant operator in the pve realm
  pve.ops.user:
    userid: alice@pve
    password: "{{ vault_alice_password }}"
    email: alice@example.com
    firstname: Alice
    groups: [tenant-a]
    comment: Tenant A operator

- name: Add a group without touching the others
  pve.ops.user:
    userid: bob@pve
    groups: [auditors]
    append: true

- name: Rotate a password (changed only if the old one no longer matches)
  pve.ops.user:
    userid: alice@pve
    password: "{{ vault_alice_new_password }}"
    update_password: always

- name: Remove a user
  pve.ops.user:
    userid: mallory@pve
    state: absent
'''

RETURN = r'''
user:
  description: The user after the change (predicted in check mode); null when absent. Never holds a password.
  returned: always
  type: dict
  contains:
    userid:
      description: The user id.
      type: str
    enable:
      description: Whether the account may log in.
      type: bool
    expire:
      description: Account expiry (seconds since the epoch), 0 for never.
      type: int
    firstname:
      description: First name.
      type: str
    lastname:
      description: Last name.
      type: str
    email:
      description: E-mail address.
      type: str
    comment:
      description: Comment.
      type: str
    groups:
      description: The user's groups, sorted.
      type: list
      elements: str
    tokens:
      description: The ids of the user's API tokens.
      type: list
      elements: str
  sample: {userid: alice@pve, enable: true, expire: 0, email: alice@example.com, groups: [tenant-a], tokens: []}
password_changed:
  description: Whether the password of an existing user was changed (O(update_password=always)).
  returned: when the user existed and state is present
  type: bool
diff:
  description: The user before and after; a password shows only as C((set)) or C((changed)).
  returned: always
  type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.access.users import ensure_user
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        userid=dict(type='str', required=True, aliases=['name']),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        password=dict(type='str', no_log=True),
        update_password=dict(type='str', choices=['always', 'on_create'], default='on_create', no_log=False),
        email=dict(type='str'),
        firstname=dict(type='str'),
        lastname=dict(type='str'),
        comment=dict(type='str'),
        enable=dict(type='bool'),
        expire=dict(type='int'),
        keys=dict(type='str', no_log=False),
        groups=dict(type='list', elements='str'),
        append=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
    )


LIMITS = {
    'userid': limits.USERID,
    'email': limits.Limit(max_length=254, schema=('POST', '/access/users', 'email')),
    'firstname': limits.Limit(max_length=1024, schema=('POST', '/access/users', 'firstname')),
    'lastname': limits.Limit(max_length=1024, schema=('POST', '/access/users', 'lastname')),
    'comment': limits.Limit(max_length=2048, schema=('POST', '/access/users', 'comment')),
    'expire': limits.Limit(minimum=0, schema=('POST', '/access/users', 'expire')),
    'keys': limits.Limit(pattern=r'[0-9a-zA-Z!=]{0,4096}', schema=('POST', '/access/users', 'keys')),
    'groups': limits.GROUPID,
    'password': limits.Limit(min_length=8, max_length=64, schema=('POST', '/access/users', 'password')),
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_user(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
