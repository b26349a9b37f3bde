#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: node_updates
short_description: Refresh, list and install a Proxmox VE node's package updates
version_added: 0.1.0
description:
  - Lists the package updates pending on a node (C(GET /nodes/{node}/apt/update)), with their changelogs on request.
  - With O(refresh), refreshes the package index first (C(POST /nodes/{node}/apt/update), a task waited on); that
    counts as a change only when the pending updates differ afterwards.
  - With O(state=latest), installs the pending updates. PVE's API has no endpoint for that, so the module runs
    C(apt-get dist-upgrade) on the node over SSH (the node's host key verified, see the SSH options), then reads the
    pending updates again and whether the node needs a reboot (C(/run/reboot-required)). Nothing pending is no
    change. Check mode connects to nothing over SSH and predicts the upgrade from the pending list.
  - Rebooting is left to M(pve.ops.node) (O(state=restarted)), so that guests can be moved first.
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
      - V(present) only reads (and with O(refresh) refreshes); V(latest) installs the pending updates.
    type: str
    choices: [present, latest]
    default: present
  refresh:
    description:
      - Refresh the package index first.
    type: bool
    default: false
  changelogs:
    description:
      - Read each pending update's changelog (one request per package).
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for the refresh task.
    type: int
    default: 600
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.ssh
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.NODE_UPDATES
notes:
  - The SSH user runs C(env DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Options::=--force-confdef
    -o Dpkg::Options::=--force-confold dist-upgrade) (configuration files changed locally are kept).
'''

EXAMPLES = r'''
- name: What is pending on pve1, with changelogs
  pve.ops.node_updates:
    node: pve1
    refresh: true
    changelogs: true
  register: pending

- name: Install the updates (the host key checked against a fingerprint)
  pve.ops.node_updates:
    node: pve1
    state: latest
    ssh_private_key_file: ~/.ssh/id_ed25519
    ssh_host_key_fingerprint: SHA256:7Xcd3ZlG1v0dq8eN8g8l2mW8Yb5m0r8m4vYq1c2WZ0s
  register: upgrade
'''

RETURN = r'''
updates:
  description: The updates still pending after the task (predicted in check mode), sorted by package.
  returned: always
  type: list
  elements: dict
  contains:
    package:
      description: The package name.
      type: str
    old_version:
      description: The version installed.
      type: str
    version:
      description: The version available.
      type: str
    title:
      description: The package's title.
      type: str
    origin:
      description: Where it comes from (C(Debian), C(Proxmox)).
      type: str
    changelog:
      description: Its changelog (with O(changelogs); null when PVE has none).
      type: str
      returned: with O(changelogs)
  sample: [{package: pve-manager, old_version: 9.2.0, version: 9.2.1, title: Proxmox Virtual Environment Management Tools,
            origin: Proxmox}]
upgraded:
  description: The packages installed by the upgrade (predicted in check mode).
  returned: always
  type: list
  elements: dict
  sample: [{package: pve-manager, old_version: 9.2.0, version: 9.2.1}]
reboot_required:
  description: Whether the node asks for a reboot after the upgrade (null in check mode).
  returned: with O(state=latest)
  type: bool
tasks:
  description: The UPIDs of the tasks waited on (the refresh).
  returned: when a task was waited on
  type: list
  elements: str
diff:
  description:
    - The pending updates (package and version) before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.nodes.ssh import ssh_argument_spec
from ansible_collections.pve.ops.plugins.module_utils.nodes.updates import ensure_updates


def argument_spec():
    spec = dict(
        node=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'latest'], default='present'),
        refresh=dict(type='bool', default=False),
        changelogs=dict(type='bool', default=False),
        timeout=dict(type='int', default=600),
    )
    spec.update(ssh_argument_spec())
    return spec


LIMITS = {'node': limits.NODE, 'timeout': limits.TIMEOUT, 'ssh_port': limits.PORT}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS,
                     mutually_exclusive=[('ssh_known_hosts', 'ssh_host_key_fingerprint')])


def run(pve):
    return ensure_updates(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
