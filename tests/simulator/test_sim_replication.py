# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's storage replication jobs (/cluster/replication) through real proxmoxer (demo seed, plus a ZFS
pool `tank` on pve1 and pve2 and VM 150 on it)."""

import pytest
from proxmoxer.core import ResourceException


@pytest.fixture
def zfs_sim(pvesim):
    px = pvesim.proxmoxer()
    px.storage.post(storage='tank', type='zfspool', pool='rpool/data', content='images,rootdir', nodes='pve1,pve2')
    px.nodes('pve1').qemu.post(vmid=150, name='zvm', scsi0='tank:4', memory=512)
    return pvesim


def _refused(call, text, **kw):
    with pytest.raises(ResourceException) as err:
        call(**kw)
    assert text in str(err.value), str(err.value)


def test_replication_jobs(zfs_sim):
    px = zfs_sim.proxmoxer()
    jobs = px.cluster.replication
    assert jobs.get() == []
    jobs.post(id='150-0', type='local', target='pve2', schedule='*/30', rate=10, comment='to pve2')
    job = jobs('150-0').get()
    assert job['guest'] == 150 and job['jobnum'] == 0 and job['target'] == 'pve2' and job['schedule'] == '*/30'
    assert job['rate'] == 10 and job['type'] == 'local' and job['digest']
    status = px.nodes('pve1').replication.get()
    assert [(s['id'], s['source'], s['target']) for s in status] == [('150-0', 'pve1', 'pve2')]
    assert px.nodes('pve2').replication.get() == [] and px.nodes('pve1').replication.get(guest=100) == []
    _refused(jobs.post, "replication job '150-0' already exists", id='150-0', type='local', target='pve3')
    _refused(jobs.post, "to target 'pve2' already exists", id='150-1', type='local', target='pve2')
    _refused(jobs.post, 'is the node the guest is on', id='150-1', type='local', target='pve1')
    _refused(jobs.post, "no such cluster node 'pve9'", id='150-1', type='local', target='pve9')
    _refused(jobs.post, "missing replicate feature on volume 'local-lvm:vm-100-disk-0'", id='100-0', type='local',
             target='pve2')
    _refused(jobs.post, "Guest '999' does not exist", id='999-0', type='local', target='pve2')
    _refused(jobs('150-0').put, 'detected modified configuration', comment='x', digest='0' * 40)
    jobs('150-0').put(delete='rate,comment', disable=1, digest=job['digest'])
    job = jobs('150-0').get()
    assert 'rate' not in job and 'comment' not in job and job['disable'] == 1
    jobs('150-0').delete()
    assert jobs.get() == []
    _refused(jobs('150-0').get, "replication job '150-0' does not exist")
