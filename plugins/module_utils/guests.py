# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding guests (VMs and containers) in the cluster, shared by every guest module.

Identity is ``vmid``, or ``name`` (unique in the cluster). One request: GET /cluster/resources?type=vm.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors

GUEST_TYPES = ('qemu', 'lxc')


def list_guests(client, guest_type=None):
    """Every guest of the cluster (cluster resources of type vm), optionally only qemu or lxc."""
    items = client.get('cluster', 'resources', type='vm') or []
    return [g for g in items if guest_type is None or g.get('type') == guest_type]


def find_guest(client, vmid=None, name=None, guest_type=None, guests=None):
    """The resource entry of the guest with this vmid or name, or None when there is none.

    Raises InvalidArgumentError when the name matches several guests (give vmid), or when the vmid
    belongs to a guest of the other type.
    """
    guests = list_guests(client) if guests is None else guests
    if vmid is not None:
        found = [g for g in guests if int(g.get('vmid', -1)) == int(vmid)]
        if found and guest_type and found[0].get('type') != guest_type:
            raise errors.InvalidArgumentError('vmid {0} is a {1} guest, not {2}'.format(
                vmid, 'container' if found[0].get('type') == 'lxc' else 'VM',
                'a container' if guest_type == 'lxc' else 'a VM'), field='vmid')
        return found[0] if found else None
    if name is None:
        raise errors.InvalidArgumentError('give vmid or name', field='vmid')
    found = [g for g in guests if g.get('name') == name and (guest_type is None or g.get('type') == guest_type)]
    if len(found) > 1:
        raise errors.InvalidArgumentError('name {0!r} matches several guests (vmids {1}): give vmid'.format(
            name, ', '.join(str(g['vmid']) for g in sorted(found, key=lambda g: g['vmid']))), field='name')
    return found[0] if found else None


def next_vmid(client):
    """The next free vmid (GET /cluster/nextid)."""
    return int(client.get('cluster', 'nextid'))
