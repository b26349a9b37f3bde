# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Access modules through real ansible-playbook against pvesim: the quartet for every state module, a token
made by pve.ops.token used as the credentials of later tasks (exactly its ACL's privileges), secrets kept out
of results and -vvv output, the safety rails, and the info modules."""

import json
import os
import subprocess
import sys

import pytest

from tests.helpers.playbook import connection_defaults, quartet, run_tasks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_group_quartet(pvesim):
    run = quartet(pvesim, 'pve.ops.group', {'groupid': 'tenant-a', 'comment': 'Tenant A',
                                            'members': ['alice@pve', 'bob@pve']})
    assert run.results['t apply']['group'] == {'groupid': 'tenant-a', 'comment': 'Tenant A',
                                               'members': ['alice@pve', 'bob@pve']}
    assert pvesim.proxmoxer().access.groups('tenant-a').get()['members'] == ['alice@pve', 'bob@pve']


def test_role_quartet(pvesim):
    quartet(pvesim, 'pve.ops.role', {'roleid': 'GuestOperator', 'privileges': ['VM.PowerMgmt', 'VM.Audit']})
    assert pvesim.proxmoxer().access.roles('GuestOperator').get() == {'VM.Audit': 1, 'VM.PowerMgmt': 1}


def test_user_quartet(pvesim):
    args = {'userid': 'carol@pve', 'password': 'carol-secret-1', 'email': 'carol@example.com',
            'firstname': 'Carol', 'enable': True}
    run = quartet(pvesim, 'pve.ops.user', args)
    assert 'carol-secret-1' not in run.stdout + run.stderr + json.dumps(run.records)
    user = pvesim.proxmoxer().access.users('carol@pve').get()
    assert user['email'] == 'carol@example.com' and user['firstname'] == 'Carol'


def test_acl_quartet(pvesim):
    run = quartet(pvesim, 'pve.ops.acl', {'path': '/pool/demo', 'roles': ['PVEVMUser', 'PVEAuditor'],
                                          'users': ['alice@pve']})
    entries = run.results['t apply']['acl']['entries']
    assert [(e['ugid'], e['roleid']) for e in entries] == [('alice@pve', 'PVEAuditor'), ('alice@pve', 'PVEVMUser')]


def test_token_quartet(pvesim):
    run = quartet(pvesim, 'pve.ops.token', {'userid': 'alice@pve', 'tokenid': 'ci', 'comment': 'CI'})
    assert 'value' not in run.results['t check']['token']
    created = run.results['t apply']
    assert created['token']['value'] and created['secret_keys'] == ['token.value']
    for name in ('t check', 't idem check', 't idem'):
        assert 'value' not in run.results[name]['token'] and 'secret_keys' not in run.results[name]
    assert 'cannot be read back' in run.results['t idem']['msg']


def test_realm_quartet(pvesim):
    quartet(pvesim, 'pve.ops.realm', {'realm': 'corp', 'type': 'ldap', 'comment': 'Corp',
                                      'settings': {'server1': 'ldap.example.com', 'base_dn': 'dc=example,dc=com',
                                                   'user_attr': 'uid'},
                                      'bind_password': 'bind-secret-1'})
    assert pvesim.proxmoxer().access.domains('corp').get()['base_dn'] == 'dc=example,dc=com'


def test_token_as_credentials_with_exactly_its_privileges(pvesim):
    setup = [
        {'name': 'user', 'pve.ops.user': {'userid': 'auto@pve', 'comment': 'automation'}},
        {'name': 'role', 'pve.ops.role': {'roleid': 'NodeAuditor', 'privileges': ['Sys.Audit']}},
        {'name': 'user acl', 'pve.ops.acl': {'path': '/', 'roles': ['PVEAdmin'], 'users': ['auto@pve']}},
        {'name': 'token', 'pve.ops.token': {'userid': 'auto@pve', 'tokenid': 'ci'}, 'register': 'tok',
         'no_log': True},
        {'name': 'token acl', 'pve.ops.acl': {'path': '/nodes', 'roles': ['NodeAuditor'],
                                              'tokens': ['auto@pve!ci']}},
    ]
    as_token = {'api_token_id': '{{ tok.token.full_tokenid }}', 'api_token_secret': '{{ tok.token.value }}',
                'api_user': '{{ omit }}', 'api_password': '{{ omit }}'}
    use = [
        {'name': 'allowed', 'pve.ops.node_info': dict(as_token, node='pve1')},
        {'name': 'own perms', 'pve.ops.permissions_info': dict(as_token, path='/nodes/pve1',
                                                               privileges=['Sys.Audit', 'Sys.Modify'])},
        {'name': 'refused', 'pve.ops.role': dict(as_token, roleid='Sneaky', privileges=['VM.Audit']),
         'ignore_errors': True},
        {'name': 'refused user', 'pve.ops.user': dict(as_token, userid='sneaky@pve'), 'ignore_errors': True},
        {'name': 'rerun', 'pve.ops.token': {'userid': 'auto@pve', 'tokenid': 'ci'}},
        {'name': 'tokens', 'pve.ops.token_info': {'userid': 'auto@pve'}},
        {'name': 'users', 'pve.ops.user_info': {}},
    ]
    run = run_tasks(pvesim, setup + use, verbosity=3)
    assert run.rc == 0, run
    secret = pvesim.call(lambda: pvesim.pve.apitokens['auto@pve!ci'])
    assert run.results['allowed']['node']['node'] == 'pve1'
    perms = run.results['own perms']
    assert perms['allowed'] is False and perms['missing'] == ['Sys.Modify']
    assert perms['permissions'] == {'/nodes/pve1': ['Sys.Audit']}
    assert run.status['refused'] == 'failed'
    assert 'Sys.Modify on /access' in run.results['refused']['msg']
    assert run.results['refused']['privilege'] == 'Sys.Modify'
    assert 'Realm.AllocateUser' in run.results['refused user']['msg']
    assert pvesim.proxmoxer().access.roles.get() and not [
        r for r in pvesim.proxmoxer().access.roles.get() if r['roleid'] == 'Sneaky']
    # The secret: nowhere in -vvv output, in no result but the creation's.
    assert secret not in run.stdout and secret not in run.stderr
    for record in run.records:
        if record['task'] != 'token':
            assert secret not in json.dumps(record['result']), record['task']
    assert 'cannot be read back' in run.results['rerun']['msg']
    assert run.results['rerun']['changed'] is False


def test_safety_rails_and_info(pvesim):
    token = pvesim.proxmoxer().access.users('bob@pve').token('ops').post(privsep=0)
    pvesim.proxmoxer().access.acl.put(path='/', roles='Administrator', users='bob@pve')
    as_bob = connection_defaults(pvesim, api_user='bob@pve', api_password=None, api_token_id='bob@pve!ops',
                                 api_token_secret=token['value'])
    as_bob.pop('api_password')
    run = run_tasks(pvesim, [
        {'name': 'root', 'pve.ops.user': {'userid': 'root@pam', 'state': 'absent'}, 'ignore_errors': True},
        {'name': 'own acl', 'pve.ops.acl': {'path': '/', 'roles': ['Administrator'], 'users': ['bob@pve'],
                                            'state': 'absent'}, 'ignore_errors': True},
        {'name': 'own token', 'pve.ops.token': {'tokenid': 'bob@pve!ops', 'state': 'absent'},
         'ignore_errors': True},
        {'name': 'builtin', 'pve.ops.role': {'roleid': 'PVEAuditor', 'privileges': ['VM.Audit']},
         'ignore_errors': True},
        {'name': 'bad user', 'pve.ops.user': {'userid': 'no-realm'}, 'ignore_errors': True},
        {'name': 'roles', 'pve.ops.role_info': {'roleid': 'PVETemplateUser'}},
        {'name': 'acl', 'pve.ops.acl_info': {'path': '/'}},
        {'name': 'groups', 'pve.ops.group_info': {}},
        {'name': 'bob perms', 'pve.ops.permissions_info': {'userid': 'bob@pve', 'path': '/vms/100'}},
    ], connection=as_bob)
    assert run.rc == 0, run
    assert 'root@pam' in run.results['root']['msg'] and run.status['root'] == 'failed'
    assert 'force' in run.results['own acl']['msg'] and run.status['own acl'] == 'failed'
    assert 'authenticates with this token' in run.results['own token']['msg']
    assert 'built-in role' in run.results['builtin']['msg']
    assert run.results['bad user']['field'] == 'userid'
    for name in ('root', 'own acl', 'own token', 'builtin', 'bad user'):
        assert run.writes[name] == 0, name
    assert run.results['roles']['roles'] == [{'roleid': 'PVETemplateUser', 'privileges': ['VM.Audit', 'VM.Clone'],
                                              'special': True}]
    assert {'path': '/', 'type': 'user', 'ugid': 'bob@pve', 'roleid': 'Administrator', 'propagate': True} in \
        run.results['acl']['acl']
    assert 'VM.Allocate' in run.results['bob perms']['permissions']['/vms/100']


def test_group_membership_exact_and_append(pvesim):
    run = run_tasks(pvesim, [
        {'name': 'g', 'pve.ops.group': {'groupid': 'g', 'members': ['alice@pve', 'bob@pve']}},
        {'name': 'exact', 'pve.ops.group': {'groupid': 'g', 'members': ['bob@pve']}},
        {'name': 'append user', 'pve.ops.user': {'userid': 'alice@pve', 'groups': ['g'], 'append': True}},
        {'name': 'no groups', 'pve.ops.user': {'userid': 'bob@pve', 'groups': []}},
        {'name': 'password', 'pve.ops.user': {'userid': 'alice@pve', 'password': 'alice-new-pass',
                                              'update_password': 'always'}},
        {'name': 'password again', 'pve.ops.user': {'userid': 'alice@pve', 'password': 'alice-new-pass',
                                                    'update_password': 'always'}},
    ])
    assert run.rc == 0, run
    assert run.results['exact']['group']['members'] == ['bob@pve']
    assert run.results['append user']['user']['groups'] == ['g']
    assert pvesim.proxmoxer().access.groups('g').get()['members'] == ['alice@pve']
    assert run.results['password']['changed'] is True and run.results['password']['password_changed'] is True
    assert run.results['password again']['changed'] is False
    assert 'alice-new-pass' not in run.stdout + json.dumps(run.records)


@pytest.mark.skipif(not os.path.exists(os.path.join(ROOT, '.venv', 'bin', 'ansible-lint')), reason='no ansible-lint')
def test_access_playbook_runs_against_the_simulator(pvesim, tmp_path):
    env = dict(os.environ)
    env.update(pvesim.env())
    home = tmp_path / 'home'
    home.mkdir()
    env['HOME'] = str(home)
    book = os.path.join(ROOT, 'playbooks', 'access.yml')
    bin_dir = os.path.dirname(sys.executable)
    for attempt in ('first', 'second'):
        proc = subprocess.run([os.path.join(bin_dir, 'ansible-playbook'), book, '-i', 'localhost,', '-c', 'local',
                               '-e', 'ansible_python_interpreter=' + sys.executable,
                               '-e', 'token_secret_file=' + str(tmp_path / 'token')],
                              capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        if attempt == 'second':
            assert 'changed=0' in proc.stdout, proc.stdout[-2000:]
    # The secret went to the file asked for, and nowhere in $HOME (the role hands it back as a fact only).
    assert not [p for p in home.rglob('*') if p.is_file() and '.ansible' not in p.parts], list(home.rglob('*'))
    full, _, secret = (tmp_path / 'token').read_text().strip().partition('=')
    assert full == 'demo-automation@pve!automation' and secret not in proc.stdout
    acl = pvesim.proxmoxer().access.acl.get()
    assert {'path': '/pool/demo', 'type': 'group', 'ugid': 'tenant-demo', 'roleid': 'TenantOperator',
            'propagate': 1} in acl
