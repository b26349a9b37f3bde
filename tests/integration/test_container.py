# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.container and pve.ops.container_info through real ansible-playbook against the demo simulator.

The demo has container 200 proxy01 (running on pve2, pool demo) and 201 cache01 (stopped on pve3). Several
quartets (check / apply / idempotent check / idempotent) share one playbook run to keep the suite fast.
"""

import time

from pvesim.seeds import DEMO_USERS
from tests.helpers.playbook import run_tasks

TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst'
MODULE = 'pve.ops.container'


def quartets(sim, cases):
    """One playbook with a quartet per (name, args); asserts changed true/true/false/false and no write
    in the check and idempotent runs. Returns the PlaybookRun."""
    tasks = []
    for name, args in cases:
        for step in ('check', 'apply', 'idem check', 'idem'):
            task = {'name': '{0} {1}'.format(name, step), MODULE: dict(args)}
            if 'check' in step:
                task['check_mode'] = True
            tasks.append(task)
    run = run_tasks(sim, tasks)
    assert run.rc == 0, run
    for name, _args in cases:
        names = ['{0} {1}'.format(name, step) for step in ('check', 'apply', 'idem check', 'idem')]
        assert [run.results[n].get('changed') for n in names] == [True, True, False, False], (name, run)
        for n in (names[0], names[2], names[3]):
            assert run.writes[n] == 0, ('{0} made {1} writes'.format(n, run.writes[n]), run)
    return run


def ct(sim, vmid):
    return sim.call(lambda: sim.pve.ct(vmid))


def test_lifecycle_quartets(pvesim):
    run = quartets(pvesim, [
        ('create', {'name': 'web02', 'node': 'pve1', 'ostemplate': TEMPLATE, 'storage': 'local-lvm',
                    'rootfs': {'size': '4G'}, 'cores': 2, 'memory': 1024, 'password': 'Sup3r-secret!',
                    'ssh_public_keys': 'ssh-ed25519 AAAAC3Nza test@example', 'tags': ['web', 'Prod'],
                    'features': {'nesting': True}, 'onboot': True, 'pool': 'demo',
                    'nets': [{'index': 0, 'bridge': 'vmbr0', 'ip': '192.0.2.50/24', 'gw': '192.0.2.1',
                              'firewall': True}],
                    'state': 'started'}),
        ('config', {'vmid': 201, 'cores': 4, 'memory': 2048, 'tags': ['redis', 'cache'], 'description': 'Cache',
                    'features': ['nesting', 'keyctl'], 'startup': 'order=2,up=30',
                    'nets': [{'index': 0, 'bridge': 'vmbr1', 'ip': 'dhcp', 'tag': 20}],
                    'pool': 'demo', 'config': {'protection': False, 'timezone': 'host'}}),
        ('grow', {'name': 'cache01', 'rootfs': {'size': '20G'},
                  'mounts': [{'index': 0, 'storage': 'local-lvm', 'size': 2, 'path': '/srv/data',
                              'options': {'backup': True}}]}),
        ('shutdown', {'vmid': 200, 'state': 'stopped'}),
        ('start', {'name': 'proxy01', 'state': 'started'}),
        ('delete', {'name': 'web02', 'state': 'absent', 'force': True}),
    ])
    created = run.results['create apply']
    vmid = created['container']['vmid']
    assert vmid == 104  # the next free id of the demo
    assert created['container']['status'] == 'running' and created['container']['node'] == 'pve1'
    config = created['container']['config']
    assert config['rootfs'] == 'local-lvm:vm-104-disk-0,size=4G' and config['cores'] == 2
    assert 'hwaddr=' in config['net0'] and 'ip=192.0.2.50/24' in config['net0']
    assert created['container']['tags'] == ['prod', 'web'] and created['container']['pool'] == 'demo'
    assert created['diff']['before'] == {} and created['diff']['after']['config']['hostname'] == 'web02'
    check = run.results['create check']
    assert check['container']['vmid'] == 104 and check['diff']['after']['status'] == 'running'
    # The secret appears nowhere: not in results, not in the diff, not in the output.
    assert 'Sup3r-secret!' not in run.stdout + run.stderr + repr(run.results)
    assert created['invocation']['module_args']['password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'

    changed = run.results['config apply']
    before, after = changed['diff']['before']['config'], changed['diff']['after']['config']
    assert before['cores'] == 2 and after['cores'] == 4 and after['tags'] == 'cache;redis'
    assert after['features'] == 'keyctl=1,nesting=1'
    mac = ct(pvesim, 201).config['net0'].split('hwaddr=')[1].split(',')[0]
    assert mac in before['net0'] and mac in after['net0']  # the generated MAC is kept
    assert 'bridge=vmbr1' in ct(pvesim, 201).config['net0'] and 'tag=20' in ct(pvesim, 201).config['net0']
    assert ct(pvesim, 201).config['timezone'] == 'host'
    assert changed['diff']['before']['pool'] is None and changed['container']['pool'] == 'demo'
    assert 201 in pvesim.call(lambda: set(pvesim.pve.pools['demo']))

    grown = run.results['grow apply']
    assert grown['diff']['after']['config']['rootfs'].endswith('size=20G')
    assert ct(pvesim, 201).config['rootfs'] == 'local-lvm:vm-201-disk-0,size=20G'
    assert ct(pvesim, 201).config['mp0'] == 'local-lvm:vm-201-disk-1,backup=1,mp=/srv/data,size=2G'
    assert any(':resize:201:' in upid for upid in grown['tasks'])

    assert run.results['shutdown apply']['container']['status'] == 'stopped'
    assert any(':vzshutdown:200:' in upid for upid in run.results['shutdown apply']['tasks'])
    assert run.results['start apply']['container']['status'] == 'running'
    assert run.results['delete apply']['diff']['after'] == {}
    assert ct(pvesim, 104) is None
    # A converged run: login, cluster resources, pending config.
    assert run.requests['config idem'] == 3 and run.requests['start idem'] == 3


def test_clone_migrate_restart_and_pending(pvesim):
    api = pvesim.proxmoxer()
    run = quartets(pvesim, [
        ('clone', {'name': 'cache02', 'clone': 'cache01', 'memory': 512, 'state': 'started'}),
        ('migrate', {'vmid': 200, 'node': 'pve1', 'migrate': True}),
    ])
    clone = run.results['clone apply']['container']
    assert clone['node'] == 'pve3' and clone['status'] == 'running' and clone['config']['memory'] == 512
    assert clone['config']['rootfs'].startswith('local-lvm:vm-{0}-disk-0'.format(clone['vmid']))
    assert any(':vzclone:201:' in upid for upid in run.results['clone apply']['tasks'])
    migrated = run.results['migrate apply']
    assert migrated['diff']['before']['node'] == 'pve2' and migrated['diff']['after']['node'] == 'pve1'
    assert ct(pvesim, 200).node == 'pve1' and ct(pvesim, 200).status == 'running'

    # A linked clone needs a template.
    upid = api.nodes('pve3').lxc(201).template.post()
    while api.nodes('pve3').tasks(upid).status.get()['status'] != 'stopped':
        time.sleep(0.05)
    run = run_tasks(pvesim, [
        {'name': 'linked', MODULE: {'vmid': 300, 'name': 'linked01', 'clone': '201', 'full': False}},
        {'name': 'not here', MODULE: {'vmid': 200, 'node': 'pve3'}, 'ignore_errors': True},
        {'name': 'restart check', MODULE: {'vmid': 200, 'state': 'restarted'}, 'check_mode': True},
        {'name': 'restart', MODULE: {'vmid': 200, 'state': 'restarted'}},
        {'name': 'pending check', MODULE: {'vmid': 200, 'nameserver': '192.0.2.53', 'memory': 768},
         'check_mode': True},
        {'name': 'pending', MODULE: {'vmid': 200, 'nameserver': '192.0.2.53', 'memory': 768}},
        {'name': 'pending idem', MODULE: {'vmid': 200, 'nameserver': '192.0.2.53', 'memory': 768}},
        {'name': 'apply check', MODULE: {'vmid': 200, 'restart_to_apply': True}, 'check_mode': True},
        {'name': 'apply', MODULE: {'vmid': 200, 'restart_to_apply': True}},
        {'name': 'apply idem', MODULE: {'vmid': 200, 'restart_to_apply': True}},
    ])
    assert run.rc == 0, run
    linked = run.results['linked']['container']
    assert linked['config']['rootfs'].startswith('local-lvm:vm-300-disk-0') and linked['status'] == 'stopped'
    assert run.status['not here'] == 'failed'
    assert 'on node pve1, not pve3' in run.results['not here']['msg'] and 'migrate: true' in run.results['not here']['msg']
    assert run.results['restart check']['changed'] and run.writes['restart check'] == 0
    assert run.results['restart']['changed'] and any(':vzreboot:200:' in u for u in run.results['restart']['tasks'])
    pending = run.results['pending']
    assert pending['changed'] and pending['container']['pending'] == {
        'nameserver': {'current': None, 'pending': '192.0.2.53'}}
    assert pending['container']['config']['memory'] == 768  # hot-plugged
    # Check mode predicts the same pending change without a write.
    assert run.results['pending check']['container']['pending'] == pending['container']['pending']
    assert run.writes['pending check'] == 0
    assert any('restart_to_apply' in w for w in pending['warnings'])
    assert not run.results['pending idem']['changed'] and run.writes['pending idem'] == 0
    assert run.results['apply check']['changed'] and run.writes['apply check'] == 0
    assert run.results['apply']['changed'] and run.results['apply']['container']['pending'] == {}
    assert ct(pvesim, 200).config['nameserver'] == '192.0.2.53' and not ct(pvesim, 200).pending
    assert not run.results['apply idem']['changed'] and run.writes['apply idem'] == 0


def test_refusals_and_failures(pvesim):
    api = pvesim.proxmoxer()
    # A second container called cache01 makes the name ambiguous.
    upid = api.nodes('pve1').lxc.post(vmid=250, ostemplate=TEMPLATE, hostname='cache01', storage='local-lvm')
    while api.nodes('pve1').tasks(upid).status.get()['status'] != 'stopped':
        time.sleep(0.05)
    pvesim.call(lambda: setattr(pvesim.pve.ct(200), 'shutdown_secs', 120))
    pvesim.call(pvesim.pve.fail, 'POST', '/nodes/pve3/lxc/201/status/start', None, None, False,
                'missing_rootfs_configuration', 1)
    failing = {'ignore_errors': True}
    run = run_tasks(pvesim, [
        dict(failing, name='ambiguous', **{MODULE: {'name': 'cache01', 'cores': 1}}),
        dict(failing, name='running', **{MODULE: {'vmid': 200, 'state': 'absent'}}),
        dict(failing, name='shrink', **{MODULE: {'vmid': 201, 'rootfs': {'size': '8G'}}}),
        dict(failing, name='move', **{MODULE: {'vmid': 201, 'rootfs': {'storage': 'local', 'size': '16G'}}}),
        dict(failing, name='privileged', **{MODULE: {'vmid': 201, 'unprivileged': False}}),
        dict(failing, name='missing', **{MODULE: {'name': 'nope', 'state': 'started'}}),
        dict(failing, name='bad net', **{MODULE: {'vmid': 201, 'nets': [{'index': 0, 'ip': '192.0.2.9'}]}}),
        dict(failing, name='typed in config', **{MODULE: {'vmid': 201, 'config': {'memory': 1}}}),
        dict(failing, name='graceful', **{MODULE: {'vmid': 200, 'state': 'stopped', 'timeout': 10}}),
        {'name': 'forced', MODULE: {'vmid': 200, 'state': 'stopped', 'force': True}},
        dict(failing, name='task failure', **{MODULE: {'vmid': 201, 'state': 'started'}}),
        # bob audits everything but may not power containers on.
        dict(failing, name='denied', **{MODULE: {'vmid': 201, 'state': 'started', 'api_user': 'bob@pve',
                                                 'api_password': DEMO_USERS['bob@pve']}}),
    ])
    res = run.results
    assert 'matches several guests (vmids 201, 250)' in res['ambiguous']['msg'] and res['ambiguous']['field'] == 'name'
    assert 'is running' in res['running']['msg'] and 'force: true' in res['running']['msg']
    assert 'cannot shrink' in res['shrink']['msg'] and 'only grows' in res['shrink']['msg']
    assert 'does not move volumes' in res['move']['msg']
    assert 'unprivileged cannot change' in res['privileged']['msg']
    assert 'give ostemplate or clone' in res['missing']['msg']
    assert res['bad net']['field'] == 'nets' and 'prefix' in res['bad net']['msg']
    assert res['typed in config']['field'] == 'config'
    for name in ('ambiguous', 'running', 'shrink', 'move', 'privileged', 'missing', 'bad net', 'typed in config'):
        assert run.status[name] == 'failed' and run.writes[name] == 0, name
    graceful = res['graceful']
    assert run.status['graceful'] == 'failed' and 'did not stop' in graceful['msg'] and 'force: true' in graceful['msg']
    assert graceful['task_log'][-1] == 'TASK ERROR: container did not stop'
    assert res['forced']['changed'] and any(':vzstop:200:' in u for u in res['forced']['tasks'])
    failed = res['task failure']
    assert run.status['task failure'] == 'failed' and "missing 'rootfs' configuration" in failed['msg']
    assert failed['task_log'][-1] == "TASK ERROR: missing 'rootfs' configuration"
    denied = res['denied']
    assert run.status['denied'] == 'failed' and denied['privilege'] == 'VM.PowerMgmt' and '/vms/201' in denied['msg']
    assert run.writes['denied'] == 1  # the refused start
    assert ct(pvesim, 200).status == 'stopped' and ct(pvesim, 201).status == 'stopped'


def test_container_info(pvesim):
    run = run_tasks(pvesim, [
        {'name': 'all', 'pve.ops.container_info': {}},
        {'name': 'filtered', 'pve.ops.container_info': {'tags': ['prod'], 'status': 'running', 'pool': 'demo'}},
        {'name': 'none', 'pve.ops.container_info': {'node': 'pve1'}},
        {'name': 'details', 'pve.ops.container_info': {
            'name': 'proxy01', 'gather': ['config', 'pending', 'status', 'snapshots', 'rrd', 'interfaces'],
            'timeframe': 'day', 'cf': 'MAX'}},
        {'name': 'stopped', 'pve.ops.container_info': {'vmid': 201, 'gather': ['interfaces']}},
    ])
    assert run.rc == 0, run
    res = run.results
    assert [c['vmid'] for c in res['all']['containers']] == [200, 201]
    assert [c['name'] for c in res['filtered']['containers']] == ['proxy01']
    assert res['filtered']['containers'][0]['tags'] == ['prod', 'proxy']
    assert res['none']['containers'] == []
    proxy = res['details']['containers'][0]
    assert proxy['config']['hostname'] == 'proxy01' and proxy['pending'] == {}
    assert proxy['status_detail']['status'] == 'running' and proxy['snapshots'] == []
    assert len(proxy['rrd']) == 70 and proxy['rrd'][1]['time'] - proxy['rrd'][0]['time'] == 1800
    assert [i['name'] for i in proxy['interfaces']] == ['lo', 'eth0']
    assert res['stopped']['containers'][0]['interfaces'] is None
    # One listing request (plus the login), then one per detail.
    assert run.requests['all'] == 2 and run.requests['details'] == 8 and run.requests['stopped'] == 2
    assert all(w == 0 for w in run.writes.values())
