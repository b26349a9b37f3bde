#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: alert_info
short_description: Derive alerts from the state of a Proxmox VE cluster
version_added: 0.1.0
description:
  - Proxmox VE has no alerts endpoint; this module derives findings, each with a severity, the object concerned, a
    message and a hint, from what the API shows.
  - "The checks (O(checks)): V(quorum) lost (critical), V(nodes) offline (critical), V(ha) resources in error
    state (critical), V(storage) above O(storage_threshold) percent (warning, critical from 95%), V(tasks) that
    failed in the last O(task_hours) hours (warning), guests in no backup job (V(backups), warning), disks whose
    V(smart) health is not PASSED (critical), running VMs whose guest V(agents) do not answer (warning), and
    nodes without an active V(subscription) (info without one, warning when expired or invalid)."
  - The V(smart) and V(subscription) checks make one request per online node; the V(agents) check two per
    running VM (its configuration, and the agent when enabled).
  - A check whose reads the credentials may not make is listed in RV(not_checked), not taken as "no finding".
author:
  - pve.ops developers (@pve-ops)
options:
  checks:
    description:
      - The checks to run.
    type: list
    elements: str
    choices: [quorum, nodes, ha, storage, tasks, backups, smart, agents, subscription]
    default: [quorum, nodes, ha, storage, tasks, backups, smart, agents, subscription]
  storage_threshold:
    description:
      - The use of a storage, in percent, from which it is reported.
    type: int
    default: 85
  task_hours:
    description:
      - How many hours back failed tasks are reported.
    type: int
    default: 24
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.ALERT_INFO
'''

EXAMPLES = r'''
- name: Everything that needs attention (found.counts.critical is the number of critical findings)
  pve.ops.alert_info:
  register: found

- name: Only storage and failed tasks of the last 6 hours
  pve.ops.alert_info:
    checks: [storage, tasks]
    storage_threshold: 90
    task_hours: 6
'''

RETURN = r'''
alerts:
  description: The findings, critical first, then by kind and object.
  returned: always
  type: list
  elements: dict
  contains:
    severity:
      description: V(critical), V(warning) or V(info).
      type: str
    kind:
      description:
        - V(quorum_lost), V(node_offline), V(ha_error), V(storage_full), V(task_failed), V(not_backed_up),
          V(smart_failed), V(agent_not_answering), V(no_subscription) or V(subscription_problem).
      type: str
    object:
      description: The PVE id of what the finding is about (V(node/pve2), V(storage/pve1/local), V(vm:100), a UPID).
      type: str
    message:
      description: What was found.
      type: str
    hint:
      description: What to look at or do.
      type: str
  sample: [{severity: critical, kind: node_offline, object: node/pve2, message: node pve2 is offline,
            hint: 'check the node power, network and corosync links; its guests are not reachable'}]
counts:
  description: The number of findings per severity.
  returned: always
  type: dict
  sample: {critical: 1, warning: 2, info: 3}
not_checked:
  description: The checks not made, each with C(check) and C(reason) (a refused read).
  returned: always
  type: list
  elements: dict
  sample: []
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.cluster.alerts import CHECKS, alerts
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        checks=dict(type='list', elements='str', choices=list(CHECKS), default=list(CHECKS)),
        storage_threshold=dict(type='int', default=85),
        task_hours=dict(type='int', default=24),
    )


LIMITS = {
    'storage_threshold': limits.Limit(minimum=1, maximum=100, unit='percent', source='pve.ops: a percentage'),
    'task_hours': limits.Limit(minimum=1, unit='hours', source='pve.ops: hours back'),
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return dict(changed=False, **alerts(pve.client, pve.params))


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
