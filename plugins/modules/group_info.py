#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: group_info
short_description: List Proxmox VE groups with their members
version_added: 0.1.0
description:
  - Returns the groups the credentials may see (C(GET /access/groups)) with their members.
author:
  - pve.ops developers (@pve-ops)
options:
  groupid:
    description:
      - Only this group.
    type: str
    aliases: [name]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.GROUP_INFO
'''

EXAMPLES = r'''
- name: Every group
  pve.ops.group_info:
  register: groups
'''

RETURN = r'''
groups:
  description: The groups, sorted by id.
  returned: always
  type: list
  elements: dict
  sample: [{groupid: tenant-a, comment: Tenant A operators, members: [alice@pve]}]
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.access.groups import group_facts
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(groupid=dict(type='str', aliases=['name']))


def run(pve):
    return group_facts(pve)


LIMITS = {'groupid': limits.GROUPID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
