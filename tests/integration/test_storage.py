# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.storage, storage_info and storage_content through ansible-playbook against pvesim."""

import hashlib

from tests.helpers.playbook import quartet, run_tasks


def test_storage_quartet_update_and_remove(pvesim):
    args = dict(name='isos', type='dir', path='/srv/isos', content=['vztmpl', 'iso'], nodes=['pve1', 'pve2'],
                retention=dict(keep_last=3))
    run = quartet(pvesim, 'pve.ops.storage', args)
    storage = run.results['t apply']['storage']
    assert storage['content'] == ['iso', 'vztmpl'] and storage['nodes'] == ['pve1', 'pve2']
    run = run_tasks(pvesim, [
        {'name': 'more content', 'pve.ops.storage': dict(name='isos', content=['iso', 'vztmpl', 'snippets'],
                                                         enabled=False)},
        {'name': 'type change', 'pve.ops.storage': dict(name='isos', type='nfs', server='x', export='/x'),
         'ignore_errors': True},
        {'name': 'path change', 'pve.ops.storage': dict(name='isos', path='/elsewhere'), 'ignore_errors': True},
        {'name': 'info', 'pve.ops.storage_info': dict(name='isos', gather=['config'])},
        {'name': 'absent check', 'pve.ops.storage': dict(name='isos', state='absent'), 'check_mode': True},
        {'name': 'absent', 'pve.ops.storage': dict(name='isos', state='absent')},
        {'name': 'absent again', 'pve.ops.storage': dict(name='isos', state='absent')},
    ])
    assert run.rc == 0, run
    assert run.results['more content']['changed']
    assert run.results['more content']['diff']['after']['enabled'] is False
    for name in ('type change', 'path change'):
        assert run.status[name] == 'failed' and run.writes[name] == 0, run.results[name]
    assert 'cannot change the type' in run.results['type change']['msg']
    assert run.results['path change']['field'] == 'path'
    info = run.results['info']['storages'][0]
    assert info['content'] == ['iso', 'snippets', 'vztmpl'] and info['enabled'] is False
    assert info['prune-backups'] == {'keep_last': 3}
    assert run.results['absent check']['changed'] and run.writes['absent check'] == 0
    assert run.results['absent']['changed'] and not run.results['absent again']['changed']
    assert run.writes['absent again'] == 0


def test_cifs_password_is_never_shown(pvesim):
    secret = 'S3cret-cifs-pw'
    run = run_tasks(pvesim, [{'name': 'cifs', 'pve.ops.storage': dict(
        name='smb', type='cifs', server='192.0.2.9', share='backups', username='svc', password=secret,
        content=['backup'])}], verbosity=3)
    assert run.rc == 0, run
    assert run.results['cifs']['changed']
    assert secret not in run.stdout and secret not in repr(run.results)


def test_info_status_follows_the_volumes(pvesim, tmp_path):
    iso = tmp_path / 'tiny.iso'
    iso.write_bytes(b'\x00' * 4096 + b'pve.ops')
    digest = hashlib.sha256(iso.read_bytes()).hexdigest()
    upload = dict(storage='local', node='pve1', content='iso', src=str(iso), checksum=digest,
                  checksum_algorithm='sha256')
    run = quartet(pvesim, 'pve.ops.storage_content', upload)
    assert run.results['t apply']['volume']['volid'] == 'local:iso/tiny.iso'
    assert run.results['t apply']['volume']['size'] == 4096 + 7

    corrupt = tmp_path / 'corrupt.iso'
    corrupt.write_bytes(b'\x00' * 4096 + b'pve.oops')
    run = run_tasks(pvesim, [
        {'name': 'status before', 'pve.ops.storage_info': dict(name='local', node='pve1', gather=['status'])},
        {'name': 'corrupt', 'ignore_errors': True, 'pve.ops.storage_content': dict(
            storage='local', node='pve1', content='iso', src=str(corrupt), checksum=digest,
            checksum_algorithm='sha256')},
        {'name': 'isos', 'pve.ops.storage_info': dict(name='local', node='pve1', gather=['content'], content='iso')},
        {'name': 'delete', 'pve.ops.storage_content': dict(storage='local', node='pve1', volume='iso/tiny.iso',
                                                           state='absent')},
        {'name': 'status after', 'pve.ops.storage_info': dict(name='local', node='pve1', gather=['status'])},
        {'name': 'backup upload', 'ignore_errors': True, 'pve.ops.storage_content': dict(
            storage='local', content='backup', src=str(iso))},
    ])
    assert run.results['corrupt']['msg'].startswith('task ') and 'checksum mismatch' in run.results['corrupt']['msg']
    volids = [v['volid'] for v in run.results['isos']['content']]
    assert 'local:iso/corrupt.iso' not in volids and 'local:iso/tiny.iso' in volids
    before = run.results['status before']['status'][0]
    after = run.results['status after']['status'][0]
    assert before['used'] - after['used'] == 4096 + 7 and after['avail'] - before['avail'] == 4096 + 7
    assert run.results['delete']['changed']
    assert run.results['backup upload']['field'] == 'content' and run.writes['backup upload'] == 0


def test_protected_backup_survives_a_delete(pvesim):
    volid = 'backup-nfs:backup/vzdump-qemu-100-2025_11_23-02_00_04.vma.zst'
    run = quartet(pvesim, 'pve.ops.storage_content', dict(storage='backup-nfs', volume=volid, protected=True,
                                                          notes='keep for the audit'))
    assert run.results['t apply']['volume']['protected'] is True
    run = run_tasks(pvesim, [
        {'name': 'delete', 'pve.ops.storage_content': dict(storage='backup-nfs', volume=volid, state='absent'),
         'ignore_errors': True},
        {'name': 'prune everything', 'pve.ops.backup_prune': dict(storage='backup-nfs', vmid=100,
                                                                  retention=dict(keep_last=1))},
        {'name': 'listing', 'pve.ops.storage_info': dict(name='backup-nfs', gather=['content'], vmid=100)},
        {'name': 'forced delete', 'pve.ops.storage_content': dict(storage='backup-nfs', volume=volid, state='absent',
                                                                  force=True)},
    ])
    assert run.status['delete'] == 'failed' and run.writes['delete'] == 0
    assert 'protected' in run.results['delete']['msg']
    assert run.results['prune everything']['removed'] == []
    listing = run.results['listing']['content']
    assert [v['volid'] for v in listing] == [volid] and listing[0]['notes'] == 'keep for the audit'
    assert run.results['forced delete']['changed']
    px = pvesim.proxmoxer()
    assert px.nodes('pve1').storage('backup-nfs').content.get(vmid=100) == []
