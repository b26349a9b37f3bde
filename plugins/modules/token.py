#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: token
short_description: Manage Proxmox VE API tokens
version_added: 0.1.0
description:
  - Creates, updates and removes API tokens of a user (C(/access/users/{userid}/token/{tokenid})).
  - The token's secret exists only in the answer that creates it. This module returns it once, as
    RV(token.value), in the result of the task that created the token, and names it in RV(secret_keys) so
    the MCP adapter and its audit log mask it. Run the creating task with C(no_log=true) and C(register) to
    keep the secret out of Ansible's output while still using it in later tasks.
  - Running again with the token present reports C(changed=false) and says that the secret cannot be read back.
  - A token with O(privsep=true) (PVE's default) holds only what its own ACL entries grant, and never more than
    its user holds; with O(privsep=false) it holds all of its user's privileges.
author:
  - pve.ops developers (@pve-ops)
options:
  userid:
    description:
      - The realm-qualified user owning the token. Not needed when O(tokenid) is a full token id.
    type: str
  tokenid:
    description:
      - The token's name (C(automation)), or the full token id (C(ci@pve!automation)).
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(present) creates or updates the token, V(absent) removes it (with its ACL entries).
    type: str
    choices: [present, absent]
    default: present
  privsep:
    description:
      - Privilege separation. New tokens default to V(true).
    type: bool
  expire:
    description:
      - Expiry as seconds since the epoch; C(0) means never (new tokens default to never).
    type: int
  comment:
    description:
      - A comment; C('') removes it.
    type: str
  regenerate:
    description:
      - Give an existing token a new secret (returned once in RV(token.value)); the old secret stops working.
      - Always reports a change.
    type: bool
    default: false
  force:
    description:
      - Allow removing the token the module authenticates with.
    type: bool
    default: false
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.TOKEN
notes:
  - In check mode nothing is created, so no secret is returned.
'''

EXAMPLES = r'''
- name: A privilege-separated automation token
  pve.ops.token:
    userid: ci@pve
    tokenid: automation
    comment: CI pipeline
  register: ci_token
  no_log: true   # the secret is in ci_token.token.value; keep it out of the output

# Later tasks authenticate with api_token_id "{{ ci_token.token.full_tokenid }}" and
# api_token_secret "{{ ci_token.token.value }}" (a no_log option).

- name: Remove it
  pve.ops.token:
    tokenid: ci@pve!automation
    state: absent
'''

RETURN = r'''
token:
  description: The token after the change (predicted in check mode); null when absent.
  returned: always
  type: dict
  contains:
    userid:
      description: The owning user.
      type: str
    tokenid:
      description: The token's name.
      type: str
    full_tokenid:
      description: C(user@realm!tokenid), the id to authenticate with.
      type: str
    privsep:
      description: Whether privileges are separated.
      type: bool
    expire:
      description: Expiry (seconds since the epoch), 0 for never.
      type: int
    comment:
      description: The comment.
      type: str
    value:
      description:
        - The token's secret. Only in the result of the task that created the token (or regenerated its
          secret); it is shown only once and cannot be read back.
      type: str
      returned: when the token was created or regenerated, not in check mode
  sample: {userid: ci@pve, tokenid: automation, full_tokenid: ci@pve!automation, privsep: true, expire: 0,
           comment: CI pipeline}
secret_keys:
  description: Dotted paths of the result that hold a secret (C(token.value)); the MCP adapter masks them in its
    audit log.
  returned: when a secret is returned
  type: list
  elements: str
  sample: [token.value]
msg:
  description: What happened to the secret (created and shown once, or cannot be read back).
  returned: when state is present
  type: str
diff:
  description:
    - The token before and after (never its secret), as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.access.tokens import ensure_token
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        userid=dict(type='str'),
        tokenid=dict(type='str', required=True, aliases=['name'], no_log=False),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        privsep=dict(type='bool'),
        expire=dict(type='int'),
        comment=dict(type='str'),
        regenerate=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
    )


LIMITS = {
    'userid': limits.USERID,
    'expire': limits.Limit(minimum=0, schema=('POST', '/access/users/{userid}/token/{tokenid}', 'expire')),
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_token(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
