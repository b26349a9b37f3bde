# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.task (state stopped) through real ansible-playbook against pvesim, with tasks that take their time."""

from tests.helpers.playbook import quartet, run_tasks


def slow_sim(pvesim_factory):
    """The demo seed where a start of VM 102 (pve1) and a backup take 600 PVE seconds (30 real ones)."""
    sim = pvesim_factory(seed='demo', time_scale=0.05)
    sim.call(lambda: setattr(sim.pve.vm(102), 'start_secs', 600))
    sim.call(lambda: setattr(sim.pve, 'vzdump_secs', 600))
    return sim


def test_stop_quartet(pvesim_factory):
    sim = slow_sim(pvesim_factory)
    px = sim.proxmoxer()
    upid = px.nodes('pve1').qemu(102).status.start.post()
    assert px.nodes('pve1').tasks(upid).status.get()['status'] == 'running'
    run = quartet(sim, 'pve.ops.task', {'upid': upid, 'state': 'stopped', 'timeout': 10})
    check, apply, idem = run.results['t check'], run.results['t apply'], run.results['t idem']
    assert check['diff'] == {'before': {'status': 'running'}, 'after': {'status': 'stopped'}}
    assert apply['diff'] == {'before': {'status': 'running'},
                             'after': {'status': 'stopped', 'exitstatus': 'received interrupt'}}
    assert apply['task']['upid'] == upid and apply['task']['exitstatus'] == 'received interrupt'
    assert run.writes['t apply'] == 1  # DELETE /nodes/pve1/tasks/{upid}
    assert idem['task']['status'] == 'stopped' and idem['diff']['before'] == idem['diff']['after']
    assert px.nodes('pve1').qemu(102).status.current.get()['status'] == 'stopped'
    log = [line['t'] for line in px.nodes('pve1').tasks(upid).log.get()]
    assert log[-1] == 'TASK ERROR: received interrupt'


def test_stop_backup_without_wait_and_errors(pvesim_factory):
    sim = slow_sim(pvesim_factory)
    px = sim.proxmoxer()
    upid = px.nodes('pve1').vzdump.post(vmid='100', storage='backup-nfs')
    other_node = upid.replace('UPID:pve1:', 'UPID:pve2:')
    run = run_tasks(sim, [
        {'name': 'stop', 'pve.ops.task': {'upid': upid, 'wait': False}},
        {'name': 'bad', 'pve.ops.task': {'upid': 'not-a-upid'}, 'ignore_errors': True},
        {'name': 'unknown', 'pve.ops.task': {'upid': other_node}, 'ignore_errors': True},
    ])
    assert run.rc == 0, run
    assert run.results['stop']['changed'] is True and run.writes['stop'] == 1
    for name in ('bad', 'unknown'):
        assert run.results[name].get('failed') and run.results[name]['msg'].startswith('upid: '), run
        assert run.writes[name] == 0
    assert 'no such task' in run.results['unknown']['msg']
    status = px.nodes('pve1').tasks(upid).status.get()
    assert status['exitstatus'] == 'interrupted by signal'
    assert 'lock' not in px.nodes('pve1').qemu(100).config.get()
