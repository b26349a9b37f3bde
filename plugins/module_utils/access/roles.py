# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Roles: read, compare, apply only what differs."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.access.common import (
    check_name,
    find_role,
    role_view,
)
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

# ----------------------------------------------------------------------- roles


def ensure_role(pve):
    p = pve.params
    client = pve.client
    roleid = check_name(p['roleid'], 'roleid', 'role')
    entry = find_role(client, roleid)
    current = role_view(entry) if entry else None
    tracker = ChangeTracker(pve.check_mode, before=current or {})

    if p['state'] == 'absent':
        if current is None:
            return tracker.result(after={}, role=None)
        if current['special']:
            raise errors.InvalidArgumentError('{0} is a built-in role of Proxmox VE: it cannot be deleted'.format(
                roleid), field='roleid')
        tracker.write(client.delete, 'access', 'roles', roleid)
        return tracker.result(after={}, role=None)

    privileges = None
    if p['privileges'] is not None:
        privileges = sorted(set(p['privileges']))
    if current is None:
        if roleid.upper().startswith('PVE'):
            raise errors.InvalidArgumentError('role ids starting with PVE are reserved for the built-in roles',
                                              field='roleid')
        after = dict(roleid=roleid, privileges=privileges or [], special=False)
        tracker.write(client.post, 'access', 'roles', roleid=roleid, privs=','.join(privileges or []) or None)
        return tracker.result(after=after, role=after)

    if privileges is None:
        return tracker.result(after=current, role=current)
    wanted = sorted(set(current['privileges']) | set(privileges)) if p['append'] else privileges
    if wanted == current['privileges']:
        return tracker.result(after=current, role=current)
    if current['special']:
        raise errors.InvalidArgumentError(
            '{0} is a built-in role of Proxmox VE and cannot be changed; create your own role (for example a copy '
            'named {1}) instead'.format(roleid, roleid.replace('PVE', 'Custom', 1)), field='roleid')
    after = dict(current, privileges=wanted)
    if p['append']:
        added = sorted(set(wanted) - set(current['privileges']))
        tracker.write(client.put, 'access', 'roles', roleid, privs=','.join(added), append=1)
    else:
        tracker.write(client.put, 'access', 'roles', roleid, privs=','.join(wanted))
    return tracker.result(after=after, role=after)
