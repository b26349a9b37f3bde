#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: task
short_description: Stop a running Proxmox VE worker task
version_added: 0.1.0
description:
  - Stops the worker task O(upid) (a backup, a restore, a start, a migration, ...) as the task list's Stop
    button does (C(DELETE /nodes/{node}/tasks/{upid})); its node is taken from the UPID.
  - PVE sends the worker a signal; the task ends with an error exit status such as C(interrupted by signal)
    or C(received interrupt), and releases the guest's lock.
  - A task that has already stopped is left alone (changed false, no write request).
  - Stopping a task of another user needs C(Sys.Modify) on C(/nodes/{node}).
author:
  - pve.ops developers (@pve-ops)
options:
  upid:
    description:
      - The task's UPID, for example from the C(tasks) result of another module or from M(pve.ops.task_info).
    type: str
    required: true
  state:
    description:
      - V(stopped) stops the task if it still runs.
    type: str
    choices: [stopped]
    default: stopped
  wait:
    description:
      - Wait until the task has stopped and return its final status.
    type: bool
    default: true
  timeout:
    description:
      - With O(wait), seconds to wait for the task to stop before failing.
    type: int
    default: 60
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.TASK
'''

EXAMPLES = r'''
- name: Stop a task another module left running (for example pve.ops.vm with wait false)
  pve.ops.task:
    upid: "{{ start.tasks[0] }}"
    state: stopped
  register: stopped

- name: Ask a task to stop and return at once
  pve.ops.task:
    upid: "UPID:pve1:000A1B2C:03F4E5D6:6744A1C0:vzdump:100:root@pam:"
    wait: false
'''

RETURN = r'''
task:
  description: The task's status; with O(wait), its final status once stopped.
  returned: success
  type: dict
  contains:
    upid:
      description: The task's UPID.
      type: str
    node:
      description: The node the task runs on.
      type: str
    type:
      description: The task type, for example C(vzdump) or C(qmstart).
      type: str
    id:
      description: The task's object, for example the vmid.
      type: str
    user:
      description: The user that started the task.
      type: str
    status:
      description: C(running) or C(stopped).
      type: str
    exitstatus:
      description: "C(OK), C(WARNINGS: n) or the error message, once stopped."
      type: str
  sample: {upid: "UPID:pve1:000003E8:00001B58:6744A1C0:vzdump:100:root@pam:", node: pve1, type: vzdump,
           id: '100', user: root@pam, status: stopped, exitstatus: interrupted by signal}
diff:
  description: The task's status before and after.
  returned: success
  type: dict
  sample: {before: {status: running}, after: {status: stopped, exitstatus: interrupted by signal}}
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.task_stop import stop_task


def argument_spec():
    return dict(
        upid=dict(type='str', required=True),
        state=dict(type='str', choices=['stopped'], default='stopped'),
        wait=dict(type='bool', default=True),
        timeout=dict(type='int', default=60),
    )


LIMITS = {'timeout': limits.TIMEOUT}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    p = pve.params
    return stop_task(pve, p['upid'], wait=p['wait'], timeout=p['timeout'])


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
