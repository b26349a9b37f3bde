#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: snapshot
short_description: Create, delete and roll back snapshots of Proxmox VE VMs and containers
version_added: 0.1.0
description:
  - Manages one snapshot of a guest, a VM or a container (the type is found from the cluster's resources).
  - V(present) takes the snapshot if it does not exist, and sets its description if that differs.
    V(absent) deletes it. V(rollback) restores the guest to it (always a change; the snapshot must exist).
  - To list snapshots use M(pve.ops.vm_info) or M(pve.ops.container_info) with C(gather=[snapshots]).
author:
  - pve.ops developers (@pve-ops)
options:
  vmid:
    description: The guest's ID.
    type: int
  name:
    description: The guest's name (unique in the cluster), when O(vmid) is not given.
    type: str
  snapname:
    description:
      - The snapshot's name.
      - PVE takes no snapshot of a template; taking one is refused before any write.
    type: str
    required: true
  state:
    description: What to do with the snapshot.
    type: str
    choices: [present, absent, rollback]
    default: present
  description:
    description: The snapshot's description.
    type: str
  vmstate:
    description:
      - Save the VM's RAM with the snapshot (VMs only; ignored for a stopped VM). Used when the snapshot is
        taken.
    type: bool
  start:
    description: With O(state=rollback), start the guest after the rollback.
    type: bool
  guest_type:
    description:
      - The kind of guest the snapshot must be of, V(qemu) (a VM) or V(lxc) (a container); a guest of the other
        kind is refused before any write. Default either.
    type: str
    choices: [qemu, lxc]
  wait:
    description: Wait for the task to finish.
    type: bool
    default: true
  timeout:
    description: Seconds to wait for the task.
    type: int
    default: 300
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.SNAPSHOT
'''

EXAMPLES = r'''
- name: Snapshot web01 before the upgrade, with its RAM
  pve.ops.snapshot:
    name: web01
    snapname: pre-upgrade
    description: before the kernel upgrade
    vmstate: true

- name: Roll back if it went wrong
  pve.ops.snapshot:
    name: web01
    snapname: pre-upgrade
    state: rollback

- name: Drop a container snapshot
  pve.ops.snapshot:
    vmid: 200
    snapname: pre-upgrade
    state: absent
'''

RETURN = r'''
snapshot:
  description: The snapshot after the run (null when it is absent).
  returned: always
  type: dict
  contains:
    name:
      description: The snapshot's name.
      type: str
    description:
      description: Its description.
      type: str
    snaptime:
      description: When it was taken (seconds since the epoch).
      type: int
    vmstate:
      description: Whether it holds the VM's RAM.
      type: bool
    parent:
      description: The snapshot it was taken after.
      type: str
  sample: {name: pre-upgrade, description: before the kernel upgrade, snaptime: 1764000000, vmstate: true}
guest:
  description: The guest (vmid, name, node, type C(qemu) or C(lxc)).
  returned: always
  type: dict
  sample: {vmid: 100, name: web01, node: pve1, type: qemu}
diff:
  description: The snapshot before and after.
  returned: always
  type: dict
tasks:
  description: The UPIDs of the PVE tasks the module waited for, in order.
  returned: when a task ran
  type: list
  elements: str
  sample: ['UPID:pve1:0000A1B2:00C3D4E5:65A1B2C3:vzdump:100:root@pam:']
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.guests.actions import DEFAULT_TIMEOUT
from ansible_collections.pve.ops.plugins.module_utils.guests.snapshots import SNAPSHOT_STATES, ensure_snapshot
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        vmid=dict(type='int'),
        name=dict(type='str'),
        snapname=dict(type='str', required=True),
        state=dict(type='str', choices=list(SNAPSHOT_STATES), default='present'),
        description=dict(type='str'),
        vmstate=dict(type='bool'),
        start=dict(type='bool'),
        guest_type=dict(type='str', choices=['qemu', 'lxc']),
        wait=dict(type='bool', default=True),
        timeout=dict(type='int', default=DEFAULT_TIMEOUT),
    )


LIMITS = {
    'vmid': limits.VMID,
    'snapname': limits.Limit(format='pve-configid', max_length=40,
                             schema=('POST', '/nodes/{node}/qemu/{vmid}/snapshot', 'snapname')),
    'timeout': limits.TIMEOUT,
}

MODULE_KWARGS = dict(
    supports_check_mode=True,
    required_one_of=[('vmid', 'name')],
    limits=LIMITS,
)


def run(pve):
    return ensure_snapshot(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
