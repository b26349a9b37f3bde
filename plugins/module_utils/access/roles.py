# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Roles: read, compare, apply only what differs."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.access.common import (
    check_name,
    find_role,
    list_roles,
    role_view,
)
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource

# ----------------------------------------------------------------------- roles


class Role(Resource):
    noun = 'role'

    def read(self):
        self.roleid = check_name(self.params['roleid'], 'roleid', 'role')
        entry = find_role(self.client, self.roleid)
        return role_view(entry) if entry else None

    def delete(self, tracker, current):
        if current['special']:
            raise errors.InvalidArgumentError('{0} is a built-in role of Proxmox VE: it cannot be deleted'.format(
                self.roleid), field='roleid')
        tracker.write(self.client.delete, 'access', 'roles', self.roleid)

    def desired(self, current):
        """The privileges asked for (sorted), or None: leave them as they are."""
        if self.params['privileges'] is None:
            return None
        return sorted(set(self.params['privileges']))

    def create(self, tracker, desired):
        privileges = desired
        roleid = self.roleid
        if roleid.upper().startswith('PVE'):
            raise errors.InvalidArgumentError('role ids starting with PVE are reserved for the built-in roles',
                                              field='roleid')
        tracker.write(self.client.post, 'access', 'roles', roleid=roleid, privs=','.join(privileges or []) or None)
        return dict(roleid=roleid, privileges=privileges or [], special=False)

    def update(self, tracker, current, desired):
        privileges = desired
        roleid, append = self.roleid, self.params['append']
        if privileges is None:
            return current
        wanted = sorted(set(current['privileges']) | set(privileges)) if append else privileges
        if wanted == current['privileges']:
            return current
        if current['special']:
            raise errors.InvalidArgumentError(
                '{0} is a built-in role of Proxmox VE and cannot be changed; create your own role (for example a '
                'copy named {1}) instead'.format(roleid, roleid.replace('PVE', 'Custom', 1)), field='roleid')
        if append:
            added = sorted(set(wanted) - set(current['privileges']))
            tracker.write(self.client.put, 'access', 'roles', roleid, privs=','.join(added), append=1)
        else:
            tracker.write(self.client.put, 'access', 'roles', roleid, privs=','.join(wanted))
        return dict(current, privileges=wanted)


def ensure_role(pve):
    """pve.ops.role: the result dict."""
    return Role(pve).run()


# ---------------------------------------------------------------------- info


def role_facts(pve):
    """pve.ops.role_info: the result dict."""
    roleid = pve.params['roleid']
    roles = [role_view(r) for r in list_roles(pve.client) if not roleid or r.get('roleid') == roleid]
    return dict(changed=False, roles=sorted(roles, key=lambda r: r['roleid']))
