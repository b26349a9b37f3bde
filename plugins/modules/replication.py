#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: replication
short_description: Manage Proxmox VE storage replication jobs
version_added: 0.1.0
description:
  - Creates, updates or removes the storage replication job of a guest to a target node
    (C(/cluster/replication)). PVE keeps one job per guest and target; a new job gets the lowest free job
    number (its id is C(<vmid>-<jobnum>)).
  - PVE replicates only disks on storages that can (ZFS pools); it refuses a guest with any other disk.
  - Options left out are left alone on an existing job.
  - Removing a job makes PVE remove the replicated volumes on the target as well.
author:
  - pve.ops developers (@pve-ops)
options:
  vmid:
    description:
      - The guest (VM or container) to replicate.
    type: int
    required: true
  target:
    description:
      - The node to replicate to (not the guest's own node).
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the job, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  schedule:
    description:
      - When the job runs, a calendar event (PVE's default V(*/15), every 15 minutes); an empty string puts the
        default back.
    type: str
  rate:
    description:
      - The bandwidth limit in MB/s; V(0) removes the limit.
    type: float
  comment:
    description:
      - A comment; an empty string removes it.
    type: str
  enabled:
    description:
      - Whether the job runs (PVE's C(disable), inverted).
    type: bool
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.REPLICATION
'''

EXAMPLES = r'''
- name: Replicate the database VM to pve2 every 5 minutes
  pve.ops.replication:
    vmid: 150
    target: pve2
    schedule: '*/5'
    rate: 50

- name: Stop replicating it
  pve.ops.replication:
    vmid: 150
    target: pve2
    state: absent
'''

RETURN = r'''
replication:
  description: The job after the change (predicted in check mode), PVE's defaults filled in; null when absent.
  returned: always
  type: dict
  contains:
    id:
      description: The job's id, C(<vmid>-<jobnum>).
      type: str
    vmid:
      description: The guest.
      type: int
    jobnum:
      description: The job number.
      type: int
    target:
      description: The target node.
      type: str
    schedule:
      description: When the job runs.
      type: str
    rate:
      description: The bandwidth limit in MB/s, null for none.
      type: float
    comment:
      description: The comment.
      type: str
    enabled:
      description: Whether the job runs.
      type: bool
  sample: {id: 150-0, vmid: 150, jobnum: 0, target: pve2, schedule: '*/5', rate: 50.0, comment: '', enabled: true}
diff:
  description:
    - The job before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.cluster.replication import ensure_replication
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        vmid=dict(type='int', required=True),
        target=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        schedule=dict(type='str'),
        rate=dict(type='float'),
        comment=dict(type='str'),
        enabled=dict(type='bool'),
    )


LIMITS = {
    'vmid': limits.VMID,
    'target': limits.NODE,
    'schedule': limits.Limit(max_length=128, schema=('POST', '/cluster/replication', 'schedule')),
    'comment': limits.Limit(max_length=4096, schema=('POST', '/cluster/replication', 'comment')),
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_replication(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
