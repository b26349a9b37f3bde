#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: token_info
short_description: List the API tokens of Proxmox VE users
version_added: 0.1.0
description:
  - Returns API tokens with their privilege separation, expiry and comment. Token secrets are never
    returned, as PVE shows a secret only once, when the token is created.
  - Without O(userid), the tokens of every user the credentials may see.
author:
  - pve.ops developers (@pve-ops)
options:
  userid:
    description:
      - Only this user's tokens (the user must exist).
    type: str
  tokenid:
    description:
      - Only this token (its name, or the full C(user@realm!tokenid)).
    type: str
    aliases: [name]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.TOKEN_INFO
'''

EXAMPLES = r'''
- name: Tokens of the CI user
  pve.ops.token_info:
    userid: ci@pve
  register: tokens
'''

RETURN = r'''
tokens:
  description: The tokens, sorted by full token id. Never holds a secret.
  returned: always
  type: list
  elements: dict
  sample: [{userid: ci@pve, tokenid: automation, full_tokenid: ci@pve!automation, privsep: true, expire: 0,
            comment: CI pipeline}]
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.access.tokens import token_facts
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        userid=dict(type='str'),
        tokenid=dict(type='str', aliases=['name'], no_log=False),
    )


def run(pve):
    return token_facts(pve)


LIMITS = {'userid': limits.USERID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
