# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cluster_info's stats subset (MCP get_cluster_stats) against pvesim (demo seed: three nodes)."""

from mcp_adapter import runner
from tests.helpers.inproc import connection
from tests.helpers.playbook import run_tasks
from tests.mcp.mcp_support import tools


def test_stats_now_and_series_agree_with_the_api(pvesim):
    run = run_tasks(pvesim, [{'name': 'stats', 'pve.ops.cluster_info': {'gather': ['stats'], 'timeframe': 'day'}}])
    assert run.rc == 0, run
    stats = run.results['stats']['stats']
    api = pvesim.proxmoxer()
    nodes = dict((e['node'], e) for e in api.cluster.resources.get(type='node'))
    assert sorted(stats['nodes']) == sorted(nodes) == ['pve1', 'pve2', 'pve3']
    for name, entry in nodes.items():
        mine = stats['nodes'][name]
        assert mine['memory'] == {'used': entry['mem'], 'total': entry['maxmem']}
        assert mine['disk'] == {'used': entry['disk'], 'total': entry['maxdisk']}
        assert mine['cpu']['total'] == entry['maxcpu']
        assert abs(mine['cpu']['used'] - entry['cpu'] * entry['maxcpu']) < 0.001
        points = api.nodes(name).rrddata.get(timeframe='day')
        assert len(stats['series'][name]) == len(points) and stats['series'][name][-1]['time'] == points[-1]['time']
        assert mine['network']['inbound'] == points[-1]['netin']
    cluster = stats['cluster']
    assert cluster['nodes'] == cluster['nodes_online'] == 3
    assert cluster['memory']['total'] == sum(e['maxmem'] for e in nodes.values())
    assert cluster['cpu']['total'] == sum(e['maxcpu'] for e in nodes.values())
    # one request for the nodes and one per online node, after the login
    assert run.requests['stats'] == 5 and run.writes['stats'] == 0


def test_an_offline_node_has_no_usage_or_series(pvesim):
    pvesim.pve.set_node_offline('pve3', True)
    result = runner.run(tools()['get_cluster_stats'], {}, connection(pvesim))
    stats = result['stats']
    assert stats['nodes']['pve3']['status'] == 'offline' and 'pve3' not in stats['series']
    assert stats['nodes']['pve3']['network'] == {'inbound': None, 'outbound': None}
    assert stats['cluster']['nodes_online'] == 2 and stats['cluster']['nodes'] == 3
