# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.cluster through real ansible-playbook against pvesim: create on the empty seed's standalone node,
join the join seed's standalone pve4 (its own listener) to the demo cluster, remove it again."""

from tests.helpers.playbook import quartet, run_tasks


def _join_args(sim, node='pve4', **extra):
    endpoint = sim.pve.standalone_endpoints[node]
    args = {'node': node, 'node_api_host': endpoint['host'], 'node_api_port': endpoint['port'],
            'node_password': sim.root_password, 'password': sim.root_password}
    args.update(extra)
    return args


def test_create_quartet_and_readback(pvesim_factory):
    sim = pvesim_factory('empty')
    run = quartet(sim, 'pve.ops.cluster', {'name': 'lab', 'links': ['192.0.2.11']})
    assert run.writes['t apply'] == 1 and len(run.results['t apply']['tasks']) == 1
    assert run.results['t check']['diff'] == {'before': {'name': None, 'nodes': []},
                                           'after': {'name': 'lab', 'nodes': ['pve1']}}
    api = sim.proxmoxer()
    assert [i['name'] for i in api.cluster.status.get() if i['type'] == 'cluster'] == ['lab']
    assert [n['node'] for n in api.cluster.config.nodes.get()] == ['pve1']
    assert api.cluster.config.join.get()['nodelist'][0]['ring0_addr'] == '192.0.2.11'
    # another name on a node already in a cluster is refused, nothing sent
    other = run_tasks(sim, [{'name': 'other', 'pve.ops.cluster': {'name': 'prod'}, 'ignore_errors': True}])
    assert other.results['other']['failed'] and "'lab'" in other.results['other']['msg']
    assert other.writes['other'] == 0


def test_join_quartet_then_remove(pvesim_factory):
    sim = pvesim_factory('join')
    fingerprint = sim.proxmoxer().cluster.config.join.get()['nodelist'][0]['pve_fp']
    run = quartet(sim, 'pve.ops.cluster', _join_args(sim, fingerprint=fingerprint.lower()))
    apply = run.results['t apply']
    assert apply['diff']['after']['nodes'] == ['pve1', 'pve2', 'pve3', 'pve4'] and apply['tasks'][0].startswith(
        'UPID:pve4:')
    api = sim.proxmoxer()
    assert [n['node'] for n in api.nodes.get()] == ['pve1', 'pve2', 'pve3', 'pve4']
    assert 'pve4' in [n['node'] for n in api.cluster.config.nodes.get()]
    assert api.cluster.config.totem.get()['config_version'] == '4'
    info = run_tasks(sim, [{'name': 'info', 'pve.ops.cluster_info': {'gather': ['config']}}]).results['info']
    assert [n['name'] for n in info['config']['nodes']][-1] == 'pve4'
    assert 'pve4' in [n['name'] for n in info['config']['join']['nodelist']]
    # online: refused unless forced; shut down, removed, and removing again is no change
    refused = run_tasks(sim, [{'name': 'r', 'pve.ops.cluster': {'node': 'pve4', 'state': 'absent'},
                               'ignore_errors': True}])
    assert refused.results['r']['failed'] and 'online' in refused.results['r']['msg'] and refused.writes['r'] == 0
    sim.call(sim.pve.set_node_offline, 'pve4')
    quartet(sim, 'pve.ops.cluster', {'node': 'pve4', 'state': 'absent'}, name='rm')
    assert [n['node'] for n in api.nodes.get()] == ['pve1', 'pve2', 'pve3']


def test_join_refusals(pvesim_factory):
    sim = pvesim_factory('join')
    run = run_tasks(sim, [
        {'name': 'pin', 'pve.ops.cluster': _join_args(sim, fingerprint=':'.join(['AA'] * 32)),
         'ignore_errors': True},
        {'name': 'guests', 'pve.ops.cluster': _join_args(sim, node='pve5'), 'ignore_errors': True},
        {'name': 'password', 'pve.ops.cluster': _join_args(sim, password='wrong'), 'ignore_errors': True},
        {'name': 'guests held', 'pve.ops.cluster': {'node': 'pve2', 'state': 'absent', 'force': True},
         'ignore_errors': True},
        {'name': 'offline guests', 'pve.ops.cluster': {'node': 'pve3', 'state': 'absent'}, 'ignore_errors': True},
        {'name': 'itself', 'pve.ops.cluster': {'node': 'pve1', 'state': 'absent', 'force': True},
         'ignore_errors': True},
    ])
    assert run.rc == 0, run
    assert 'fingerprint' in run.results['pin']['msg'] and run.writes['pin'] == 0
    assert 'already contains virtual guests' in run.results['guests']['msg']
    assert 'Authentication failure' in run.results['password']['msg'] and run.results['password']['changed'] is True
    assert run.results['password']['tasks'][0].startswith('UPID:pve4:')
    assert run.results['guests held']['failed'] and '101, 200' in run.results['guests held']['msg']
    assert run.writes['offline guests'] == 0
    assert 'connect to another member' in run.results['itself']['msg'] and run.writes['itself'] == 0
    assert [n['node'] for n in sim.proxmoxer().nodes.get()] == ['pve1', 'pve2', 'pve3']
