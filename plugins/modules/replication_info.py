#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: replication_info
short_description: Read Proxmox VE storage replication jobs and their status
version_added: 0.1.0
description:
  - Reads the replication jobs (C(GET /cluster/replication)) and, with V(status) in O(gather), each online
    node's replication status (C(GET /nodes/{node}/replication)).
author:
  - pve.ops developers (@pve-ops)
options:
  gather:
    description:
      - The subsets to read.
    type: list
    elements: str
    choices: [jobs, status]
    default: [jobs]
  vmid:
    description:
      - Only the jobs of this guest.
    type: int
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.REPLICATION_INFO
'''

EXAMPLES = r'''
- name: Replication jobs and how they run
  pve.ops.replication_info:
    gather: [jobs, status]
  register: replication
'''

RETURN = r'''
jobs:
  description: The jobs, as M(pve.ops.replication) returns one.
  returned: when O(gather) has V(jobs)
  type: list
  elements: dict
  sample: [{id: 150-0, vmid: 150, jobnum: 0, target: pve2, schedule: '*/15', rate: null, comment: '', enabled: true}]
status:
  description: PVE's status entries of the jobs, per source node (last and next sync, failures, duration).
  returned: when O(gather) has V(status)
  type: list
  elements: dict
  sample: [{id: 150-0, guest: 150, source: pve1, target: pve2, last_sync: 0, fail_count: 0}]
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.cluster.replication import (
    REPLICATION_INFO_GATHER,
    replication_facts,
)
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        gather=dict(type='list', elements='str', choices=list(REPLICATION_INFO_GATHER), default=['jobs']),
        vmid=dict(type='int'),
    )


LIMITS = {'vmid': limits.VMID}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return replication_facts(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
