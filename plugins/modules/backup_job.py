#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: backup_job
short_description: Manage scheduled Proxmox VE backup jobs
version_added: 0.1.0
description:
  - Creates, updates and removes the cluster's backup jobs (C(/cluster/backup)) with their schedule, the
    guests (O(vmids), O(pool), or O(all) with O(exclude)), target storage, mode, compression, retention and notes.
  - Only the options given are managed; choosing one of O(vmids), O(pool) and O(all) clears the others.
  - To prune a storage by a job's retention now, use M(pve.ops.backup_prune) with its O(pve.ops.backup_prune#module:job).
author:
  - pve.ops developers (@pve-ops)
options:
  id:
    description: The job ID (PVE would make one up; give a stable one so the task is idempotent).
    type: str
    required: true
  state:
    description: Whether the job exists.
    type: str
    choices: [present, absent]
    default: present
  schedule:
    description: When the job runs, a systemd-like calendar event (C(daily), C(sat 02:00), C(*-*-* 21:30)).
    type: str
  enabled:
    description: Whether the job runs.
    type: bool
  storage:
    description: The storage the backups go to.
    type: str
  vmids:
    description: The guests to back up.
    type: list
    elements: int
  pool:
    description: Back up the guests of this pool.
    type: str
  all:
    description: Back up every guest (but O(exclude)).
    type: bool
  exclude:
    description: Guests left out with O(all).
    type: list
    elements: int
  node:
    description: Run the job on this node only.
    type: str
  mode:
    description: The backup mode.
    type: str
    choices: [snapshot, suspend, stop]
  compress:
    description: The compression (C(0) for none).
    type: str
    choices: ['0', gzip, lzo, zstd]
  notes_template:
    description: The notes of the backups; PVE replaces C({{guestname}}), C({{vmid}}), C({{node}}) and C({{cluster}}).
    type: str
  protected:
    description: Protect the backups the job makes.
    type: bool
  mailto:
    description: Mail addresses or users notified about the job.
    type: str
  comment:
    description: A description of the job.
    type: str
  retention:
    description: Which backups the job keeps after each run (C(prune-backups)); default the storage's.
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.retention
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.BACKUP_JOB
'''

EXAMPLES = r'''
- name: Nightly backups of the production pool, a week of dailies and a month of weeklies
  pve.ops.backup_job:
    id: nightly-prod
    schedule: "02:00"
    pool: prod
    storage: backup-nfs
    mode: snapshot
    compress: zstd
    notes_template: "{{ '{{' }}guestname{{ '}}' }} nightly"
    retention:
      keep_daily: 7
      keep_weekly: 4

- name: Remove the job
  pve.ops.backup_job:
    id: nightly-prod
    state: absent
'''

RETURN = r'''
job:
  description: The job as PVE returns it (vmid and exclude as lists, retention as a dict).
  returned: when state is present
  type: dict
  sample: {id: nightly-prod, type: vzdump, schedule: "02:00", pool: prod, storage: backup-nfs, enabled: true,
           prune-backups: {keep_daily: 7, keep_weekly: 4}}
diff:
  description:
    - The backup job before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.backup.jobs import ensure_job
from ansible_collections.pve.ops.plugins.module_utils.module import run_module
from ansible_collections.pve.ops.plugins.module_utils.storage.content import retention_argument_spec


def argument_spec():
    return dict(
        id=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        schedule=dict(type='str'),
        enabled=dict(type='bool'),
        storage=dict(type='str'),
        vmids=dict(type='list', elements='int'),
        pool=dict(type='str'),
        all=dict(type='bool'),
        exclude=dict(type='list', elements='int'),
        node=dict(type='str'),
        mode=dict(type='str', choices=['snapshot', 'suspend', 'stop']),
        compress=dict(type='str', choices=['0', 'gzip', 'lzo', 'zstd']),
        notes_template=dict(type='str'),
        protected=dict(type='bool'),
        mailto=dict(type='str'),
        comment=dict(type='str'),
        retention=dict(type='dict', options=retention_argument_spec()),
    )


LIMITS = dict({
    'id': limits.Limit(format='pve-configid', schema=('POST', '/cluster/backup', 'id')),
    'schedule': limits.Limit(max_length=128, schema=('POST', '/cluster/backup', 'schedule')),
    'storage': limits.STORAGE_ID,
    'vmids': limits.VMID,
    'exclude': limits.VMID,
    'pool': limits.POOL_ID,
    'node': limits.NODE,
    'comment': limits.Limit(max_length=512, schema=('POST', '/cluster/backup', 'comment')),
    'notes_template': limits.Limit(max_length=1024, schema=('POST', '/cluster/backup', 'notes-template')),
}, **limits.KEEP)

MODULE_KWARGS = dict(supports_check_mode=True, mutually_exclusive=[('vmids', 'pool', 'all')], limits=LIMITS)


def run(pve):
    return ensure_job(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
