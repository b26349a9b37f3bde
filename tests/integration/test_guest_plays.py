# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Guest tasks that depend on each other, through real ansible-playbook: a --check run of a play that
creates a VM and then snapshots, starts, reconfigures and opens a console on it reports what would happen
(with warnings) and writes nothing; the cloudinit_vm role with its default variables converges on its
second run with zero writes."""

from tests.helpers.playbook import run_tasks

PLAY = [
    {'name': 'create', 'pve.ops.vm': {'name': 'later01', 'node': 'pve1', 'memory': 1024,
                                      'disks': [{'slot': 'scsi0', 'storage': 'local-lvm', 'size': '4G'}]}},
    {'name': 'snapshot', 'pve.ops.snapshot': {'name': 'later01', 'snapname': 'first'}},
    {'name': 'start', 'pve.ops.vm': {'name': 'later01', 'state': 'started'}},
    {'name': 'configure', 'pve.ops.vm': {'name': 'later01', 'cores': 2}},
    {'name': 'console', 'pve.ops.console': {'name': 'later01'}},
]


def test_check_mode_of_a_play_that_creates_a_vm_and_then_uses_it(pvesim):
    dry = run_tasks(pvesim, PLAY, check=True)
    assert dry.rc == 0, dry
    assert [dry.results[t['name']]['changed'] for t in PLAY] == [True, True, True, True, False]
    assert sum(dry.writes.values()) == 0
    for name in ('snapshot', 'start', 'configure', 'console'):
        assert any('check mode' in w for w in dry.results[name]['warnings']), dry.results[name]


def test_cloudinit_vm_role_with_its_defaults_converges(pvesim):
    role = {'ansible.builtin.include_role': {'name': 'pve.ops.cloudinit_vm'},
            'vars': {'cloudinit_vm_name': 'ci01', 'cloudinit_vm_node': 'pve1'}}
    run = run_tasks(pvesim, [dict(role, name='first'), dict(role, name='second')])
    assert run.rc == 0, run
    provision = [r for r in run.records if r['task'] == 'Provision the VM from the cloud-init template']
    assert [r['status'] for r in provision] == ['changed', 'ok'], provision
    assert provision[1]['writes'] == 0 and 'tags' not in provision[1]['result']['vm']['config']


def test_cloudinit_vm_role_sizes_the_disk_and_sets_network_and_dns(pvesim):
    role = {'ansible.builtin.include_role': {'name': 'pve.ops.cloudinit_vm'},
            'vars': {'cloudinit_vm_name': 'ci02', 'cloudinit_vm_node': 'pve1', 'cloudinit_vm_disk_size': '10G',
                     'cloudinit_vm_bridge': 'vmbr0', 'cloudinit_vm_vlan': 20,
                     'cloudinit_vm_nameserver': '192.0.2.53', 'cloudinit_vm_searchdomain': 'example.com',
                     'cloudinit_vm_ipconfig0': 'ip=192.0.2.50/24,gw=192.0.2.1'}}
    run = run_tasks(pvesim, [dict(role, name='first'), dict(role, name='second')])
    assert run.rc == 0, run
    provision = [r for r in run.records if r['task'] == 'Provision the VM from the cloud-init template']
    assert [r['status'] for r in provision] == ['changed', 'ok'], provision
    assert provision[1]['writes'] == 0
    config = provision[1]['result']['vm']['config']
    assert 'size=10G' in config['scsi0'], config['scsi0']
    assert 'bridge=vmbr0' in config['net0'] and 'tag=20' in config['net0'], config['net0']
    assert config['nameserver'] == '192.0.2.53' and config['searchdomain'] == 'example.com'
    assert config['ipconfig0'] == 'ip=192.0.2.50/24,gw=192.0.2.1'


def test_cloudinit_vm_role_waits_for_the_guest_agent_and_hands_back_its_address(pvesim_factory):
    sim = pvesim_factory(seed='demo', time_scale=0.01)
    image = sim.pve.storages['local-lvm']['volumes']['base-9000-disk-0']['image']
    sim.call(image.update, {'boot_secs': 600})  # the clone's agent answers 6 s after the start: read more than once
    role = {'ansible.builtin.include_role': {'name': 'pve.ops.cloudinit_vm'},
            'vars': {'cloudinit_vm_name': 'ci03', 'cloudinit_vm_node': 'pve1', 'cloudinit_vm_wait_for_agent': True,
                     'cloudinit_vm_agent_delay': 2, 'cloudinit_vm_agent_timeout': 60,
                     'cloudinit_vm_ipconfig0': 'ip=192.0.2.60/24,gw=192.0.2.1'}}
    run = run_tasks(sim, [dict(role, name='first')])
    assert run.rc == 0, run
    handed = [r for r in run.records if r['task'] == "Hand back the address the guest agent reported"]
    assert handed and handed[0]['result']['ansible_facts']['cloudinit_vm_address'] == '192.0.2.60', run.records
    waited = [r for r in run.records if r['task'] == "Wait for the guest agent to report the VM's address"]
    assert waited[0]['result']['attempts'] >= 2, waited  # the agent was not up at the first read


def test_backup_policy_role_checks_that_the_latest_backup_restores(pvesim):
    role = {'ansible.builtin.include_role': {'name': 'pve.ops.backup_policy'},
            'vars': {'backup_policy_pool': 'demo', 'backup_policy_storage': 'backup-nfs',
                     'backup_policy_restore_check': True, 'backup_policy_restore_source': 100,
                     'backup_policy_restore_vmid': 990, 'backup_policy_restore_node': 'pve1'}}
    run = run_tasks(pvesim, [dict(role, name='policy')])
    assert run.rc == 0, run
    restored = [r for r in run.records if r['task'].startswith('Restore the latest backup')]
    removed = [r for r in run.records if r['task'] == 'Remove the scratch VM']
    assert [r['status'] for r in restored] == ['changed'] and [r['status'] for r in removed] == ['changed'], \
        run.records
    # The scratch guest is gone again, and the job is there.
    assert 990 not in [g['vmid'] for g in pvesim.proxmoxer().cluster.resources.get(type='vm')]
    assert 'nightly-demo' in [j['id'] for j in pvesim.proxmoxer().cluster.backup.get()]


def test_backup_policy_restore_check_never_overwrites_a_guest(pvesim):
    role = {'ansible.builtin.include_role': {'name': 'pve.ops.backup_policy'},
            'vars': {'backup_policy_pool': 'demo', 'backup_policy_storage': 'backup-nfs',
                     'backup_policy_restore_check': True, 'backup_policy_restore_source': 100,
                     'backup_policy_restore_vmid': 102, 'backup_policy_restore_node': 'pve1'}}
    before = pvesim.proxmoxer().nodes('pve1').qemu(102).config.get()
    run = run_tasks(pvesim, [dict(role, name='policy')])
    assert run.rc != 0
    failed = [r for r in run.records if r['status'] == 'failed']
    assert [r['task'] for r in failed] == ['Restore the latest backup into the scratch vmid (not started; fails when '
                                           'the vmid is taken)'], run.records
    assert '102' in failed[0]['result']['msg'], failed[0]['result']
    assert pvesim.proxmoxer().nodes('pve1').qemu(102).config.get() == before
