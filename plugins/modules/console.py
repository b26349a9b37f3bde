#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: console
short_description: Get a console ticket for a Proxmox VE VM or container
version_added: 0.1.0
description:
  - Asks PVE for a console of a guest and returns what a client needs to connect, a VNC websocket
    (C(vncproxy)), a SPICE connection for remote-viewer (C(spiceproxy), VMs only) or a terminal
    (C(termproxy)).
  - The ticket is a short-lived secret (PVE accepts it for about 40 seconds and for one connection). The
    result is marked C(no_log), so Ansible does not print it or log it, even with C(-v); it is still
    registered. Do not print it yourself.
  - Creating a ticket changes no configuration, so the module always reports no change. In check mode it
    requests no ticket.
author:
  - pve.ops developers (@pve-ops)
options:
  vmid:
    description: The guest's ID.
    type: int
  name:
    description: The guest's name (unique in the cluster), when O(vmid) is not given.
    type: str
  type:
    description:
      - The console. Default V(vnc) for a VM and V(term) for a container. V(spice) is for VMs only and needs
        the VM running.
    type: str
    choices: [vnc, spice, term]
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.CONSOLE
notes:
  - Requires C(VM.Console) on the guest.
'''

EXAMPLES = r'''
- name: A VNC ticket for web01
  pve.ops.console:
    name: web01
  register: vnc
  no_log: true

- name: A SPICE file for remote-viewer
  pve.ops.console:
    vmid: 100
    type: spice
  register: spice
'''

RETURN = r'''
console:
  description:
    - What a client needs to connect. Sensitive (the ticket or password).
    - "For V(vnc), connect to C(wss://<node>:8006/api2/json/nodes/<node>/qemu/<vmid>/vncwebsocket?port=<port>&vncticket=<ticket>)
      (C(lxc) for a container) with the same login, then use the ticket as the VNC password."
  returned: unless in check mode
  type: dict
  contains:
    type:
      description: The console type (C(vnc), C(term) or C(spice)).
      type: str
    vmid:
      description: The guest's ID.
      type: int
    node:
      description: The node the guest runs on.
      type: str
    guest_type:
      description: C(qemu) or C(lxc).
      type: str
    port:
      description: The port of the console proxy (vnc, term).
      type: int
    ticket:
      description: The console ticket (vnc, term). Secret.
      type: str
    user:
      description: The user the ticket belongs to (vnc, term).
      type: str
    upid:
      description: The task of the console proxy (vnc, term).
      type: str
    cert:
      description: The node's certificate, to verify the websocket connection (vnc).
      type: str
    password:
      description: The SPICE password (spice). Secret.
      type: str
    host:
      description: The SPICE host (spice).
      type: str
    proxy:
      description: The SPICE proxy (spice).
      type: str
    tls-port:
      description: The SPICE TLS port (spice).
      type: int
  sample: {type: vnc, vmid: 100, node: pve1, guest_type: qemu, port: 5900, user: root@pam,
           ticket: 'PVEVNC:...', upid: 'UPID:pve1:...:vncproxy:100:root@pam:', cert: '-----BEGIN CERTIFICATE-----...'}
guest:
  description: The guest (vmid, name, node, type).
  returned: always
  type: dict
  sample: {vmid: 100, name: web01, node: pve1, type: qemu}
diff:
  description:
    - The console before and after (nothing is changed in PVE), as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.guests import console
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        vmid=dict(type='int'),
        name=dict(type='str'),
        type=dict(type='str', choices=list(console.CONSOLE_TYPES)),
    )


LIMITS = {'vmid': limits.VMID}

MODULE_KWARGS = dict(
    supports_check_mode=True,
    required_one_of=[('vmid', 'name')],
    limits=LIMITS,
)


def run(pve):
    return console.open_console(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
