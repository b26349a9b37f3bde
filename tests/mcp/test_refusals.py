# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Refusals name the privilege and the path, also where PVE's message does not (bench/refusals.py counts them
over every tool)."""

import pytest

from mcp_adapter import runner
from pvesim.seeds import CT_TEMPLATE_VOLID, DEMO_USERS
from tests.helpers.inproc import connection
from tests.mcp.mcp_support import tools, writes

TOOLS = tools()


@pytest.mark.parametrize('user, tool, arguments, needs', [
    ('alice@pve', 'create_vm', {'vmid': 150, 'name': 'new01', 'node': 'pve1'}, 'VM.Allocate on /vms/150 (not held)'),
    ('bob@pve', 'create_container', {'vmid': 250, 'node': 'pve1', 'ostemplate': CT_TEMPLATE_VOLID,
                                     'storage': 'local-lvm'},
     'VM.Allocate on /vms/250 (not held) and Datastore.AllocateSpace on /storage/local-lvm (not held)'),
    ('bob@pve', 'change_password', {'userid': 'alice@pve', 'password': 'n3w-Secret-pw'},
     'being alice@pve yourself or (Realm.AllocateUser on /access/realm/pve (not held) and'),
    ('bob@pve', 'delete_api_token', {'userid': 'root@pam', 'tokenid': 'automation'},
     'being root@pam yourself or User.Modify on /access/groups (not held)'),
    ('alice@pve', 'get_node_disks', {'node': 'pve1'}, 'Sys.Audit on / (not held) or Sys.Audit on /nodes/pve1'),
])
def test_refusals_pve_leaves_unnamed_are_explained(pvesim, user, tool, arguments, needs):
    before = writes(pvesim)
    result = runner.run(TOOLS[tool], dict(arguments, confirm=True) if TOOLS[tool].destructive else arguments,
                        connection(pvesim, user, DEMO_USERS[user]))
    assert result['failed'] and result['status'] == 403
    assert needs in result['msg'] and 'PVE said: Permission check failed' in result['msg'], result['msg']
    assert result['privilege'] and result['acl_path'].startswith('/')
    # Nothing but the refused request itself (the simulator counts it as a write request).
    assert writes(pvesim) - before == (0 if TOOLS[tool].read_only else 1)
