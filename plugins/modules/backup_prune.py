#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: backup_prune
short_description: Prune Proxmox VE backups by retention rules
version_added: 0.1.0
description:
  - Removes the backups on a storage that a retention does not keep, the way a backup job prunes after it ran.
  - The retention is O(retention), or the one of backup job O(job), or the storage's own C(prune-backups).
  - PVE itself decides what goes (C(GET .../prunebackups)); check mode lists it in RV(removed) without removing
    anything, so C(--check --diff) is the dry run. Protected backups are never removed.
author:
  - pve.ops developers (@pve-ops)
options:
  storage:
    description: The storage to prune (default the storage of O(job)).
    type: str
  node:
    description: The node to reach the storage through (default the first where it is available).
    type: str
  job:
    description: Take the retention (and the storage) from this backup job.
    type: str
  vmid:
    description: Only the backups of this guest.
    type: int
  guest_type:
    description: Only backups of VMs (C(qemu)) or containers (C(lxc)).
    type: str
    choices: [qemu, lxc]
  retention:
    description: The keep rules.
  timeout:
    description: Seconds to wait for the prune task.
    type: int
    default: 600
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.retention
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.BACKUP_PRUNE
'''

EXAMPLES = r'''
- name: What would a keep-last-3 retention remove? (dry run)
  pve.ops.backup_prune:
    storage: backup-nfs
    vmid: 100
    retention:
      keep_last: 3
  check_mode: true
  register: plan

- name: Prune by the nightly job's retention
  pve.ops.backup_prune:
    job: nightly-prod
'''

RETURN = r'''
removed:
  description: The backups removed (in check mode, the ones that would be).
  returned: always
  type: list
  elements: str
  sample: ["backup-nfs:backup/vzdump-qemu-100-2026_11_20-02_00_00.vma.zst"]
kept:
  description: The backups kept (by a rule, protected, or not named by vzdump).
  returned: always
  type: list
  elements: str
plan:
  description: PVE's listing, one entry per backup with volid, ctime, vmid, type and mark (keep, remove, protected, renamed).
  returned: always
  type: list
  elements: dict
node:
  description: The node the storage was reached through.
  returned: always
  type: str
storage:
  description: The storage pruned.
  returned: always
  type: str
diff:
  description:
    - The backups of the guest before and after pruning (the volumes pruned), as C(before) and C(after), for C(--diff).
  returned: always
  type: dict
  contains:
    before:
      description: The state before the task.
      type: dict
    after:
      description: The state after the task (in check mode, as it would be).
      type: dict
tasks:
  description: The UPIDs of the PVE tasks the module waited for, in order.
  returned: when a task ran
  type: list
  elements: str
  sample: ['UPID:pve1:0000A1B2:00C3D4E5:65A1B2C3:vzdump:100:root@pam:']
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.backup.prune import prune
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.storage.content import retention_argument_spec


def argument_spec():
    return dict(
        storage=dict(type='str'),
        node=dict(type='str'),
        job=dict(type='str'),
        vmid=dict(type='int'),
        guest_type=dict(type='str', choices=['qemu', 'lxc']),
        retention=dict(type='dict', options=retention_argument_spec()),
        timeout=dict(type='int', default=600),
    )


LIMITS = dict({
    'storage': limits.STORAGE_ID,
    'node': limits.NODE,
    'job': limits.Limit(format='pve-configid', schema=('POST', '/cluster/backup', 'id')),
    'vmid': limits.VMID,
    'timeout': limits.TIMEOUT,
}, **limits.KEEP)

MODULE_KWARGS = dict(supports_check_mode=True, required_one_of=[('storage', 'job')], limits=LIMITS)


def run(pve):
    return prune(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
