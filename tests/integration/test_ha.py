# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.ha_resource and pve.ops.ha_info through real ansible-playbook against pvesim (demo seed: VM 102
build01 stopped on pve1, VM 100 web01 running, container 200 running)."""

from tests.helpers.playbook import quartet, run_tasks


def test_present_quartet_by_name_starts_the_guest(pvesim):
    run = quartet(pvesim, 'pve.ops.ha_resource', {'name': 'build01', 'max_restart': 2, 'comment': 'CI'})
    want = {'sid': 'vm:102', 'state': 'started', 'max_restart': 2, 'max_relocate': 1, 'comment': 'CI'}
    assert run.results['t apply']['diff'] == {'before': {}, 'after': want}
    assert run.results['t check']['ha_resource']['vmid'] == 102 and run.writes['t apply'] == 1
    entry = pvesim.proxmoxer().cluster.ha.resources('vm:102').get()
    assert entry['max_restart'] == 2 and entry['comment'] == 'CI' and entry['state'] == 'started'
    # the HA manager starts the stopped guest
    assert pvesim.proxmoxer().nodes('pve1').qemu(102).status.current.get()['status'] == 'running'


def test_ha_state_change_quartet(pvesim):
    pvesim.proxmoxer().cluster.ha.resources.post(sid='ct:200', comment='proxy')
    run = quartet(pvesim, 'pve.ops.ha_resource', {'sid': '200', 'ha_state': 'stopped', 'comment': ''})
    assert run.results['t apply']['diff'] == {
        'before': {'sid': 'ct:200', 'state': 'started', 'max_restart': 1, 'max_relocate': 1, 'comment': 'proxy'},
        'after': {'sid': 'ct:200', 'state': 'stopped', 'max_restart': 1, 'max_relocate': 1, 'comment': ''}}
    entry = pvesim.proxmoxer().cluster.ha.resources('ct:200').get()
    assert entry['state'] == 'stopped' and 'comment' not in entry
    assert pvesim.proxmoxer().nodes('pve2').lxc(200).status.current.get()['status'] == 'stopped'


def test_absent_quartet_leaves_the_guest_and_info(pvesim):
    api = pvesim.proxmoxer()
    api.cluster.ha.resources.post(sid='vm:100', max_relocate=3)
    api.cluster.ha.resources.post(sid='vm:103', state='ignored')
    quartet(pvesim, 'pve.ops.ha_resource', {'vmid': 100, 'state': 'absent'})
    assert [e['sid'] for e in api.cluster.ha.resources.get()] == ['vm:103']
    assert api.nodes('pve1').qemu(100).status.current.get()['status'] == 'running'
    run = run_tasks(pvesim, [
        {'name': 'info', 'pve.ops.ha_info': {}},
        {'name': 'manager', 'pve.ops.ha_info': {'gather': ['manager'], 'resource_type': 'ct'}},
        {'name': 'bad sid', 'pve.ops.ha_resource': {'sid': 'qemu/100'}, 'ignore_errors': True},
        {'name': 'no guest', 'pve.ops.ha_resource': {'name': 'nosuch'}, 'ignore_errors': True},
        {'name': 'wrong type', 'pve.ops.ha_resource': {'sid': 'vm:200'}, 'ignore_errors': True},
    ])
    assert run.rc == 0, run
    info = run.results['info']
    assert info['resources'] == [{'sid': 'vm:103', 'type': 'vm', 'vmid': 103, 'state': 'ignored', 'max_restart': 1,
                                  'max_relocate': 1, 'comment': ''}]
    assert info['quorate'] is True and info['master_node'] == 'pve1'
    assert [e['id'] for e in info['status']][:2] == ['quorum', 'master'] and run.requests['info'] == 3
    assert set(run.results['manager']) >= {'manager', 'changed'} and 'resources' not in run.results['manager']
    assert 'manager_status' in run.results['manager']['manager']
    for name, field in (('bad sid', 'sid'), ('no guest', 'name'), ('wrong type', 'sid')):
        assert run.results[name]['failed'] and run.results[name]['field'] == field, run.results[name]
        assert run.writes[name] == 0
