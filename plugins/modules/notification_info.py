#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: notification_info
short_description: Read Proxmox VE notification targets and matchers
version_added: 0.1.0
description:
  - Reads the notification targets with their options (C(GET /cluster/notifications/endpoints/<type>), one
    request per type) and the matchers (C(GET /cluster/notifications/matchers)). PVE returns no secret.
author:
  - pve.ops developers (@pve-ops)
options:
  gather:
    description:
      - The subsets to read.
    type: list
    elements: str
    choices: [targets, matchers]
    default: [targets, matchers]
  type:
    description:
      - Only targets of this type.
    type: str
    choices: [sendmail, smtp, gotify, webhook]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.NOTIFICATION_INFO
'''

EXAMPLES = r'''
- name: Where notifications go
  pve.ops.notification_info:
  register: notifications
'''

RETURN = r'''
targets:
  description: The targets, as M(pve.ops.notification_target) returns one, sorted by name.
  returned: when O(gather) has V(targets)
  type: list
  elements: dict
  sample: [{name: mail-to-root, type: sendmail, origin: builtin, enabled: true,
            comment: "Send mails to root@pam's email address", mailto: [], mailto_user: [root@pam], from_address: '',
            author: ''}]
matchers:
  description: The matchers, as M(pve.ops.notification_matcher) returns one, sorted by name.
  returned: when O(gather) has V(matchers)
  type: list
  elements: dict
  sample: [{name: default-matcher, origin: builtin, targets: [mail-to-root], match_severity: [], match_field: [],
            match_calendar: [], mode: all, invert_match: false, enabled: true,
            comment: Route all notifications to mail-to-root}]
'''

from ansible_collections.pve.ops.plugins.module_utils.cluster.notifications import (
    NOTIFICATION_INFO_GATHER,
    TARGET_TYPES,
    notification_facts,
)
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        gather=dict(type='list', elements='str', choices=list(NOTIFICATION_INFO_GATHER),
                    default=list(NOTIFICATION_INFO_GATHER)),
        type=dict(type='str', choices=list(TARGET_TYPES)),
    )


LIMITS = {}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return notification_facts(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
