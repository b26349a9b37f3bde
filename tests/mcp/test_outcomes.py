# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes whose answer is lost (pvesim's drop_answer / drop_request faults), in-process: a re-read says whether
they took effect; an outcome that cannot be known is reported as such, never as "no change"; a backup is never
made twice."""

import pytest

from ansible_collections.pve.ops.plugins.module_utils import tasks
from pvesim import faults
from tests.helpers.inproc import run_module
from tests.mcp.test_backup_tools import call

VZDUMP = '/nodes/{node}/vzdump'
STATUS = '/nodes/{node}/tasks/{upid}/status'


def fault(sim, document):
    sim.call(faults.apply(sim.pve, document))


def backups(sim, vmid, node='pve1'):
    items = sim.proxmoxer().nodes(node).storage('backup-nfs').content.get(content='backup', vmid=vmid)
    return sorted(i['volid'] for i in items)


def posts(sim, path):
    return sim.stats()['by_path'].get('POST /api2/json' + path, 0)


def test_lost_answer_to_a_backup_finds_the_backup_it_made(pvesim):
    old = backups(pvesim, 100)
    fault(pvesim, {'drop_answer': {'method': 'POST', 'path': VZDUMP, 'times': 1}})
    pvesim.reset_stats()
    result = call(pvesim, 'create_vm_backup', {'vmids': [100], 'storage': 'backup-nfs'})
    assert not result.get('failed'), result['msg']
    assert result['changed'] is True and len(result['backups']) == 1
    assert any('a re-read shows it took effect' in w for w in result['warnings'])
    assert posts(pvesim, '/nodes/pve1/vzdump') == 1
    assert backups(pvesim, 100) == sorted(old + result['volids'])


def test_a_run_while_the_backup_still_runs_waits_for_it(pvesim_factory):
    sim = pvesim_factory(time_scale=0.01)
    sim.call(lambda: setattr(sim.pve, 'vzdump_secs', 50))
    old = backups(sim, 100)
    upid = sim.proxmoxer().nodes('pve1').vzdump.post(vmid='100', storage='backup-nfs')
    sim.reset_stats()
    result = call(sim, 'create_vm_backup', {'vmids': [100], 'storage': 'backup-nfs'})
    assert not result.get('failed'), result['msg']
    assert result['changed'] is True and posts(sim, '/nodes/pve1/vzdump') == 0
    assert any(upid in w and 'instead of starting a second one' in w for w in result['warnings'])
    assert backups(sim, 100) == sorted(old + result['volids']) and len(result['volids']) == 1


def test_api_gone_while_the_backup_runs_is_an_unknown_outcome(pvesim, monkeypatch):
    monkeypatch.setattr(tasks, 'LOST_CONTACT_GRACE', 0)
    fault(pvesim, {'drop_request': {'method': 'GET', 'path': STATUS}})
    result = call(pvesim, 'create_vm_backup', {'vmids': [100], 'storage': 'backup-nfs'})
    assert result['failed'] and result['outcome'] == 'unknown' and result['changed'] is True
    upid = result['upid']
    assert ':vzdump:100:' in upid and result['tasks'] == [upid]
    assert result['msg'].startswith('outcome unknown: ') and 'pve.ops.task_info upid={0}'.format(upid) in result['msg']


def test_storage_writes_settled_by_a_re_read(pvesim):
    args = dict(name='extra', type='dir', path='/srv/extra', content=['iso'])
    # The answer to the create is lost after a read timeout: the storage is there.
    fault(pvesim, {'drop_answer': {'method': 'POST', 'path': '/api2/json/storage', 'times': 1, 'hang_secs': 1.5}})
    created = run_module(pvesim, 'storage', args, api_timeout=1)
    assert not created.get('failed'), created['msg']
    assert created['changed'] is True and 'api_timeout (1s)' in created['warnings'][0]
    assert run_module(pvesim, 'storage', args)['changed'] is False
    # The connection closes before the delete is handled: nothing changed, and the result says so.
    fault(pvesim, {'drop_request': {'method': 'DELETE', 'path': '/storage/extra', 'times': 1}})
    kept = run_module(pvesim, 'storage', dict(name='extra', state='absent'))
    assert kept['failed'] and kept['outcome'] == 'not applied' and kept['changed'] is False
    assert 'did not take effect' in kept['msg']
    # An update (PUT) whose answer is lost is sent again: PUT is idempotent.
    fault(pvesim, {'drop_answer': {'method': 'PUT', 'path': '/storage/extra', 'times': 1}})
    updated = run_module(pvesim, 'storage', dict(name='extra', content=['iso', 'vztmpl']))
    assert updated['changed'] is True and not updated.get('warnings')
    assert updated['storage']['content'] == ['iso', 'vztmpl']


def test_a_token_secret_lost_with_the_answer_is_a_failure(pvesim):
    fault(pvesim, {'drop_answer': {'method': 'POST', 'path': '/token/ci', 'times': 1}})
    result = run_module(pvesim, 'token', dict(userid='alice@pve', tokenid='ci'))
    assert result['failed'] and result['changed'] is True and 'regenerate: true' in result['msg']
    again = run_module(pvesim, 'token', dict(userid='alice@pve', tokenid='ci', regenerate=True))
    assert again['changed'] is True and again['token']['value']


@pytest.mark.parametrize('module, params, path', [
    ('backup_job', dict(id='nightly', schedule='02:00', storage='backup-nfs', vmids=[100]), '/cluster/backup'),
    ('user', dict(userid='carol@pve', password='s3cret-pass'), '/access/users'),
    ('restore', dict(archive='backup-nfs:backup/vzdump-lxc-200-2025_11_23-02_10_11.tar.zst', node='pve2',
                     vmid=260, storage='local-lvm'), '/nodes/pve2/lxc'),
])
def test_lost_creates_are_found(pvesim, module, params, path):
    fault(pvesim, {'drop_answer': {'method': 'POST', 'path': path, 'times': 1}})
    first = run_module(pvesim, module, params)
    assert not first.get('failed'), first['msg']
    assert first['changed'] is True and 'took effect' in first['warnings'][0]
    if module != 'restore':
        assert run_module(pvesim, module, params)['changed'] is False
