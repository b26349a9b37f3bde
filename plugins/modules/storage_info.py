#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: storage_info
short_description: Read Proxmox VE storage definitions, their space per node and their content
version_added: 0.1.0
description:
  - Returns the storage definitions (C(/storage)), the status of each storage per node (active, total, used,
    available), and, for one storage, its content (volumes) filtered by content type and guest.
author:
  - pve.ops developers (@pve-ops)
options:
  name:
    description: Only this storage.
    type: str
    aliases: [storage]
  node:
    description:
      - Only the status on this node; the node the content is read through (default the first node where the
        storage is available).
    type: str
  gather:
    description:
      - The subsets to read. C(content) needs O(name).
    type: list
    elements: str
    choices: [config, status, content]
    default: [config, status]
  content:
    description: Only volumes of this content type.
    type: str
    choices: [images, rootdir, vztmpl, iso, backup, snippets, import]
  vmid:
    description: Only volumes of this guest.
    type: int
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.STORAGE_INFO
'''

EXAMPLES = r'''
- name: Every storage and its space per node
  pve.ops.storage_info:
  register: storages

- name: The backups of VM 100 on backup-nfs
  pve.ops.storage_info:
    name: backup-nfs
    gather: [content]
    content: backup
    vmid: 100
  register: backups
'''

RETURN = r'''
storages:
  description: The storage definitions (content and nodes as lists, C(enabled) as a boolean).
  returned: when config is gathered
  type: list
  elements: dict
  sample: [{storage: local, type: dir, path: /var/lib/vz, content: [backup, iso, vztmpl], enabled: true}]
status:
  description: One entry per storage and node, with sizes in bytes.
  returned: when status is gathered
  type: list
  elements: dict
  sample: [{node: pve1, storage: local, type: dir, active: 1, enabled: 1, shared: 0, total: 107374182400,
            used: 4229745868, avail: 103144436532, used_fraction: 0.039}]
content:
  description: The volumes (volid, content, format, size, ctime, vmid, notes, protected, verification, subtype).
  returned: when content is gathered
  type: list
  elements: dict
  sample: [{volid: "backup-nfs:backup/vzdump-qemu-100-2025_11_23-02_00_04.vma.zst", content: backup,
            format: vma.zst, size: 2576980377, ctime: 1763863204, vmid: 100, notes: web01, protected: false,
            subtype: qemu}]
node:
  description: The node the content was read through.
  returned: when content is gathered
  type: str
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.storage.info import storage_facts


def argument_spec():
    return dict(
        name=dict(type='str', aliases=['storage']),
        node=dict(type='str'),
        gather=dict(type='list', elements='str', choices=['config', 'status', 'content'],
                    default=['config', 'status']),
        content=dict(type='str', choices=['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import']),
        vmid=dict(type='int'),
    )


LIMITS = {'name': limits.STORAGE_ID, 'node': limits.NODE, 'vmid': limits.VMID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return storage_facts(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
