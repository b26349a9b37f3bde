# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The first slice through real ansible-playbook: cluster_info, node_info, task_info.

Request counts are the minimum: one login (ticket auth) plus one request per subset read.
"""

from tests.helpers.playbook import connection_defaults, run_tasks


def test_info_modules_against_the_demo_cluster(pvesim):
    upid = pvesim.proxmoxer().nodes('pve1').qemu(102).status.start.post()
    run = run_tasks(pvesim, [
        {'name': 'cluster', 'pve.ops.cluster_info': {}},
        {'name': 'vms only', 'pve.ops.cluster_info': {'gather': ['resources'], 'resource_type': 'vm'}},
        {'name': 'nodes', 'pve.ops.node_info': {}},
        {'name': 'pve2', 'pve.ops.node_info': {'node': 'pve2'}},
        {'name': 'pve2 dns', 'pve.ops.node_info': {'node': 'pve2', 'gather': ['dns']}},
        {'name': 'cluster tasks', 'pve.ops.task_info': {}},
        {'name': 'node tasks', 'pve.ops.task_info': {'node': 'pve1', 'vmid': 102}},
        {'name': 'one task', 'pve.ops.task_info': {'upid': upid}},
        {'name': 'one task no log', 'pve.ops.task_info': {'upid': upid, 'log_lines': 0}},
    ])
    assert run.rc == 0, run
    cluster = run.results['cluster']
    assert cluster['changed'] is False
    assert cluster['cluster']['nodes'] == 3 and cluster['cluster']['quorate'] is True
    assert cluster['cluster']['name']
    assert cluster['version']['version']
    names = set(r.get('name') for r in cluster['resources'])
    assert {'web01', 'db01'} <= names
    assert all(r['type'] in ('qemu', 'lxc') for r in run.results['vms only']['resources'])
    assert 'status' not in run.results['vms only']
    assert [n['node'] for n in run.results['nodes']['nodes']] == ['pve1', 'pve2', 'pve3']
    pve2 = run.results['pve2']['node']
    assert pve2['node'] == 'pve2' and set(pve2) == {'node', 'status', 'version', 'time', 'dns'}
    assert set(run.results['pve2 dns']['node']) == {'node', 'dns'}
    assert any(t['upid'] == upid for t in run.results['cluster tasks']['tasks'])
    assert [t['upid'] for t in run.results['node tasks']['tasks']] == [upid]
    task = run.results['one task']['task']
    assert task['status'] == 'stopped' and task['exitstatus'] == 'OK' and task['log'][-1] == 'TASK OK'
    assert 'log' not in run.results['one task no log']['task']
    # The minimum: a login, then one request per subset.
    expected = {'cluster': 4, 'vms only': 2, 'nodes': 2, 'pve2': 5, 'pve2 dns': 2, 'cluster tasks': 2,
                'node tasks': 2, 'one task': 3, 'one task no log': 2}
    assert run.requests == expected
    assert all(w == 0 for w in run.writes.values())


def test_token_auth_costs_no_login(pvesim):
    pvesim.pve.apitokens['root@pam!ci'] = 'secret-value'
    conn = connection_defaults(pvesim, api_password=None, api_token_id='root@pam!ci', api_token_secret='secret-value')
    del conn['api_password']
    run = run_tasks(pvesim, [{'name': 'nodes', 'pve.ops.node_info': {}}], connection=conn, verbosity=3)
    assert run.rc == 0, run
    assert run.requests['nodes'] == 1
    assert 'secret-value' not in run.stdout + run.stderr


def test_errors_surface_clearly(pvesim):
    pvesim.pve.apitokens['alice@pve!ro'] = 'tok'
    pvesim.pve.grant('alice@pve', '/vms', 'VM.Audit')
    token = connection_defaults(pvesim, api_token_id='alice@pve!ro', api_token_secret='tok')
    del token['api_password']
    run = run_tasks(pvesim, [
        {'name': 'denied', 'pve.ops.node_info': {'node': 'pve1', 'gather': ['dns']}, 'ignore_errors': True},
    ], connection=token)
    denied = run.results['denied']
    assert denied['failed'] and 'Sys.Audit' in denied['msg'] and '/nodes/pve1' in denied['msg']
    assert denied['privilege'] == 'Sys.Audit'

    run = run_tasks(pvesim, [
        {'name': 'bad upid', 'pve.ops.task_info': {'upid': 'nonsense'}, 'ignore_errors': True},
        {'name': 'bad gather', 'pve.ops.node_info': {'node': 'pve1', 'gather': ['cpu']}, 'ignore_errors': True},
        {'name': 'bad password', 'pve.ops.node_info': {'api_password': '{{ bad_pw }}'}, 'ignore_errors': True},
        {'name': 'no tls', 'pve.ops.node_info': {'ca_path': None}, 'ignore_errors': True},
        {'name': 'tls off', 'pve.ops.node_info': {'ca_path': None, 'validate_certs': False}},
    ], play_vars={'bad_pw': 'wrong-pw'})
    assert run.status['bad upid'] == 'failed'
    assert 'upid' in run.results['bad upid']['msg'] and run.results['bad upid']['field'] == 'upid'
    assert 'gather' in run.results['bad gather']['msg'] and 'cpu' in run.results['bad gather']['msg']
    assert run.results['bad password']['failed'] and 'authentication failed' in run.results['bad password']['msg']
    assert 'wrong-pw' not in run.stdout
    assert run.results['no tls']['failed'] and 'ca_path' in run.results['no tls']['msg']
    assert run.status['tls off'] == 'ok'
    assert run.requests['bad upid'] == 0 and run.requests['bad gather'] == 0


def test_retry_under_injected_503(pvesim):
    pvesim.call(pvesim.pve.fail, 'GET', '/nodes', 503, 'Service Unavailable', False, None, 1)
    run = run_tasks(pvesim, [{'name': 'nodes', 'pve.ops.node_info': {}}])
    assert run.rc == 0, run
    assert run.requests['nodes'] == 3  # login, 503, retry


def test_node_details_one_request_per_subset(pvesim):
    run = run_tasks(pvesim, [
        {'name': 'details', 'pve.ops.node_info': {
            'node': 'pve1', 'gather': ['rrd', 'network', 'disks', 'certificates', 'syslog', 'apt_updates', 'config',
                                       'subscription']}},
        {'name': 'rrd day max', 'pve.ops.node_info': {'node': 'pve2', 'gather': ['rrd'], 'timeframe': 'day',
                                                       'cf': 'MAX'}},
        {'name': 'bridges and logs', 'pve.ops.node_info': {'node': 'pve2', 'gather': ['network', 'syslog'],
                                                            'iface_type': 'any_bridge', 'log_lines': 3}},
        {'name': 'bad log_lines', 'pve.ops.node_info': {'node': 'pve2', 'gather': ['syslog'], 'log_lines': 0},
         'ignore_errors': True},
    ])
    assert run.rc == 0, run
    node = run.results['details']['node']
    assert set(node) == {'node', 'rrd', 'network', 'disks', 'certificates', 'syslog', 'apt_updates', 'config',
                         'subscription'}
    assert len(node['rrd']) == 70 and node['rrd'][1]['time'] - node['rrd'][0]['time'] == 60
    vmbr0 = [i for i in node['network'] if i['iface'] == 'vmbr0'][0]
    assert vmbr0['type'] == 'bridge' and vmbr0['bridge_ports'] == 'eno1' and vmbr0['cidr'].endswith('/24')
    assert [d['devpath'] for d in node['disks']] == ['/dev/nvme0n1', '/dev/sda']
    assert node['certificates'][0]['filename'] == 'pve-ssl.pem' and node['certificates'][0]['subject'].startswith('/CN=')
    assert node['syslog'][0]['n'] == 1 and ' pve1 ' in node['syslog'][0]['t']
    assert {u['Package'] for u in node['apt_updates']} == {'pve-manager', 'tzdata'}
    assert node['config']['description'] == 'Node pve1 of the simulated cluster'
    assert node['subscription']['status'] == 'notfound'
    rrd = run.results['rrd day max']['node']['rrd']
    assert set(run.results['rrd day max']['node']) == {'node', 'rrd'} and rrd[1]['time'] - rrd[0]['time'] == 1800
    logs = run.results['bridges and logs']['node']
    assert [i['iface'] for i in logs['network']] == ['vmbr0'] and len(logs['syslog']) == 3
    bad = run.results['bad log_lines']
    assert bad['failed'] and 'log_lines' in bad['msg'] and bad['field'] == 'log_lines'
    # A login, then one request per subset; bad input makes none.
    assert run.requests == {'details': 9, 'rrd day max': 2, 'bridges and logs': 3, 'bad log_lines': 0}
    assert all(w == 0 for w in run.writes.values())
