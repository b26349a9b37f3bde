# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.node through real ansible-playbook against pvesim (demo seed: pve1 runs VM 100 with a local disk and
has VM 102 stopped and template 9000; pve2 runs VM 101 and container 200; pve3 runs VM 103)."""

from tests.helpers.playbook import quartet, run_tasks

NODE = 'pve.ops.node'


def _guests(sim, node):
    return sorted((g['vmid'], g['status']) for g in sim.proxmoxer().cluster.resources.get(type='vm')
                  if g['node'] == node and not g.get('template'))


def _online(sim, node):
    return next(n for n in sim.proxmoxer().cluster.status.get() if n.get('name') == node)['online']


def test_settings_quartet(pvesim):
    args = {'node': 'pve2', 'description': 'Rack 4', 'wakeonlan': 'AA:BB:CC:00:11:22', 'startall_onboot_delay': 15,
            'ballooning_target': 70, 'dns': {'dns1': '192.0.2.53'}, 'timezone': 'America/New_York',
            'hosts': '127.0.0.1 localhost\n192.0.2.12 pve2.example.com pve2\n'}
    run = quartet(pvesim, NODE, args)
    assert run.writes['t apply'] == 4, run.results['t apply']  # config, dns, time, hosts
    after = run.results['t apply']['node']
    assert after['wakeonlan'] == 'aa:bb:cc:00:11:22' and after['dns'] == {'search': 'pvesim.lan', 'dns1': '192.0.2.53'}
    assert run.results['t check']['diff']['after'] == run.results['t apply']['diff']['after']
    api = pvesim.proxmoxer().nodes('pve2')
    config = api.config.get()
    assert (config['description'], config['startall-onboot-delay'], config['ballooning-target']) == ('Rack 4', 15, 70)
    assert api.dns.get()['dns1'] == '192.0.2.53' and api.time.get()['timezone'] == 'America/New_York'
    assert api.hosts.get()['data'] == args['hosts']


def test_stopped_quartet_with_force_then_started_quartet_wakes_it(pvesim):
    pvesim.proxmoxer().nodes('pve3').config.put(wakeonlan='aa:bb:cc:00:00:03')
    quartet(pvesim, NODE, {'node': 'pve3', 'state': 'stopped', 'force': True}, name='stop')
    assert _online(pvesim, 'pve3') == 0
    quartet(pvesim, NODE, {'node': 'pve3', 'state': 'started'}, name='start')
    assert _online(pvesim, 'pve3') == 1
    assert _guests(pvesim, 'pve3') == [(103, 'running'), (201, 'stopped')]  # 103 has onboot=1


def test_stopped_with_target_evacuates_first(pvesim):
    quartet(pvesim, NODE, {'node': 'pve1', 'state': 'stopped', 'target': 'pve2', 'with_local_disks': True},
            name='evac')
    assert _guests(pvesim, 'pve1') == []
    assert (100, 'running') in _guests(pvesim, 'pve2')


def test_reboot_refusals_and_evacuation(pvesim):
    tasks = [
        {'name': 'no target', NODE: {'node': 'pve1', 'state': 'restarted'}, 'ignore_errors': True},
        {'name': 'target itself', NODE: {'node': 'pve1', 'state': 'restarted', 'target': 'pve1'},
         'ignore_errors': True},
        {'name': 'unknown node', NODE: {'node': 'pve9', 'state': 'restarted', 'force': True}, 'ignore_errors': True},
        {'name': 'local disk stays', NODE: {'node': 'pve1', 'state': 'restarted', 'target': 'pve3'},
         'ignore_errors': True},
        {'name': 'check', NODE: {'node': 'pve1', 'state': 'restarted', 'target': 'pve3', 'with_local_disks': True},
         'check_mode': True},
        {'name': 'reboot', NODE: {'node': 'pve1', 'state': 'restarted', 'target': 'pve3', 'with_local_disks': True}},
        {'name': 'bad delay', NODE: {'node': 'pve1', 'startall_onboot_delay': 301}, 'ignore_errors': True},
    ]
    run = run_tasks(pvesim, tasks)
    r = run.results
    assert r['no target']['failed'] and 'target' in r['no target']['msg'] and '100' in r['no target']['msg']
    assert r['target itself']['failed'] and 'another node' in r['target itself']['msg']
    assert r['unknown node']['failed'] and 'pve9' in r['unknown node']['msg']
    for name in ('no target', 'target itself', 'unknown node', 'bad delay', 'check'):
        assert run.writes[name] == 0, name
    # PVE's migrate-all would skip the running VM with a local disk: refused before any write.
    assert r['local disk stays']['failed'] and r['local disk stays']['field'] == 'with_local_disks'
    assert '100' in r['local disk stays']['msg'] and run.writes['local disk stays'] == 0
    assert r['check']['changed'] and r['check']['migrated'] == [100, 102]
    assert r['reboot']['changed'] and r['reboot']['migrated'] == [100, 102] and r['reboot']['node']['rebooted']
    assert r['reboot']['tasks'] and run.writes['reboot'] == 2  # migrateall, status reboot
    assert r['bad delay']['failed'] and 'startall_onboot_delay' in r['bad delay']['msg']
    assert _online(pvesim, 'pve1') == 1 and pvesim.proxmoxer().nodes('pve1').status.get()['uptime'] < 60
    assert (100, 'running') in _guests(pvesim, 'pve3')


def test_reboot_waits_for_the_node_and_quorum(pvesim_factory):
    sim = pvesim_factory(time_scale=0.01)
    run = run_tasks(sim, [{'name': 'reboot', NODE: {'node': 'pve3', 'state': 'restarted', 'force': True}}])
    assert run.results['reboot']['changed'] and run.writes['reboot'] == 1
    # The wait saw the node offline (595) at least once before it came back.
    assert _online(sim, 'pve3') == 1
    stats = sim.stats()
    assert stats['by_path'].get('GET /api2/json/cluster/status', 0) >= 3
