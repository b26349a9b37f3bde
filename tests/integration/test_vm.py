# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.vm, vm_info, snapshot and console through real ansible-playbook against the demo cluster.

Several quartets (check / apply / idempotent check / idempotent) share one playbook run, in order, so the
suite stays fast; each asserts changed true, true, false, false and zero write requests in the three runs
that must not write (the simulator counts).
"""

from tests.helpers.playbook import connection_defaults, run_tasks

PHASES = ('check', 'apply', 'idem check', 'idem')


def quartet_tasks(name, module, args):
    tasks = []
    for phase in PHASES:
        task = {'name': '{0} {1}'.format(name, phase), module: dict(args)}
        if 'check' in phase:
            task['check_mode'] = True
        tasks.append(task)
    return tasks


def assert_quartet(run, name):
    names = ['{0} {1}'.format(name, phase) for phase in PHASES]
    for n in names:
        assert run.status[n] == 'ok' or run.status[n] == 'changed', (n, run.results.get(n), run)
    changed = [run.results[n].get('changed') for n in names]
    assert changed == [True, True, False, False], (name, changed, [run.results[n] for n in names])
    for n in (names[0], names[2], names[3]):
        assert run.writes[n] == 0, '{0} made {1} write requests'.format(n, run.writes[n])
    assert run.writes[names[1]] > 0
    return [run.results[n] for n in names]


def vm(pvesim, vmid):
    return pvesim.call(lambda: pvesim.pve.vm(vmid))


def test_vm_lifecycle(pvesim):
    new = {'name': 'new01', 'node': 'pve1', 'cores': 2, 'memory': 1024, 'ostype': 'l26', 'tags': ['b', 'a'],
           'disks': [{'slot': 'scsi0', 'storage': 'local-lvm', 'size': '8G', 'options': {'discard': 'on'}}],
           'nets': [{'bridge': 'vmbr0', 'firewall': True, 'tag': 20}], 'ciuser': 'ops', 'cipassword': 'cloud-pw-1',
           'sshkeys': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI ops@example', 'ipconfig': {0: 'ip=dhcp'},
           'config': {'scsihw': 'virtio-scsi-single'}}
    changed_memory = dict(new, memory=2048, state='started')
    tasks = (quartet_tasks('create', 'pve.ops.vm', new)
             + quartet_tasks('start', 'pve.ops.vm', dict(new, state='started'))
             + quartet_tasks('pending', 'pve.ops.vm', changed_memory)
             + quartet_tasks('apply pending', 'pve.ops.vm', dict(changed_memory, restart_to_apply=True))
             + quartet_tasks('shutdown', 'pve.ops.vm', {'name': 'new01', 'state': 'stopped', 'timeout': 30})
             + quartet_tasks('resize', 'pve.ops.vm', {'vmid': 102, 'disks': [{'slot': 'scsi0', 'size': '40G'}]})
             + quartet_tasks('hard stop', 'pve.ops.vm', {'vmid': 101, 'state': 'stopped', 'force': True})
             + quartet_tasks('options', 'pve.ops.vm', {
                 'vmid': 103, 'description': 'monitoring', 'onboot': False, 'tags': ['ops', 'mon'],
                 'nets': [{'slot': 'net0', 'bridge': 'vmbr0', 'firewall': True, 'tag': 5}],
                 'config': {'numa': None, 'vga': 'std'}, 'restart_to_apply': True, 'pool': 'demo'})
             + quartet_tasks('delete', 'pve.ops.vm', {'name': 'new01', 'state': 'absent', 'purge': True}))
    run = run_tasks(pvesim, tasks)
    assert run.rc == 0, run

    create = assert_quartet(run, 'create')
    made = create[1]['vm']
    assert made['vmid'] == 104 and made['node'] == 'pve1' and made['status'] == 'stopped'
    config = made['config']
    assert config['scsi0'].startswith('local-lvm:vm-104-disk-0') and 'size=8G' in config['scsi0']
    assert 'discard=on' in config['scsi0']
    assert config['net0'].startswith('virtio=') and 'tag=20' in config['net0'] and 'firewall=1' in config['net0']
    assert config['tags'] == 'a;b' and config['ipconfig0'] == 'ip=dhcp'
    assert 'cipassword' not in config and 'cloud-pw-1' not in run.stdout + str(run.results)
    assert create[0]['diff']['before'] == {} and create[0]['diff']['after']['name'] == 'new01'
    assert create[1]['diff']['after']['config']['memory'] == '1024'

    start = assert_quartet(run, 'start')
    assert start[1]['vm']['status'] == 'running' and start[1]['diff']['before']['status'] == 'stopped'
    assert any(':qmstart:104:' in t for t in start[1]['tasks'])

    # A running VM takes the new memory at its next restart: reported, warned, and converged as pending.
    pending = assert_quartet(run, 'pending')
    assert pending[0]['pending'] == {'memory': {'current': '1024', 'pending': 2048}} or \
        pending[0]['pending']['memory']['pending'] in (2048, '2048')
    assert pending[1]['pending']['memory']['current'] in (1024, '1024')
    assert str(pending[1]['pending']['memory']['pending']) == '2048'
    assert str(pending[3]['pending']['memory']['pending']) == '2048'
    assert any('pending' in w for w in pending[1].get('warnings', []))
    # restart_to_apply reboots it once; then nothing is pending.
    applied = assert_quartet(run, 'apply pending')
    assert any(':qmreboot:104:' in t for t in applied[1]['tasks'])
    assert applied[1]['pending'] == {} and str(applied[1]['vm']['config']['memory']) == '2048'

    shutdown = assert_quartet(run, 'shutdown')
    assert any(':qmshutdown:104:' in t for t in shutdown[1]['tasks'])
    assert shutdown[1]['vm']['status'] == 'stopped'

    resize = assert_quartet(run, 'resize')
    assert any(':resize:102:' in t for t in resize[1]['tasks'])
    assert 'size=40G' in resize[1]['vm']['config']['scsi0']
    assert 'size=32G' in resize[1]['diff']['before']['config']['scsi0']

    hard = assert_quartet(run, 'hard stop')
    assert any(':qmstop:101:' in t for t in hard[1]['tasks'])
    assert not any(':qmshutdown:' in t for t in hard[1]['tasks'])

    options = assert_quartet(run, 'options')
    # Fast-plug keys (description, onboot, tags) apply at once; the NIC and vga wait, and restart_to_apply
    # reboots for them. A generated MAC address is kept.
    assert any(':qmreboot:103:' in t for t in options[1]['tasks'])
    cfg = options[1]['vm']['config']
    assert cfg['description'] == 'monitoring' and cfg['tags'] == 'mon;ops' and str(cfg['onboot']) == '0'
    assert cfg['net0'].startswith('virtio=BC:24:11:00:67:00,') and 'tag=5' in cfg['net0']
    assert cfg['vga'] == 'std' and 'numa' not in cfg
    assert options[1]['vm']['pool'] == 'demo' and 'pool' not in options[1]['diff']['before']
    assert 103 in pvesim.call(lambda: set(pvesim.pve.pools['demo']))

    delete = assert_quartet(run, 'delete')
    assert delete[1]['vm'] is None and delete[1]['diff']['after'] == {}
    assert any(':qmdestroy:104:' in t for t in delete[1]['tasks'])
    assert vm(pvesim, 104) is None
    # The converged runs cost the minimum: a login, the cluster resources and the VM's config with pending.
    assert run.requests['start idem'] == 3 and run.requests['resize idem'] == 3
    assert run.requests['delete idem'] == 2


def test_clone_migrate_restart(pvesim):
    clone = {'name': 'app01', 'clone': 'debian-12-cloudinit', 'node': 'pve1', 'full': True, 'storage': 'local-lvm',
             'cores': 4, 'memory': 4096, 'disks': [{'slot': 'scsi0', 'size': '10G'}],
             'ipconfig': ['ip=192.0.2.60/24,gw=192.0.2.1'], 'state': 'started', 'pool': 'demo'}
    tasks = (quartet_tasks('clone', 'pve.ops.vm', clone)
             + quartet_tasks('linked', 'pve.ops.vm', {'vmid': 150, 'name': 'linked01', 'clone': '9000',
                                                      'full': False})
             + quartet_tasks('migrate stopped', 'pve.ops.vm', {'vmid': 102, 'node': 'pve3', 'migrate': True})
             + quartet_tasks('migrate running', 'pve.ops.vm', {'name': 'web01', 'node': 'pve2', 'migrate': True,
                                                               'state': 'started'})
             + [{'name': 'restart check', 'pve.ops.vm': {'name': 'app01', 'state': 'restarted'}, 'check_mode': True},
                {'name': 'restart', 'pve.ops.vm': {'name': 'app01', 'state': 'restarted'}},
                {'name': 'restart stopped', 'pve.ops.vm': {'vmid': 150, 'state': 'restarted'}},
                {'name': 'restart forced', 'pve.ops.vm': {'name': 'app01', 'state': 'restarted', 'force': True}},
                {'name': 'no wait', 'pve.ops.vm': {'vmid': 150, 'state': 'stopped', 'force': True, 'wait': False}}])
    run = run_tasks(pvesim, tasks)
    assert run.rc == 0, run
    cloned = assert_quartet(run, 'clone')
    vm_ = cloned[1]['vm']
    assert vm_['cloned_from'] == 9000 and vm_['node'] == 'pve1' and vm_['status'] == 'running'
    assert vm_['pool'] == 'demo' and str(vm_['config']['cores']) == '4'
    assert vm_['config']['scsi0'].startswith('local-lvm:vm-{0}-disk-0'.format(vm_['vmid']))
    assert 'size=10G' in vm_['config']['scsi0']
    assert vm_['config']['ipconfig0'] == 'ip=192.0.2.60/24,gw=192.0.2.1'
    assert vm_['config']['ciuser'] == 'debian'  # kept from the template
    assert any(':qmclone:9000:' in t for t in cloned[1]['tasks'])
    assert any(':resize:' in t for t in cloned[1]['tasks'])
    linked = assert_quartet(run, 'linked')
    assert linked[1]['vm']['vmid'] == 150 and 'vm-150-disk-0' in linked[1]['vm']['config']['scsi0']

    moved = assert_quartet(run, 'migrate stopped')
    assert moved[1]['vm']['node'] == 'pve3' and moved[1]['diff']['before']['node'] == 'pve1'
    assert any(':qmigrate:102:' in t for t in moved[1]['tasks'])
    live = assert_quartet(run, 'migrate running')
    assert live[1]['vm']['node'] == 'pve2' and live[1]['vm']['status'] == 'running'
    assert vm(pvesim, 100).node == 'pve2' and vm(pvesim, 100).status == 'running'

    assert run.results['restart check']['changed'] and run.writes['restart check'] == 0
    assert any(':qmreboot:' in t for t in run.results['restart']['tasks'])
    assert any(':qmstart:150:' in t for t in run.results['restart stopped']['tasks'])
    forced = run.results['restart forced']['tasks']
    assert any(':qmstop:' in t for t in forced) and any(':qmstart:' in t for t in forced)
    # wait: false returns the UPID of the task it did not wait for.
    assert any(':qmstop:150:' in t for t in run.results['no wait']['tasks'])


def test_errors(pvesim):
    api = pvesim.proxmoxer()
    api.nodes('pve3').qemu(103).config.put(name='web01')  # now two VMs are called web01
    pvesim.call(pvesim.pve.fail, 'POST', '/nodes/pve1/qemu/102/status/start', None, None, False,
                'qemu_exited_code', 1)
    tasks = [
        {'name': 'ambiguous', 'pve.ops.vm': {'name': 'web01', 'cores': 8}},
        {'name': 'shrink', 'pve.ops.vm': {'vmid': 101, 'disks': [{'slot': 'scsi0', 'size': '10G'}]}},
        {'name': 'elsewhere', 'pve.ops.vm': {'vmid': 101, 'node': 'pve1'}},
        {'name': 'running delete', 'pve.ops.vm': {'vmid': 101, 'state': 'absent'}},
        {'name': 'bad slot', 'pve.ops.vm': {'vmid': 101, 'disks': [{'slot': 'floppy0', 'size': '1G'}]}},
        {'name': 'bad size', 'pve.ops.vm': {'vmid': 101, 'disks': [{'slot': 'scsi0', 'size': 'big'}]}},
        {'name': 'no node', 'pve.ops.vm': {'name': 'nowhere01'}},
        {'name': 'template start', 'pve.ops.vm': {'vmid': 9000, 'state': 'started'}},
        {'name': 'task fails', 'pve.ops.vm': {'vmid': 102, 'state': 'started'}},
        {'name': 'no snapshot', 'pve.ops.snapshot': {'vmid': 102, 'snapname': 'never', 'state': 'rollback'}},
        {'name': 'ct vmstate', 'pve.ops.snapshot': {'vmid': 200, 'snapname': 'x1', 'vmstate': True}},
        {'name': 'ct spice', 'pve.ops.console': {'vmid': 200, 'type': 'spice'}},
    ]
    run = run_tasks(pvesim, [dict(task, ignore_errors=True) for task in tasks])
    results = run.results
    for name in results:
        assert results[name].get('failed'), (name, results[name])
        assert run.writes[name] == 0 or name == 'task fails', (name, run.writes[name])
    assert 'matches several guests' in results['ambiguous']['msg'] and '100, 103' in results['ambiguous']['msg']
    assert results['ambiguous']['field'] == 'name'
    assert 'shrinking is not supported' in results['shrink']['msg'] and '64G' in results['shrink']['msg']
    assert 'migrate: true' in results['elsewhere']['msg'] and 'pve2' in results['elsewhere']['msg']
    assert 'running' in results['running delete']['msg'] and results['running delete']['field'] == 'force'
    assert 'floppy0' in results['bad slot']['msg'] and run.requests['bad slot'] == 0
    assert 'not a size' in results['bad size']['msg'] and results['bad size']['field'] == 'disks'
    assert results['no node']['field'] == 'node'
    assert 'template' in results['template start']['msg']
    failed = results['task fails']
    assert 'QEMU exited with code 1' in failed['msg'] or failed['exitstatus'] == 'QEMU exited with code 1'
    assert failed['task_log'][-1] == 'TASK ERROR: QEMU exited with code 1' and ':qmstart:102:' in failed['upid']
    assert 'no snapshot' in results['no snapshot']['msg']
    assert results['ct vmstate']['field'] == 'vmstate'
    assert results['ct spice']['field'] == 'type'
    assert vm(pvesim, 101).status == 'running' and vm(pvesim, 101).config['scsi0'].endswith('size=64G')


def test_permission_denied_for_a_token_without_vm_privileges(pvesim):
    api = pvesim.proxmoxer()
    api.access.users.post(userid='ops@pve')
    api.access.acl.put(path='/vms', roles='PVEAuditor', users='ops@pve')
    secret = api.access.users('ops@pve').token('auto').post(privsep=0)['value']
    conn = connection_defaults(pvesim, api_token_id='ops@pve!auto', api_token_secret=secret)
    del conn['api_password']
    run = run_tasks(pvesim, [
        {'name': 'read', 'pve.ops.vm_info': {'vmid': 102, 'gather': ['config']}},
        {'name': 'start', 'pve.ops.vm': {'vmid': 102, 'state': 'started'}, 'ignore_errors': True},
        {'name': 'configure', 'pve.ops.vm': {'vmid': 102, 'cores': 8}, 'ignore_errors': True},
    ], connection=conn)
    assert run.results['read']['vms'][0]['config']['cores'] == 4
    start = run.results['start']
    assert start['failed'] and start['privilege'] == 'VM.PowerMgmt' and '/vms/102' in start['msg']
    configure = run.results['configure']
    assert configure['failed'] and configure['privilege'] == 'VM.Config.CPU'
    assert secret not in run.stdout + run.stderr
    assert vm(pvesim, 102).status == 'stopped' and vm(pvesim, 102).config['cores'] == 4


def test_info_snapshot_console(pvesim):
    tasks = ([{'name': 'all', 'pve.ops.vm_info': {}},
              {'name': 'prod running', 'pve.ops.vm_info': {'tags': ['prod'], 'status': 'running'}},
              {'name': 'pool', 'pve.ops.vm_info': {'pool': 'demo'}},
              {'name': 'node', 'pve.ops.vm_info': {'node': 'pve1'}},
              {'name': 'details', 'pve.ops.vm_info': {
                  'name': 'web01', 'gather': ['config', 'pending', 'status', 'snapshots', 'rrd', 'agent_network'],
                  'timeframe': 'day', 'cf': 'MAX'}},
              {'name': 'agent off', 'pve.ops.vm_info': {'vmid': 102, 'gather': ['agent_network']}}]
             + quartet_tasks('snap vm', 'pve.ops.snapshot', {'name': 'web01', 'snapname': 'pre_upgrade',
                                                             'description': 'before', 'vmstate': True})
             + quartet_tasks('snap text', 'pve.ops.snapshot', {'name': 'web01', 'snapname': 'pre_upgrade',
                                                               'description': 'before the upgrade'})
             + quartet_tasks('snap ct', 'pve.ops.snapshot', {'vmid': 200, 'snapname': 'ct_snap'})
             + [{'name': 'change', 'pve.ops.vm': {'name': 'web01', 'cores': 6}},
                {'name': 'rollback check', 'pve.ops.snapshot': {'vmid': 100, 'snapname': 'pre_upgrade',
                                                                'state': 'rollback'}, 'check_mode': True},
                {'name': 'rollback', 'pve.ops.snapshot': {'vmid': 100, 'snapname': 'pre_upgrade',
                                                          'state': 'rollback'}},
                {'name': 'after rollback', 'pve.ops.vm_info': {'vmid': 100, 'gather': ['config', 'snapshots']}}]
             + quartet_tasks('unsnap ct', 'pve.ops.snapshot', {'vmid': 200, 'snapname': 'ct_snap', 'state': 'absent'})
             + [{'name': 'vnc', 'pve.ops.console': {'name': 'web01'}, 'register': 'vnc'},
                {'name': 'vnc has a ticket', 'assert': {'that': [
                    'vnc.console.ticket is match("PVEVNC:")', 'vnc.console.port > 0', 'vnc.console.cert is defined',
                    'vnc.console.type == "vnc"', 'not vnc.changed']}},
                {'name': 'spice', 'pve.ops.console': {'vmid': 101, 'type': 'spice'}, 'register': 'spice'},
                {'name': 'spice has a password', 'assert': {'that': ['spice.console.password | length > 10',
                                                                     'spice.console["tls-port"] > 0']}},
                {'name': 'term', 'pve.ops.console': {'name': 'proxy01'}, 'register': 'term'},
                {'name': 'term ok', 'assert': {'that': ['term.console.type == "term"', 'term.console.ticket | length > 0']}},
                {'name': 'console check', 'pve.ops.console': {'vmid': 100}, 'check_mode': True,
                 'register': 'concheck'},
                {'name': 'no ticket in check mode', 'assert': {'that': ['concheck.console is not defined']}}])
    run = run_tasks(pvesim, tasks, verbosity=2)
    assert run.rc == 0, run
    r = run.results
    assert [v['vmid'] for v in r['all']['vms']] == [100, 101, 102, 103, 9000]
    assert r['all']['vms'][-1]['template'] is True
    assert [v['vmid'] for v in r['prod running']['vms']] == [100, 101]
    assert [v['vmid'] for v in r['pool']['vms']] == [100, 101]
    assert [v['vmid'] for v in r['node']['vms']] == [100, 102, 9000]
    web = r['details']['vms'][0]
    assert web['config']['name'] == 'web01' and web['pending'] == {} and web['status_detail']['qmpstatus'] == 'running'
    assert web['snapshots'] == [] and len(web['rrd']) == 70 and web['rrd'][1]['time'] - web['rrd'][0]['time'] == 1800
    assert {i['name'] for i in web['agent_network']} == {'lo', 'eth0'}
    assert r['agent off']['vms'][0]['agent_network'] is None and 'agent' in r['agent off']['vms'][0]['agent_error']
    # One request per detail: login, resources, six details.
    assert run.requests['details'] == 8 and run.requests['all'] == 2

    snap = assert_quartet(run, 'snap vm')
    assert snap[1]['snapshot']['vmstate'] is True and snap[1]['guest']['type'] == 'qemu'
    text = assert_quartet(run, 'snap text')
    assert text[1]['diff']['before']['description'] == 'before'
    assert text[1]['snapshot']['description'] == 'before the upgrade'
    ct = assert_quartet(run, 'snap ct')
    assert ct[1]['guest']['type'] == 'lxc' and any(':vzsnapshot:200:' in t for t in ct[1]['tasks'])
    assert r['rollback check']['changed'] and run.writes['rollback check'] == 0
    assert any(':qmrollback:100:' in t for t in r['rollback']['tasks'])
    after = r['after rollback']['vms'][0]
    assert after['config']['cores'] == 2 and after['snapshots'][0]['name'] == 'pre_upgrade'
    assert_quartet(run, 'unsnap ct')
    # The console results are censored on screen and in logs; the tickets stayed out of the output.
    for name in ('vnc', 'spice', 'term'):
        assert 'censored' in r[name] and 'console' not in r[name]
    assert 'PVEVNC:' not in run.stdout and 'PVESPICE' not in run.stdout
    assert run.writes['console check'] == 0
