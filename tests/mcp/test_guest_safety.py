# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Guest modules and tools on arguments nobody picked, in-process through the runner against the demo seed:
empty lists, PVE-sized drives, templates, lone vmids, names that disagree with the vmid, guests the caller
may not see, wrong types and bad nested values. Request counts come from pvesim."""

import pytest

from pvesim.seeds import DEMO_USERS
from tests.mcp.mcp_support import module_tool, quartet, run

VM, CT, SNAP, CONSOLE = (module_tool(m) for m in ('vm', 'container', 'snapshot', 'console'))
ALICE = dict(user='alice@pve', password=DEMO_USERS['alice@pve'])


def config_of(sim, vmid):
    return sim.call(lambda: dict((sim.pve.vm(vmid) or sim.pve.ct(vmid)).config))


# ------------------------------------------------------------------------------------------- idempotence

def test_empty_lists_mean_no_tags_and_converge(pvesim):
    # 102 carries the tag ci: [] removes it once; after that, and with every empty option, nothing is written.
    first = quartet(pvesim, VM, {'vmid': 102, 'tags': []})
    assert 'tags' in first[0]['diff']['before']['config'] and 'tags' not in first[1]['vm']['config']
    assert 'tags' not in config_of(pvesim, 102)
    everything = {'vmid': 102, 'tags': [], 'nets': [], 'disks': [], 'config': {}, 'ipconfig': {}, 'description': ''}
    for check in (True, False):
        result, writes = run(pvesim, VM, everything, check=check)
        assert result['changed'] is False and writes == 0, result
    quartet(pvesim, CT, {'vmid': 201, 'tags': [], 'nets': [], 'mounts': [], 'config': {}})
    assert 'tags' not in config_of(pvesim, 201)


def test_efidisk_and_tpmstate_are_sized_by_pve_and_never_resized(pvesim):
    disks = [{'slot': 'efidisk0', 'storage': 'local-lvm', 'size': '4M', 'options': {'efitype': '4m'}},
             {'slot': 'tpmstate0', 'storage': 'local-lvm', 'size': '4M', 'options': {'version': 'v2.0'}}]
    results = quartet(pvesim, VM, {'vmid': 102, 'disks': disks, 'config': {'bios': 'ovmf'}})
    made = results[1]['vm']['config']
    assert 'size=528K' in made['efidisk0'] and 'efitype=4m' in made['efidisk0'] and 'size=4M' in made['tpmstate0']
    # Another size asked for later is no resize either.
    result, writes = run(pvesim, VM, {'vmid': 102, 'disks': [dict(disks[0], size='1G')]})
    assert result['changed'] is False and writes == 0


def test_state_template_converts_once_and_reads_back_true(pvesim):
    results = quartet(pvesim, VM, {'vmid': 102, 'state': 'template'})
    assert results[0]['vm']['template'] is True and results[1]['vm']['template'] is True
    assert results[3]['vm']['template'] is True and results[1]['diff']['before']['template'] is False
    assert any(':qmtemplate:102:' in t for t in results[1]['tasks'])
    listed, _ = run(pvesim, module_tool('vm_info'), {'vmid': 102})
    assert listed['vms'][0]['template'] is True
    # template is not a config key: refused before any request, and never reported as a change.
    refused, writes = run(pvesim, VM, {'vmid': 103, 'config': {'template': 1}})
    assert refused['failed'] and refused['field'] == 'config' and 'state: template' in refused['msg'] and writes == 0
    # A running container is shut down first, then converted.
    results = quartet(pvesim, CT, {'vmid': 200, 'state': 'template', 'force': True})
    assert results[1]['container']['template'] is True and results[1]['container']['status'] == 'stopped'
    assert pvesim.call(lambda: pvesim.pve.ct(200).template) is True


# ------------------------------------------------------------------------------------ create, identity

@pytest.mark.parametrize('tool, args', [
    (VM, {'vmid': 9999, 'node': 'pve1', 'state': 'started'}),
    (VM, {'vmid': 9999, 'node': 'pve1', 'cores': 2}),
    (CT, {'vmid': 9999, 'node': 'pve1', 'state': 'started'}),
    ('start_vm', {'vmid': 9999, 'node': 'pve1'}),
    ('start_vm', {'vmid': 9999, 'name': 'typo', 'node': 'pve1'}),
    ('reboot_container', {'vmid': 9999}),
    ('update_vm_config', {'vmid': 9999, 'name': 'new', 'node': 'pve1', 'memory': 512}),
    ('delete_vm', {'name': 'nosuch01', 'confirm': True}),
])
def test_a_missing_guest_is_never_created_by_a_lone_vmid_or_a_power_tool(pvesim, tool, args):
    result, writes = run(pvesim, tool, args)
    if tool == 'delete_vm':
        assert result['changed'] is False and not result.get('failed'), result
    else:
        assert result['failed'] and 'no ' in result['msg'] and '9999' in result['msg'], result
    assert writes == 0 and pvesim.call(lambda: pvesim.pve.guest(9999)) is None


@pytest.mark.parametrize('tool, args', [
    ('create_vm_snapshot', {'vmid': 201, 'snapname': 'x1'}),
    ('delete_vm_snapshot', {'vmid': 201, 'snapname': 'pre', 'confirm': True}),
    ('restore_vm_snapshot', {'vmid': 201, 'snapname': 'pre', 'confirm': True}),
    ('restore_vm_snapshot', {'name': 'cache01', 'snapname': 'pre', 'confirm': True}),
    ('create_container_snapshot', {'vmid': 100, 'snapname': 'x1'}),
    ('restore_container_snapshot', {'vmid': 102, 'snapname': 'pre', 'confirm': True}),
    (SNAP, {'vmid': 102, 'snapname': 'pre', 'state': 'rollback', 'guest_type': 'lxc'}),
])
def test_a_snapshot_tool_acts_on_its_own_kind_of_guest_only(pvesim, tool, args):
    """create_vm_snapshot given a container's vmid (or name) is refused, naming it, and sends nothing: a VM tool
    never snapshots, deletes or rolls back a container's snapshot, nor a container tool a VM's."""
    result, writes = run(pvesim, tool, args)
    field = 'vmid' if 'vmid' in args else 'name'
    assert result['failed'] and str(args[field]) in result['msg'], result
    assert ('not a VM' in result['msg'] or 'not a container' in result['msg'] or 'no VM' in result['msg']), result
    assert writes == 0


@pytest.mark.parametrize('tool, args', [
    (VM, {'vmid': 103, 'name': 'other', 'state': 'restarted'}),
    (VM, {'vmid': 103, 'name': 'other', 'state': 'absent', 'force': True}),
    (VM, {'vmid': 103, 'name': 'other', 'update': False}),
    (CT, {'vmid': 200, 'name': 'other', 'state': 'stopped'}),
    ('start_vm', {'vmid': 102, 'name': 'other'}),
    ('stop_container', {'vmid': 200, 'name': 'other', 'confirm': True}),
    ('migrate_vm', {'vmid': 102, 'name': 'other', 'node': 'pve2'}),
    ('delete_vm', {'vmid': 102, 'name': 'web01', 'confirm': True}),
    ('create_vm_snapshot', {'vmid': 100, 'name': 'db01', 'snapname': 'x1'}),
    ('restore_container_snapshot', {'vmid': 200, 'name': 'cache01', 'snapname': 'x1', 'confirm': True}),
    ('get_vm_console', {'vmid': 100, 'name': 'db01'}),
])
def test_a_name_that_disagrees_with_the_vmid_is_refused_and_never_renames(pvesim, tool, args):
    result, writes = run(pvesim, tool, args)
    assert result['failed'] and result['field'] == 'name' and repr(args['name']) in result['msg'], result
    assert writes == 0


def test_power_tools_act_on_existing_guests_only_and_never_configure(pvesim):
    from tests.mcp.mcp_support import tools
    for name, tool in tools().items():
        if (tool.module.name in ('vm', 'container') and tool.fixed.get('state') != 'present') or 'migrate' in name:
            assert tool.fixed['create'] is False and tool.fixed['update'] is False, name
            assert set(tool.input_schema['properties']) <= {'vmid', 'name', 'node', 'timeout', 'wait', 'force',
                                                            'purge', 'check_mode', 'confirm'}, name
    started, _ = run(pvesim, 'start_vm', {'vmid': 102, 'name': 'build01'})
    assert started['changed'] and started['vm']['status'] == 'running' and started['vm']['name'] == 'build01'
    # migrate_vm moves the VM and leaves its settings alone.
    before = config_of(pvesim, 102)
    moved, _ = run(pvesim, 'migrate_vm', {'vmid': 102, 'node': 'pve2'})
    assert moved['vm']['node'] == 'pve2' and config_of(pvesim, 102) == before


def test_check_mode_of_a_task_on_a_guest_an_earlier_task_creates(pvesim):
    # Check mode created nothing: later tasks report what they would do, with a warning, and write nothing.
    cases = [(VM, {'name': 'later01', 'state': 'started'}, True),
             (VM, {'vmid': 150, 'cores': 2}, True),
             (CT, {'name': 'later02', 'state': 'stopped'}, False),
             ('start_vm', {'vmid': 150}, True),
             (SNAP, {'name': 'later01', 'snapname': 'first'}, True),
             (SNAP, {'vmid': 102, 'snapname': 'never', 'state': 'rollback'}, True),
             (CONSOLE, {'name': 'later01'}, False)]
    for tool, args, changed in cases:
        result, writes = run(pvesim, tool, args, check=True)
        assert not result.get('failed') and result['changed'] is changed, (args, result)
        assert any('check mode' in w for w in result['warnings']) and writes == 0, result
        # Applied, the same task fails as not found (no earlier task made the guest).
        applied, writes = run(pvesim, tool, args)
        assert applied['failed'] and writes == 0, applied


# ------------------------------------------------------------------------------------------- visibility

@pytest.mark.parametrize('tool, args', [
    ('delete_vm', {'vmid': 102, 'confirm': True}),
    ('start_vm', {'vmid': 102}),
    ('create_vm', {'vmid': 102, 'name': 'build01', 'node': 'pve1'}),
    ('start_container', {'vmid': 201}),
    ('create_vm_snapshot', {'vmid': 102, 'snapname': 'x1'}),
    ('get_vm_console', {'vmid': 102}),
])
def test_a_guest_the_caller_may_not_see_is_never_absent(pvesim, tool, args):
    result, writes = run(pvesim, tool, args, check=tool == 'create_vm', **ALICE)
    vmid = args['vmid']
    assert result['failed'] and result['privilege'] == 'VM.Audit' and result['acl_path'] == '/vms/{0}'.format(vmid)
    assert 'exists but alice@pve may not see it' in result['msg'] and writes == 0


def test_by_name_a_caller_who_sees_only_some_guests_is_told_so(pvesim):
    pvesim.proxmoxer().access.acl.put(path='/pool/demo', roles='PVEVMAdmin', users='alice@pve')
    # alice sees the pool's guests: those are found by name; any other name may be a guest she cannot see.
    seen, _ = run(pvesim, 'start_vm', {'name': 'web01'}, **ALICE)
    assert seen['changed'] is False and not seen.get('failed'), seen
    for tool, args in (('create_vm', {'name': 'build01', 'node': 'pve1'}), ('delete_vm', {'name': 'x', 'confirm': True})):
        result, writes = run(pvesim, tool, args, **ALICE)
        assert result['failed'] and result['privilege'] == 'VM.Audit' and result['acl_path'] == '/vms', result
        assert 'may not see every guest' in result['msg'] and 'give vmid' in result['msg'] and writes == 0
    # bob audits everything (/): for him a name that is not listed is no guest.
    result, _ = run(pvesim, 'start_vm', {'name': 'nosuch01'}, user='bob@pve', password=DEMO_USERS['bob@pve'])
    assert result['failed'] and 'privilege' not in result and 'no VM with name' in result['msg']


# ----------------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize('tool, args, option', [
    (CT, {'vmid': 201, 'rootfs': 3.14}, 'rootfs'),
    (CT, {'vmid': 201, 'rootfs': [1]}, 'rootfs'),
    (CT, {'vmid': 201, 'nets': [7]}, 'nets'),
    (CT, {'vmid': 201, 'mounts': True}, 'mounts'),
    (VM, {'vmid': 102, 'disks': [2.5]}, 'disks'),
    (VM, {'vmid': 102, 'nets': {'bridge': 'vmbr0'}}, 'nets'),
    (VM, {'vmid': 102, 'config': [1]}, 'config'),
    (VM, {'vmid': 102, 'ipconfig': 3.14}, 'ipconfig'),
    (VM, {'vmid': 102, 'disks': [{'slot': 'scsi0', 'options': 5}]}, 'options'),
])
def test_a_wrong_type_names_the_option(pvesim, tool, args, option):
    result, writes = run(pvesim, tool, args)
    assert result['failed'] and option in result['msg'] and 'TypeError' not in result['msg'], result
    assert writes == 0


@pytest.mark.parametrize('tool, args, field', [
    (VM, {'vmid': 42, 'name': 'x', 'node': 'pve1'}, 'vmid'),
    (VM, {'vmid': 102, 'disks': [{'slot': 'scsi0', 'size': '0'}]}, 'disks'),
    (VM, {'vmid': 102, 'nets': [{'bridge': 'vmbr0,firewall=0'}]}, 'nets'),
    (CT, {'vmid': 201, 'nets': [{'index': 0, 'bridge': 'vmbr0', 'tag': 5000}]}, 'nets'),
    (CT, {'vmid': 201, 'rootfs': {'size': '8G', 'options': {'mountoptions': 'noatime,ro=1'}}}, 'rootfs'),
    (SNAP, {'vmid': 1, 'snapname': 'x1'}, 'vmid'),
])
def test_bad_nested_values_are_refused_before_any_request(pvesim, tool, args, field):
    pvesim.reset_stats()
    result, writes = run(pvesim, tool, args)
    assert result['failed'] and result['field'] == field, result
    assert pvesim.stats()['requests'] == 0
