# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Console tickets of VMs and containers: vnc, spice (VMs only) and term."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import path
from ansible_collections.pve.ops.plugins.module_utils.guests.visibility import find_target

CONSOLE_TYPES = ('vnc', 'spice', 'term')


def console(client, guest, console_type=None):
    """A console ticket: vnc (vncproxy with websocket), spice (spiceproxy, VMs only) or term (termproxy).

    Returns what a client needs: for vnc and term the port, ticket, user and upid (and cert for vnc);
    for spice the remote-viewer settings (host, proxy, tls-port, password, ...). The ticket is a
    short-lived secret.
    """
    console_type = console_type or ('term' if guest['type'] == 'lxc' else 'vnc')
    if console_type == 'spice':
        data = dict(client.post(*path(guest, 'spiceproxy')) or {})
    elif console_type == 'vnc':
        data = dict(client.post(*path(guest, 'vncproxy'), websocket=True) or {})
    else:
        data = dict(client.post(*path(guest, 'termproxy')) or {})
    data['type'] = console_type if console_type != 'spice' else data.get('type', 'spice')
    data.update(vmid=int(guest['vmid']), node=guest['node'], guest_type=guest['type'])
    if 'port' in data and data['port'] is not None:
        data['port'] = int(data['port'])
    return data


def open_console(pve):
    """pve.ops.console: the guest, and (unless in check mode) a console ticket for it."""
    p = pve.params
    guest = find_target(pve)
    if guest is None:  # check mode, a guest an earlier task would create: no ticket either way
        return dict(changed=False, guest=dict((k, p[k]) for k in ('vmid', 'name') if p.get(k) is not None))
    if p.get('type') == 'spice' and guest['type'] != 'qemu':
        raise errors.InvalidArgumentError('spice consoles exist for VMs only; give type vnc or term', field='type')
    if p.get('type') == 'spice' and guest.get('status') != 'running':
        # qemu-server's spiceproxy: "VM N not running"
        raise errors.InvalidArgumentError(
            'type: a spice console needs the VM running, and VM {0} is {1}; start it first, or give type vnc'.format(
                guest['vmid'], guest.get('status') or 'not running'), field='type')
    view = dict(vmid=int(guest['vmid']), name=guest.get('name'), node=guest['node'], type=guest['type'])
    # The ticket is a secret: the action plugin (plugins/action/console.py) censors the result in Ansible's
    # output and logs; it is still registered.
    result = dict(changed=False, guest=view)
    if not pve.check_mode:
        result['console'] = console(pve.client, guest, p.get('type'))
    return result
