# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether a guest the caller does not see exists: a guest the caller may not see is never "absent".

/cluster/resources lists only the guests the caller holds VM.Audit on, so "not in the list" is not
"does not exist". What is knowable: GET /cluster/nextid?vmid=N (allowed to every user) answers 400 on
its vmid parameter when N is taken, whoever may see the guest; and a caller holding VM.Audit on /vms
(propagated) sees every guest, so for it a name that is not listed belongs to no guest.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import (
    caller,
    check_name,
    check_vmid,
    find_guest,
    kind,
    not_found_message,
)


def locate(client, vmid=None, name=None, guest_type=None, guests=None, authid=None):
    """find_guest(), and None only when no such guest exists.

    Raises PermissionDeniedError (privilege VM.Audit, its path) when the guest may exist out of the
    caller's sight: its vmid is taken, or (by name) the caller may not see every guest. ``authid`` is the
    caller (see lookup.caller()); root@pam sees everything without asking.
    """
    guest = find_guest(client, vmid=vmid, name=name, guest_type=guest_type, guests=guests)
    if guest is None:
        ensure_not_hidden(client, vmid=vmid, name=name, guest_type=guest_type, authid=authid)
    return guest


def require_guest(client, vmid=None, name=None, guest_type=None, guests=None, authid=None):
    """Like locate(), but NotFoundError when there is no such guest."""
    guest = locate(client, vmid=vmid, name=name, guest_type=guest_type, guests=guests, authid=authid)
    if guest is None:
        raise errors.NotFoundError(not_found_message(vmid, name, guest_type))
    return guest


def ensure_not_hidden(client, vmid=None, name=None, guest_type=None, authid=None):
    """Raise PermissionDeniedError when a guest the caller does not see may be the one asked for."""
    if authid == 'root@pam':
        return  # root@pam sees every guest
    who = authid or getattr(client, 'user', None) or 'the caller'
    if vmid is not None:
        if vmid_taken(client, vmid):
            raise errors.PermissionDeniedError(
                'guest {0} exists but {1} may not see it: needs VM.Audit on /vms/{0}'.format(int(vmid), who),
                privilege='VM.Audit', acl_path='/vms/{0}'.format(int(vmid)))
        return
    if name is not None and not sees_every_guest(client, authid):
        raise errors.PermissionDeniedError(
            'no {0} named {1!r} is visible to {2}, but {2} may not see every guest, so one may exist: needs '
            'VM.Audit on /vms, or give vmid'.format(kind(guest_type) if guest_type else 'guest', name, who),
            privilege='VM.Audit', acl_path='/vms')


def vmid_taken(client, vmid):
    """True when a guest (VM or container) holds ``vmid``, whether or not the caller may see it."""
    check_vmid(vmid)
    try:
        client.get('cluster', 'nextid', vmid=int(vmid))
    except errors.ValidationError as err:
        if 'vmid' in (err.errors or {}):
            return True
        raise
    return False


def sees_every_guest(client, authid=None):
    """True when the caller holds VM.Audit on /vms, propagated (GET /access/permissions?path=/vms)."""
    if authid == 'root@pam':
        return True
    answer = client.get('access', 'permissions', path='/vms') or {}
    privs = answer.get('/vms') or {}
    return codec.is_true(privs.get('VM.Audit'))


def find_target(pve):
    """The guest of the task (by vmid, or name), checked before any write: vmid in PVE's range, a name given
    with vmid that is the guest's own, a guest the caller may not see refused as such (never "absent").

    Returns None only in check mode, for a guest that does not exist (an earlier task may create it);
    otherwise a guest that does not exist is NotFoundError.
    """
    p = pve.params
    if p.get('vmid') is None and not p.get('name'):
        raise errors.InvalidArgumentError('give vmid or name', field='vmid')
    check_vmid(p.get('vmid'))
    guest_type = p.get('guest_type')  # the kind the module's options ask for, if they have one
    guest = locate(pve.client, vmid=p.get('vmid'), name=p.get('name') if p.get('vmid') is None else None,
                   guest_type=guest_type, authid=caller(p))
    if guest is not None:
        if p.get('vmid') is not None:
            check_name(guest, p.get('name'))
        return guest
    missing = not_found_message(p.get('vmid'), p.get('name'), guest_type)
    if not pve.check_mode:
        raise errors.NotFoundError(missing)
    pve.warn(assumed_message(missing))
    return None


def assumed_message(missing):
    """The warning of check mode when the guest a task acts on does not exist (yet)."""
    return ('{0}; in check mode this task assumes an earlier task creates it, and reports what it would do '
            'then'.format(missing))
