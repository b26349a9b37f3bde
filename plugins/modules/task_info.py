#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: task_info
short_description: List Proxmox VE tasks, or read one task's status and log
version_added: 0.1.0
description:
  - With O(upid), returns that task's status and log (two API requests; one with O(log_lines=0)).
  - Without O(upid), lists the tasks of O(node), or of the whole cluster when O(node) is omitted
    (one API request).
author:
  - pve.ops developers (@pve-ops)
options:
  upid:
    description:
      - The task to read. Its node is taken from the UPID.
    type: str
  node:
    description:
      - List the tasks of this node. Omit for the cluster's task list.
    type: str
  vmid:
    description:
      - Only tasks of this guest.
    type: int
  type:
    description:
      - Only tasks of this type, for example C(qmstart) or C(vzdump).
    type: str
  user:
    description:
      - Only tasks started by this user.
    type: str
  errors:
    description:
      - Only tasks that failed.
    type: bool
    default: false
  limit:
    description:
      - At most this many tasks.
    type: int
  log_lines:
    description:
      - With O(upid), at most this many lines of the log; C(0) skips the log.
    type: int
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.TASK_INFO
'''

EXAMPLES = r'''
- name: The cluster's recent tasks
  pve.ops.task_info:
    limit: 20
  register: recent

- name: Failed backups on one node
  pve.ops.task_info:
    node: pve1
    type: vzdump
    errors: true

- name: Status and log of one task
  pve.ops.task_info:
    upid: "{{ start.tasks[0] }}"
  register: task
'''

RETURN = r'''
tasks:
  description: The tasks, newest first, as the API lists them.
  returned: when O(upid) is not given
  type: list
  elements: dict
  sample: [{upid: "UPID:pve1:000003E8:00001B58:6744A1C0:qmstart:100:root@pam:", type: qmstart, id: '100',
            user: root@pam, node: pve1, status: OK, starttime: 1732550080, endtime: 1732550081}]
task:
  description: The task O(upid) with its status and log.
  returned: when O(upid) is given
  type: dict
  contains:
    upid:
      description: The task's UPID.
      type: str
    status:
      description: C(running) or C(stopped).
      type: str
    exitstatus:
      description: "C(OK), C(WARNINGS: n) or the error message, once stopped."
      type: str
    log:
      description: The lines of the task log.
      type: list
      elements: str
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.tasks import task_facts


def argument_spec():
    return dict(
        upid=dict(type='str'),
        node=dict(type='str'),
        vmid=dict(type='int'),
        type=dict(type='str'),
        user=dict(type='str'),
        errors=dict(type='bool', default=False),
        limit=dict(type='int'),
        log_lines=dict(type='int'),
    )


LIMITS = {
    'node': limits.NODE,
    'vmid': limits.VMID,
    'limit': limits.Limit(minimum=0, schema=('GET', '/nodes/{node}/tasks', 'limit')),
    'log_lines': limits.Limit(minimum=0, schema=('GET', '/nodes/{node}/tasks/{upid}/log', 'limit')),
}

MODULE_KWARGS = dict(supports_check_mode=True, mutually_exclusive=[('upid', 'node')], limits=LIMITS)


def run(pve):
    return task_facts(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
