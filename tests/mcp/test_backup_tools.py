# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup and restore tools in-process: what their fixed arguments promise (kind of guest, no overwrite)."""

from mcp_adapter import runner
from tests.helpers.inproc import connection
from tests.mcp.mcp_support import tools, writes

TOOLS = tools()
OLD_CT_BACKUP = 'backup-nfs:backup/vzdump-lxc-200-2025_11_23-02_10_11.tar.zst'


def call(sim, name, arguments, check_mode=False):
    return runner.run(TOOLS[name], arguments, connection(sim), check_mode=check_mode)


def test_restore_onto_a_taken_vmid_fails_unless_skip_existing(pvesim):
    before = writes(pvesim)
    taken = call(pvesim, 'restore_container_backup', {'archive': OLD_CT_BACKUP, 'node': 'pve2'})
    assert taken['failed'] and 'guest 200 exists' in taken['msg'] and 'skip_existing' in taken['msg']
    skipped = call(pvesim, 'restore_container_backup', {'archive': OLD_CT_BACKUP, 'node': 'pve2',
                                                        'skip_existing': True})
    assert not skipped.get('failed') and skipped['changed'] is False and skipped['restored'] is False
    assert writes(pvesim) == before
    assert 'skip_existing' not in TOOLS['restore_backup_over_guest'].input_schema['properties']


def test_tools_keep_to_their_kind_of_guest(pvesim):
    before = writes(pvesim)
    wrong = call(pvesim, 'restore_vm_backup', {'archive': OLD_CT_BACKUP, 'node': 'pve2', 'vmid': 260})
    assert wrong['failed'] and 'holds a container, not a VM' in wrong['msg']
    container = call(pvesim, 'create_vm_backup', {'vmids': [100, 200], 'storage': 'backup-nfs'})
    assert container['failed'] and container['msg'] == 'vmids: 200 is not a VM'
    assert writes(pvesim) == before
    pool = call(pvesim, 'create_container_backup', {'pool': 'demo', 'storage': 'backup-nfs'}, check_mode=True)
    assert [g['vmid'] for g in pool['planned']] == [200]


def test_skip_existing_never_skips_over_another_kind_of_guest(pvesim):
    """A VM backup restored as vmid 201 (a container): not "the guest exists", another guest holds the id."""
    before = writes(pvesim)
    archive = 'backup-nfs:backup/vzdump-qemu-100-2025_11_23-02_00_04.vma.zst'
    for extra in ({'skip_existing': True}, {}):
        result = call(pvesim, 'restore_vm_backup', dict({'archive': archive, 'node': 'pve1', 'vmid': 201}, **extra))
        assert result['failed'] and result['field'] == 'vmid', result
        assert 'vmid 201 is a container (cache01) and the backup holds a VM' in result['msg']
    assert writes(pvesim) == before
