# SPDX-License-Identifier: AGPL-3.0-or-later
"""Access control as PVE does it: /access/users, groups, roles, acl, tokens, domains, permissions, password.

Follows pve-access-control's PVE/API2/{User,Group,Role,ACL,Domains,AccessControl}.pm: the same checks,
the same error wording (``create user failed: user 'x' already exists``, status 500, as PVE's
lock_user_config reports it) and the same answers. The model (privileges, built-in roles, the ACL walk,
pool roles, privilege separation) is in access_model.py.

Wired into fakepve: ``allowed(user, path, priv)`` answers from the model, so every permission check of
the simulator (schema rules and hand-written ones) refuses a least-privilege user or token with PVE's
``Permission check failed (/vms/100, VM.PowerMgmt)``; root@pam keeps every right. Users created with a
password can log in (unless disabled or expired); tokens created through the API authenticate until they
expire. fakepve's own ``grant()`` keeps working as an extra, test-only grant on top of the model.

Not modelled: LDAP/AD directories (a sync is refused with PVE's own message for other types, and with a
clear message for ldap/ad: there is no directory to reach), OpenID logins, TFA.
"""

import secrets
import time
import uuid

from fakepve.model import PveError, TaskError
from fakepve.routing import StatefulRoutes, check_digest, die, param_error, sha1, split_list

from .access_model import (
    BUILTIN_ROLES,
    PRIVILEGES,
    USERID_RE,
    AccessDb,
    check_path,
    normalize_path,
    split_tokenid,
)

USER_FIELDS = ('enable', 'expire', 'firstname', 'lastname', 'email', 'comment', 'keys')
TOKEN_FIELDS = ('privsep', 'expire', 'comment')
# Realm options PVE never returns (the bind password lives in /etc/pve/priv/realm/<realm>.pw).
REALM_SECRET_OPTS = ('password', 'client-key')
REALM_SKIP = ('realm', 'digest', 'delete', 'check-connection')


def _perm_denied(why=None):
    return PveError(403, 'Permission check failed ({0})'.format(why) if why else 'Permission check failed')


class AccessApi(StatefulRoutes):
    """Mixin of PveSim: the access control API and the permission model behind every check."""

    # fakepve's own table has GET /access/permissions only; this one answers it from the model.
    _replaces_routes = ('_routes_access',)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.access_db  # noqa: B018 - create the model, switching fakepve's permission checks on

    # ------------------------------------------------------------------ model

    @property
    def access_db(self):
        db = self.__dict__.get('_access_db')
        if db is None:
            db = self.__dict__['_access_db'] = AccessDb(pools=self._access_pools)
            if self.user != 'root@pam':
                db.users.setdefault(self.user, db.new_user())
            # fakepve checks permissions only once `acl` is set; legacy grant() entries go on living there.
            if self.acl is None:
                self.acl = {}
        self._access_import(db)
        return db

    def _access_import(self, db):
        """Users and tokens put straight into fakepve's model (seeds, tests) join the access model."""
        for userid in self.users:
            if userid not in db.users and USERID_RE.match(userid):
                db.users[userid] = db.new_user()
        for full in self.apitokens:
            parts = split_tokenid(full)
            if parts and parts[0] in db.users and parts[1] not in db.users[parts[0]]['tokens']:
                # A token made outside the API: with its user's full rights, as fakepve gave it.
                db.users[parts[0]]['tokens'][parts[1]] = {'privsep': 0, 'expire': 0}

    def _access_pools(self):
        info = getattr(self, 'pool_info', {}) or {}
        return dict((name, (set(vmids), set((info.get(name) or {}).get('storage') or ())))
                    for name, vmids in (getattr(self, 'pools', {}) or {}).items())

    def grant(self, user, path, *privs):
        """fakepve's test helper. A set of privileges that is exactly a role's becomes a real ACL entry
        (role on path, propagating) for the user or token; any other set stays a fakepve grant."""
        db = self.access_db
        path = normalize_path(path) or path
        role = next((name for name in sorted(db.roles) if db.roles[name] and db.roles[name] == set(privs)), None)
        kind = 'tokens' if split_tokenid(user) else 'users'
        if role and check_path(path) and (kind == 'tokens' or user in db.users):
            db.acl.setdefault(path, {}).setdefault(kind, {}).setdefault(user, {})[role] = 1
            return
        super().grant(user, path, *privs)

    def allowed(self, user, path, priv):
        """True if user (or token) holds priv on path, by PVE's rules; root@pam holds everything."""
        if user is None:
            return False
        if user == 'root@pam':
            return True
        path = normalize_path(path) or path
        if self.access_db.has(user, path, priv):
            return True
        # Test-only grants through fakepve's grant() (never for root tokens: the model decides those).
        return bool(self.acl) and user.split('!')[0] != 'root@pam' and super().allowed(user, path, priv)

    def check_permissions(self, user, perms, values, declared=None):
        # fakepve waves every root@pam token through; PVE only the root@pam login itself (a privsep root
        # token holds what its ACLs give it).
        db = self.access_db
        if user is not None and user != 'root@pam' and user.split('!')[0] == 'root@pam':
            info = db.users['root@pam']['tokens'].get(user.split('!', 1)[1])
            if info is None or info.get('privsep', 1):
                if perms is None or not (perms.get('check') or perms.get('user') in ('all', 'world')):
                    raise _perm_denied('user != root@pam')
                if 'check' in perms:
                    ok, why = self._check(user, perms['check'], values, declared)
                    if not ok:
                        raise _perm_denied(why)
                return
        return super().check_permissions(user, perms, values, declared)

    def _check(self, user, check, values, declared=None):
        form = check[0]
        if form == 'userid-param':
            userid = str(values.get('userid', ''))
            if check[1] == 'self':
                # PVE compares the authenticated id itself: a token is never "self".
                return userid in self.access_db.users and userid == user, ''
            path = '/access/realm/' + userid.rpartition('@')[2]
            return self._has(user, path, check[1]), '{0}, {1}'.format(path, check[1])
        if form == 'userid-group':
            return self._check_userid_group(user, check, values)
        return super()._check(user, check, values, declared)

    def _check_userid_group(self, user, check, values):
        """PVE::RPCEnvironment's userid-group test: privileges on /access/groups or on a group of the user."""
        db = self.access_db
        privs = check[1]
        opts = dict(zip(check[2::2], check[3::2], strict=False))
        userid = values.get('userid')
        existing = opts.get('groups_param') != 'create'
        if existing and userid not in db.users:
            raise die("no such user ('{0}')".format(userid))
        if any(self._has(user, '/access/groups', p) for p in privs):
            return True, ''
        groups = set(g for g in db.groups if any(self._has(user, '/access/groups/' + g, p) for p in privs))
        if opts.get('groups_param'):
            wanted = split_list(values.get('groups'))
            if not wanted:
                return False, '/access/groups, ' + '|'.join(privs)
            for group in wanted:
                if group not in groups:
                    return False, '/access/groups/{0}, {1}'.format(group, '|'.join(privs))
        if existing and not any(userid in db.groups[g]['users'] for g in groups):
            return False, ''
        return True, ''

    # ------------------------------------------------------------ authentication

    def check_password(self, user, password):
        db = self.access_db
        info = db.users.get(user)
        if info is None or not self._user_active(info):
            return False
        realm = db.realms.get(user.rpartition('@')[2])
        if realm is None or realm['type'] not in ('pam', 'pve'):
            # No directory or identity provider behind ldap, ad and openid realms here.
            return False
        return super().check_password(user, password)

    @staticmethod
    def _user_active(info):
        return bool(info.get('enable', 1)) and not (info.get('expire') and info['expire'] < time.time())

    def _authenticate(self, request):
        auth = request.headers.get('Authorization', '')
        if auth.startswith('PVEAPIToken='):
            full = auth[len('PVEAPIToken='):].partition('=')[0]
            parts = split_tokenid(full)
            db = self.access_db
            info = parts and db.users.get(parts[0])
            token = info and info['tokens'].get(parts[1])
            if not token or not self._user_active(info) or (token.get('expire') and token['expire'] < time.time()):
                raise PveError(401, 'authentication failure')
        return super()._authenticate(request)

    async def _password(self, request):
        """PUT /access/password (allowtoken 0): root sets any password; others confirm with their own;
        a user with Realm.AllocateUser and User.Modify may set another pve-realm user's password."""
        from fakepve.server import USER, params
        user = request[USER]
        if '!' in user:
            raise PveError(403, 'Permission check failed (API token not allowed)')
        p = self._verify(request, await params(request))
        userid = p['userid']
        db = self.access_db
        if userid not in db.users:
            raise die("no such user ('{0}')".format(userid))
        if user != 'root@pam':
            if userid != user:
                realm_ok = self.allowed(user, '/access/realm/' + userid.rpartition('@')[2], 'Realm.AllocateUser')
                group_ok, _ = self._check_userid_group(user, ['userid-group', ['User.Modify']], {'userid': userid})
                if not (realm_ok and group_ok) or userid == 'root@pam' or userid.endswith('@pam'):
                    raise _perm_denied()
            confirmation = p.get('confirmation-password')
            if confirmation is None:
                raise param_error(**{'confirmation-password': 'password is required to modify user'})
            if not self.check_password(user, confirmation):
                raise die('authentication failure')
        realm = db.realms.get(userid.rpartition('@')[2])
        if realm is None:
            raise die("auth domain '{0}' does not exist".format(userid.rpartition('@')[2]))
        if realm['type'] not in ('pam', 'pve'):
            raise die('{0}: setting the password is not supported for realm type {1}'.format(
                userid, realm['type']))
        if userid == self.user:
            self.password = p['password']
        else:
            self.users[userid] = p['password']
        from aiohttp import web
        return web.json_response({'data': None})

    # ------------------------------------------------------------------ routes

    def _routes_access(self):
        users, user = '/access/users', '/access/users/{userid}'
        tokens, token = user + '/token', user + '/token/{tokenid}'
        groups, group = '/access/groups', '/access/groups/{groupid}'
        roles, role = '/access/roles', '/access/roles/{roleid}'
        domains, domain = '/access/domains', '/access/domains/{realm}'
        mine = [
            ('GET', '/access/permissions', self._acc_permissions),
            ('GET', users, self._acc_user_index), ('POST', users, self._acc_user_create),
            ('GET', user, self._acc_user_read), ('PUT', user, self._acc_user_update),
            ('DELETE', user, self._acc_user_delete),
            ('GET', tokens, self._acc_token_index), ('GET', token, self._acc_token_read),
            ('POST', token, self._acc_token_create), ('PUT', token, self._acc_token_update),
            ('DELETE', token, self._acc_token_delete),
            ('GET', groups, self._acc_group_index), ('POST', groups, self._acc_group_create),
            ('GET', group, self._acc_group_read), ('PUT', group, self._acc_group_update),
            ('DELETE', group, self._acc_group_delete),
            ('GET', roles, self._acc_role_index), ('POST', roles, self._acc_role_create),
            ('GET', role, self._acc_role_read), ('PUT', role, self._acc_role_update),
            ('DELETE', role, self._acc_role_delete),
            ('GET', '/access/acl', self._acc_acl_read), ('PUT', '/access/acl', self._acc_acl_update),
            ('GET', domains, self._acc_domain_index), ('POST', domains, self._acc_domain_create),
            ('GET', domain, self._acc_domain_read), ('PUT', domain, self._acc_domain_update),
            ('DELETE', domain, self._acc_domain_delete),
            ('POST', domain + '/sync', self._acc_domain_sync),
        ]
        taken = set((method, path) for method, path, _ in mine)
        return [route for route in super()._routes_access() if route[:2] not in taken] + mine

    # ------------------------------------------------------------------ state

    def _save_access(self):
        db = self.access_db
        users = {}
        for userid, info in db.users.items():
            users[userid] = dict(info, groups=sorted(info['groups']))
        return {'users': users, 'groups': dict((g, dict(v, users=sorted(v['users']))) for g, v in db.groups.items()),
                'roles': dict((r, sorted(p)) for r, p in db.roles.items() if r not in BUILTIN_ROLES),
                'acl': db.acl, 'realms': db.realms, 'realm_secrets': db.realm_secrets}

    def _restore_access(self, doc):
        db = self.access_db
        db.users = dict((u, dict(info, groups=set(info.get('groups') or ()), tokens=dict(info.get('tokens') or {})))
                        for u, info in doc.get('users', {}).items())
        db.users.setdefault('root@pam', db.new_user())
        db.groups = dict((g, dict(v, users=set(v.get('users') or ()))) for g, v in doc.get('groups', {}).items())
        db.roles = dict((name, set(privs)) for name, privs in BUILTIN_ROLES.items())
        db.roles.update((r, set(p)) for r, p in doc.get('roles', {}).items())
        db.acl = doc.get('acl', {})
        db.realms = doc.get('realms', db.realms)
        db.realm_secrets = doc.get('realm_secrets', {})

    # ------------------------------------------------------------ permissions

    async def _acc_permissions(self, v, user):
        db = self.access_db
        who = v.get('userid') or user
        owner = split_tokenid(who)
        if not (who == user or (owner and owner[0] == user)) and not self.allowed(user, '/access', 'Sys.Audit'):
            raise _perm_denied('/access, Sys.Audit')
        if v.get('path'):
            path = normalize_path(v['path']) or v['path']
            return {v['path']: db.permissions(who, path)}
        return db.effective(who)

    # ------------------------------------------------------------------ users

    def _user_view(self, userid, info, full):
        out = dict((k, info[k]) for k in USER_FIELDS if info.get(k) is not None)
        if full:
            out['groups'] = sorted(info['groups'])
            out['tokens'] = dict((tid, dict(t)) for tid, t in info['tokens'].items())
        return out

    async def _acc_user_index(self, v, user):
        db = self.access_db
        privs = ('User.Modify', 'Sys.Audit')
        everyone = any(self.allowed(user, '/access/groups', p) for p in privs)
        visible = set()
        for gid, group in db.groups.items():
            if any(self.allowed(user, '/access/groups/' + gid, p) for p in privs):
                visible.update(group['users'])
        full = bool(v.get('full'))
        out = []
        for userid in sorted(db.users):
            if not (everyone or userid == user or userid in visible):
                continue
            info = db.users[userid]
            entry = self._user_view(userid, info, full)
            if v.get('enabled') is not None and bool(entry.get('enable', 1)) != bool(v['enabled']):
                continue
            if full:
                entry['groups'] = ','.join(entry['groups'])
                entry['tokens'] = [dict(t, tokenid=tid) for tid, t in sorted(entry['tokens'].items())]
            realm = db.realms.get(userid.rpartition('@')[2])
            if realm:
                entry['realm-type'] = realm['type']
            entry['userid'] = userid
            out.append(entry)
        return out

    def _user(self, userid):
        info = self.access_db.users.get(userid)
        if info is None:
            raise die("no such user ('{0}')".format(userid))
        return info

    async def _acc_user_read(self, v, user):
        return self._user_view(v['userid'], self._user(v['userid']), True)

    def _set_groups(self, userid, info, groups, append, failed):
        db = self.access_db
        wanted = split_list(groups)
        for gid in wanted:
            if gid not in db.groups:
                raise die("{0}: no such group '{1}'".format(failed, gid))
        if not append:
            for gid in info['groups']:
                db.groups[gid]['users'].discard(userid)
            info['groups'] = set()
        for gid in wanted:
            info['groups'].add(gid)
            db.groups[gid]['users'].add(userid)

    async def _acc_user_create(self, v, user):
        db = self.access_db
        userid = v['userid']
        failed = 'create user failed'
        if userid in db.users:
            raise die("{0}: user '{1}' already exists".format(failed, userid))
        realm = userid.rpartition('@')[2]
        if realm not in db.realms:
            raise die("{0}: auth domain '{1}' does not exist".format(failed, realm))
        info = db.new_user(enable=1 if v.get('enable') is None else int(bool(v['enable'])))
        if v.get('expire'):
            info['expire'] = int(v['expire'])
        for key in ('firstname', 'lastname', 'email', 'comment', 'keys'):
            if v.get(key):
                info[key] = v[key]
        for gid in split_list(v.get('groups')):
            if gid not in db.groups:
                raise die("{0}: no such group '{1}'".format(failed, gid))
        if v.get('password') is not None:
            if db.realms[realm]['type'] not in ('pam', 'pve'):
                raise die('{0}: {1}: setting the password is not supported for realm type {2}'.format(
                    failed, userid, db.realms[realm]['type']))
            self.users[userid] = v['password']
        db.users[userid] = info
        self._set_groups(userid, info, v.get('groups'), True, failed)
        return None

    async def _acc_user_update(self, v, user):
        info = self._user(v['userid'])
        userid = v['userid']
        if v.get('groups') is not None:
            self._set_groups(userid, info, v['groups'], bool(v.get('append')), 'update user failed')
        for key in ('enable', 'expire'):
            if v.get(key) is not None:
                info[key] = int(v[key])
        for key in ('firstname', 'lastname', 'email', 'comment', 'keys'):
            if v.get(key) is not None:
                info[key] = v[key]
        return None

    async def _acc_user_delete(self, v, user):
        db = self.access_db
        userid = v['userid']
        info = db.users.get(userid)
        if info is None:
            # PVE disables (autovivifies) the entry first, then fails to find the realm user.
            raise die("delete user failed: no such user ('{0}')".format(userid))
        for gid in info['groups']:
            db.groups.get(gid, {}).get('users', set()).discard(userid)
        for tid in info['tokens']:
            db.forget('tokens', '{0}!{1}'.format(userid, tid))
            self.apitokens.pop('{0}!{1}'.format(userid, tid), None)
        db.forget('users', userid)
        del db.users[userid]
        self.users.pop(userid, None)
        if userid == 'root@pam':
            # user.cfg always has root@pam (userconfig_force_defaults).
            db.users[userid] = db.new_user()
        return None

    # ----------------------------------------------------------------- tokens

    def _token(self, userid, tokenid):
        info = self._user(userid)
        token = info['tokens'].get(tokenid)
        if token is None:
            raise die("no such token '{0}' for user '{1}'".format(tokenid, userid))
        return token

    async def _acc_token_index(self, v, user):
        info = self._user(v['userid'])
        return [dict(t, tokenid=tid) for tid, t in sorted(info['tokens'].items())]

    async def _acc_token_read(self, v, user):
        return dict(self._token(v['userid'], v['tokenid']))

    async def _acc_token_create(self, v, user):
        userid, tokenid = v['userid'], v['tokenid']
        if not split_tokenid('{0}!{1}'.format(userid, tokenid)):
            # PVE anchors schema patterns; fakepve's check does not.
            raise param_error(tokenid='value does not match the regex pattern')
        info = self._user(userid)
        if tokenid in info['tokens']:
            raise param_error(tokenid='Token already exists.')
        full = '{0}!{1}'.format(userid, tokenid)
        value = str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
        token = {'privsep': 1 if v.get('privsep') is None else int(bool(v['privsep']))}
        if v.get('expire') is not None:
            token['expire'] = int(v['expire'])
        if v.get('comment'):
            token['comment'] = v['comment']
        info['tokens'][tokenid] = token
        self.apitokens[full] = value
        return {'info': dict(token), 'value': value, 'full-tokenid': full}

    async def _acc_token_update(self, v, user):
        userid, tokenid = v['userid'], v['tokenid']
        token = self._token(userid, tokenid)
        delete = split_list(v.get('delete'))
        for key in delete:
            if key != 'comment':
                raise param_error(delete="unknown option '{0}'".format(key))
        for key in ('privsep', 'expire'):
            if v.get(key) is not None:
                token[key] = int(v[key])
        if v.get('comment') is not None:
            token['comment'] = v['comment']
        if not token.get('comment'):
            token.pop('comment', None)
        for key in delete:
            token.pop(key, None)
        out = dict(token)
        if v.get('regenerate'):
            full = '{0}!{1}'.format(userid, tokenid)
            out['value'] = self.apitokens[full] = str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
            out['full-tokenid'] = full
        return out

    async def _acc_token_delete(self, v, user):
        userid, tokenid = v['userid'], v['tokenid']
        self._token(userid, tokenid)
        full = '{0}!{1}'.format(userid, tokenid)
        del self.access_db.users[userid]['tokens'][tokenid]
        self.apitokens.pop(full, None)
        self.access_db.forget('tokens', full)
        return None

    # ----------------------------------------------------------------- groups

    async def _acc_group_index(self, v, user):
        db = self.access_db
        privs = ('User.Modify', 'Sys.Audit', 'Group.Allocate')
        out = []
        for gid in sorted(db.groups):
            if not any(self.allowed(user, '/access/groups/' + gid, p) for p in privs):
                continue
            group = db.groups[gid]
            entry = {'groupid': gid, 'users': ','.join(sorted(group['users']))}
            if group.get('comment'):
                entry['comment'] = group['comment']
            out.append(entry)
        return out

    def _group(self, gid, failed=None):
        group = self.access_db.groups.get(gid)
        if group is None:
            raise die("{0}group '{1}' does not exist".format(failed + ': ' if failed else '', gid))
        return group

    async def _acc_group_read(self, v, user):
        group = self._group(v['groupid'])
        out = {'members': sorted(group['users'])}
        if group.get('comment'):
            out['comment'] = group['comment']
        return out

    async def _acc_group_create(self, v, user):
        db = self.access_db
        gid = v['groupid']
        if gid in db.groups:
            raise die("create group failed: group '{0}' already exists".format(gid))
        db.groups[gid] = {'users': set()}
        if v.get('comment'):
            db.groups[gid]['comment'] = v['comment']
        return None

    async def _acc_group_update(self, v, user):
        group = self._group(v['groupid'], 'update group failed')
        if v.get('comment') is not None:
            group['comment'] = v['comment']
        return None

    async def _acc_group_delete(self, v, user):
        db = self.access_db
        gid = v['groupid']
        group = self._group(gid, 'delete group failed')
        for userid in group['users']:
            if userid in db.users:
                db.users[userid]['groups'].discard(gid)
        del db.groups[gid]
        db.forget('groups', gid)
        return None

    # ------------------------------------------------------------------ roles

    async def _acc_role_index(self, v, user):
        db = self.access_db
        return [{'roleid': rid, 'privs': ','.join(sorted(db.roles[rid])), 'special': 1 if rid in BUILTIN_ROLES else 0}
                for rid in sorted(db.roles)]

    async def _acc_role_read(self, v, user):
        privs = self.access_db.roles.get(v['roleid'])
        if privs is None:
            raise die("role '{0}' does not exist".format(v['roleid']))
        return dict.fromkeys(sorted(privs), 1)

    @staticmethod
    def _privs(text, failed):
        privs = split_list(text)
        for priv in privs:
            if priv not in PRIVILEGES:
                raise die("{0}: invalid privilege '{1}'".format(failed, priv))
        return set(privs)

    async def _acc_role_create(self, v, user):
        db = self.access_db
        rid = v['roleid']
        if rid.upper().startswith('PVE'):
            raise param_error(roleid="cannot use role ID starting with the (case-insensitive) 'PVE' namespace")
        if rid in db.roles:
            raise die("create role failed: role '{0}' already exists".format(rid))
        db.roles[rid] = self._privs(v.get('privs'), 'create role failed')
        return None

    async def _acc_role_update(self, v, user):
        db = self.access_db
        rid = v['roleid']
        if rid in BUILTIN_ROLES:
            raise die("auto-generated role '{0}' cannot be modified".format(rid))
        if rid not in db.roles:
            raise die("update role failed: role '{0}' does not exist".format(rid))
        privs = self._privs(v.get('privs'), 'update role failed')
        db.roles[rid] = (db.roles[rid] | privs) if v.get('append') else privs
        return None

    async def _acc_role_delete(self, v, user):
        db = self.access_db
        rid = v['roleid']
        if rid in BUILTIN_ROLES:
            raise die("auto-generated role '{0}' cannot be deleted".format(rid))
        if rid not in db.roles:
            raise die("delete role failed: role '{0}' does not exist".format(rid))
        del db.roles[rid]
        return None

    # -------------------------------------------------------------------- acl

    def _perm_modify(self, user, path):
        privs = ['Permissions.Modify']
        if path.startswith('/storage/'):
            privs.append('Datastore.Allocate')
        elif path.startswith('/vms/'):
            privs.append('VM.Allocate')
        elif path.startswith('/pool/'):
            privs.append('Pool.Allocate')
        return any(self.allowed(user, path, p) for p in privs)

    async def _acc_acl_read(self, v, user):
        db = self.access_db
        audit = self.allowed(user, '/access', 'Sys.Audit')
        return [row for row in db.acl_entries() if audit or self._perm_modify(user, row['path'])]

    async def _acc_acl_update(self, v, user):
        db = self.access_db
        if not (v.get('users') or v.get('groups') or v.get('tokens')):
            raise param_error(**dict.fromkeys(('users', 'groups', 'tokens'),
                                              "either 'users', 'groups' or 'tokens' is required."))
        path = normalize_path(v['path'])
        if not path or (not v.get('delete') and not check_path(path)):
            raise param_error(path="invalid ACL path '{0}'".format(v['path']))
        delete = bool(v.get('delete'))
        propagate = 1 if v.get('propagate') is None else int(bool(v['propagate']))
        mine = db.permissions(user, path)
        verb = 'remove' if delete else 'add'
        node = db.acl.setdefault(path, {})
        try:
            for role in split_list(v['roles']):
                if role not in db.roles:
                    raise die("role '{0}' does not exist".format(role))
                if 'Permissions.Modify' not in mine and user != 'root@pam':
                    for priv in db.roles[role]:
                        if priv not in mine:
                            raise param_error(role="Cannot {0} role '{1}' - requires 'Permissions.Modify' or "
                                                   "superset of privileges.".format(verb, role))
                        if propagate and mine[priv] != propagate and not delete:
                            raise param_error(role="Cannot {0} role '{1}' with propagation - requires "
                                                   "'Permissions.Modify' or propagated superset of "
                                                   "privileges.".format(verb, role))
                    if role == 'NoAccess':
                        raise param_error(role="Cannot {0} role '{1}' - requires 'Permissions.Modify'".format(
                            verb, role))
                targets = []
                for gid in split_list(v.get('groups')):
                    if gid not in db.groups:
                        raise die("group '{0}' does not exist".format(gid))
                    targets.append(('groups', gid))
                for userid in split_list(v.get('users')):
                    if userid not in db.users:
                        raise die("user '{0}' does not exist".format(userid))
                    targets.append(('users', userid))
                for full in split_list(v.get('tokens')):
                    parts = split_tokenid(full)
                    if not parts:
                        raise die("'{0}' is not a valid token ID - not able to split into user and token "
                                  "parts".format(full))
                    self._token(*parts)
                    targets.append(('tokens', full))
                for kind, ugid in targets:
                    roles = node.setdefault(kind, {}).setdefault(ugid, {})
                    if delete:
                        roles.pop(role, None)
                    else:
                        roles[role] = propagate
        finally:
            db.prune(path)
        return None

    # ---------------------------------------------------------------- realms

    def _domains_digest(self):
        return sha1(repr(sorted((k, sorted(v.items())) for k, v in self.access_db.realms.items())))

    async def _acc_domain_index(self, v, user):
        out = []
        for realm, cfg in sorted(self.access_db.realms.items()):
            entry = {'realm': realm, 'type': cfg['type']}
            for key in ('comment', 'tfa', 'default'):
                if cfg.get(key) is not None:
                    entry[key] = cfg[key]
            out.append(entry)
        return out

    def _realm(self, realm, failed=None):
        cfg = self.access_db.realms.get(realm)
        if cfg is None:
            raise die("{0}domain '{1}' does not exist".format(failed + ': ' if failed else '', realm))
        return cfg

    async def _acc_domain_read(self, v, user):
        out = dict(self._realm(v['realm']))
        out['digest'] = self._domains_digest()
        return out

    def _realm_options(self, v):
        return dict((k, val) for k, val in v.items() if k not in REALM_SKIP + REALM_SECRET_OPTS and val is not None)

    def _check_connection(self, v, rtype, failed):
        if v.get('check-connection') is not None and rtype not in ('ldap', 'ad'):
            raise die("{0}: 'check-connection' parameter can only be set for realms of type 'ldap' or 'ad'".format(
                failed))
        if v.get('check-connection'):
            raise die('{0}: {1}: cannot connect to the directory server (the simulator has none)'.format(
                failed, v.get('server1') or v['realm']))

    def _realm_secret(self, realm, rtype, v):
        key = 'password' if rtype in ('ldap', 'ad') else 'client-key'
        if v.get(key) is not None:
            self.access_db.realm_secrets[realm] = v[key]
            if key == 'client-key':
                self.access_db.realms[realm]['client-key'] = 1

    async def _acc_domain_create(self, v, user):
        db = self.access_db
        realm, rtype = v['realm'], v['type']
        failed = 'add auth server failed'
        if realm in db.realms:
            raise die("{0}: domain '{1}' already exists".format(failed, realm))
        if realm in ('pam', 'pve'):
            raise die("{0}: unable to use reserved name '{1}'".format(failed, realm))
        if rtype in ('pam', 'pve'):
            raise die("{0}: unable to create builtin type '{1}'".format(failed, rtype))
        self._check_connection(v, rtype, failed)
        required = {'ldap': ('base_dn', 'user_attr', 'server1'), 'ad': ('domain', 'server1'),
                    'openid': ('issuer-url', 'client-id')}[rtype]
        missing = [k for k in required if v.get(k) is None]
        if missing:
            raise param_error(**dict.fromkeys(missing, 'property is missing and it is not optional'))
        cfg = self._realm_options(v)
        if cfg.get('default'):
            for other in db.realms.values():
                other.pop('default', None)
        db.realms[realm] = cfg
        self._realm_secret(realm, rtype, v)
        return None

    async def _acc_domain_update(self, v, user):
        db = self.access_db
        failed = 'update auth server failed'
        check_digest(self._domains_digest(), v.get('digest'))
        cfg = self._realm(v['realm'], failed)
        self._check_connection(v, cfg['type'], failed)
        changes = self._realm_options(v)
        changes.pop('type', None)
        delete = split_list(v.get('delete'))
        if not delete and not changes and all(v.get(k) is None for k in REALM_SECRET_OPTS):
            raise die('{0}: no options specified'.format(failed))
        for key in delete:
            cfg.pop(key, None)
            if key in REALM_SECRET_OPTS:
                db.realm_secrets.pop(v['realm'], None)
        if changes.get('default'):
            for other in db.realms.values():
                other.pop('default', None)
        cfg.update(changes)
        self._realm_secret(v['realm'], cfg['type'], v)
        return None

    async def _acc_domain_delete(self, v, user):
        db = self.access_db
        realm = v['realm']
        if realm not in db.realms:
            raise die("delete auth server failed: authentication domain '{0}' does not exist".format(realm))
        if db.realms[realm]['type'] in ('pam', 'pve'):
            raise die("delete auth server failed: cannot remove builtin realm '{0}'".format(realm))
        del db.realms[realm]
        db.realm_secrets.pop(realm, None)
        return None

    async def _acc_domain_sync(self, v, user):
        cfg = self.access_db.realms.get(v['realm'])
        if cfg is None:
            raise param_error(realm='Realm does not exist.')
        if cfg['type'] not in ('ldap', 'ad'):
            raise die("Cannot sync realm type '{0}'! Only LDAP/AD realms can be synced.".format(cfg['type']))
        # PVE's worker binds to the directory first; there is no directory behind the simulator, so the
        # task fails the way it does when the server cannot be reached.
        server = cfg.get('server1') or cfg.get('domain') or v['realm']

        async def body():
            raise TaskError('{0}: cannot connect to LDAP server {1}: the simulator has no directory '
                            'to sync from'.format(v['realm'], server))
        return await self.task(sorted(self.nodes)[0], 'auth-realm-sync', v['realm'], user, body)

