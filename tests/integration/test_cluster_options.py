# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.cluster_options and cluster_info's config and options subsets through real ansible-playbook against
pvesim (demo seed: a three-node cluster; datacenter.cfg holds keyboard: en-us)."""

from tests.helpers.playbook import quartet, run_tasks


def test_property_string_options_quartet_and_readback(pvesim):
    args = {'migration': {'type': 'insecure', 'network': '10.10.10.0/24'}, 'ha': {'shutdown_policy': 'migrate'},
            'bwlimit': {'restore': 102400}, 'next_id': {'lower': 1000}, 'console': 'xtermjs',
            'registered_tags': ['prod', 'infra'], 'description': 'Demo\ndatacenter'}
    run = quartet(pvesim, 'pve.ops.cluster_options', args)
    assert run.writes['t apply'] == 1
    after = run.results['t apply']['options']
    assert after['migration'] == {'type': 'insecure', 'network': '10.10.10.0/24'}
    assert after['next_id'] == {'lower': '1000'} and after['bwlimit'] == {'restore': '102400'}
    assert run.results['t apply']['diff']['before'] == {'keyboard': 'en-us', 'mac_prefix': 'BC:24:11'}
    # PVE reads datacenter.cfg back with the property strings parsed and the tag list split
    raw = pvesim.proxmoxer().cluster.options.get()
    assert raw['migration'] == {'type': 'insecure', 'network': '10.10.10.0/24'}
    assert raw['ha'] == {'shutdown_policy': 'migrate'} and raw['bwlimit'] == 'restore=102400'
    assert raw['registered-tags'] == ['infra', 'prod'] and raw['description'] == 'Demo\ndatacenter\n'
    # a key merged into a property string keeps the others; absent removes whole options
    run = quartet(pvesim, 'pve.ops.cluster_options', {'migration': {'type': 'secure'},
                                                     'absent': ['bwlimit', 'description', 'registered_tags']},
                  name='merge')
    raw = pvesim.proxmoxer().cluster.options.get()
    assert raw['migration'] == {'type': 'secure', 'network': '10.10.10.0/24'}
    assert 'bwlimit' not in raw and 'registered-tags' not in raw and raw['description'] == ''
    info = run_tasks(pvesim, [{'name': 'info', 'pve.ops.cluster_info': {'gather': ['options']}}])
    assert info.results['info']['options']['migration']['network'] == '10.10.10.0/24'
    assert info.requests['info'] == 2  # the login and the read


def test_mac_prefix_removed_shows_its_default(pvesim):
    """PVE shows mac_prefix's default when datacenter.cfg has none: removing it while it shows the default is
    no change and sends nothing; removing a prefix of one's own brings the default back."""
    run = run_tasks(pvesim, [{'name': 'default', 'pve.ops.cluster_options': {'absent': ['mac_prefix']}}])
    assert run.results['default']['changed'] is False and run.writes['default'] == 0, run
    quartet(pvesim, 'pve.ops.cluster_options', {'mac_prefix': '02:00:00'}, name='own')
    run = quartet(pvesim, 'pve.ops.cluster_options', {'absent': ['mac_prefix']}, name='removed')
    diff = run.results['removed apply']['diff']
    assert diff['before']['mac_prefix'] == '02:00:00' and diff['after']['mac_prefix'] == 'BC:24:11'
    assert pvesim.proxmoxer().cluster.options.get()['mac_prefix'] == 'BC:24:11'


def test_keyboard_no_is_norwegian(pvesim):
    """A text option is sent and compared as given: the layout "no" is not false (it was sent as 0)."""
    run = quartet(pvesim, 'pve.ops.cluster_options', {'keyboard': 'no', 'tag_style': {'case_sensitive': True}})
    assert run.results['t apply']['options']['keyboard'] == 'no'
    raw = pvesim.proxmoxer().cluster.options.get()
    assert raw['keyboard'] == 'no' and raw['tag-style']['case-sensitive'] in (1, '1')


def test_refusals_send_nothing(pvesim):
    run = run_tasks(pvesim, [
        {'name': 'range', 'pve.ops.cluster_options': {'next_id': {'lower': 5000, 'upper': 2000}},
         'ignore_errors': True},
        {'name': 'both', 'pve.ops.cluster_options': {'keyboard': 'de', 'absent': ['keyboard']},
         'ignore_errors': True},
        {'name': 'workers', 'pve.ops.cluster_options': {'max_workers': 0}, 'ignore_errors': True},
        {'name': 'proxy', 'pve.ops.cluster_options': {'http_proxy': 'ftp://x'}, 'ignore_errors': True},
    ])
    assert run.rc == 0, run
    for name, field in (('range', 'next_id'), ('both', 'absent'), ('workers', 'max_workers'),
                        ('proxy', 'http_proxy')):
        assert run.results[name]['failed'] and field in run.results[name]['msg'], run.results[name]
        assert run.writes[name] == 0
    # PVE itself refuses a reversed next-id range
    api = pvesim.proxmoxer()
    try:
        api.cluster.options.put(**{'next-id': 'lower=5000,upper=2000'})
        raise AssertionError('accepted')
    except Exception as exc:  # proxmoxer's ResourceException
        assert 'boundary rule broken' in str(exc)


def test_cluster_config_of_a_cluster(pvesim):
    run = run_tasks(pvesim, [{'name': 'config', 'pve.ops.cluster_info': {'gather': ['config']}}])
    config = run.results['config']['config']
    assert [n['node'] for n in config['nodes']] == ['pve1', 'pve2', 'pve3']
    assert config['totem']['cluster_name'] == 'demo-cluster' and config['qdevice'] == {}
    assert [n['name'] for n in config['join']['nodelist']] == ['pve1', 'pve2', 'pve3']
    assert all(n['pve_fp'] for n in config['join']['nodelist']) and run.requests['config'] == 5
    assert 'status' not in run.results['config']


def test_cluster_config_of_a_standalone_node(pvesim_factory):
    sim = pvesim_factory('empty')
    run = run_tasks(sim, [{'name': 'config', 'pve.ops.cluster_info': {'gather': ['config', 'status']}}])
    result = run.results['config']
    assert result['config'] == {'nodes': [], 'totem': {}, 'join': None, 'qdevice': {}}
    assert result['cluster']['name'] is None and result['cluster']['nodes'] == 1


def test_mcp_tools_set_and_read_back(pvesim):
    from mcp_adapter import runner
    from tests.helpers.inproc import connection
    from tests.mcp.mcp_support import tools
    found = tools()
    done = runner.run(found['set_cluster_options'], {'ha': {'shutdown_policy': 'failover'}}, connection(pvesim))
    assert done['changed'] and done['options']['ha'] == {'shutdown_policy': 'failover'}
    config = runner.run(found['get_cluster_config'], {}, connection(pvesim))
    assert config['options']['ha'] == {'shutdown_policy': 'failover'}
    assert config['config']['totem']['cluster_name'] == 'demo-cluster' and 'resources' not in config
