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

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, limits
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.storage import (
    backups_visible,
    get_storage,
    list_content,
    list_storages,
    pick_node,
    require_backups_visible,
    require_storage_visible,
    storage_status,
    storage_view,
)


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
    p, client = pve.params, pve.client
    out = dict(changed=False)
    if 'content' in p['gather'] and not p['name']:
        raise errors.InvalidArgumentError('gather content needs name (the storage to list)', field='name')
    if pve.check_mode and p['name'] and get_storage(client, p['name']) is None:
        # Check mode of a play that creates the storage first: there is nothing to read yet.
        require_storage_visible(client, p['name'])
        pve.warn('storage {0!r} does not exist yet: check mode takes it as made by an earlier task of the play; it '
                 'holds nothing yet'.format(p['name']))
        empty = dict(config=('storages', []), status=('status', []), content=('content', []))
        out.update(empty[g] for g in p['gather'])
        return out
    if 'config' in p['gather']:
        out['storages'] = [storage_view(s) for s in list_storages(client)
                           if p['name'] is None or s.get('storage') == p['name']]
        if p['name'] and not out['storages']:
            require_storage_visible(client, p['name'])
            raise errors.NotFoundError('storage {0!r} does not exist'.format(p['name']))
    if 'status' in p['gather']:
        out['status'] = storage_status(client, p['node'], p['name'])
    if 'content' in p['gather']:
        node = pick_node(client, p['name'], p['node'])
        items = list_content(client, node, p['name'], content=p['content'], vmid=p['vmid'])
        if p['content'] in (None, 'backup') and not backups_visible(client, p['name'], p['vmid']):
            if p['vmid'] is not None and not items:
                require_backups_visible(client, p['name'], p['vmid'], 'guest {0} has backups there'.format(p['vmid']))
            pve.warn('PVE lists a backup only to Datastore.Allocate on /storage/{0}, or Datastore.AllocateSpace '
                     'there and VM.Backup on its guest: backups these credentials may not see are not in '
                     'content'.format(p['name']))
        for item in items:
            if 'protected' in item or item.get('content') == 'backup':
                item['protected'] = codec.is_true(item.get('protected'))
        out.update(content=items, node=node)
    return out


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
