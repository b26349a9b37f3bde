#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: notification_matcher
short_description: Manage Proxmox VE notification matchers (which notifications go to which targets)
version_added: 0.1.0
description:
  - Creates, updates or removes a notification matcher (C(/cluster/notifications/matchers/<name>)). A
    notification that matches it is sent to its targets (M(pve.ops.notification_target)).
  - "A matcher matches by severity (O(match_severity)), by metadata field (O(match_field): the notification's
    C(type), such as V(vzdump), V(replication), V(fencing), V(package-updates) or V(system-mail), its
    C(hostname) or C(job-id)) and by time (O(match_calendar)); O(mode) says whether all of them or any must
    match. A matcher with no match rules matches every notification."
  - Options left out are left alone on an existing matcher; an empty string or list removes an option.
  - The built-in C(default-matcher) can be changed but not removed.
author:
  - pve.ops developers (@pve-ops)
options:
  name:
    description:
      - The matcher's name (a letter, then letters, digits, V(-) and V(_)).
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the matcher, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  targets:
    description:
      - The targets that receive what matches; each must exist.
    type: list
    elements: str
  match_severity:
    description:
      - Severities that match, each V(info), V(notice), V(warning), V(error) or V(unknown) (an item may list
        several, comma separated).
    type: list
    elements: str
  match_field:
    description:
      - Metadata rules, each V(exact:<field>=<value>) (several values comma separated) or
        V(regex:<field>=<regex>).
    type: list
    elements: str
  match_calendar:
    description:
      - Calendar events (systemd's format, such as V(mon..fri 8-17)) during which notifications match.
    type: list
    elements: str
  mode:
    description:
      - V(all) matches when every rule matches, V(any) when one does (PVE's default V(all)).
    type: str
    choices: [all, any]
  invert_match:
    description:
      - Whether the matcher matches what its rules do not.
    type: bool
  enabled:
    description:
      - Whether the matcher is in force (PVE's C(disable), inverted).
    type: bool
  comment:
    description:
      - A comment; an empty string removes it.
    type: str
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.NOTIFICATION_MATCHER
'''

EXAMPLES = r'''
- name: Send failed backups and fencing to the operators
  pve.ops.notification_matcher:
    name: ops-errors
    targets: [ops-mail, phone]
    match_severity: [error]
    match_field: ['exact:type=vzdump,fencing']

- name: Remove a matcher
  pve.ops.notification_matcher:
    name: ops-errors
    state: absent
'''

RETURN = r'''
notification_matcher:
  description: The matcher after the change (predicted in check mode), PVE's defaults filled in; null when absent.
  returned: always
  type: dict
  contains:
    name:
      description: The matcher's name.
      type: str
    origin:
      description: V(user-created), V(builtin) or V(modified-builtin).
      type: str
    targets:
      description: The targets.
      type: list
      elements: str
    match_severity:
      description: The severity rules.
      type: list
      elements: str
    match_field:
      description: The metadata rules.
      type: list
      elements: str
    match_calendar:
      description: The calendar rules.
      type: list
      elements: str
    mode:
      description: V(all) or V(any).
      type: str
    invert_match:
      description: Whether the match is inverted.
      type: bool
    enabled:
      description: Whether the matcher is in force.
      type: bool
    comment:
      description: The comment.
      type: str
  sample: {name: ops-errors, origin: user-created, targets: [ops-mail], match_severity: [error],
           match_field: ['exact:type=vzdump'], match_calendar: [], mode: all, invert_match: false, enabled: true,
           comment: ''}
diff:
  description:
    - The matcher before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.cluster.notifications import ensure_notification_matcher
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        targets=dict(type='list', elements='str'),
        match_severity=dict(type='list', elements='str'),
        match_field=dict(type='list', elements='str'),
        match_calendar=dict(type='list', elements='str'),
        mode=dict(type='str', choices=['all', 'any']),
        invert_match=dict(type='bool'),
        enabled=dict(type='bool'),
        comment=dict(type='str'),
    )


LIMITS = {
    'name': limits.Limit(format='pve-configid', schema=('POST', '/cluster/notifications/matchers', 'name')),
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_notification_matcher(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
