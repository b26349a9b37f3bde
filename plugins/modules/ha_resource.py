#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ha_resource
short_description: Manage Proxmox VE high availability resources
version_added: 0.1.0
description:
  - Puts a guest under high availability (an HA resource, C(/cluster/ha/resources)), sets its requested
    state and its restart and relocate limits, or removes it from HA.
  - The guest is named by O(sid) (V(vm:100), V(ct:200), or a bare vmid), O(vmid) or O(name) (unique in the
    cluster); a vmid or name is looked up in the cluster resources.
  - Options left out are left alone on an existing resource; a new one gets PVE's defaults (requested state
    started, max_restart and max_relocate 1).
  - Removing the resource (O(state=absent)) leaves the guest itself as it is, running or not.
author:
  - pve.ops developers (@pve-ops)
options:
  sid:
    description:
      - The HA resource id, V(vm:<vmid>) or V(ct:<vmid>), or a bare vmid.
    type: str
  vmid:
    description:
      - The guest's vmid (instead of O(sid)).
    type: int
  name:
    description:
      - The guest's name, unique in the cluster (instead of O(sid)).
    type: str
  state:
    description:
      - V(present) creates or updates the HA resource, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  ha_state:
    description:
      - "The requested state of the resource (PVE's C(state) option): V(started) keeps the guest running,
        V(stopped) keeps it stopped, V(disabled) stops it and does not recover it, V(ignored) leaves the guest
        to manual control."
      - The HA manager acts on it asynchronously; the module does not wait for the guest to follow.
    type: str
    choices: [started, stopped, disabled, ignored]
  max_restart:
    description:
      - How often the HA manager restarts the guest on its node after a failed start.
    type: int
  max_relocate:
    description:
      - How often the HA manager moves the guest to another node after failed starts.
    type: int
  comment:
    description:
      - A comment; an empty string removes it.
    type: str
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.HA_RESOURCE
notes:
  - HA groups (deprecated in PVE 9) and HA rules (node and resource affinity) are not managed by this module.
'''

EXAMPLES = r'''
- name: Keep web01 running under HA
  pve.ops.ha_resource:
    name: web01
    max_restart: 2
    comment: Front end

- name: Keep container 200 stopped
  pve.ops.ha_resource:
    sid: ct:200
    ha_state: stopped

- name: Take VM 100 out of HA (the VM keeps running)
  pve.ops.ha_resource:
    vmid: 100
    state: absent
'''

RETURN = r'''
sid:
  description: The HA resource id.
  returned: always
  type: str
  sample: vm:100
ha_resource:
  description: The resource after the change (predicted in check mode), PVE's defaults filled in; null when absent.
  returned: always
  type: dict
  contains:
    sid:
      description: The HA resource id.
      type: str
    type:
      description: V(vm) or V(ct).
      type: str
    vmid:
      description: The guest's vmid.
      type: int
    state:
      description: The requested state.
      type: str
    max_restart:
      description: Restarts on the same node after a failed start.
      type: int
    max_relocate:
      description: Moves to another node after failed starts.
      type: int
    comment:
      description: The comment.
      type: str
  sample: {sid: vm:100, type: vm, vmid: 100, state: started, max_restart: 1, max_relocate: 1, comment: ''}
diff:
  description:
    - The HA resource before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.cluster.ha import HA_STATES, ensure_ha_resource
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        sid=dict(type='str'),
        vmid=dict(type='int'),
        name=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        ha_state=dict(type='str', choices=list(HA_STATES)),
        max_restart=dict(type='int'),
        max_relocate=dict(type='int'),
        comment=dict(type='str'),
    )


LIMITS = {
    'vmid': limits.VMID,
    'max_restart': limits.Limit(minimum=0, schema=('POST', '/cluster/ha/resources', 'max_restart')),
    'max_relocate': limits.Limit(minimum=0, schema=('POST', '/cluster/ha/resources', 'max_relocate')),
    'comment': limits.Limit(max_length=4096, schema=('POST', '/cluster/ha/resources', 'comment')),
}

MODULE_KWARGS = dict(supports_check_mode=True, mutually_exclusive=[('sid', 'vmid', 'name')],
                     required_one_of=[('sid', 'vmid', 'name')], limits=LIMITS)


def run(pve):
    return ensure_ha_resource(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
