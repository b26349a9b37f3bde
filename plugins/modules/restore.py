#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: restore
short_description: Restore a Proxmox VE VM or container from a backup
version_added: 0.1.0
description:
  - Recreates a guest from a vzdump backup volume; the kind (VM or container) comes from the archive.
  - When a guest with the vmid exists, the task fails and nothing is restored, unless O(skip_existing=true)
    (the guest is left alone and the task reports no change, so a restore play can run again) or
    O(force=true) (the stopped guest is overwritten with the backup).
  - With O(force=true) every run restores again (not idempotent).
author:
  - pve.ops developers (@pve-ops)
options:
  archive:
    description: The backup volume ID, for example C(backup-nfs:backup/vzdump-qemu-100-2026_11_25-14_00_00.vma.zst).
    type: str
    required: true
  node:
    description: The node to restore on (for a backup on a local storage, the node that holds it).
    type: str
    required: true
  vmid:
    description: The vmid of the restored guest (default the one in the backup).
    type: int
  storage:
    description: The storage for the guest's disks (default the storages they were on).
    type: str
  pool:
    description: Add the restored guest to this pool.
    type: str
  unique:
    description: Give the restored guest new MAC addresses (and for VMs a new SMBIOS UUID).
    type: bool
  start:
    description: Start the guest once restored.
    type: bool
  force:
    description: Overwrite an existing, stopped guest with the same vmid (not with O(skip_existing)).
    type: bool
    default: false
  skip_existing:
    description:
      - When a guest with the vmid exists, leave it alone and report no change (RV(restored) is false), instead
        of failing. For plays that run again after the guests were restored.
      - A guest of the other kind (a container where the archive holds a VM) is never skipped; the task fails.
    type: bool
    default: false
  guest_type:
    description:
      - The kind of guest the archive must hold, C(qemu) (a VM) or C(lxc) (a container); the task fails,
        before any write, when it holds the other kind. Default either.
    type: str
    choices: [qemu, lxc]
  timeout:
    description: Seconds to wait for the restore task.
    type: int
    default: 3600
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.RESTORE
'''

EXAMPLES = r'''
- name: Restore VM 100 from its latest backup
  pve.ops.restore:
    archive: "{{ backups.content | selectattr('vmid', 'equalto', 100) | map(attribute='volid') | max }}"
    node: pve1

- name: Disaster recovery that can run again (a guest restored before is left alone)
  pve.ops.restore:
    archive: backup-nfs:backup/vzdump-qemu-100-2026_11_25-14_00_00.vma.zst
    node: pve1
    skip_existing: true

- name: Restore a container as a copy with a new vmid and new MACs
  pve.ops.restore:
    archive: backup-nfs:backup/vzdump-lxc-200-2026_11_25-14_00_00.tar.zst
    node: pve2
    vmid: 250
    unique: true
    storage: local-lvm
'''

RETURN = r'''
guest:
  description: The restored (or existing) guest, with its config.
  returned: always
  type: dict
  sample: {vmid: 100, node: pve1, type: qemu, name: web01, status: stopped, config: {memory: '4096', cores: 2}}
restored:
  description: Whether the module restored the backup (false when the guest existed and O(skip_existing) left it alone).
  returned: always
  type: bool
diff:
  description:
    - The guest before and after the restore (none before a new one), as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.backup.restore import restore
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        archive=dict(type='str', required=True),
        node=dict(type='str', required=True),
        vmid=dict(type='int'),
        storage=dict(type='str'),
        pool=dict(type='str'),
        unique=dict(type='bool'),
        start=dict(type='bool'),
        force=dict(type='bool', default=False),
        skip_existing=dict(type='bool', default=False),
        guest_type=dict(type='str', choices=['qemu', 'lxc']),
        timeout=dict(type='int', default=3600),
    )


LIMITS = {
    'archive': limits.Limit(max_length=255, schema=('POST', '/nodes/{node}/qemu', 'archive')),
    'node': limits.NODE,
    'vmid': limits.VMID,
    'storage': limits.STORAGE_ID,
    'pool': limits.POOL_ID,
    'timeout': limits.TIMEOUT,
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return restore(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
