# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.backup_archive through real ansible-playbook against pvesim: real vzdump archives (pvesim/archives.py
writes them) copied over SFTP into the backup storages' dump/ directories of the nodes' SSH endpoints, listed
by PVE as backup volumes, then restored."""

import gzip
import hashlib

from pvesim.archives import tar_bytes, vma_bytes
from tests.helpers.playbook import quartet, run_tasks

MODULE = 'pve.ops.backup_archive'
VM_NAME = 'vzdump-qemu-4101-2026_11_20-03_00_00.vma'
CT_NAME = 'vzdump-lxc-4201-2026_11_21-04_30_00.tar.gz'
VM_CONF = ('#restored from another cluster\nboot: order=scsi0\ncores: 2\nmemory: 2048\nname: imported-vm\n'
           'net0: virtio=BC:24:11:00:41:01,bridge=vmbr0\nostype: l26\nscsi0: local-lvm:vm-4101-disk-0,size=8G\n'
           'scsihw: virtio-scsi-single\n')
CT_CONF = ('arch: amd64\ncores: 1\nhostname: imported-ct\nmemory: 512\n'
           'net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:42:01,ip=dhcp,type=veth\nostype: debian\n'
           'rootfs: local-lvm:vm-4201-disk-0,size=4G\n')


def ssh(sim, node, **extra):
    endpoint = sim.call(lambda: dict(sim.pve.ssh_endpoints[node]))
    return dict({'ssh_host': endpoint['host'], 'ssh_port': endpoint['port'], 'ssh_password': sim.root_password,
                 'ssh_host_key_fingerprint': endpoint['fingerprint']}, **extra)


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _backups(sim, node, storage='backup-nfs'):
    return dict((b['volid'], b) for b in sim.proxmoxer().nodes(node).storage(storage).content.get(content='backup'))


def test_quartet_copies_verifies_and_lists_the_archive(pvesim, tmp_path):
    data = vma_bytes(VM_CONF)
    src = _write(tmp_path, VM_NAME, data)
    run = quartet(pvesim, MODULE, dict({'node': 'pve1', 'storage': 'backup-nfs', 'src': src}, **ssh(pvesim, 'pve1')))
    volid = 'backup-nfs:backup/' + VM_NAME
    check, apply, idem = run.results['t check'], run.results['t apply'], run.results['t idem']
    assert check['volid'] == apply['volid'] == idem['volid'] == volid
    assert check['diff']['before'] == {} and check['diff']['after']['sha256'] == hashlib.sha256(data).hexdigest()
    archive = apply['archive']
    assert archive['size'] == len(data) and archive['subtype'] == 'qemu' and archive['vmid'] == 4101
    assert archive['format'] == 'vma' and archive['path'] == '/mnt/pve/backup-nfs/dump/' + VM_NAME
    listed = _backups(pvesim, 'pve2')[volid]  # a shared storage: every node lists it
    assert listed['size'] == len(data) and listed['ctime'] == 1795140000  # the name's time on pve1 (Europe/Vienna)
    assert idem['diff']['before']['sha256'] == hashlib.sha256(data).hexdigest()


def test_uploaded_archives_restore_as_a_vm_and_a_container(pvesim, tmp_path):
    vm_src = _write(tmp_path, VM_NAME, vma_bytes(VM_CONF))
    ct_src = _write(tmp_path, CT_NAME, gzip.compress(tar_bytes(CT_CONF)))
    run = run_tasks(pvesim, [
        {'name': 'vm copy', MODULE: dict({'node': 'pve1', 'storage': 'backup-nfs', 'src': vm_src},
                                         **ssh(pvesim, 'pve1')), 'register': 'vm'},
        {'name': 'ct copy', MODULE: dict({'node': 'pve2', 'storage': 'local', 'src': ct_src}, **ssh(pvesim, 'pve2')),
         'register': 'ct'},
        {'name': 'vm restore', 'pve.ops.restore': {'archive': '{{ vm.volid }}', 'node': 'pve1', 'vmid': 4101}},
        {'name': 'ct restore', 'pve.ops.restore': {'archive': '{{ ct.volid }}', 'node': 'pve2', 'vmid': 4201}},
    ])
    assert run.rc == 0, run
    px = pvesim.proxmoxer()
    vm = px.nodes('pve1').qemu(4101).config.get()
    assert vm['name'] == 'imported-vm' and int(vm['memory']) == 2048 and vm['scsi0'].startswith('local-lvm:')
    assert vm['description'].strip() == 'restored from another cluster'
    ct = px.nodes('pve2').lxc(4201).config.get()
    assert ct['hostname'] == 'imported-ct' and ct['rootfs'].startswith('local-lvm:')
    assert run.results['ct copy']['volid'] == 'local:backup/' + CT_NAME


def test_other_content_is_refused_unless_force_and_absent_deletes(pvesim, tmp_path):
    first = _write(tmp_path, VM_NAME, vma_bytes(VM_CONF))
    other_dir = tmp_path / 'other'
    other_dir.mkdir()
    other = _write(other_dir, VM_NAME, vma_bytes(VM_CONF.replace('cores: 2', 'cores: 4')))
    base = dict({'node': 'pve1', 'storage': 'backup-nfs'}, **ssh(pvesim, 'pve1'))
    run = run_tasks(pvesim, [
        {'name': 'first', MODULE: dict(base, src=first)},
        {'name': 'other', MODULE: dict(base, src=other), 'ignore_errors': True},
        {'name': 'forced', MODULE: dict(base, src=other, force=True)},
        {'name': 'gone', MODULE: dict(base, name=VM_NAME, state='absent')},
        {'name': 'gone again', MODULE: dict(base, name=VM_NAME, state='absent')},
    ])
    r = run.results
    assert r['first']['changed'] and run.status['other'] == 'failed' and 'force' in r['other']['msg']
    assert run.writes['other'] == 0
    assert r['forced']['changed'] and r['forced']['archive']['sha256'] != r['first']['archive']['sha256']
    assert r['gone']['changed'] and r['gone']['tasks'] and r['gone']['archive'] is None
    assert r['gone again']['changed'] is False and run.writes['gone again'] == 0
    assert 'backup-nfs:backup/' + VM_NAME not in _backups(pvesim, 'pve1')


def test_bad_names_and_storages_are_refused_before_anything_is_sent(pvesim, tmp_path):
    src = _write(tmp_path, VM_NAME, vma_bytes(VM_CONF))
    base = dict({'node': 'pve1', 'src': src}, **ssh(pvesim, 'pve1'))
    run = run_tasks(pvesim, [
        {'name': 'lvm', MODULE: dict(base, storage='local-lvm'), 'ignore_errors': True},
        {'name': 'name', MODULE: dict(base, storage='local', name='backup.vma'), 'ignore_errors': True},
        {'name': 'kind', MODULE: dict(base, storage='local', name='vzdump-lxc-4101-2026_11_20-03_00_00.vma'),
         'ignore_errors': True},
        {'name': 'shell', MODULE: dict(base, storage='local', name='vzdump-qemu-4101-2026_11_20-03_00_00.vma;id'),
         'ignore_errors': True},
    ])
    assert 'dir, nfs or cifs' in run.results['lvm']['msg']
    for name in ('name', 'kind', 'shell'):
        assert run.status[name] == 'failed' and run.results[name]['msg'].startswith('name '), run.results[name]
    assert all(w == 0 for w in run.writes.values())
    assert _backups(pvesim, 'pve1', 'local') == {}


def test_the_host_key_is_verified_and_nothing_is_copied_otherwise(pvesim, tmp_path):
    src = _write(tmp_path, VM_NAME, vma_bytes(VM_CONF))
    other = pvesim.call(lambda: dict(pvesim.pve.ssh_endpoints['pve2']))['fingerprint']
    run = run_tasks(pvesim, [
        {'name': 'wrong key', MODULE: dict({'node': 'pve1', 'storage': 'backup-nfs', 'src': src},
                                           **ssh(pvesim, 'pve1', ssh_host_key_fingerprint=other)),
         'ignore_errors': True},
    ])
    assert run.status['wrong key'] == 'failed' and 'host key' in run.results['wrong key']['msg']
    assert 'backup-nfs:backup/' + VM_NAME not in _backups(pvesim, 'pve1')
