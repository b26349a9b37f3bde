# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding guests (VMs and containers) in the cluster, and the identity checks made before any request.

Identity is ``vmid``, or ``name`` (unique in the cluster). One request: GET /cluster/resources?type=vm.
A guest here is its resource entry (``vmid``, ``type`` qemu or lxc, ``node``, ``name``, ``status``, ...);
every call builds its path from that entry with ``path``: /nodes/{node}/{type}/{vmid}/... Whether a guest
that is not listed exists out of the caller's sight is ``visibility``'s question.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors

GUEST_TYPES = ('qemu', 'lxc')
VMID_MIN, VMID_MAX = 100, 999999999


def kind(guest_type):
    """'VM' or 'container', for messages."""
    return 'container' if guest_type == 'lxc' else 'VM'


def list_guests(client, guest_type=None):
    """Every guest of the cluster (cluster resources of type vm), optionally only qemu or lxc."""
    items = client.get('cluster', 'resources', type='vm') or []
    return [g for g in items if guest_type is None or g.get('type') == guest_type]


def find_guest(client, vmid=None, name=None, guest_type=None, guests=None):
    """The resource entry of the guest with this vmid or name, or None when there is none.

    Raises InvalidArgumentError when the name matches several guests (give vmid), or when the vmid
    belongs to a guest of the other type. None only means the caller sees no such guest: see
    visibility.locate().
    """
    guests = list_guests(client) if guests is None else guests
    if vmid is not None:
        found = [g for g in guests if int(g.get('vmid', -1)) == int(vmid)]
        if found and guest_type and found[0].get('type') != guest_type:
            raise errors.InvalidArgumentError('vmid {0} is a {1} guest, not {2}'.format(
                vmid, kind(found[0].get('type')), 'a container' if guest_type == 'lxc' else 'a VM'), field='vmid')
        return found[0] if found else None
    if name is None:
        raise errors.InvalidArgumentError('give vmid or name', field='vmid')
    found = [g for g in guests if g.get('name') == name and (guest_type is None or g.get('type') == guest_type)]
    if len(found) > 1:
        raise errors.InvalidArgumentError('name {0!r} matches several guests (vmids {1}): give vmid'.format(
            name, ', '.join(str(g['vmid']) for g in sorted(found, key=lambda g: g['vmid']))), field='name')
    return found[0] if found else None


def not_found_message(vmid=None, name=None, guest_type=None):
    what = 'vmid {0}'.format(vmid) if vmid is not None else 'name {0!r}'.format(name)
    return 'no {0} with {1} in the cluster'.format(kind(guest_type) if guest_type else 'guest', what)


def caller(params):
    """The authid the module's connection options log in as: user@realm, or user@realm!token."""
    token = params.get('api_token_id')
    if token:
        return token if '!' in token else '{0}!{1}'.format(params.get('api_user'), token)
    return params.get('api_user')


def check_vmid(vmid, field='vmid'):
    """PVE's vmid range (pve-vmid: 100 to 999999999), before any request."""
    if vmid is not None and not VMID_MIN <= int(vmid) <= VMID_MAX:
        raise errors.InvalidArgumentError('{0}: {1} is not a guest id (PVE takes {2} to {3})'.format(
            field, vmid, VMID_MIN, VMID_MAX), field=field)


def check_name(guest, name):
    """With vmid and name both given, the name must be the guest's own (it identifies, it does not rename)."""
    if name is not None and guest.get('name') != name:
        raise errors.InvalidArgumentError(
            'vmid {0} is {1} {2!r}, not {3!r}: here name identifies the guest and is never changed; give its own '
            'name or leave name out'.format(int(guest['vmid']), kind(guest.get('type')), guest.get('name'), name),
            field='name')


def next_vmid(client):
    """The next free vmid (GET /cluster/nextid)."""
    return int(client.get('cluster', 'nextid'))


def path(guest, *tail):
    """The API path segments of a guest (a resource entry): nodes, node, type, vmid, *tail."""
    return ('nodes', guest['node'], guest['type'], int(guest['vmid'])) + tuple(tail)
