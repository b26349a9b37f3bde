#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: backup
short_description: Back up Proxmox VE guests now (vzdump)
version_added: 0.1.0
description:
  - Runs vzdump for the chosen guests on the nodes they live on, waits for the tasks and returns the backup
    volumes created.
  - Without O(max_age) every run makes new backups (an action, never idempotent). With O(max_age), guests
    that already have a backup on O(storage) newer than that are left alone, so the task is idempotent.
author:
  - pve.ops developers (@pve-ops)
options:
  vmids:
    description: The guests to back up.
    type: list
    elements: int
  pool:
    description: Back up the guests of this pool.
    type: str
  all:
    description: Back up every guest of the cluster (but O(exclude)).
    type: bool
  exclude:
    description: Guests left out with O(all).
    type: list
    elements: int
  guest_type:
    description:
      - Back up only VMs (C(qemu)) or only containers (C(lxc)). With O(pool) or O(all) the guests of the other
        kind are left out; with O(vmids) a guest of the other kind is an error (before any write).
    type: str
    choices: [qemu, lxc]
  storage:
    description: The storage the backups go to (a storage with content C(backup)).
    type: str
    required: true
  mode:
    description: C(snapshot) keeps the guest running, C(suspend) pauses it, C(stop) stops it during the backup.
    type: str
    choices: [snapshot, suspend, stop]
    default: snapshot
  compress:
    description: The compression (C(0) for none).
    type: str
    choices: ['0', gzip, lzo, zstd]
    default: zstd
  notes:
    description:
      - The notes template of the backups; PVE replaces C({{guestname}}), C({{vmid}}), C({{node}}) and
        C({{cluster}}) (in a playbook, escape them from Jinja, as in the example).
    type: str
  protected:
    description: Protect the new backups from removal and pruning.
    type: bool
  prune:
    description: After the backup, prune the guest's older backups by the storage's retention (vzdump C(remove)).
    type: bool
  max_age:
    description:
      - Back up only guests whose newest backup on O(storage) is older than this, for example C(12h), C(1d),
        C(3600) (seconds); units s, m, h, d, w.
    type: str
  timeout:
    description: Seconds to wait for each node's backup task.
    type: int
    default: 3600
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.BACKUP
notes:
  - Check mode reports the guests that would be backed up in RV(planned) and makes no write request.
'''

EXAMPLES = r'''
- name: Back up a VM and a container before an upgrade
  pve.ops.backup:
    vmids: [100, 200]
    storage: backup-nfs
    notes: "before upgrade of {{ '{{' }}guestname{{ '}}' }}"
  register: result

- name: At most one backup a day of the pool's guests (idempotent)
  pve.ops.backup:
    pool: prod
    storage: backup-nfs
    max_age: 1d
'''

RETURN = r'''
backups:
  description: The backup volumes created (content entries plus node and guest type).
  returned: always
  type: list
  elements: dict
  sample: [{volid: "backup-nfs:backup/vzdump-qemu-100-2026_11_25-14_00_00.vma.zst", vmid: 100, node: pve1,
            type: qemu, size: 3435973836, ctime: 1795615200, format: vma.zst}]
volids:
  description: The volume IDs of RV(backups).
  returned: always
  type: list
  elements: str
planned:
  description: The guests backed up (or, in check mode, that would be).
  returned: always
  type: list
  elements: dict
  sample: [{vmid: 100, node: pve1, type: qemu, name: web01}]
up_to_date:
  description: Guests left alone by O(max_age), with the ctime of their newest backup.
  returned: always
  type: list
  elements: dict
  sample: [{vmid: 200, newest: 1795443510}]
diff:
  description:
    - The backup before and after (none before a new one), as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.backup.vzdump import run_backup
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        vmids=dict(type='list', elements='int'),
        pool=dict(type='str'),
        all=dict(type='bool'),
        exclude=dict(type='list', elements='int'),
        guest_type=dict(type='str', choices=['qemu', 'lxc']),
        storage=dict(type='str', required=True),
        mode=dict(type='str', choices=['snapshot', 'suspend', 'stop'], default='snapshot'),
        compress=dict(type='str', choices=['0', 'gzip', 'lzo', 'zstd'], default='zstd'),
        notes=dict(type='str'),
        protected=dict(type='bool'),
        prune=dict(type='bool'),
        max_age=dict(type='str'),
        timeout=dict(type='int', default=3600),
    )


LIMITS = {
    'vmids': limits.VMID,
    'exclude': limits.VMID,
    'pool': limits.POOL_ID,
    'storage': limits.STORAGE_ID,
    'notes': limits.Limit(max_length=1024, schema=('POST', '/nodes/{node}/vzdump', 'notes-template')),
    'timeout': limits.TIMEOUT,
}

MODULE_KWARGS = dict(supports_check_mode=True, mutually_exclusive=[('vmids', 'pool', 'all')],
                     required_one_of=[('vmids', 'pool', 'all')], limits=LIMITS)


def run(pve):
    return run_backup(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
