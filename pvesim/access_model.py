# SPDX-License-Identifier: AGPL-3.0-or-later
"""PVE's access control model as data: privileges, built-in roles, users, groups, tokens, ACLs, realms.

Follows pve-access-control (PVE::AccessControl, PVE::RPCEnvironment): the same privilege groups and
built-in roles, the same ACL walk (a more specific path overrides; a user's entry overrides its groups'
on the same path; a token's entry overrides its user's; propagate=0 applies only to that exact path;
NoAccess wins), pool roles for pool members, and privilege separation for API tokens (a privsep token
holds the intersection of its own ACL privileges and its user's). No HTTP here: see access.py.
"""

import re

# PVE::AccessControl's privilege groups: category -> (root, admin, user, audit) privileges.
PRIVGROUPS = {
    'VM': ((), ('VM.Config.Disk', 'VM.Config.CPU', 'VM.Config.Memory', 'VM.Config.Network', 'VM.Config.HWType',
                'VM.Config.Options', 'VM.Allocate', 'VM.Clone', 'VM.GuestAgent.Unrestricted', 'VM.Migrate',
                'VM.Replicate', 'VM.Snapshot', 'VM.Snapshot.Rollback'),
           ('VM.Config.CDROM', 'VM.Config.Cloudinit', 'VM.Console', 'VM.Backup', 'VM.GuestAgent.FileRead',
            'VM.GuestAgent.FileSystemMgmt', 'VM.GuestAgent.FileWrite', 'VM.PowerMgmt'),
           ('VM.Audit', 'VM.GuestAgent.Audit')),
    'Sys': (('Sys.PowerMgmt', 'Sys.Modify', 'Sys.Incoming', 'Sys.AccessNetwork'), ('Sys.Console', 'Sys.Syslog'),
            (), ('Sys.Audit',)),
    'Datastore': ((), ('Datastore.Allocate', 'Datastore.AllocateTemplate'), ('Datastore.AllocateSpace',),
                  ('Datastore.Audit',)),
    'SDN': ((), ('SDN.Allocate', 'SDN.Audit'), ('SDN.Use',), ('SDN.Audit',)),
    'User': (('Realm.Allocate',), ('User.Modify', 'Group.Allocate', 'Realm.AllocateUser'), (), ()),
    'Pool': ((), ('Pool.Allocate',), ('Pool.Audit',), ('Pool.Audit',)),
    'Mapping': ((), ('Mapping.Modify',), ('Mapping.Use',), ('Mapping.Audit',)),
}


def _builtin_roles():
    valid = {'Permissions.Modify'}
    roles = {'NoAccess': set()}
    for cat, (root, admin, user, audit) in PRIVGROUPS.items():
        valid.update(root + admin + user + audit)
        for priv in admin + user + audit:
            roles.setdefault('PVE{0}Admin'.format(cat), set()).add(priv)
            roles.setdefault('PVEAdmin', set()).add(priv)
        if user:
            roles.setdefault('PVE{0}User'.format(cat), set()).update(user + audit)
        roles.setdefault('PVEAuditor', set()).update(audit)
    # Only Administrator, root@pam and PVEMappingAdmin hold Mapping.Modify.
    roles['PVEAdmin'].discard('Mapping.Modify')
    roles['PVETemplateUser'] = {'VM.Clone', 'VM.Audit'}
    roles['Administrator'] = set(valid)
    return frozenset(valid), dict((name, frozenset(privs)) for name, privs in roles.items())


PRIVILEGES, BUILTIN_ROLES = _builtin_roles()

USER_RE = r'[^\s:/]+'
REALM_RE = r'[A-Za-z][A-Za-z0-9\.\-_]+'
USERID_RE = re.compile(r'^({0})@({1})$'.format(USER_RE, REALM_RE))
TOKENID_RE = re.compile(r'^(({0})@({1}))!({1})$'.format(USER_RE, REALM_RE))
NAME_RE = re.compile(r'^[A-Za-z0-9\.\-_]+$')

# PVE::AccessControl::check_path: the paths an ACL may be set on.
_ACL_PATH = re.compile(r'''^(
    /|/access|/access/groups|/access/groups/[A-Za-z0-9._-]+|/access/realm|/access/realm/[A-Za-z0-9._-]+
    |/nodes|/nodes/[A-Za-z0-9._-]+|/pool|/pool/[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+){0,2}
    |/sdn|/sdn/controllers|/sdn/controllers/[A-Za-z0-9_-]+|/sdn/dns|/sdn/dns/[A-Za-z0-9]+
    |/sdn/fabrics|/sdn/fabrics/[A-Za-z0-9]+|/sdn/ipams|/sdn/ipams/[A-Za-z0-9]+
    |/sdn/prefix-lists|/sdn/prefix-lists/[A-Za-z0-9]+|/sdn/route-maps|/sdn/route-maps/[A-Za-z0-9]+
    |/sdn/zones|/sdn/zones/[A-Za-z0-9._-]+|/sdn/zones/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+
    |/sdn/zones/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+/[1-9][0-9]{0,3}
    |/storage|/storage/[A-Za-z0-9._-]+|/vms|/vms/[1-9][0-9]{2,}
    |/mapping|/mapping/[A-Za-z0-9._-]+|/mapping/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+
)$''', re.X)


def normalize_path(path):
    """PVE::AccessControl::normalize_path: one slash each, none trailing, leading slash; None if invalid."""
    if not path:
        return None
    path = re.sub('/+', '/', str(path)).rstrip('/') or '/'
    if not path.startswith('/'):
        path = '/' + path
    if not re.fullmatch(r'[A-Za-z0-9./_-]+', path):
        return None
    return path


def check_path(path):
    return bool(_ACL_PATH.match(path))


def split_tokenid(tokenid):
    """('user@realm', 'tokenid') for a full token id, or None."""
    match = TOKENID_RE.match(str(tokenid))
    return (match.group(1), match.group(4)) if match else None


class AccessDb:
    """user.cfg and domains.cfg of the simulated cluster.

    ``pools()`` returns {pool: (vmids, storage ids)} of the cluster (pool members inherit the pool's roles).
    """

    def __init__(self, pools=lambda: {}):
        self.pools = pools
        self.users = {'root@pam': self.new_user()}
        self.groups = {}
        self.roles = dict((name, set(privs)) for name, privs in BUILTIN_ROLES.items())
        # path -> {'users'|'groups'|'tokens': {id: {role: propagate}}}
        self.acl = {}
        self.realms = {'pam': {'type': 'pam', 'comment': 'Linux PAM standard authentication'},
                       'pve': {'type': 'pve', 'comment': 'Proxmox VE authentication server'}}
        # Bind passwords of LDAP/AD realms and client keys of OpenID realms: stored, never returned.
        self.realm_secrets = {}

    @staticmethod
    def new_user(**fields):
        user = {'enable': 1, 'expire': 0, 'groups': set(), 'tokens': {}}
        user.update(fields)
        return user

    # ---------------------------------------------------------------- roles

    @staticmethod
    def is_special(role):
        return role in BUILTIN_ROLES

    # ------------------------------------------------------------ the ACL walk

    def roles_on(self, authid, path):
        """PVE::AccessControl::roles: {role: propagate} for a user or token on a path (pools not considered)."""
        if authid == 'root@pam':
            return {'Administrator': 1}
        token = split_tokenid(authid)
        if token:
            userid, tokenid = token
            info = self.users.get(userid, {}).get('tokens', {}).get(tokenid)
            if info is None:
                return {}
            if not info.get('privsep', 1):
                return self.roles_on(userid, path)
        roles = {}
        parts = [''] if path == '/' else path.split('/')
        current = ''
        for i, part in enumerate(parts):
            current = '/' if i == 0 else (current.rstrip('/') + '/' + part)
            final = i == len(parts) - 1
            node = self.acl.get(current)
            if not node:
                continue
            found = None
            for kind in ('tokens', 'users'):
                entry = node.get(kind, {}).get(authid)
                if entry:
                    new = dict((role, prop) for role, prop in entry.items() if final or prop)
                    if new:
                        found = new
                        break
            if found is None and not token:
                new = {}
                for group, entry in node.get('groups', {}).items():
                    if authid not in self.groups.get(group, {}).get('users', ()):
                        continue
                    new.update((role, prop) for role, prop in entry.items() if final or prop)
                found = new or None
            if found is not None:
                roles = found
        if 'NoAccess' in roles:
            return {'NoAccess': roles['NoAccess']}
        return roles

    def permissions(self, authid, path):
        """PVE::RPCEnvironment::permissions: {privilege: propagate (1/0)} of a user or token on a path."""
        if authid == 'root@pam':
            return dict.fromkeys(self.roles_privs('Administrator'), 1)
        token = split_tokenid(authid)
        if token:
            userid, tokenid = token
            info = self.users.get(userid, {}).get('tokens', {}).get(tokenid)
            if info is None:
                return {}
            user_perms = self.permissions(userid, path)
            if not info.get('privsep', 1):
                return user_perms
        elif not USERID_RE.match(authid or ''):
            return {}
        roles = dict(self.roles_on(authid, path))
        pool_roles = self._pool_roles(authid).get(path)
        if pool_roles and 'NoAccess' not in roles:
            if 'NoAccess' in pool_roles:
                roles = {'NoAccess': 0}
            else:
                for role in pool_roles:
                    roles.setdefault(role, 0)
        privs = {}
        for role, prop in roles.items():
            for priv in self.roles.get(role, ()):
                privs[priv] = privs.get(priv) or prop
        if token and token[0] != 'root@pam':
            privs = dict((p, 1 if (user_perms[p] and privs[p]) else 0) for p in privs if p in user_perms)
        return dict((p, 1 if v else 0) for p, v in privs.items())

    def roles_privs(self, role):
        return self.roles.get(role, set())

    def _pool_roles(self, authid):
        out = {}
        for pool, (vmids, storages) in self.pools().items():
            roles = self.roles_on(authid, "/pool/" + pool)
            if not roles:
                continue
            members = ['/vms/{0}'.format(v) for v in vmids] + ['/storage/' + s for s in storages]
            for member in members:
                out.setdefault(member, set()).update(roles)
        return out

    def has(self, authid, path, priv):
        return priv in self.permissions(authid, path)

    def effective(self, authid):
        """PVE::RPCEnvironment::get_effective_permissions: {path: {priv: propagate}} over the known paths."""
        paths = {'/', '/access', '/access/groups', '/nodes', '/pool', '/sdn', '/storage', '/vms'}
        paths.update(self.acl)
        for vmids, storages in self.pools().values():
            paths.update('/vms/{0}'.format(v) for v in vmids)
            paths.update('/storage/' + s for s in storages)
        out = {}
        for path in sorted(paths):
            perms = self.permissions(authid, path)
            if perms:
                out[path] = perms
        return out

    # --------------------------------------------------------------- changes

    def acl_entries(self):
        """GET /access/acl rows: path, type, ugid, roleid, propagate."""
        rows = []
        for path in sorted(self.acl):
            for kind in ('users', 'groups', 'tokens'):
                for ugid, roles in sorted(self.acl[path].get(kind, {}).items()):
                    for role, prop in sorted(roles.items()):
                        rows.append({'path': path, 'type': kind[:-1], 'ugid': ugid, 'roleid': role,
                                     'propagate': prop})
        return rows

    def forget(self, kind, ugid):
        """Remove every ACL entry of a user, group or token (it was deleted)."""
        for path in list(self.acl):
            self.acl[path].get(kind, {}).pop(ugid, None)
            self.prune(path)

    def prune(self, path):
        node = self.acl.get(path)
        if node is None:
            return
        for kind in list(node):
            for ugid in [k for k, roles in node[kind].items() if not roles]:
                del node[kind][ugid]
            if not node[kind]:
                del node[kind]
        if not node:
            del self.acl[path]
