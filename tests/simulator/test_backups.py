# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's backups through real proxmoxer: vzdump, restore, prune, protected volumes, jobs, uploads."""

import hashlib
import re

import pytest
from proxmoxer.core import ResourceException

NAME = re.compile(r'^backup-nfs:backup/vzdump-(qemu|lxc)-(\d+)-\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2}\.(vma|tar)\.zst$')


def _ok(px, node, upid):
    return px.nodes(node).tasks(upid).status.get()['exitstatus']


def _log(px, node, upid):
    return [line['t'] for line in px.nodes(node).tasks(upid).log.get(limit=500)]


def test_vzdump_task_volumes_status_and_extractconfig(pvesim):
    px = pvesim.proxmoxer()
    status = px.nodes('pve1').storage('backup-nfs').status.get()
    upid = px.nodes('pve1').vzdump.post(vmid='100,101,999', storage='backup-nfs', compress='zstd')
    assert ':vzdump:' in upid
    assert _ok(px, 'pve1', upid) == 'job errors'
    log = _log(px, 'pve1', upid)
    assert 'INFO: skip external VMs: 101' in log
    assert any("Backup of VM 999 failed" in line for line in log)
    made = [v for v in px.nodes('pve1').storage('backup-nfs').content.get(content='backup', vmid=100)
            if v['volid'] != 'backup-nfs:backup/vzdump-qemu-100-2025_11_23-02_00_04.vma.zst']
    assert len(made) == 1 and NAME.match(made[0]['volid']) and made[0]['subtype'] == 'qemu'
    after = px.nodes('pve1').storage('backup-nfs').status.get()
    assert after['used'] - status['used'] == made[0]['size'] and after['avail'] < status['avail']
    config = px.nodes('pve1').vzdump.extractconfig.get(volume=made[0]['volid'])
    assert 'name: web01' in config and 'scsi0: local-lvm:vm-100-disk-0' in config
    upid = px.nodes('pve2').vzdump.post(vmid='200', storage='backup-nfs', compress='zstd', protected=1)
    assert _ok(px, 'pve2', upid) == 'OK'
    ct = [v for v in px.nodes('pve2').storage('backup-nfs').content.get(content='backup', vmid=200)
          if v.get('protected')]
    assert NAME.match(ct[0]['volid']).group(1) == 'lxc'
    # A protected backup survives a delete: the task fails and the volume stays.
    upid = px.nodes('pve2').storage('backup-nfs').content(ct[0]['volid']).delete()
    assert 'cannot remove protected volume' in _ok(px, 'pve2', upid)
    assert ct[0]['volid'] in [v['volid'] for v in px.nodes('pve2').storage('backup-nfs').content.get()]


def test_vzdump_refusals(pvesim):
    px = pvesim.proxmoxer()
    with pytest.raises(ResourceException) as info:
        px.nodes('pve1').vzdump.post(vmid='100', all=1, storage='backup-nfs')
    assert info.value.status_code == 400 and 'all' in info.value.errors
    with pytest.raises(ResourceException) as info:
        px.nodes('pve1').vzdump.post(vmid='100', storage='local-lvm')
    assert "can't use storage" in info.value.content
    with pytest.raises(ResourceException) as info:
        px.nodes('pve1').vzdump.post(vmid='100', storage='backup-nfs', **{'prune-backups': 'keep-all=1,keep-last=1'})
    assert info.value.status_code == 400


def test_restore_recreates_vm_and_container(pvesim):
    px = pvesim.proxmoxer()
    upid = px.nodes('pve1').vzdump.post(vmid='102', storage='local')
    volid = px.nodes('pve1').storage('local').content.get(content='backup', vmid=102)[0]['volid']
    assert volid.endswith('.vma')
    with pytest.raises(ResourceException) as info:
        px.nodes('pve1').qemu.post(vmid=102, archive=volid)
    assert 'already exists' in info.value.content
    with pytest.raises(ResourceException) as info:
        px.nodes('pve1').qemu.post(vmid=310, archive=volid, scsi0='local-lvm:4')
    assert info.value.errors == {'scsi0': "option conflicts with option 'archive'"}
    upid = px.nodes('pve1').qemu.post(vmid=310, archive=volid, storage='local-lvm', name='copy')
    assert ':qmrestore:310:' in upid and _ok(px, 'pve1', upid) == 'OK'
    cfg = px.nodes('pve1').qemu(310).config.get()
    assert cfg['name'] == 'copy' and cfg['scsi0'].startswith('local-lvm:vm-310-disk-0,')
    assert cfg['memory'] == px.nodes('pve1').qemu(102).config.get()['memory']
    # A container backup restored with restore=1; a VM backup is refused as a container archive.
    upid = px.nodes('pve3').vzdump.post(vmid='201', storage='backup-nfs')
    ctvol = [v for v in px.nodes('pve3').storage('backup-nfs').content.get(content='backup', vmid=201)][0]['volid']
    upid = px.nodes('pve3').lxc.post(vmid=311, ostemplate=ctvol, restore=1, unique=1)
    assert ':vzrestore:311:' in upid and _ok(px, 'pve3', upid) == 'OK'
    restored = px.nodes('pve3').lxc(311).config.get()
    original = px.nodes('pve3').lxc(201).config.get()
    assert restored['hostname'] == original['hostname'] and restored['rootfs'].startswith('local-lvm:vm-311-disk-0')
    assert restored['net0'] != original['net0']  # unique: a new hwaddr
    with pytest.raises(ResourceException) as info:
        px.nodes('pve1').lxc.post(vmid=312, ostemplate=volid, restore=1)
    assert 'is not a container backup' in info.value.content
    assert 312 not in [c['vmid'] for c in px.nodes('pve1').lxc.get()]


def test_prune_listing_and_removal(pvesim):
    px = pvesim.proxmoxer()
    day = 86400
    base = 1_780_000_000
    made = [pvesim.call(pvesim.pve.add_backup, 'backup-nfs', 103, base - n * day) for n in range(4)]
    plan = px.nodes('pve1').storage('backup-nfs').prunebackups.get(vmid=103, **{'prune-backups': 'keep-last=2'})
    marks = dict((e['volid'], e['mark']) for e in plan)
    assert marks == {made[0]: 'keep', made[1]: 'keep', made[2]: 'remove', made[3]: 'remove'}
    assert all(e['type'] == 'qemu' and e['vmid'] == 103 for e in plan)
    px.nodes('pve1').storage('backup-nfs').content(made[3]).put(protected=1)
    upid = px.nodes('pve1').storage('backup-nfs').prunebackups.delete(vmid=103, **{'prune-backups': 'keep-last=2'})
    assert ':prunebackups:103@backup-nfs:' in upid and _ok(px, 'pve1', upid) == 'OK'
    left = sorted(v['volid'] for v in px.nodes('pve1').storage('backup-nfs').content.get(vmid=103))
    assert left == sorted([made[0], made[1], made[3]])


def test_backup_jobs_crud(pvesim):
    px = pvesim.proxmoxer()
    px.cluster.backup.post(id='nightly', schedule='02:00', storage='backup-nfs', vmid='100,101',
                           **{'prune-backups': 'keep-daily=7'})
    px.cluster.backup.post(starttime='03:30', dow='sat', storage='backup-nfs', all=1)
    jobs = dict((j['id'], j) for j in px.cluster.backup.get())
    assert jobs['nightly']['schedule'] == '02:00' and jobs['nightly']['enabled'] == 1
    other = [j for j in jobs.values() if j['id'] != 'nightly'][0]
    assert re.match(r'^backup-[0-9a-f]{8}-[0-9a-f]{4}$', other['id']) and other['schedule'] == 'sat 03:30'
    with pytest.raises(ResourceException) as info:
        px.cluster.backup.post(id='nightly', schedule='02:00', all=1)
    assert 'already exists' in info.value.content
    with pytest.raises(ResourceException) as info:
        px.cluster.backup.post(id='weekly', schedule='02:00', storage='backup-nfs')
    assert info.value.errors == {'vmid': 'property is missing'}
    px.cluster.backup('nightly').put(enabled=0, delete='prune-backups')
    job = px.cluster.backup('nightly').get()
    assert job['enabled'] == 0 and 'prune-backups' not in job
    px.cluster.backup('nightly').delete()
    with pytest.raises(ResourceException):
        px.cluster.backup('nightly').get()


def test_upload_checksum(pvesim, tmp_path):
    px = pvesim.proxmoxer()
    good = tmp_path / 'ok.iso'
    good.write_bytes(b'iso image')
    digest = hashlib.sha256(b'iso image').hexdigest()
    with open(good, 'rb') as fh:
        upid = px.nodes('pve1').storage('local').upload.post(content='iso', filename=fh, checksum=digest,
                                                             **{'checksum-algorithm': 'sha256'})
    assert _ok(px, 'pve1', upid) == 'OK' and 'checksum verification successful' in _log(px, 'pve1', upid)
    bad = tmp_path / 'bad.iso'
    bad.write_bytes(b'iso imagX')
    with open(bad, 'rb') as fh:
        upid = px.nodes('pve1').storage('local').upload.post(content='iso', filename=fh, checksum=digest,
                                                             **{'checksum-algorithm': 'sha256'})
    assert _ok(px, 'pve1', upid).startswith('checksum mismatch')
    volids = [v['volid'] for v in px.nodes('pve1').storage('local').content.get(content='iso')]
    assert 'local:iso/ok.iso' in volids and 'local:iso/bad.iso' not in volids
    with open(good, 'rb') as fh, pytest.raises(ResourceException) as info:
        px.nodes('pve1').storage('local').upload.post(content='backup', filename=fh)
    assert info.value.status_code == 400
