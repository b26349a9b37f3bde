# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The table of what calls need (generated from the official schema) and how a refusal is worded from it."""

import importlib.util
import json
import os

import pytest

from ansible_collections.pve.ops.plugins.module_utils import privileges
from ansible_collections.pve.ops.plugins.module_utils._permissions_table import CHECKS
from tests.unit.test_module_docs import ROOT

SPEC = importlib.util.spec_from_file_location('gen_permissions', os.path.join(ROOT, 'scripts', 'gen_permissions.py'))
GEN = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(GEN)


@pytest.fixture(scope='module')
def schema():
    if not os.path.exists(GEN.SCHEMA):
        pytest.skip('the official PVE API schema is not at {0} (set PVE_API_SCHEMA)'.format(GEN.SCHEMA))
    with open(GEN.SCHEMA) as fh:
        return json.load(fh)['paths']


def test_the_table_is_generated_from_the_schema_and_current(schema):
    assert GEN.render(schema) == open(GEN.TARGET).read(), 'run python scripts/gen_permissions.py'
    assert GEN.table(schema) == CHECKS


def named_privileges(check):
    if check[0] in ('or', 'and'):
        return set().union(*(named_privileges(sub) for sub in check[1:]))
    return set(check[2]) if check[0] == 'perm' else set()


def test_described_checks_name_only_what_the_schema_describes(schema):
    for (method, template), check in GEN.DESCRIBED.items():
        permissions = schema[template][method]['permissions']
        assert 'check' not in permissions, (method, template)
        missing = [p for p in named_privileges(check) if p not in permissions['description']]
        assert missing == [], (method, template, missing)


class Holder:
    """A client whose credentials hold ``held`` ({path: privileges})."""

    identity = 'bob@pve'

    def __init__(self, held):
        self.held = held

    def get(self, *segments, **params):
        assert segments == ('access', 'permissions')
        return {params['path']: dict.fromkeys(self.held.get(params['path'], ()), 1)}


def test_a_combined_check_is_worded_with_what_is_held():
    words, privilege, path = privileges.explain(Holder({'/access/realm/pve': ['Realm.AllocateUser']}), 'PUT',
                                                'access/password', {'userid': 'alice@pve', 'password': 'x' * 9})
    assert words == ('being alice@pve yourself or (Realm.AllocateUser on /access/realm/pve (held) and '
                     '(User.Modify on /access/groups (not held) or User.Modify on a group alice@pve is a member of))')
    assert (privilege, path) == ('User.Modify', '/access/groups')


def test_a_described_check_takes_the_parameters_of_the_call():
    words, privilege, path = privileges.explain(Holder({}), 'POST', 'nodes/pve1/qemu',
                                                {'vmid': 150, 'pool': 'dev', 'name': 'x'})
    assert words == 'VM.Allocate on /vms/150 (not held) or VM.Allocate on /pool/dev (not held)'
    assert (privilege, path) == ('VM.Allocate', '/vms/150')
    words, _p, _a = privileges.explain(Holder({}), 'POST', 'nodes/pve1/vzdump',
                                       {'vmid': '100,101', 'storage': 'backup-nfs'})
    assert words == ('VM.Backup on /vms/100 (not held) and VM.Backup on /vms/101 (not held) and '
                     'Datastore.AllocateSpace on /storage/backup-nfs (not held)')
    assert privileges.explain(Holder({}), 'POST', 'nodes/pve1/qemu/100/status/start', {}) is None


def test_migrateall_needs_vm_migrate_on_root_or_on_each_guest_named():
    words, privilege, path = privileges.explain(Holder({}), 'POST', 'nodes/pve1/migrateall', {'target': 'pve2'})
    assert (words, privilege, path) == ('VM.Migrate on / (not held)', 'VM.Migrate', '/')
    words, _p, _a = privileges.explain(Holder({'/vms/100': ['VM.Migrate']}), 'POST', 'nodes/pve1/migrateall',
                                       {'target': 'pve2', 'vms': '100,101'})
    assert words == ('VM.Migrate on / (not held) or (VM.Migrate on /vms/100 (held) and '
                     'VM.Migrate on /vms/101 (not held))')
