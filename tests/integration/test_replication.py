# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.replication and replication_info through real ansible-playbook against pvesim (demo seed, plus a ZFS
pool `tank` on pve1 and pve2 and VM 150 on it: no seeded storage can replicate)."""

import pytest

from tests.helpers.playbook import quartet, run_tasks


@pytest.fixture
def zfs_sim(pvesim):
    px = pvesim.proxmoxer()
    px.storage.post(storage='tank', type='zfspool', pool='rpool/data', content='images,rootdir', nodes='pve1,pve2')
    px.nodes('pve1').qemu.post(vmid=150, name='zvm', scsi0='tank:4', memory=512)
    return pvesim


def test_quartet_update_info_and_absent(zfs_sim):
    run = quartet(zfs_sim, 'pve.ops.replication', {'vmid': 150, 'target': 'pve2', 'schedule': '*/5', 'rate': 50,
                                                   'comment': 'db'})
    want = {'id': '150-0', 'vmid': 150, 'jobnum': 0, 'target': 'pve2', 'schedule': '*/5', 'rate': 50.0,
            'comment': 'db', 'enabled': True}
    assert run.results['t apply']['replication'] == want and run.writes['t apply'] == 1
    api = zfs_sim.proxmoxer()
    assert api.cluster.replication('150-0').get()['schedule'] == '*/5'
    run = quartet(zfs_sim, 'pve.ops.replication', {'vmid': 150, 'target': 'pve2', 'schedule': '', 'rate': 0,
                                                   'comment': '', 'enabled': False}, name='update')
    after = dict(want, schedule='*/15', rate=None, comment='', enabled=False)
    assert run.results['update apply']['replication'] == after
    entry = api.cluster.replication('150-0').get()
    assert 'rate' not in entry and 'comment' not in entry and entry['disable'] == 1
    info = run_tasks(zfs_sim, [{'name': 'info', 'pve.ops.replication_info': {'gather': ['jobs', 'status']}}])
    result = info.results['info']
    assert result['jobs'] == [after] and [s['id'] for s in result['status']] == ['150-0']
    quartet(zfs_sim, 'pve.ops.replication', {'vmid': 150, 'target': 'pve2', 'state': 'absent'}, name='absent')
    assert api.cluster.replication.get() == []


def test_refusals(zfs_sim):
    run = run_tasks(zfs_sim, [
        {'name': 'not zfs', 'pve.ops.replication': {'vmid': 100, 'target': 'pve2'}, 'ignore_errors': True},
        {'name': 'own node', 'pve.ops.replication': {'vmid': 150, 'target': 'pve1'}, 'ignore_errors': True},
        {'name': 'no guest', 'pve.ops.replication': {'vmid': 999, 'target': 'pve2'}, 'ignore_errors': True},
        {'name': 'bad node', 'pve.ops.replication': {'vmid': 150, 'target': 'bad_node'}, 'ignore_errors': True},
    ])
    assert run.rc == 0, run
    assert 'scsi0 of guest 100 is on local-lvm (lvmthin), which cannot replicate' in run.results['not zfs']['msg']
    assert 'cannot replicate to its own node' in run.results['own node']['msg']
    for name, field in (('not zfs', 'vmid'), ('own node', 'target'), ('no guest', 'vmid'), ('bad node', 'target')):
        assert run.results[name]['field'] == field and run.writes[name] == 0, run.results[name]
