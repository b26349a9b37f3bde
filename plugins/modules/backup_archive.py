#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: backup_archive
short_description: Copy a vzdump backup archive onto a Proxmox VE backup storage, or delete it
version_added: 0.1.0
description:
  - PVE's upload API takes ISO images, container templates and import files only, so this module copies a vzdump
    archive from the controller over SFTP into the C(dump/) directory of a backup storage on a node (the node's
    host key verified, see the SSH options), where PVE lists it as a backup volume, ready for M(pve.ops.restore).
  - The storage must be a C(dir), C(nfs) or C(cifs) storage that takes C(backup) content; others are refused
    before anything is sent.
  - The archive is copied to a hidden temporary name first; its sha256 is computed on the node and compared with
    the local file's, and only a verified copy is renamed to its name. Then the module checks that PVE lists it
    (C(GET /nodes/{node}/storage/{storage}/content?content=backup)) and returns its volume ID.
  - An archive of the same name and the same sha256 already there is no change (nothing is written); other content
    under that name is refused unless O(force=true).
  - O(state=absent) deletes the backup through the API (C(DELETE /nodes/{node}/storage/{storage}/content/{volume})).
  - Check mode writes nothing (over SSH neither); comparing an archive already there reads its checksum on the node.
author:
  - pve.ops developers (@pve-ops)
options:
  node:
    description:
      - The node to copy the archive to (for a shared storage, any node that mounts it).
    type: str
    required: true
  storage:
    description:
      - The backup storage (type C(dir), C(nfs) or C(cifs), with C(backup) in its content).
    type: str
    required: true
  src:
    description:
      - The archive on the controller (required with O(state=present)).
    type: path
  name:
    description:
      - The archive's file name on the storage, by default the file name of O(src).
      - It must be a vzdump archive name, C(vzdump-{qemu,lxc}-<vmid>-<YYYY_MM_DD-HH_MM_SS>.{vma,tar}[.zst|.gz|.lzo])
        (C(.vma) for a VM, C(.tar) for a container), as PVE lists no other file of C(dump/) as a backup.
    type: str
  state:
    description:
      - Whether the archive is on the storage.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - With O(state=present), replace an archive of the same name that holds other content.
      - With O(state=absent), remove the protection of a protected backup and delete it.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for the delete task.
    type: int
    default: 600
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.ssh
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.BACKUP_ARCHIVE
notes:
  - The copy is not an API call, so PVE's privileges do not govern it; it needs SSH access to the node as a user that
    may write the storage's C(dump/) directory and run C(sha256sum) (C(root) by default). The API credentials need
    C(Datastore.AllocateSpace) on the storage (and C(VM.Backup) on the guest) for PVE to list the backup to them.
  - The file name is checked against PVE's archive pattern (letters, digits, C(_), C(-), C(.) only) before it is
    used in a path; no option is put into a command line otherwise.
seealso:
  - module: pve.ops.restore
  - module: pve.ops.storage_content
'''

EXAMPLES = r'''
- name: Copy a VM backup made on another cluster onto the NFS backup storage
  pve.ops.backup_archive:
    node: pve1
    storage: backup-nfs
    src: /srv/backups/vzdump-qemu-100-2026_11_25-14_00_00.vma.zst
    ssh_private_key_file: ~/.ssh/id_ed25519
    ssh_host_key_fingerprint: SHA256:7Xcd3ZlG1v0dq8eN8g8l2mW8Yb5m0r8m4vYq1c2WZ0s
  register: copied  # copied.volid is the archive pve.ops.restore takes

- name: Copy a container backup into the local storage, replacing one of that name with other content
  pve.ops.backup_archive:
    node: pve2
    storage: local
    src: /srv/backups/ct-200-nightly.tar.zst
    name: vzdump-lxc-200-2026_11_25-02_00_00.tar.zst
    force: true
    ssh_known_hosts: ~/.ssh/known_hosts

- name: Delete the copied archive again
  pve.ops.backup_archive:
    node: pve1
    storage: backup-nfs
    name: vzdump-qemu-100-2026_11_25-14_00_00.vma.zst
    state: absent
'''

RETURN = r'''
volid:
  description: The backup's volume ID (C(<storage>:backup/<name>)).
  returned: always
  type: str
  sample: backup-nfs:backup/vzdump-qemu-100-2026_11_25-14_00_00.vma.zst
node:
  description: The node the archive was copied to.
  returned: always
  type: str
archive:
  description:
    - The backup volume as PVE lists it after the task (predicted in check mode), with C(sha256) and the C(path)
      on the node; null when absent.
  returned: always
  type: dict
  sample: {volid: backup-nfs:backup/vzdump-qemu-100-2026_11_25-14_00_00.vma.zst, content: backup,
           format: vma.zst, size: 1048576, ctime: 1764079200, vmid: 100, subtype: qemu, protected: false,
           sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08,
           path: /mnt/pve/backup-nfs/dump/vzdump-qemu-100-2026_11_25-14_00_00.vma.zst}
tasks:
  description: The UPIDs of the tasks waited on (the delete).
  returned: when a task was waited on
  type: list
  elements: str
diff:
  description:
    - The volume ID, size and sha256 before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.backup.archive import ensure_archive
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.nodes.ssh import ssh_argument_spec


def argument_spec():
    spec = dict(
        node=dict(type='str', required=True),
        storage=dict(type='str', required=True),
        src=dict(type='path'),
        name=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        force=dict(type='bool', default=False),
        timeout=dict(type='int', default=600),
    )
    spec.update(ssh_argument_spec())
    return spec


LIMITS = {'node': limits.NODE, 'storage': limits.STORAGE_ID, 'timeout': limits.TIMEOUT, 'ssh_port': limits.PORT}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS, required_if=[('state', 'present', ('src',))],
                     mutually_exclusive=[('ssh_known_hosts', 'ssh_host_key_fingerprint')])


def run(pve):
    return ensure_archive(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
