# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every catalogue tool, called through the SDK client in memory against a fresh demo simulator."""

import os
import tempfile

import pytest

from pvesim.archives import vma_bytes
from tests.mcp.mcp_support import adapter, call, tools, writes

CT = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst'


def a_task(sim):
    """A finished task of the simulator (starting VM 102), for the task tools."""
    api = sim.proxmoxer()
    return api.nodes('pve1').qemu(102).status.start.post()


def a_running_task(sim):
    """A start of VM 102 that takes 600 PVE seconds (the simulator's clock set to 0.05 real s per PVE s)."""
    sim.call(lambda: setattr(sim.pve, 'time_scale', 0.05))
    sim.call(lambda: setattr(sim.pve.vm(102), 'start_secs', 600))
    return {'upid': sim.proxmoxer().nodes('pve1').qemu(102).status.start.post(), 'confirm': True}


def a_backup(sim, vmid=100, node='pve1'):
    """A fresh vzdump backup of a guest on backup-nfs; returns its volid."""
    api = sim.proxmoxer()
    api.nodes(node).vzdump.post(vmid=vmid, storage='backup-nfs', mode='snapshot')
    volumes = api.nodes(node).storage('backup-nfs').content.get(content='backup', vmid=vmid)
    return sorted(v['volid'] for v in volumes)[-1]


def an_archive(sim):
    """A real vzdump archive (a VMA header with its config) in a temporary directory, for upload_backup."""
    folder = tempfile.mkdtemp(prefix='pveops-archive-')
    path = os.path.join(folder, 'vzdump-qemu-4101-2026_11_20-03_00_00.vma')
    with open(path, 'wb') as out:
        out.write(vma_bytes('cores: 1\nmemory: 512\nname: imported\n'))
    return {'node': 'pve1', 'storage': 'backup-nfs', 'src': path}


def create_job(sim):
    sim.proxmoxer().cluster.backup.post(id='nightly', schedule='02:00', storage='backup-nfs', vmid='100,101')
    return {'id': 'nightly'}


def with_group(sim):
    sim.proxmoxer().access.groups.post(groupid='ops', comment='Operators')
    return {'groupid': 'ops', 'confirm': True}


def with_role(sim):
    sim.proxmoxer().access.roles.post(roleid='Ops', privs='VM.Audit')
    return {'roleid': 'Ops', 'confirm': True}


def with_realm(sim):
    sim.proxmoxer().access.domains.post(realm='corp', type='ldap', server1='ldap.example.com',
                                        base_dn='dc=example,dc=com', user_attr='uid')
    return {'realm': 'corp', 'type': 'ldap', 'confirm': True}


def with_fw_rule(sim):
    sim.proxmoxer().cluster.firewall.rules.post(type='in', action='DROP', proto='tcp', dport='23', comment='telnet')
    return {'comment': 'telnet', 'confirm': True}


def with_security_group(sim):
    api = sim.proxmoxer()
    api.cluster.firewall.groups.post(group='legacy')
    api.cluster.firewall.groups('legacy').post(type='in', action='ACCEPT', macro='FTP')
    return {'name': 'legacy', 'confirm': True}


def a_standalone_node(sim, name='pve4'):
    """A node outside the demo cluster, on its own listener (pvesim.cluster_join): the arguments that join it."""
    sim.pve.standalone[name] = {'guests': []}
    endpoint = sim.call(sim.pve.start_standalone, name)
    return {'node': name, 'node_api_host': endpoint['host'], 'node_api_port': endpoint['port'],
            'node_password': sim.root_password}


def joined_node(sim):
    """pve4 joined to the demo cluster (online, no guests), for the removal."""
    args = a_standalone_node(sim)
    joiner = sim.proxmoxer(port=args['node_api_port'])
    info = sim.proxmoxer().cluster.config.join.get()
    joiner.cluster.config.join.post(hostname='192.0.2.11', fingerprint=info['nodelist'][0]['pve_fp'],
                                    password=sim.root_password)
    return {'node': 'pve4', 'force': True, 'confirm': True}


# Valid arguments for each tool on the demo seed (a callable prepares the simulator and returns them).
def _zfs_guest(sim):
    """A ZFS pool on pve1 and pve2 and VM 150 on it (no seeded storage can replicate)."""
    api = sim.proxmoxer()
    api.storage.post(storage='tank', type='zfspool', pool='rpool/data', content='images', nodes='pve1,pve2')
    api.nodes('pve1').qemu.post(vmid=150, name='zvm', scsi0='tank:4', memory=512)


EXAMPLES = {
    'get_cluster_status': {},
    'get_cluster_nodes_status': {},
    'get_cluster_resources': {'resource_type': 'vm'},
    'get_cluster_version': {},
    'get_cluster_config': {},
    'get_alerts': {'storage_threshold': 90, 'task_hours': 12},
    'get_cluster_stats': {'timeframe': 'day', 'cf': 'MAX'},
    'add_node_to_cluster': lambda sim: dict(a_standalone_node(sim), name='demo-cluster', links=['192.0.2.44'],
                                            confirm=True),
    'remove_node_from_cluster': joined_node,
    'set_cluster_options': {'migration': {'type': 'insecure', 'network': '10.10.10.0/24'}, 'keyboard': 'de'},
    'get_nodes': {},
    'get_node_status': {'node': 'pve1'},
    'get_node_dns': {'node': 'pve2'},
    'get_node_info': {'node': 'pve3'},
    'get_node_stats': {'node': 'pve1', 'timeframe': 'day', 'cf': 'MAX'},
    'get_node_network': {'node': 'pve2'},
    'get_node_network_config': {'node': 'pve2'},
    'get_vlan_config': {'node': 'pve2'},
    'update_network_interface': {'node': 'pve2', 'iface': 'vmbr1', 'type': 'bridge', 'bridge_ports': ['eno2']},
    'delete_network_interface': lambda sim: dict(sim.proxmoxer().nodes('pve2').network.post(iface='vmbr1', type='bridge')
                                                 or {'node': 'pve2', 'iface': 'vmbr1', 'confirm': True}),
    'create_vlan': {'node': 'pve2', 'vlan_id': 30, 'vlan_raw_device': 'eno1', 'cidr': '10.30.0.2/24'},
    'delete_vlan': lambda sim: dict(sim.proxmoxer().nodes('pve2').network.post(iface='eno1.30', type='vlan')
                                    or {'node': 'pve2', 'vlan_id': 30, 'vlan_raw_device': 'eno1', 'confirm': True}),
    'revert_network_changes': lambda sim: dict(sim.proxmoxer().nodes('pve2').network.post(iface='vmbr1', type='bridge')
                                               or {'node': 'pve2', 'confirm': True}),
    'set_firewall_alias': {'alias': 'office', 'cidr': '192.0.2.0/24'},
    'delete_firewall_alias': lambda sim: dict(sim.proxmoxer().cluster.firewall.aliases.post(name='office', cidr='192.0.2.0/24')
                                              or {'alias': 'office', 'confirm': True}),
    'set_firewall_ipset': {'ipset': 'mon', 'entries': [{'cidr': '192.0.2.10'}]},
    'set_sdn_zone': {'zone': 'lab', 'type': 'vlan', 'bridge': 'vmbr0'},
    'delete_sdn_zone': lambda sim: dict(sim.proxmoxer().cluster.sdn.zones.post(zone='lab', type='simple')
                                        or {'zone': 'lab', 'confirm': True}),
    'set_sdn_vnet': lambda sim: dict(sim.proxmoxer().cluster.sdn.zones.post(zone='lab', type='vlan', bridge='vmbr0')
                                     or {'vnet': 'web', 'zone': 'lab', 'tag': 20}),
    'delete_sdn_vnet': lambda sim: dict(sim.proxmoxer().cluster.sdn.zones.post(zone='lab', type='simple')
                                        or sim.proxmoxer().cluster.sdn.vnets.post(vnet='web', zone='lab')
                                        or {'vnet': 'web', 'confirm': True}),
    'set_sdn_subnet': lambda sim: dict(sim.proxmoxer().cluster.sdn.zones.post(zone='lab', type='simple')
                                       or sim.proxmoxer().cluster.sdn.vnets.post(vnet='web', zone='lab')
                                       or {'vnet': 'web', 'subnet': '10.20.0.0/24', 'gateway': '10.20.0.1',
                                           'dhcp_range': [{'start': '10.20.0.100', 'end': '10.20.0.199'}]}),
    'delete_sdn_subnet': lambda sim: dict(sim.proxmoxer().cluster.sdn.zones.post(zone='lab', type='simple')
                                          or sim.proxmoxer().cluster.sdn.vnets.post(vnet='web', zone='lab')
                                          or sim.proxmoxer().cluster.sdn.vnets('web').subnets.post(
                                              subnet='10.20.0.0/24', type='subnet')
                                          or {'vnet': 'web', 'subnet': '10.20.0.0/24', 'confirm': True}),
    'apply_sdn': lambda sim: dict(sim.proxmoxer().cluster.sdn.zones.post(zone='lab', type='simple') or {}),
    'list_sdn': lambda sim: dict(sim.proxmoxer().cluster.sdn.zones.post(zone='lab', type='simple') or {},
                                 gather=['zones', 'pending', 'status']),
    'delete_firewall_ipset': lambda sim: dict(sim.proxmoxer().cluster.firewall.ipset.post(name='mon')
                                              or {'ipset': 'mon', 'confirm': True}),
    'get_network_interfaces': {'node': 'pve3', 'iface_type': 'bridge'},
    'get_node_disks': {'node': 'pve1'},
    'get_node_cert': {'node': 'pve1'},
    'get_node_logs': {'node': 'pve2', 'log_lines': 5},
    'get_node_apt_updates': {'node': 'pve1'},
    'get_node_config': {'node': 'pve3'},
    'update_node_config': {'node': 'pve1', 'description': 'GPU node', 'timezone': 'UTC'},
    'reboot_node': {'node': 'pve3', 'target': 'pve2', 'with_local_disks': True, 'confirm': True},
    'shutdown_node': {'node': 'pve3', 'force': True, 'confirm': True},
    'apply_node_updates': {'node': 'pve1', 'confirm': True},
    'set_node_repository': {'node': 'pve2', 'handle': 'test'},
    'get_cluster_tasks': {'limit': 5},
    'get_node_tasks': {'node': 'pve1', 'limit': 5},
    'get_task_status': lambda sim: {'upid': a_task(sim)},
    'get_task_log': lambda sim: {'upid': a_task(sim)},
    'cancel_task': a_running_task,
    'get_vms': {},
    'get_vm_status': {'vmid': 100},
    'get_vm_config': {'vmid': 101},
    'get_vm_stats': {'vmid': 100, 'timeframe': 'hour'},
    'create_vm': {'vmid': 150, 'name': 'new01', 'node': 'pve1', 'memory': 1024, 'cores': 1},
    'update_vm_config': {'vmid': 100, 'memory': 6144},
    'start_vm': {'vmid': 102},
    'shutdown_vm': {'vmid': 100},
    'stop_vm': {'vmid': 101, 'confirm': True},
    'reboot_vm': {'vmid': 103},
    'delete_vm': {'vmid': 102, 'confirm': True},
    'clone_vm': {'vmid': 151, 'name': 'clone01', 'clone': 'debian-12-cloudinit', 'node': 'pve1'},
    'migrate_vm': {'vmid': 102, 'node': 'pve2'},
    'migrate_container': {'vmid': 201, 'node': 'pve1'},
    'get_container_stats': {'vmid': 200},
    'list_container_snapshots': {'vmid': 200},
    'create_container_snapshot': {'vmid': 200, 'snapname': 'before-upgrade'},
    'delete_container_snapshot': lambda sim: dict(sim.proxmoxer().nodes('pve2').lxc(200).snapshot.post(snapname='s1')
                                                  and {'vmid': 200, 'snapname': 's1', 'confirm': True}),
    'restore_container_snapshot': lambda sim: dict(sim.proxmoxer().nodes('pve2').lxc(200).snapshot.post(snapname='s1')
                                                   and {'vmid': 200, 'snapname': 's1', 'confirm': True}),
    'get_storage_info': {'name': 'local'},
    'list_backups': {'name': 'backup-nfs', 'node': 'pve1', 'vmid': 100},
    'download_to_storage': {'storage': 'local', 'node': 'pve1', 'content': 'iso', 'filename': 'alpine.iso',
                            'url': 'https://dl-cdn.alpinelinux.org/alpine/v3.20/releases/x86_64/alpine.iso'},
    'delete_backup': {'storage': 'backup-nfs', 'node': 'pve1', 'confirm': True,
                      'volume': 'backup-nfs:backup/vzdump-lxc-200-2025_11_23-02_10_11.tar.zst'},
    'create_container_backup': {'vmids': [200], 'storage': 'backup-nfs'},
    'restore_container_backup': lambda sim: {'vmid': 260, 'archive': a_backup(sim, 200, 'pve2'), 'node': 'pve2',
                                             'storage': 'local-lvm'},
    'restore_backup_over_guest': lambda sim: {'vmid': 102, 'archive': a_backup(sim, 102), 'node': 'pve1',
                                              'confirm': True},
    'prune_backups': lambda sim: dict(a_backup(sim) and a_backup(sim) and {
        'storage': 'backup-nfs', 'node': 'pve1', 'vmid': 100, 'retention': {'keep_last': 1}, 'confirm': True}),
    'update_backup_job': lambda sim: dict(create_job(sim), comment='weekly'),
    'get_vm_console': {'vmid': 100},
    'list_vm_snapshots': {'vmid': 100},
    'create_vm_snapshot': {'vmid': 100, 'snapname': 'before-upgrade'},
    'delete_vm_snapshot': lambda sim: dict(sim.proxmoxer().nodes('pve1').qemu(100).snapshot.post(snapname='s1')
                                           and {'vmid': 100, 'snapname': 's1', 'confirm': True}),
    'restore_vm_snapshot': lambda sim: dict(sim.proxmoxer().nodes('pve1').qemu(100).snapshot.post(snapname='s1')
                                            and {'vmid': 100, 'snapname': 's1', 'confirm': True}),
    'get_containers': {},
    'get_container_status': {'vmid': 200},
    'get_container_config': {'vmid': 201},
    'create_container': {'vmid': 250, 'node': 'pve1', 'ostemplate': CT, 'memory': 512, 'storage': 'local-lvm'},
    'update_container_config': {'vmid': 200, 'memory': 1024},
    'start_container': {'vmid': 201},
    'shutdown_container': {'vmid': 200},
    'stop_container': {'vmid': 200, 'confirm': True},
    'reboot_container': {'vmid': 200},
    'delete_container': {'vmid': 201, 'confirm': True},
    'clone_container': {'vmid': 251, 'clone': 'cache01', 'node': 'pve3'},
    'list_users': {},
    'create_user': {'userid': 'carol@pve', 'email': 'carol@example.com'},
    'update_user': {'userid': 'alice@pve', 'comment': 'on call'},
    'change_password': {'userid': 'alice@pve', 'password': 'n3w-Secret-pw'},
    'delete_user': {'userid': 'alice@pve', 'confirm': True},
    'list_groups': {},
    'create_group': {'groupid': 'ops', 'comment': 'Operators'},
    'delete_group': with_group,
    'list_roles': {},
    'create_role': {'roleid': 'Ops', 'privileges': ['VM.Audit', 'VM.PowerMgmt']},
    'delete_role': with_role,
    'list_acl': {},
    'set_acl': {'path': '/vms/100', 'roles': ['PVEVMUser'], 'users': ['alice@pve']},
    'remove_acl': {'path': '/', 'roles': ['PVEAuditor'], 'users': ['bob@pve'], 'confirm': True},
    'list_api_tokens': {'userid': 'root@pam'},
    'create_api_token': {'userid': 'alice@pve', 'tokenid': 'ci'},
    'delete_api_token': {'userid': 'root@pam', 'tokenid': 'automation', 'confirm': True},
    'list_realms': {},
    'create_realm': {'realm': 'corp', 'type': 'ldap', 'settings': {'server1': 'ldap.example.com',
                                                                   'base_dn': 'dc=example,dc=com',
                                                                   'user_attr': 'uid'}},
    'delete_realm': with_realm,
    'get_permissions': {'userid': 'bob@pve'},
    'get_storage': {'name': 'local'},
    'get_node_storage': {'node': 'pve1'},
    'get_storage_quota': {'name': 'local-lvm'},
    'create_storage': {'name': 'extra', 'type': 'dir', 'path': '/srv/extra', 'content': ['iso']},
    'update_storage': {'name': 'local', 'content': ['iso', 'vztmpl', 'backup', 'snippets']},
    'delete_storage': {'name': 'backup-nfs', 'confirm': True},
    'get_storage_content': {'name': 'backup-nfs', 'node': 'pve1'},
    'delete_storage_volume': {'storage': 'local', 'node': 'pve1', 'confirm': True,
                              'volume': 'local:iso/debian-12.7.0-amd64-netinst.iso'},
    'create_vm_backup': {'vmids': [100], 'storage': 'backup-nfs'},
    'restore_vm_backup': lambda sim: {'vmid': 160, 'archive': a_backup(sim), 'node': 'pve1'},
    'upload_backup': an_archive,
    'list_backup_jobs': {},
    'create_backup_job': {'id': 'nightly', 'schedule': '02:00', 'storage': 'backup-nfs', 'vmids': [100, 101]},
    'delete_backup_job': lambda sim: {'id': create_job(sim)['id'], 'confirm': True},
    'get_firewall_rules': {},
    'list_firewall_rules': {'level': 'vm', 'vmid': 100},
    'get_vm_firewall_rules': {'name': 'web01'},
    'get_security_groups': {},
    'create_firewall_rule': {'comment': 'ssh-mgmt', 'action': 'ACCEPT', 'macro': 'SSH', 'source': '10.0.0.0/24'},
    'delete_firewall_rule': with_fw_rule,
    'set_firewall_options': {'enable': True, 'policy_in': 'DROP'},
    'create_security_group': {'name': 'web', 'comment': 'web servers', 'rules': [{'action': 'ACCEPT', 'macro': 'HTTP'}]},
    'delete_security_group': with_security_group,
    # pools (the demo seed has pool demo with 100, 101 and 200; build01 is 102, in no pool)
    'list_pools': {},
    'get_pool': {'poolid': 'demo'},
    'get_pool_members': {'poolid': 'demo', 'type': 'qemu'},
    'create_pool': {'poolid': 'team-a', 'comment': 'Team A', 'vms': ['build01'], 'storage': ['local-lvm']},
    'update_pool': {'poolid': 'demo', 'vms': ['103'], 'append': True, 'comment': 'Demo and monitoring'},
    'delete_pool': {'poolid': 'demo', 'force': True, 'confirm': True},
    # ha
    'get_ha_status': {'gather': ['resources', 'status', 'manager']},
    'enable_ha_resource': {'name': 'build01', 'max_restart': 2},
    'disable_ha_resource': lambda sim: dict(sim.proxmoxer().cluster.ha.resources.post(sid='vm:100') or {'vmid': 100, 'confirm': True}),
    'set_ha_rule': lambda sim: dict(sim.proxmoxer().cluster.ha.resources.post(sid='vm:100') or {
        'name': 'web-pve1', 'type': 'node-affinity', 'resources': ['vm:100'], 'nodes': ['pve1:2', 'pve2']}),
    'delete_ha_rule': lambda sim: dict(sim.proxmoxer().cluster.ha.resources.post(sid='vm:100') or sim.proxmoxer().cluster.ha.rules.post(
        rule='web-pve1', type='node-affinity', resources='vm:100', nodes='pve1') or {'name': 'web-pve1', 'confirm': True}),
    'list_replication_jobs': {'gather': ['jobs', 'status']},
    'set_replication_job': lambda sim: dict(_zfs_guest(sim) or {'vmid': 150, 'target': 'pve2', 'schedule': '*/5'}),
    'delete_replication_job': lambda sim: dict(_zfs_guest(sim) or sim.proxmoxer().cluster.replication.post(
        id='150-0', type='local', target='pve2') or {'vmid': 150, 'target': 'pve2', 'confirm': True}),
    'list_notification_targets': {},
    'list_notification_matchers': {},
    'set_notification_target': {'name': 'ops-mail', 'type': 'sendmail', 'mailto': ['ops@example.org']},
    'delete_notification_target': lambda sim: dict(sim.proxmoxer().cluster.notifications.endpoints.sendmail.post(
        name='ops-mail', mailto='ops@example.org') or {'name': 'ops-mail', 'confirm': True}),
    'set_notification_matcher': {'name': 'errors', 'targets': ['mail-to-root'], 'match_severity': ['error']},
    'delete_notification_matcher': lambda sim: dict(sim.proxmoxer().cluster.notifications.matchers.post(
        name='errors', target='mail-to-root') or {'name': 'errors', 'confirm': True}),
}
# Tools whose example is expected to end in a module error, with the reason (none so far).
# Tools whose example fails, and the message it fails with. apply_node_updates, upload_backup: the test's MCP server has no
# SSH settings in its environment (PVEOPS_SSH_*): refused before anything is sent (tests/mcp/test_node_tools.py
# calls it with them).
EXPECTED_ERRORS = {'apply_node_updates': 'ssh_known_hosts', 'upload_backup': 'ssh_known_hosts'}
# Mutating tools that report no change for a reason.
NO_CHANGE = {'get_vm_console': 'a console ticket changes no resource'}

TOOLS = tools()


def test_every_tool_has_an_example():
    assert sorted(set(TOOLS) - set(EXAMPLES)) == []


@pytest.mark.parametrize('name', sorted(TOOLS))
def test_call(pvesim, name):
    """Read tools answer without writing. Mutating tools: a dry run (check_mode) writes nothing and says what
    would change; a destructive one without confirmation changes nothing and shows the dry run; then the
    real call changes it."""
    example = EXAMPLES[name]
    arguments = example(pvesim) if callable(example) else dict(example)
    tool = TOOLS[name]
    server = adapter(pvesim)
    before = writes(pvesim)
    if name in EXPECTED_ERRORS:
        result = call(server, name, arguments)
        assert result.is_error and EXPECTED_ERRORS[name] in result.structured_content['msg']
        return
    if not tool.read_only:
        dry = call(server, name, dict(arguments, check_mode=True))
        assert not dry.is_error, dry.content[0].text
        assert dry.structured_content['check_mode'] is True
        assert dry.structured_content['changed'] is (name not in NO_CHANGE), dry.structured_content
        assert writes(pvesim) == before, 'check mode wrote'
    if tool.destructive:
        unconfirmed = dict(arguments)
        del unconfirmed['confirm']
        refused = call(server, name, unconfirmed)
        assert refused.is_error and refused.structured_content['confirmation_required'] is True
        assert 'confirm: true' in refused.content[0].text
        assert refused.structured_content['diff'] == dry.structured_content['diff']
        assert writes(pvesim) == before, 'an unconfirmed destructive call wrote'
    result = call(server, name, arguments)
    data = result.structured_content
    assert not result.is_error, result.content[0].text
    assert data['changed'] is (not tool.read_only and name not in NO_CHANGE), data
    assert result.content[0].text.startswith(name)
    if tool.read_only:
        assert writes(pvesim) == before, 'a read-only tool wrote'
    else:
        assert writes(pvesim) > before, 'a changing tool made no write'
        assert name in NO_CHANGE or 'diff' in data


@pytest.mark.parametrize('name', sorted(n for n in TOOLS if not callable(EXAMPLES.get(n))))
def test_examples_satisfy_the_generated_schema(name):
    """The schema accepts what the module accepts (the examples above all succeed against the simulator)."""
    from jsonschema import Draft202012Validator
    errors = [e.message for e in Draft202012Validator(TOOLS[name].input_schema).iter_errors(EXAMPLES[name])]
    assert errors == []


def test_get_vlan_config_lists_the_sdn_vlan_zones_and_their_vnets(pvesim):
    api = pvesim.proxmoxer()
    api.cluster.sdn.zones.post(zone='lab', type='vlan', bridge='vmbr0')
    api.cluster.sdn.vnets.post(vnet='web', zone='lab', tag=20, alias='web tier')
    api.cluster.sdn.zones.post(zone='flat', type='simple')
    api.cluster.sdn.vnets.post(vnet='plain', zone='flat')
    result = call(adapter(pvesim), 'get_vlan_config', {'node': 'pve2'})
    assert not result.is_error, result.content[0].text
    vlans = result.structured_content['vlans']
    assert vlans['sdn_zones'] == [{'zone': 'lab', 'type': 'vlan', 'bridge': 'vmbr0'}]
    assert vlans['sdn_vnets'] == [{'vnet': 'web', 'zone': 'lab', 'type': 'vnet', 'tag': 20, 'alias': 'web tier'}]


def test_a_vm_nic_on_an_sdn_vnet_built_through_the_sdn_tools(pvesim):
    server = adapter(pvesim)
    steps = [('set_sdn_zone', {'zone': 'lab', 'type': 'vlan', 'bridge': 'vmbr0'}),
             ('set_sdn_vnet', {'vnet': 'web', 'zone': 'lab', 'tag': 20}),
             ('set_sdn_subnet', {'vnet': 'web', 'subnet': '10.20.0.0/24', 'gateway': '10.20.0.1'}),
             ('apply_sdn', {}),
             ('update_vm_config', {'vmid': 100, 'nets': [{'slot': 'net0', 'bridge': 'web'}]})]
    for name, arguments in steps:
        result = call(server, name, arguments)
        assert not result.is_error and result.structured_content['changed'] is True, (name, result.content[0].text)
    assert result.structured_content['diff']['after'] != result.structured_content['diff']['before']
    api = pvesim.proxmoxer()
    assert 'bridge=web' in api.nodes('pve1').qemu(100).config.get()['net0']
    assert {'vnet': 'web', 'status': 'available'}.items() <= next(
        v for v in api.nodes('pve1').sdn.zones('lab').content.get() if v['vnet'] == 'web').items()
    again = call(server, 'set_sdn_vnet', {'vnet': 'web', 'zone': 'lab', 'tag': 20})
    assert again.structured_content['changed'] is False and again.structured_content['pending'] is False
    refused = call(server, 'delete_sdn_vnet', {'vnet': 'web', 'confirm': True})
    assert refused.is_error and 'while it has subnets' in refused.content[0].text
