# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""--check of a play whose tasks depend on what earlier tasks create: each says what would happen (with a
warning), none fails, nothing is written."""

from tests.helpers.inproc import run_module
from tests.helpers.playbook import run_tasks

NEW_ARCHIVE = 'newstore:backup/vzdump-qemu-100-2026_01_01-00_00_00.vma.zst'


def test_check_mode_of_a_play_that_creates_what_later_tasks_use(pvesim):
    tasks = [
        {'name': 'pool', 'pve.ops.pool': dict(poolid='team-x', vms=['build01'])},
        {'name': 'backup the pool', 'pve.ops.backup': dict(pool='team-x', storage='backup-nfs')},
        {'name': 'storage', 'pve.ops.storage': dict(name='newstore', type='dir', path='/srv/new',
                                                     content=['backup', 'iso'])},
        {'name': 'job', 'pve.ops.backup_job': dict(id='new-nightly', schedule='02:00', storage='newstore',
                                                   pool='team-x')},
        {'name': 'backup to it', 'pve.ops.backup': dict(vmids=[100], storage='newstore')},
        {'name': 'iso', 'pve.ops.storage_content': dict(storage='newstore', content='iso',
                                                        url='https://example.com/a.iso')},
        {'name': 'protect', 'pve.ops.storage_content': dict(storage='newstore', volume=NEW_ARCHIVE, protected=True)},
        {'name': 'read it', 'pve.ops.storage_info': dict(name='newstore', gather=['config', 'content'])},
        {'name': 'prune it', 'pve.ops.backup_prune': dict(storage='newstore', retention=dict(keep_last=2))},
        {'name': 'prune by job', 'pve.ops.backup_prune': dict(job='new-nightly')},
        {'name': 'restore', 'pve.ops.restore': dict(archive=NEW_ARCHIVE, node='pve1', vmid=300)},
        {'name': 'user', 'pve.ops.user': dict(userid='erin@pve', password='s3cret-pass')},
        {'name': 'token', 'pve.ops.token': dict(userid='erin@pve', tokenid='ci')},
        {'name': 'group', 'pve.ops.group': dict(groupid='erins', members=['erin@pve'])},
    ]
    run = run_tasks(pvesim, tasks, check=True)
    assert run.rc == 0, run
    assert sum(run.writes.values()) == 0
    expected = {'backup the pool': True, 'job': True, 'backup to it': True, 'iso': True, 'protect': True,
                'read it': False, 'prune it': False, 'prune by job': False, 'restore': True, 'token': True,
                'group': True}
    for name, changed in expected.items():
        result = run.results[name]
        assert run.status[name] in ('ok', 'changed') and result['changed'] is changed, (name, result)
        if name != 'job':
            assert any('check mode takes it as made by an earlier task' in w for w in result.get('warnings', [])), \
                (name, result)
    assert 'pool' in run.results['backup the pool']['warnings'][0]
    # Without check mode the same dependency is an error.
    result = run_module(pvesim, 'backup', dict(pool='team-x', storage='backup-nfs'))
    assert result['failed'] and result['msg'] == 'the selection holds no guest'
