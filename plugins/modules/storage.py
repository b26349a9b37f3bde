#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: storage
short_description: Manage Proxmox VE storage definitions
version_added: 0.1.0
description:
  - Creates, updates and removes storage definitions of the cluster (C(/storage)).
  - The common types have their options by name (dir, nfs, cifs, lvm, lvmthin, zfspool, pbs); any other
    option, and other types, go through O(options).
  - Only the options given are managed; others are left as they are.
  - PVE cannot change the type of a storage, nor options fixed at creation (path, server, export, share,
    vgname, thinpool, pool, datastore, subdir); the module refuses such a change before any write.
author:
  - pve.ops developers (@pve-ops)
options:
  name:
    description: The storage ID.
    type: str
    required: true
    aliases: [storage]
  state:
    description: Whether the storage is defined.
    type: str
    choices: [present, absent]
    default: present
  type:
    description:
      - The storage type. Required to create a storage.
    type: str
    choices: [dir, nfs, cifs, cephfs, btrfs, lvm, lvmthin, zfspool, zfs, rbd, iscsi, iscsidirect, pbs, esxi]
  content:
    description: The content types the storage holds.
    type: list
    elements: str
  nodes:
    description: The nodes the storage is available on; an empty list makes it available on all nodes.
    type: list
    elements: str
  shared:
    description: The storage is the same on every node (for dir and lvm; network storages are always shared).
    type: bool
  enabled:
    description: Whether the storage is enabled (PVE's C(disable) flag, inverted).
    type: bool
  path:
    description: The file system path (dir, btrfs; the mount point of nfs, cifs and cephfs).
    type: path
  server:
    description: The server address (nfs, cifs, pbs).
    type: str
  export:
    description: The NFS export path.
    type: str
  share:
    description: The CIFS share.
    type: str
  subdir:
    description: The subdirectory of the share to mount (cifs).
    type: str
  username:
    description: The user name (cifs, pbs).
    type: str
  password:
    description:
      - The password (cifs, pbs). PVE never returns it, so it is only compared by O(update_secrets).
    type: str
  domain:
    description: The CIFS domain.
    type: str
  vgname:
    description: The LVM volume group (lvm, lvmthin).
    type: str
  thinpool:
    description: The LVM thin pool (lvmthin).
    type: str
  pool:
    description: The ZFS pool or dataset (zfspool).
    type: str
  datastore:
    description: The Proxmox Backup Server datastore (pbs).
    type: str
  namespace:
    description: The Proxmox Backup Server namespace (pbs).
    type: str
  fingerprint:
    description: The Proxmox Backup Server certificate fingerprint (pbs).
    type: str
  port:
    description: The Proxmox Backup Server port (pbs).
    type: int
  encryption_key:
    description:
      - The client-side encryption key of a pbs storage (JSON, or C(autogen)). Never returned.
    type: str
  retention:
    description:
      - The storage's default backup retention (C(prune-backups)).
      - Only storages that can hold backups take it (types C(dir), C(nfs), C(cifs), C(cephfs), C(btrfs) and C(pbs)).
  options:
    description:
      - Other storage.cfg options by their PVE name, for example C(mkdir) or C(max-protected-backups).
    type: dict
  update_secrets:
    description:
      - C(on_create) sets O(password) and O(encryption_key) only when the storage is created (idempotent);
        C(always) sends them on every run (always reports a change).
    type: str
    choices: [always, on_create]
    default: on_create
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.retention
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.STORAGE
'''

EXAMPLES = r'''
- name: A shared NFS storage for backups with retention
  pve.ops.storage:
    name: backup-nfs
    type: nfs
    server: 192.0.2.50
    export: /srv/pve-backup
    content: [backup]
    retention:
      keep_daily: 7
      keep_weekly: 4

- name: A directory storage for ISO images on two nodes
  pve.ops.storage:
    name: isos
    type: dir
    path: /srv/isos
    content: [iso, vztmpl]
    nodes: [pve1, pve2]

- name: A Proxmox Backup Server datastore
  pve.ops.storage:
    name: pbs
    type: pbs
    server: pbs.example.com
    datastore: main
    username: backup@pbs
    password: "{{ vault_pbs_password }}"
    fingerprint: "AB:CD:..."

- name: Remove a storage definition (the data stays where it is)
  pve.ops.storage:
    name: old-nfs
    state: absent
'''

RETURN = r'''
storage:
  description: The storage definition after the change (secrets are never returned by PVE).
  returned: when state is present
  type: dict
  sample: {storage: backup-nfs, type: nfs, server: 192.0.2.50, export: /srv/pve-backup, content: [backup],
           enabled: true, prune-backups: {keep_daily: 7, keep_weekly: 4}}
diff:
  description:
    - The storage definition before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.storage.content import retention_argument_spec
from ansible_collections.pve.ops.plugins.module_utils.storage.definitions import STORAGE_TYPES, ensure_storage


def argument_spec():
    return dict(
        name=dict(type='str', required=True, aliases=['storage']),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        type=dict(type='str', choices=list(STORAGE_TYPES)),
        content=dict(type='list', elements='str'),
        nodes=dict(type='list', elements='str'),
        shared=dict(type='bool'),
        enabled=dict(type='bool'),
        path=dict(type='path'),
        server=dict(type='str'),
        export=dict(type='str'),
        share=dict(type='str'),
        subdir=dict(type='str'),
        username=dict(type='str'),
        password=dict(type='str', no_log=True),
        domain=dict(type='str'),
        vgname=dict(type='str'),
        thinpool=dict(type='str'),
        pool=dict(type='str'),
        datastore=dict(type='str'),
        namespace=dict(type='str'),
        fingerprint=dict(type='str'),
        port=dict(type='int'),
        encryption_key=dict(type='str', no_log=True),
        retention=dict(type='dict', options=retention_argument_spec()),
        options=dict(type='dict'),
        update_secrets=dict(type='str', choices=['always', 'on_create'], default='on_create', no_log=False),
    )


LIMITS = dict({
    'name': limits.STORAGE_ID,
    'nodes': limits.NODE,
    'port': limits.PORT,
    'password': limits.Limit(max_length=256, schema=('POST', '/storage', 'password')),
    'domain': limits.Limit(max_length=256, schema=('POST', '/storage', 'domain')),
    'vgname': limits.Limit(format='pve-storage-vgname', schema=('POST', '/storage', 'vgname')),
    'thinpool': limits.Limit(format='pve-storage-vgname', schema=('POST', '/storage', 'thinpool')),
    'fingerprint': limits.Limit(pattern=r'([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}',
                                schema=('POST', '/storage', 'fingerprint')),
}, **limits.KEEP)

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_storage(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
