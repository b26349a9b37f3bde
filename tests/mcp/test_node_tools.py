# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The node tools (reboot_node, shutdown_node, update_node_config, set_node_repository): through the SDK's in-memory client and the
in-process runner, with their effect read back from pvesim."""

from tests.mcp.mcp_support import adapter, call, quartet, run, tools, writes

TOOLS = tools()


def _online(sim, node):
    return next(n for n in sim.proxmoxer().cluster.status.get() if n.get('name') == node)['online']


def test_the_power_tools_are_destructive_and_offer_only_power_options():
    for name in ('reboot_node', 'shutdown_node'):
        tool = TOOLS[name]
        assert tool.destructive
        assert set(tool.input_schema['properties']) <= {'node', 'target', 'force', 'with_local_disks', 'max_workers',
                                                        'wait', 'timeout', 'confirm', 'check_mode'}
    assert not TOOLS['update_node_config'].destructive
    assert 'state' not in TOOLS['update_node_config'].input_schema['properties']


def test_reboot_node_needs_confirmation_then_evacuates_and_reboots(pvesim):
    refused = call(adapter(pvesim), 'reboot_node', {'node_name': 'pve3', 'target': 'pve2'})
    assert refused.is_error and writes(pvesim) == 0
    result = call(adapter(pvesim), 'reboot_node', {'node_name': 'pve3', 'target': 'pve2', 'with_local_disks': True,
                                                       'confirm': True})
    assert not result.is_error, result
    data = result.structured_content
    assert data['changed'] and data['migrated'] == [103, 201] and data['node']['rebooted']
    assert _online(pvesim, 'pve3') == 1
    guests = dict((g['vmid'], g['node']) for g in pvesim.proxmoxer().cluster.resources.get(type='vm'))
    assert guests[103] == 'pve2' and guests[201] == 'pve2'


def test_shutdown_node_refuses_stranded_guests(pvesim):
    result, wrote = run(pvesim, 'shutdown_node', {'node': 'pve2'})
    assert result['failed'] and result['field'] == 'target' and wrote == 0
    assert _online(pvesim, 'pve2') == 1
    quartet(pvesim, 'shutdown_node', {'node': 'pve2', 'force': True})
    assert _online(pvesim, 'pve2') == 0


def test_update_node_config_quartet_and_the_seeds_config_object(pvesim):
    quartet(pvesim, 'update_node_config', {'node': 'pve2', 'ballooning_target': 65})
    assert pvesim.proxmoxer().nodes('pve2').config.get()['ballooning-target'] == 65
    args = {'node_name': 'pve1', 'config': {'description': 'GPU node', 'startall-onboot-delay': 30,
                                            'timezone': 'UTC'}}
    result = call(adapter(pvesim), 'update_node_config', args)
    assert not result.is_error and result.structured_content['node']['description'] == 'GPU node', result
    config = pvesim.proxmoxer().nodes('pve1').config.get()
    assert config['description'] == 'GPU node' and config['startall-onboot-delay'] == 30
    assert pvesim.proxmoxer().nodes('pve1').time.get()['timezone'] == 'UTC'
    before = writes(pvesim)
    again = call(adapter(pvesim), 'update_node_config', args)
    assert again.structured_content['changed'] is False and writes(pvesim) == before
    bad = call(adapter(pvesim), 'update_node_config', {'node_name': 'pve1', 'config': {'acme': 'x'}})
    assert bad.is_error and 'acme' in bad.content[0].text and writes(pvesim) == before


def test_set_node_repository_quartet_and_disabling(pvesim):
    def status(handle):
        listed = pvesim.proxmoxer().nodes('pve3').apt.repositories.get()['standard-repos']
        return next(r.get('status') for r in listed if r['handle'] == handle)
    assert not TOOLS['set_node_repository'].destructive and not TOOLS['set_node_repository'].read_only
    results = quartet(pvesim, 'set_node_repository', {'node': 'pve3', 'handle': 'ceph-squid-no-subscription'})
    assert results[1]['repository']['enabled'] is True and status('ceph-squid-no-subscription') == 1
    off = call(adapter(pvesim), 'set_node_repository', {'node': 'pve3', 'handle': 'no-subscription', 'state': 'absent'})
    assert not off.is_error and off.structured_content['changed'], off
    assert status('no-subscription') == 0


def test_apply_node_updates_takes_ssh_from_the_environment_and_needs_confirmation(pvesim, monkeypatch):
    endpoint = pvesim.call(lambda: dict(pvesim.pve.ssh_endpoints['pve2']))
    tool = TOOLS['apply_node_updates']
    assert tool.destructive and not any(k.startswith('ssh_') for k in tool.input_schema['properties'])
    monkeypatch.setenv('PVEOPS_SSH_HOST', endpoint['host'])
    monkeypatch.setenv('PVEOPS_SSH_PORT', str(endpoint['port']))
    monkeypatch.setenv('PVEOPS_SSH_PASSWORD', pvesim.root_password)
    monkeypatch.setenv('PVEOPS_SSH_HOST_KEY_FINGERPRINT', endpoint['fingerprint'])
    refused = call(adapter(pvesim), 'apply_node_updates', {'node_name': 'pve2'})
    assert refused.is_error and len(pvesim.proxmoxer().nodes('pve2').apt.update.get()) == 2
    result = call(adapter(pvesim), 'apply_node_updates', {'node_name': 'pve2', 'confirm': True})
    assert not result.is_error, result
    data = result.structured_content
    assert [u['package'] for u in data['upgraded']] == ['pve-manager', 'tzdata'] and data['reboot_required'] is False
    assert pvesim.root_password not in str(data)
    assert pvesim.proxmoxer().nodes('pve2').apt.update.get() == []


def test_upload_backup_takes_the_seed_names_and_its_archive_restores(pvesim, monkeypatch, tmp_path):
    from pvesim.archives import vma_bytes
    endpoint = pvesim.call(lambda: dict(pvesim.pve.ssh_endpoints['pve1']))
    tool = TOOLS['upload_backup']
    assert not tool.destructive and not any(k.startswith('ssh_') or k == 'force' for k in tool.input_schema['properties'])
    for name, value in (('HOST', endpoint['host']), ('PORT', str(endpoint['port'])),
                        ('PASSWORD', pvesim.root_password), ('HOST_KEY_FINGERPRINT', endpoint['fingerprint'])):
        monkeypatch.setenv('PVEOPS_SSH_' + name, value)
    name = 'vzdump-qemu-4102-2026_11_22-05_00_00.vma'
    src = tmp_path / 'archive.vma'
    src.write_bytes(vma_bytes('cores: 1\nmemory: 768\nname: from-mcp\n'))
    args = {'node_name': 'pve1', 'storage': 'backup-nfs', 'file_path': str(src), 'backup_id': name}
    dry = call(adapter(pvesim), 'upload_backup', dict(args, check_mode=True))
    assert not dry.is_error and dry.structured_content['changed'] is True, dry
    result = call(adapter(pvesim), 'upload_backup', args)
    assert not result.is_error, result
    volid = result.structured_content['volid']
    assert volid == 'backup-nfs:backup/' + name and pvesim.root_password not in str(result.structured_content)
    before = writes(pvesim)
    again = call(adapter(pvesim), 'upload_backup', args)
    assert again.structured_content['changed'] is False and writes(pvesim) == before
    restored = call(adapter(pvesim), 'restore_vm_backup', {'backup_id': volid, 'node_name': 'pve1', 'vmid': 4102})
    assert not restored.is_error, restored
    assert pvesim.proxmoxer().nodes('pve1').qemu(4102).config.get()['name'] == 'from-mcp'
