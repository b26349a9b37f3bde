#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: node
short_description: Manage a Proxmox VE node's settings and power (reboot, shut down, wake-on-LAN)
version_added: 0.1.0
description:
  - Sets a node's description, wake-on-LAN address, on-boot delay and ballooning target (C(/nodes/{node}/config)),
    its DNS (C(/nodes/{node}/dns)), time zone (C(/nodes/{node}/time)) and C(/etc/hosts) (C(/nodes/{node}/hosts));
    only the settings given are compared and changed.
  - Reboots (O(state=restarted)) or shuts down (O(state=stopped)) the node with
    C(POST /nodes/{node}/status). Guests running on the node would be stopped by that, so with O(target) they
    are moved there first (C(POST /nodes/{node}/migrateall), waited on, then checked); without a target the
    power action is refused while guests run, unless O(force).
  - After a reboot it waits until the node is back (a new boot) and the cluster is quorate; after a shutdown,
    until the cluster sees the node offline.
  - O(state=started) wakes an offline node with wake-on-LAN (the node's O(wakeonlan) address must be set) and
    waits until it is online.
author:
  - pve.ops developers (@pve-ops)
options:
  node:
    description:
      - The node.
    type: str
    required: true
  state:
    description:
      - V(present) sets the settings given and leaves the power alone.
      - V(restarted) reboots the node (always a change, as Ansible's V(restarted) is).
      - V(stopped) shuts it down (no change when it is offline).
      - V(started) wakes it with wake-on-LAN when it is offline (no change when it is online).
      - The settings given are applied first, in every state.
    type: str
    choices: [present, restarted, stopped, started]
    default: present
  description:
    description:
      - The node's notes (shown in the web interface).
    type: str
  wakeonlan:
    description:
      - "The node's wake-on-LAN settings: its MAC address, optionally with C(bind-interface) and
        C(broadcast-address) (C(aa:bb:cc:dd:ee:ff,broadcast-address=192.0.2.255))."
    type: str
  startall_onboot_delay:
    description:
      - Seconds to wait after boot before starting the guests with on-boot set (0 to 300).
    type: int
  ballooning_target:
    description:
      - RAM usage target for ballooning, in percent of the node's memory (0 to 100).
    type: int
  dns:
    description:
      - The node's DNS settings; keys not given keep their current value.
    type: dict
    suboptions:
      search:
        description:
          - The search domain (PVE requires one; the current one is kept when not given).
        type: str
      dns1:
        description:
          - The first name server.
        type: str
      dns2:
        description:
          - The second name server.
        type: str
      dns3:
        description:
          - The third name server.
        type: str
  timezone:
    description:
      - The time zone (a name of C(/usr/share/zoneinfo), for example C(Europe/Vienna)).
    type: str
  hosts:
    description:
      - The whole content of the node's C(/etc/hosts). It is written with the digest read, so a concurrent change
        is refused.
    type: str
  target:
    description:
      - With O(state=restarted) or O(state=stopped), move the node's guests to this node first (running VMs live,
        running containers in restart mode).
    type: str
  force:
    description:
      - Reboot or shut down even though guests run on the node and no O(target) is given (PVE stops them).
    type: bool
    default: false
  with_local_disks:
    description:
      - Let the evacuation live-migrate running VMs with disks on local storage (PVE's C(with-local-disks)).
    type: bool
    default: false
  max_workers:
    description:
      - How many guests the evacuation migrates at once (1 to 64).
    type: int
    default: 4
  wait:
    description:
      - Wait for the node after a reboot (back, cluster quorate), a shutdown (offline) or a wake-up (online).
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for the evacuation and for each wait on the node.
    type: int
    default: 900
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.NODE
notes:
  - PVE answers the reboot and shutdown requests at once and runs them in the background; when the API you talk
    to runs on the node itself, the wait sees it go away and come back.
  - PVE's migrate-all task ends OK even when it skipped a guest; the module reads the node's guests afterwards and
    fails, before the power action, when running guests are left.
'''

EXAMPLES = r'''
- name: Notes, DNS and time zone of a node
  pve.ops.node:
    node: pve1
    description: Rack 4, slot 2
    dns:
      search: example.com
      dns1: 192.0.2.53
    timezone: Europe/Vienna

- name: Reboot a node after moving its guests to pve2
  pve.ops.node:
    node: pve1
    state: restarted
    target: pve2
    with_local_disks: true

- name: Shut a node down, stopping its guests
  pve.ops.node:
    node: pve3
    state: stopped
    force: true

- name: Wake it again
  pve.ops.node:
    node: pve3
    state: started
'''

RETURN = r'''
node:
  description: The node's settings that were given, and its power status, after the task (predicted in check mode).
  returned: always
  type: dict
  contains:
    node:
      description: The node's name.
      type: str
    status:
      description: V(online) or V(offline).
      type: str
    rebooted:
      description: True when the node was rebooted.
      type: bool
      returned: with O(state=restarted)
  sample: {node: pve1, status: online, description: Rack 4, timezone: Europe/Vienna,
           dns: {search: example.com, dns1: 192.0.2.53}}
migrated:
  description: The vmids the evacuation moved to O(target).
  returned: when O(target) was given with O(state=restarted) or O(state=stopped)
  type: list
  elements: int
  sample: [100, 102]
tasks:
  description: The UPIDs of the tasks waited on (the evacuation).
  returned: when a task was waited on
  type: list
  elements: str
diff:
  description:
    - The settings given and the power status, before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.nodes.node import ensure_node


def argument_spec():
    return dict(
        node=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'restarted', 'stopped', 'started'], default='present'),
        description=dict(type='str'),
        wakeonlan=dict(type='str'),
        startall_onboot_delay=dict(type='int'),
        ballooning_target=dict(type='int'),
        dns=dict(type='dict', options=dict(search=dict(type='str'), dns1=dict(type='str'), dns2=dict(type='str'),
                                           dns3=dict(type='str'))),
        timezone=dict(type='str'),
        hosts=dict(type='str'),
        target=dict(type='str'),
        force=dict(type='bool', default=False),
        with_local_disks=dict(type='bool', default=False),
        max_workers=dict(type='int', default=4),
        wait=dict(type='bool', default=True),
        timeout=dict(type='int', default=900),
    )


LIMITS = {
    'node': limits.NODE, 'target': limits.NODE, 'timeout': limits.TIMEOUT,
    'startall_onboot_delay': limits.Limit(minimum=0, maximum=300,
                                          schema=('PUT', '/nodes/{node}/config', 'startall-onboot-delay')),
    'ballooning_target': limits.Limit(minimum=0, maximum=100,
                                      schema=('PUT', '/nodes/{node}/config', 'ballooning-target')),
    'max_workers': limits.Limit(minimum=1, maximum=64, schema=('POST', '/nodes/{node}/migrateall', 'max-workers')),
    'description': limits.Limit(max_length=65536, schema=('PUT', '/nodes/{node}/config', 'description')),
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_node(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
