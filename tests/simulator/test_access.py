# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's access model through real proxmoxer: users, groups, roles, ACLs, tokens, realms, password,
/access/permissions, and the 403s a least-privilege login or token really gets."""

import pytest
from proxmoxer import ProxmoxAPI
from proxmoxer.core import AuthenticationError, ResourceException

from pvesim.access_model import BUILTIN_ROLES, PRIVILEGES
from pvesim.seeds import DEMO_USERS


def login(sim, user, password=None, token=None, secret=None):
    if token:
        return ProxmoxAPI(sim.host, port=sim.port, user=user, token_name=token, token_value=secret,
                          verify_ssl=sim.cafile)
    return ProxmoxAPI(sim.host, port=sim.port, user=user, password=password, verify_ssl=sim.cafile)


def refused(call, status=403):
    with pytest.raises(ResourceException) as info:
        call()
    assert info.value.status_code == status, info.value
    return str(info.value)


def test_builtin_roles_are_pves(pvesim):
    root = pvesim.proxmoxer()
    roles = dict((r['roleid'], r) for r in root.access.roles.get())
    for name in ('Administrator', 'NoAccess', 'PVEAdmin', 'PVEAuditor', 'PVEVMAdmin', 'PVEVMUser', 'PVEUserAdmin',
                 'PVEPoolAdmin', 'PVEPoolUser', 'PVEDatastoreAdmin', 'PVEDatastoreUser', 'PVESDNAdmin', 'PVESDNUser',
                 'PVETemplateUser', 'PVEMappingAdmin', 'PVEMappingUser', 'PVESysAdmin'):
        assert roles[name]['special'] == 1, name
    assert set(roles['Administrator']['privs'].split(',')) == set(PRIVILEGES)
    assert set(roles['PVEVMUser']['privs'].split(',')) == {
        'VM.Audit', 'VM.Backup', 'VM.Config.CDROM', 'VM.Config.Cloudinit', 'VM.Console', 'VM.GuestAgent.Audit',
        'VM.GuestAgent.FileRead', 'VM.GuestAgent.FileSystemMgmt', 'VM.GuestAgent.FileWrite', 'VM.PowerMgmt'}
    assert 'Mapping.Modify' not in roles['PVEAdmin']['privs'] and 'Sys.Modify' not in roles['PVEAdmin']['privs']
    assert roles['PVETemplateUser']['privs'] == 'VM.Audit,VM.Clone'
    assert root.access.roles('PVEAuditor').get() == dict.fromkeys(sorted(BUILTIN_ROLES['PVEAuditor']), 1)
    assert 'cannot be modified' in refused(lambda: root.access.roles('PVEVMUser').put(privs='VM.Audit'), 500)
    assert 'cannot be deleted' in refused(lambda: root.access.roles('NoAccess').delete(), 500)
    assert 'PVE' in refused(lambda: root.access.roles.post(roleid='PVEmine'), 400)
    assert "invalid privilege 'VM.Fly'" in refused(lambda: root.access.roles.post(roleid='X', privs='VM.Fly'), 500)


def test_users_groups_and_password(pvesim):
    root = pvesim.proxmoxer()
    root.access.groups.post(groupid='ops', comment='Operators')
    root.access.users.post(userid='carol@pve', password='carol-pass-1', groups='ops', email='c@example.com')
    assert "already exists" in refused(lambda: root.access.users.post(userid='carol@pve'), 500)
    assert "no such group 'nope'" in refused(lambda: root.access.users.post(userid='dan@pve', groups='nope'), 500)
    user = root.access.users('carol@pve').get()
    assert user['groups'] == ['ops'] and user['email'] == 'c@example.com' and user['tokens'] == {}
    assert root.access.groups('ops').get() == {'comment': 'Operators', 'members': ['carol@pve']}
    carol = login(pvesim, 'carol@pve', 'carol-pass-1')
    # Own password: needs the old one; then the old one stops working.
    assert 'confirmation-password' in refused(
        lambda: carol.access.password.put(userid='carol@pve', password='carol-pass-2'), 400)
    carol.access.password.put(userid='carol@pve', password='carol-pass-2', **{'confirmation-password': 'carol-pass-1'})
    with pytest.raises(AuthenticationError):
        login(pvesim, 'carol@pve', 'carol-pass-1')
    login(pvesim, 'carol@pve', 'carol-pass-2')
    # Disabled and expired accounts cannot log in.
    root.access.users('carol@pve').put(enable=0)
    with pytest.raises(AuthenticationError):
        login(pvesim, 'carol@pve', 'carol-pass-2')
    root.access.users('carol@pve').put(enable=1, expire=1000)
    with pytest.raises(AuthenticationError):
        login(pvesim, 'carol@pve', 'carol-pass-2')
    root.access.users('carol@pve').put(expire=0, groups='')
    assert root.access.groups('ops').get()['members'] == []
    root.access.users('carol@pve').put(groups='ops', append=1)
    root.access.groups('ops').delete()
    assert root.access.users('carol@pve').get()['groups'] == []
    root.access.users('carol@pve').delete()
    assert 'no such user' in refused(lambda: root.access.users('carol@pve').get(), 500)


def test_acl_inheritance_and_overrides(pvesim):
    root = pvesim.proxmoxer()
    root.access.groups.post(groupid='g')
    root.access.users.post(userid='eve@pve', password='eve-pass-1', groups='g')
    root.access.acl.put(path='/vms', roles='PVEVMUser', groups='g')
    perms = root.access.permissions.get(userid='eve@pve', path='/vms/101')['/vms/101']
    assert perms['VM.PowerMgmt'] == 1
    # A user entry overrides the group's on the same path; a more specific path overrides the parent.
    root.access.acl.put(path='/vms', roles='PVEAuditor', users='eve@pve')
    assert 'VM.PowerMgmt' not in root.access.permissions.get(userid='eve@pve', path='/vms/101')['/vms/101']
    root.access.acl.put(path='/vms/101', roles='NoAccess', users='eve@pve')
    assert root.access.permissions.get(userid='eve@pve', path='/vms/101') == {'/vms/101': {}}
    # propagate=0: only the exact path.
    root.access.acl.put(path='/nodes', roles='PVEAuditor', users='eve@pve', propagate=0)
    assert root.access.permissions.get(userid='eve@pve', path='/nodes')['/nodes']['Sys.Audit'] == 0
    assert root.access.permissions.get(userid='eve@pve', path='/nodes/pve1') == {'/nodes/pve1': {}}
    entries = [e for e in root.access.acl.get() if e['ugid'] == 'eve@pve']
    assert {(e['path'], e['roleid'], e['propagate']) for e in entries} == {
        ('/vms', 'PVEAuditor', 1), ('/vms/101', 'NoAccess', 1), ('/nodes', 'PVEAuditor', 0)}
    assert 'invalid ACL path' in refused(lambda: root.access.acl.put(path='/nowhere', roles='NoAccess',
                                                                       users='eve@pve'), 400)
    assert "role 'Nope' does not exist" in refused(lambda: root.access.acl.put(path='/', roles='Nope',
                                                                                users='eve@pve'), 500)
    # Deleting the user takes its entries along.
    root.access.users('eve@pve').delete()
    assert not [e for e in root.access.acl.get() if e['ugid'] == 'eve@pve']


def test_pool_members_inherit_pool_roles(pvesim):
    root = pvesim.proxmoxer()
    root.access.acl.put(path='/pool/demo', roles='PVEVMUser', users='alice@pve')
    alice = login(pvesim, 'alice@pve', DEMO_USERS['alice@pve'])
    node = root.cluster.resources.get(type='vm')
    where = dict((r['vmid'], r['node']) for r in node)
    alice.nodes(where[100]).qemu(100).status.current.get()
    assert refused(lambda: alice.nodes(where[102]).qemu(102).status.current.get()).endswith(
        'Permission check failed (/vms/102, VM.Audit)')


def test_privsep_token_is_the_intersection(pvesim):
    root = pvesim.proxmoxer()
    root.access.users.post(userid='ci@pve')
    root.access.acl.put(path='/vms', roles='PVEVMUser', users='ci@pve')
    tok = root.access.users('ci@pve').token('auto').post(comment='ci')
    assert tok['full-tokenid'] == 'ci@pve!auto' and tok['info'] == {'privsep': 1, 'comment': 'ci'}
    assert 'value' not in root.access.users('ci@pve').token('auto').get()
    assert 'Token already exists.' in refused(lambda: root.access.users('ci@pve').token('auto').post(), 400)
    api = login(pvesim, 'ci@pve', token='auto', secret=tok['value'])
    # No token ACL yet: nothing at all.
    assert api.access.permissions.get() == {}
    # The token's ACL gives more than the user has: only the intersection counts.
    root.access.acl.put(path='/vms/100', roles='PVEVMAdmin', tokens='ci@pve!auto')
    perms = api.access.permissions.get(path='/vms/100')['/vms/100']
    assert perms.get('VM.PowerMgmt') == 1 and 'VM.Allocate' not in perms
    node = dict((r['vmid'], r['node']) for r in root.cluster.resources.get(type='vm'))[100]
    assert refused(lambda: api.nodes(node).qemu(100).config.put(memory=1024)).endswith(
        'Permission check failed (/vms/100, VM.Config.Memory)')
    api.nodes(node).qemu(100).status.current.get()
    # privsep 0: the user's rights.
    root.access.users('ci@pve').token('auto').put(privsep=0)
    assert 'VM.PowerMgmt' in api.access.permissions.get(path='/vms/102')['/vms/102']
    # Expired and deleted tokens no longer authenticate.
    root.access.users('ci@pve').token('auto').put(expire=1000)
    refused(lambda: api.version.get(), 401)
    root.access.users('ci@pve').token('auto').put(expire=0)
    api.version.get()
    root.access.users('ci@pve').token('auto').delete()
    refused(lambda: api.version.get(), 401)
    assert not [e for e in root.access.acl.get() if e['ugid'] == 'ci@pve!auto']


def test_tokens_cannot_change_passwords_and_self_is_the_login(pvesim):
    root = pvesim.proxmoxer()
    tok = root.access.users('alice@pve').token('tk').post(privsep=0)
    api = login(pvesim, 'alice@pve', token='tk', secret=tok['value'])
    assert 'regex' in refused(lambda: root.access.users('alice@pve').token('t').post(), 400)
    assert 'API token not allowed' in refused(lambda: api.access.password.put(userid='alice@pve',
                                                                                password='something-long'))
    alice = login(pvesim, 'alice@pve', DEMO_USERS['alice@pve'])
    # A user lists its own tokens; without User.Modify it may not list another user's.
    assert [t['tokenid'] for t in alice.access.users('alice@pve').token.get()] == ['tk']
    refused(lambda: alice.access.users('bob@pve').token.get())
    # Another user's permissions need Sys.Audit on /access.
    assert refused(lambda: alice.access.permissions.get(userid='bob@pve')).endswith('(/access, Sys.Audit)')


def test_seeded_auditor_is_a_real_acl_entry(pvesim):
    root = pvesim.proxmoxer()
    assert {'path': '/', 'type': 'user', 'ugid': 'bob@pve', 'roleid': 'PVEAuditor', 'propagate': 1} in \
        root.access.acl.get()
    bob = login(pvesim, 'bob@pve', DEMO_USERS['bob@pve'])
    assert refused(lambda: bob.access.users.post(userid='x@pve')).startswith('403 Forbidden: Permission check failed')


def test_realms(pvesim):
    root = pvesim.proxmoxer()
    assert {r['realm'] for r in root.access.domains.get()} == {'pam', 'pve'}
    root.access.domains.post(realm='corp', type='ldap', server1='ldap.example.com', base_dn='dc=example,dc=com',
                             user_attr='uid', password='bind-secret', comment='Corp')
    data = root.access.domains('corp').get()
    assert data['server1'] == 'ldap.example.com' and 'password' not in data and data['digest']
    root.access.domains('corp').put(comment='Corporate', digest=data['digest'])
    assert 'modified' in refused(lambda: root.access.domains('corp').put(comment='x', digest=data['digest']), 500)
    assert 'builtin type' in refused(lambda: root.access.domains.post(realm='xy', type='pve'), 500)
    assert 'Only LDAP/AD' in refused(lambda: root.access.domains('pve').sync.post(), 500)
    upid = root.access.domains('corp').sync.post()
    status = root.nodes(upid.split(':')[1]).tasks(upid).status.get()
    assert status['status'] == 'stopped' and status['exitstatus'] != 'OK'
    root.access.users.post(userid='zed@corp')
    with pytest.raises(AuthenticationError):
        login(pvesim, 'zed@corp', 'whatever-1')
    root.access.domains('corp').delete()
