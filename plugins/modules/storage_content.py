#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: storage_content
short_description: Upload, download, annotate and delete volumes on Proxmox VE storages
version_added: 0.1.0
description:
  - C(present) with O(src) uploads an ISO image, a container template or an import file from the controller
    (multipart, verified by PVE with O(checksum)); with O(url) the node downloads it. A volume that exists
    (and, for O(src), has the size of the local file) is left alone.
  - C(present) sets O(notes) and O(protected) of a backup.
  - C(absent) deletes a volume (a backup, an ISO image, a template); a protected backup is refused unless
    O(force=true).
author:
  - pve.ops developers (@pve-ops)
options:
  storage:
    description: The storage.
    type: str
    required: true
  node:
    description: The node to reach the storage through (default the first where it is available).
    type: str
  volume:
    description:
      - The volume, as a volume ID (C(local:iso/debian.iso)) or a volume name (C(iso/debian.iso)).
      - Default C(<content>/<filename>).
    type: str
  content:
    description: The content type of the volume (required with O(src) and O(url)).
    type: str
    choices: [iso, vztmpl, import, backup, snippets, images, rootdir]
  filename:
    description:
      - The file name on the storage (default the file of O(volume), else the name of O(src) or of the O(url) path).
      - With O(volume) it must be the volume's file name. PVE keeps letters, digits, C(.), C(_) and C(-) only and
        takes iso content as C(.iso)/C(.img), vztmpl as C(.tar.gz)/C(.tar.xz)/C(.tar.zst)/C(.tar.bz2), import as
        C(.ova)/C(.ovf)/C(.qcow2)/C(.raw)/C(.vmdk); other names are refused before anything is sent.
    type: str
  state:
    description: Whether the volume exists.
    type: str
    choices: [present, absent]
    default: present
  src:
    description: A file on the controller to upload.
    type: path
  url:
    description: A URL the node downloads the file from.
    type: str
  checksum:
    description: The expected checksum of the file; PVE verifies it and keeps nothing on a mismatch.
    type: str
  checksum_algorithm:
    description: The algorithm of O(checksum).
    type: str
    choices: [md5, sha1, sha224, sha256, sha384, sha512]
  verify_certificates:
    description: Whether the node verifies the TLS certificate of O(url).
    type: bool
  notes:
    description: The notes of a backup.
    type: str
  protected:
    description: Protect a backup from removal and pruning.
    type: bool
  force:
    description: With C(absent), remove the protection of a protected backup and delete it.
    type: bool
    default: false
  timeout:
    description: Seconds to wait for the upload, download or delete task.
    type: int
    default: 600
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.STORAGE_CONTENT
'''

EXAMPLES = r'''
- name: Upload an ISO image, verified
  pve.ops.storage_content:
    storage: local
    node: pve1
    content: iso
    src: files/debian-13-netinst.iso
    checksum: "{{ lookup('file', 'files/debian-13-netinst.iso.sha256') }}"
    checksum_algorithm: sha256

- name: Let the node download a container template
  pve.ops.storage_content:
    storage: local
    node: pve1
    content: vztmpl
    url: http://download.proxmox.com/images/system/debian-13-standard_13.1-2_amd64.tar.zst

- name: Protect a backup
  pve.ops.storage_content:
    storage: backup-nfs
    volume: backup/vzdump-qemu-100-2026_11_25-14_00_00.vma.zst
    protected: true
    notes: keep until the audit

- name: Delete an old ISO image
  pve.ops.storage_content:
    storage: local
    volume: local:iso/old.iso
    state: absent
'''

RETURN = r'''
volume:
  description: The volume's content entry after the change.
  returned: when state is present
  type: dict
  sample: {volid: "local:iso/debian-13-netinst.iso", content: iso, format: iso, size: 663748608, ctime: 1795615200}
node:
  description: The node the storage was reached through.
  returned: always
  type: str
diff:
  description:
    - The volume before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.storage.content import ensure_content


def argument_spec():
    return dict(
        storage=dict(type='str', required=True),
        node=dict(type='str'),
        volume=dict(type='str'),
        content=dict(type='str', choices=['iso', 'vztmpl', 'import', 'backup', 'snippets', 'images', 'rootdir']),
        filename=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        src=dict(type='path'),
        url=dict(type='str'),
        checksum=dict(type='str'),
        checksum_algorithm=dict(type='str', choices=['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']),
        verify_certificates=dict(type='bool'),
        notes=dict(type='str'),
        protected=dict(type='bool'),
        force=dict(type='bool', default=False),
        timeout=dict(type='int', default=600),
    )


LIMITS = {
    'storage': limits.STORAGE_ID,
    'node': limits.NODE,
    'filename': limits.Limit(max_length=255, schema=('POST', '/nodes/{node}/storage/{storage}/download-url',
                                                     'filename')),
    'url': limits.Limit(pattern=r'https?://.*', schema=('POST', '/nodes/{node}/storage/{storage}/download-url',
                                                        'url')),
    'timeout': limits.TIMEOUT,
}

MODULE_KWARGS = dict(supports_check_mode=True, mutually_exclusive=[('src', 'url')],
                     required_together=[('checksum', 'checksum_algorithm')], limits=LIMITS)


def run(pve):
    return ensure_content(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
