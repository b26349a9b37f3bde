# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vm_info and container_info page inside the module (limit, offset, fields) through real ansible-playbook: the
pages cover the list once, say the total, read details only for the guests of the page, and refuse what they
cannot honour."""

import pytest

from tests.helpers.playbook import run_tasks

LIVE = ('uptime', 'cpu', 'mem', 'memhost', 'netin', 'netout', 'diskread', 'diskwrite')


def _steady(vm):
    return dict((k, v) for k, v in vm.items() if k not in LIVE)


@pytest.fixture
def large(pvesim_factory):
    return pvesim_factory(seed='large:2:60')


def test_pages_through_a_playbook(large):
    vmids = sorted(g['vmid'] for g in large.proxmoxer().cluster.resources.get(type='vm') if g['type'] == 'qemu')
    cts = sorted(g['vmid'] for g in large.proxmoxer().cluster.resources.get(type='vm') if g['type'] == 'lxc')
    assert len(vmids) > 20 and len(cts) > 5
    run = run_tasks(large, [
        {'name': 'all', 'pve.ops.vm_info': {}},
        {'name': 'first', 'pve.ops.vm_info': {'limit': 10}},
        {'name': 'second', 'pve.ops.vm_info': {'limit': 10, 'offset': 10, 'fields': ['vmid', 'name', 'config'],
                                               'gather': ['config', 'snapshots']}},
        {'name': 'past the end', 'pve.ops.vm_info': {'offset': len(vmids) + 5}},
        {'name': 'config left out', 'pve.ops.vm_info': {'limit': 5, 'fields': ['vmid'], 'gather': ['config']}},
        {'name': 'containers', 'pve.ops.container_info': {'limit': 3, 'offset': 2, 'fields': ['vmid', 'tags']}},
        {'name': 'unknown field', 'pve.ops.vm_info': {'fields': ['vmid', 'bogus']}, 'ignore_errors': True},
        {'name': 'limit 0', 'pve.ops.vm_info': {'limit': 0}, 'ignore_errors': True},
        {'name': 'offset -1', 'pve.ops.container_info': {'offset': -1}, 'ignore_errors': True},
    ])
    every, first, second = run.results['all'], run.results['first'], run.results['second']
    # Without limit: every VM, said so.
    assert [vm['vmid'] for vm in every['vms']] == vmids
    assert every['page'] == dict(total=len(vmids), offset=0, limit=None, returned=len(vmids), more=False)
    assert first['page'] == dict(total=len(vmids), offset=0, limit=10, returned=10, more=True, next_offset=10)
    # the same guests, as listed (the live counters, such as uptime, move between two tasks)
    assert [_steady(vm) for vm in first['vms']] == [_steady(vm) for vm in every['vms'][:10]]
    assert [vm['vmid'] for vm in second['vms']] == vmids[10:20] and second['page']['next_offset'] == 20
    # fields keep those keys; a detail fields leaves out (snapshots) is not read
    assert all(set(vm) == {'vmid', 'name', 'config'} and vm['config'] for vm in second['vms'])
    assert run.results['past the end']['vms'] == [] and run.results['past the end']['page']['more'] is False
    assert all(set(vm) == {'vmid'} for vm in run.results['config left out']['vms'])
    containers = run.results['containers']
    assert [ct['vmid'] for ct in containers['containers']] == cts[2:5]
    assert all(isinstance(ct['tags'], list) and set(ct) == {'vmid', 'tags'} for ct in containers['containers'])
    assert containers['page']['total'] == len(cts) and containers['page']['more'] is True
    # A login and one resource listing each; the config of the 10 guests of the page only, no snapshot read, no
    # config read for a page whose fields leave config out.
    assert run.requests['second'] == 2 + 10 and run.requests['config left out'] == 2
    assert run.requests['first'] == 2
    assert 'fields: no item has bogus (the items have: ' in run.results['unknown field']['msg']
    assert run.requests['unknown field'] == 2
    for name, option in (('limit 0', 'limit'), ('offset -1', 'offset')):
        assert run.results[name]['failed'] and option in run.results[name]['msg'], run.results[name]
        assert run.requests[name] == 0, name
