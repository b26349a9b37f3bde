# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.pool and pve.ops.pool_info through real ansible-playbook against pvesim (demo seed: pool demo with
VMs 100, 101 and container 200)."""

from tests.helpers.playbook import quartet, run_tasks


def members(sim, poolid):
    entry = sim.proxmoxer().pools.get(poolid=poolid)[0]
    vms = sorted(m['vmid'] for m in entry['members'] if m['type'] != 'storage')
    storage = sorted(set(m['storage'] for m in entry['members'] if m['type'] == 'storage'))
    return entry.get('comment'), vms, storage


def test_present_quartet(pvesim):
    run = quartet(pvesim, 'pve.ops.pool', {'poolid': 'tenant-a', 'comment': 'Tenant A',
                                           'vms': ['build01', '103'], 'storage': ['local-lvm']})
    want = {'poolid': 'tenant-a', 'comment': 'Tenant A', 'vms': [102, 103], 'storage': ['local-lvm']}
    assert run.results['t check']['pool'] == want and run.results['t apply']['pool'] == want
    assert run.results['t apply']['diff'] == {'before': {}, 'after': want}
    assert run.writes['t apply'] == 2  # POST /pools, PUT /pools with the members
    assert run.requests['t idem'] == 3  # login, GET /pools?poolid=, GET /cluster/resources
    assert members(pvesim, 'tenant-a') == ('Tenant A', [102, 103], ['local-lvm'])


def test_absent_quartet_removes_members_with_force(pvesim):
    run = quartet(pvesim, 'pve.ops.pool', {'poolid': 'demo', 'state': 'absent', 'force': True})
    assert run.results['t apply']['diff']['before'] == {'poolid': 'demo', 'comment': 'Demo workloads',
                                                        'vms': [100, 101, 200], 'storage': []}
    assert run.results['t apply']['pool'] is None and run.writes['t apply'] == 2  # PUT delete=1, DELETE
    api = pvesim.proxmoxer()
    assert [p['poolid'] for p in api.pools.get()] == []
    guests = dict((g['vmid'], g) for g in api.cluster.resources.get(type='vm'))
    assert 100 in guests and not guests[100].get('pool')


def test_absent_quartet_empty_pool(pvesim):
    pvesim.proxmoxer().pools.post(poolid='scratch')
    quartet(pvesim, 'pve.ops.pool', {'poolid': 'scratch', 'state': 'absent'})
    assert [p['poolid'] for p in pvesim.proxmoxer().pools.get()] == ['demo']


def test_members_exact_append_move_and_refusals(pvesim):
    pool = 'pve.ops.pool'
    tasks = [
        {'name': 'exact', pool: {'poolid': 'demo', 'vms': ['100']}},
        {'name': 'append', pool: {'poolid': 'demo', 'vms': ['cache01'], 'storage': ['local'], 'append': True}},
        {'name': 'exact again, other order', pool: {'poolid': 'demo', 'vms': ['201', 'web01'], 'storage': ['local']}},
        {'name': 'comment only', pool: {'poolid': 'demo', 'comment': 'Demo'}},
        {'name': 'storage exact empty', pool: {'poolid': 'demo', 'storage': []}},
        {'name': 'move refused', pool: {'poolid': 'other', 'vms': [100]}, 'ignore_errors': True},
        {'name': 'move', pool: {'poolid': 'other', 'vms': [100], 'allow_move': True}},
        {'name': 'move idem', pool: {'poolid': 'other', 'vms': [100], 'allow_move': True}},
        {'name': 'delete refused', pool: {'poolid': 'demo', 'state': 'absent'}, 'ignore_errors': True},
        {'name': 'unknown guest', pool: {'poolid': 'demo', 'vms': ['nosuch']}, 'ignore_errors': True},
        {'name': 'unknown vmid', pool: {'poolid': 'demo', 'vms': ['999']}, 'ignore_errors': True},
        {'name': 'unknown storage', pool: {'poolid': 'demo', 'storage': ['nfs-x']}, 'ignore_errors': True},
        {'name': 'bad poolid', pool: {'poolid': 'a b'}, 'ignore_errors': True},
        {'name': 'absent missing', pool: {'poolid': 'never', 'state': 'absent'}},
    ]
    run = run_tasks(pvesim, tasks)
    r = run.results
    assert r['exact']['changed'] and r['exact']['pool']['vms'] == [100]
    assert r['exact']['diff']['before']['vms'] == [100, 101, 200]
    assert run.writes['exact'] == 1  # one PUT delete=1 vms=101,200
    assert r['append']['pool']['vms'] == [100, 201] and r['append']['pool']['storage'] == ['local']
    assert run.writes['append'] == 1
    assert not r['exact again, other order']['changed'] and run.writes['exact again, other order'] == 0
    assert r['comment only']['changed'] and r['comment only']['pool']['vms'] == [100, 201]
    assert r['storage exact empty']['pool']['storage'] == [] and run.writes['storage exact empty'] == 1
    refused = r['move refused']
    assert refused['failed'] and refused['field'] == 'vms' and "100 (demo)" in refused['msg']
    assert 'allow_move' in refused['msg'] and run.writes['move refused'] == 0
    assert r['move']['moved'] == [100] and run.writes['move'] == 2  # POST, PUT with allow-move
    assert not r['move idem']['changed'] and run.writes['move idem'] == 0
    delete = r['delete refused']
    assert delete['failed'] and delete['field'] == 'force' and 'guests 201' in delete['msg']
    assert run.writes['delete refused'] == 0
    for name, field in (('unknown guest', 'vms'), ('unknown vmid', 'vms'), ('unknown storage', 'storage'),
                        ('bad poolid', 'poolid')):
        assert r[name]['failed'] and r[name]['field'] == field, (name, r[name])
        assert run.writes[name] == 0
    assert not r['absent missing']['changed'] and r['absent missing']['pool'] is None
    assert members(pvesim, 'demo') == ('Demo', [201], [])
    assert members(pvesim, 'other') == (None, [100], [])


def test_check_mode_predicts_and_writes_nothing(pvesim):
    pool = 'pve.ops.pool'
    tasks = [
        {'name': 'create', pool: {'poolid': 'new', 'vms': [102]}, 'check_mode': True},
        {'name': 'delete demo', pool: {'poolid': 'demo', 'state': 'absent', 'force': True}, 'check_mode': True},
        {'name': 'delete refused', pool: {'poolid': 'demo', 'state': 'absent'}, 'check_mode': True,
         'ignore_errors': True},
    ]
    run = run_tasks(pvesim, tasks)
    assert run.results['create']['changed'] and run.results['create']['pool']['vms'] == [102]
    assert run.results['delete demo']['changed'] and run.results['delete demo']['diff']['after'] == {}
    assert run.results['delete refused']['failed']
    assert sum(run.writes.values()) == 0
    assert [p['poolid'] for p in pvesim.proxmoxer().pools.get()] == ['demo']


def test_pool_info(pvesim):
    api = pvesim.proxmoxer()
    api.pools.post(poolid='empty', comment='Nothing yet')
    api.pools.put(poolid='demo', storage='local')
    info = 'pve.ops.pool_info'
    tasks = [
        {'name': 'all', info: {}},
        {'name': 'one', info: {'poolid': 'demo'}},
        {'name': 'qemu', info: {'name': 'demo', 'type': 'qemu'}},
        {'name': 'missing', info: {'poolid': 'nope'}},
        {'name': 'type alone', info: {'type': 'lxc'}, 'ignore_errors': True},
    ]
    run = run_tasks(pvesim, tasks)
    r = run.results
    assert r['all']['pools'] == [{'poolid': 'demo', 'comment': 'Demo workloads'},
                                 {'poolid': 'empty', 'comment': 'Nothing yet'}]
    assert r['all']['pool'] is None and run.requests['all'] == 2  # login, GET /pools
    one = r['one']['pool']
    assert r['one']['pools'] == [one] and run.requests['one'] == 2  # login, GET /pools?poolid=
    assert one['vms'] == [100, 101, 200] and one['storage'] == ['local'] and one['comment'] == 'Demo workloads'
    guests = [(m['vmid'], m['type'], m['node'], m['status'], m['name']) for m in one['members'] if 'vmid' in m]
    assert guests == [(100, 'qemu', 'pve1', 'running', 'web01'), (101, 'qemu', 'pve2', 'running', 'db01'),
                      (200, 'lxc', 'pve2', 'running', 'proxy01')]
    assert all(m['type'] == 'storage' and m['storage'] == 'local' and m['node'] and m['status']
               for m in one['members'] if 'vmid' not in m)
    assert [m['vmid'] for m in r['qemu']['pool']['members']] == [100, 101]
    assert r['missing']['pools'] == [] and r['missing']['pool'] is None
    assert run.requests['missing'] == 3  # login, GET /pools?poolid= (500), GET /pools confirms the absence
    assert r['type alone']['failed'] and r['type alone']['field'] == 'type'
    assert sum(run.writes.values()) == 0
