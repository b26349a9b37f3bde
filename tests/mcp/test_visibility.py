# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the caller may not see is never reported as absent (nor created): users, groups, ACLs, storages,
backups, guests to back up. The failure names the privilege and the path that would show it."""

import pytest

from mcp_adapter import catalogue, runner
from pvesim.seeds import DEMO_USERS
from tests.helpers.inproc import connection, run_module
from tests.mcp.mcp_support import tools, writes

TOOLS = tools()
OLD_CT_BACKUP = 'backup-nfs:backup/vzdump-lxc-200-2025_11_23-02_10_11.tar.zst'


def as_user(sim, user, tool, arguments):
    return runner.run(catalogue.resolve(TOOLS, tool), arguments, connection(sim, user, DEMO_USERS[user]))


@pytest.mark.parametrize('user, tool, arguments, needs', [
    # Before: change_password tried to create bob@pve, delete_user said "no change".
    ('alice@pve', 'change_password', {'userid': 'bob@pve', 'password': 'n3w-Secret-pw'},
     'User.Modify or Sys.Audit on /access/groups'),
    ('alice@pve', 'delete_user', {'userid': 'bob@pve', 'confirm': True}, 'User.Modify or Sys.Audit on /access/groups'),
    ('alice@pve', 'list_api_tokens', {'userid': 'root@pam'}, 'User.Modify or Sys.Audit on /access/groups'),
    ('alice@pve', 'list_users', {'userid': 'bob@pve'}, 'User.Modify or Sys.Audit on /access/groups'),
    ('alice@pve', 'remove_acl', {'path': '/', 'roles': ['PVEAuditor'], 'users': ['bob@pve'], 'confirm': True},
     'Permissions.Modify on /'),
    ('alice@pve', 'update_storage', {'name': 'local', 'content': ['iso']},
     'Datastore.Audit or Datastore.AllocateSpace on /storage/local'),
    ('alice@pve', 'get_storage', {'name': 'local'}, 'Datastore.Audit or Datastore.AllocateSpace on /storage/local'),
    ('alice@pve', 'create_vm_backup', {'vmids': [100], 'storage': 'backup-nfs'}, 'needs VM.Audit on /vms/100'),
    # Before: delete_backup said "no change", the restores "backup ... does not exist".
    ('bob@pve', 'delete_backup', {'storage': 'backup-nfs', 'volume': OLD_CT_BACKUP, 'confirm': True},
     'Datastore.AllocateSpace there and VM.Backup on /vms/200'),
    ('bob@pve', 'restore_container_backup', {'archive': OLD_CT_BACKUP, 'node': 'pve2', 'vmid': 260},
     'Datastore.Allocate on /storage/backup-nfs'),
    ('bob@pve', 'list_backups', {'name': 'backup-nfs', 'vmid': 200}, 'VM.Backup on /vms/200'),
])
def test_what_the_caller_may_not_see_is_not_absent(pvesim, user, tool, arguments, needs):
    before = writes(pvesim)
    result = as_user(pvesim, user, tool, arguments)
    assert result['failed'] and result['msg'].startswith(('cannot tell whether', 'guest 100 exists')), result
    assert needs in result['msg'] and result['privilege'] and result['acl_path'], result['msg']
    assert result['changed'] is False and writes(pvesim) == before


def test_a_group_admin_creates_users_in_the_group(pvesim):
    """User.Modify on the group (and Realm.AllocateUser) is enough to create a user in it: PVE itself refuses a
    user that exists unseen."""
    assert run_module(pvesim, 'group', dict(groupid='ops'))['changed']
    for path in ('/access/groups/ops', '/access/realm/pve'):
        assert run_module(pvesim, 'acl', dict(path=path, roles=['PVEUserAdmin'], users=['alice@pve']))['changed']
    created = run_module(pvesim, 'user', dict(userid='dave@pve', groups=['ops']), user='alice@pve',
                         password=DEMO_USERS['alice@pve'])
    assert created['changed'] is True and created['user']['groups'] == ['ops'], created.get('msg')
    hidden = run_module(pvesim, 'user', dict(userid='bob@pve', email='b@example.com'), user='alice@pve',
                        password=DEMO_USERS['alice@pve'])
    assert hidden['failed'] and 'cannot tell whether user bob@pve exists' in hidden['msg']


def test_own_password_is_confirmed_with_the_login_password(pvesim):
    result = as_user(pvesim, 'alice@pve', 'change_password', {'userid': 'alice@pve', 'password': 'n3w-Secret-pw'})
    assert result['changed'] is True and result['password_changed'] is True, result.get('msg')
    assert pvesim.proxmoxer(user='alice@pve', password='n3w-Secret-pw').version.get()
