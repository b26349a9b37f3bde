# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parity: the same operations through ansible-playbook (registered task results) and through MCP give the
same changed, diff and resource, for tools covering every module. Two fresh demo simulators, one per door. The
playbook runs once with direct execution (modules inside the controller, the default) and once by normal module
execution (an AnsiballZ subprocess per task); -vvv tells which path each task took."""

import json
import os
import re
import tempfile

import pytest

from mcp_adapter import catalogue
from pvesim.archives import vma_bytes
from tests.helpers.playbook import run_tasks
from tests.mcp.mcp_support import adapter, session, tools

TOOLS = tools()
# A real vzdump archive for upload_backup (check mode: nothing is copied, so no SSH is needed).
ARCHIVE = os.path.join(tempfile.mkdtemp(prefix='pveops-parity-'), 'vzdump-qemu-4101-2026_11_20-03_00_00.vma')
with open(ARCHIVE, 'wb') as _out:
    _out.write(vma_bytes('cores: 1\nname: parity\n'))
OLD_BACKUP = 'backup-nfs:backup/vzdump-lxc-200-2025_11_23-02_10_11.tar.zst'
# (tool, arguments, check mode): in this order on both simulators.
STEPS = [
    ('get_cluster_status', {}, False),
    ('get_node_status', {'node': 'pve1'}, False),
    ('get_node_network', {'node': 'pve2', 'iface_type': 'any_bridge'}, False),
    ('create_vlan', {'node': 'pve2', 'vlan_id': 30, 'vlan_raw_device': 'eno1', 'cidr': '10.30.0.2/24'}, True),
    ('create_vlan', {'node': 'pve2', 'vlan_id': 30, 'vlan_raw_device': 'eno1', 'cidr': '10.30.0.2/24',
                     'apply': True}, False),
    ('get_vlan_config', {'node': 'pve2'}, False),
    ('set_firewall_alias', {'alias': 'office', 'cidr': '192.0.2.0/24'}, False),
    ('set_sdn_zone', {'zone': 'lab', 'type': 'vlan', 'bridge': 'vmbr0'}, False),
    ('set_sdn_vnet', {'vnet': 'web', 'zone': 'lab', 'tag': 20}, True),
    ('set_sdn_vnet', {'vnet': 'web', 'zone': 'lab', 'tag': 20}, False),
    ('set_sdn_subnet', {'vnet': 'web', 'subnet': '10.20.0.0/24', 'gateway': '10.20.0.1'}, False),
    ('apply_sdn', {}, True),
    ('apply_sdn', {}, False),
    ('list_sdn', {'gather': ['zones', 'vnets', 'pending', 'status']}, False),
    ('delete_sdn_subnet', {'vnet': 'web', 'subnet': '10.20.0.0/24'}, True),
    ('delete_sdn_vnet', {'vnet': 'web'}, True),
    ('set_firewall_ipset', {'ipset': 'mon', 'entries': [{'cidr': 'office'}, {'cidr': '198.51.100.7/32'}]}, False),
    ('get_node_tasks', {'node': 'pve3', 'vmid': 999}, False),
    ('get_task_status', {'upid': 'not-a-upid'}, False),
    ('cancel_task', {'upid': 'UPID:pve1:000003E8:00001B58:6744A1C0:qmstart:100:root@pam:'}, False),
    ('get_vms', {'vmid': 100, 'gather': ['config']}, False),
    ('get_vm_config', {'limit': 2, 'offset': 1, 'fields': ['vmid', 'name', 'config']}, False),
    ('create_vm_snapshot', {'vmid': 100, 'snapname': 'pre'}, True),
    ('create_vm_snapshot', {'vmid': 100, 'snapname': 'pre'}, False),
    ('create_vm_snapshot', {'vmid': 100, 'snapname': 'pre'}, False),
    ('start_vm', {'vmid': 102}, False),
    ('update_node_config', {'node': 'pve2', 'description': 'parity', 'ballooning_target': 75}, True),
    ('update_node_config', {'node': 'pve2', 'description': 'parity', 'ballooning_target': 75}, False),
    ('apply_node_updates', {'node': 'pve2'}, True),
    ('set_node_repository', {'node': 'pve2', 'handle': 'test'}, True),
    ('set_node_repository', {'node': 'pve2', 'handle': 'enterprise'}, False),
    ('update_vm_config', {'vmid': 102, 'memory': 3072, 'tags': ['ci', 'new']}, True),
    ('update_vm_config', {'vmid': 102, 'memory': 3072, 'tags': ['ci', 'new']}, False),
    ('get_vm_console', {'vmid': 100}, True),
    ('get_containers', {'vmid': 200, 'gather': ['config']}, False),
    ('get_containers', {'limit': 1, 'fields': ['vmid', 'tags']}, False),
    ('update_container_config', {'vmid': 200, 'memory': 768}, False),
    ('create_user', {'userid': 'carol@pve', 'email': 'carol@example.com', 'comment': 'Carol'}, False),
    ('list_users', {'userid': 'carol@pve'}, False),
    ('create_group', {'groupid': 'ops', 'comment': 'Operators'}, False),
    ('list_groups', {'groupid': 'ops'}, False),
    ('create_role', {'roleid': 'Ops', 'privileges': ['VM.Audit', 'VM.PowerMgmt']}, False),
    ('list_roles', {'roleid': 'Ops'}, False),
    ('set_acl', {'path': '/vms', 'roles': ['Ops'], 'groups': ['ops']}, False),
    ('list_acl', {'path': '/vms'}, False),
    ('create_api_token', {'userid': 'carol@pve', 'tokenid': 'ci'}, True),
    ('list_api_tokens', {'userid': 'root@pam'}, False),
    ('create_realm', {'realm': 'corp', 'type': 'ldap', 'settings': {
        'server1': 'ldap.example.com', 'base_dn': 'dc=example,dc=com', 'user_attr': 'uid'}}, True),
    ('get_permissions', {'userid': 'bob@pve'}, False),
    ('get_storage', {'name': 'local'}, False),
    ('update_storage', {'name': 'local', 'content': ['iso', 'vztmpl', 'backup', 'snippets']}, True),
    ('delete_backup', {'storage': 'backup-nfs', 'node': 'pve1', 'volume': OLD_BACKUP}, True),
    ('create_vm_backup', {'vmids': [100], 'storage': 'backup-nfs'}, True),
    ('restore_vm_backup', {'vmid': 160, 'node': 'pve1', 'archive': OLD_BACKUP.replace('lxc-200', 'lxc-404')}, True),
    ('upload_backup', {'node': 'pve1', 'storage': 'backup-nfs', 'src': ARCHIVE}, True),
    ('create_backup_job', {'id': 'nightly', 'schedule': '02:00', 'storage': 'backup-nfs', 'vmids': [100]}, False),
    ('prune_backups', {'storage': 'backup-nfs', 'node': 'pve1', 'retention': {'keep_last': 1}}, True),
    ('create_pool', {'poolid': 'team-a', 'comment': 'Team A', 'vms': ['build01'], 'storage': ['local-lvm']}, False),
    ('update_pool', {'poolid': 'team-a', 'vms': [100], 'allow_move': True, 'append': True}, True),
    ('get_pool', {'poolid': 'team-a'}, False),
    ('create_security_group', {'name': 'web', 'rules': [{'action': 'ACCEPT', 'macro': 'HTTP'}]}, False),
    ('create_firewall_rule', {'level': 'vm', 'vmid': 100, 'comment': 'web', 'type': 'group', 'action': 'web'}, False),
    ('set_firewall_options', {'level': 'vm', 'vmid': 100, 'enable': True}, True),
    ('get_vm_firewall_rules', {'vmid': 100}, False),
    ('enable_ha_resource', {'vmid': 103, 'max_relocate': 2}, False),
    ('get_ha_status', {'gather': ['resources']}, False),
    ('set_ha_rule', {'name': 'monitor-pve3', 'type': 'node-affinity', 'resources': ['vm:103'],
                     'nodes': ['pve3:2', 'pve1']}, False),
    ('set_cluster_options', {'migration': {'type': 'insecure'}, 'keyboard': 'de'}, False),
    ('get_alerts', {'checks': ['nodes', 'backups', 'storage']}, False),
    ('set_notification_target', {'name': 'ops-hook', 'type': 'webhook', 'method': 'post',
                                 'url': 'https://chat.example.org/hook', 'secrets': {'key': 'parity-secret-1'}}, True),
    ('set_notification_target', {'name': 'ops-hook', 'type': 'webhook', 'method': 'post',
                                 'url': 'https://chat.example.org/hook', 'secrets': {'key': 'parity-secret-1'}}, False),
    ('set_notification_matcher', {'name': 'ops-errors', 'targets': ['ops-hook'], 'match_severity': ['error']}, False),
    ('list_notification_targets', {}, False),
    # the demo seed has no ZFS pool: both doors refuse it alike
    ('set_replication_job', {'vmid': 100, 'target': 'pve2'}, False),
    ('list_replication_jobs', {'gather': ['jobs', 'status']}, False),
    ('remove_node_from_cluster', {'node': 'pve3', 'force': True}, True),
]
UPID = re.compile(r'UPID:[^\s"\']+')
CTIME = re.compile(r'ctime=\d+')
# Not part of the comparison: what a door adds around the module result, and the task UPIDs.
DOOR_KEYS = {'page', 'tasks', 'warnings', 'deprecations', 'invocation', 'check_mode', 'failed', 'changed', 'diff',
             '_ansible_no_log'}


# Clock readings: the two simulators were started a moment apart.
VOLATILE = {'uptime', 'time', 'localtime', 'starttime', 'endtime', 'ctime', 'pstart', 'pid', 'snaptime', 'latest_backup'}


def normal(value):
    text = UPID.sub('UPID', json.dumps(value, sort_keys=True, default=str))
    text = CTIME.sub('ctime=T', text)
    return _drop(json.loads(text))


def _drop(value):
    if isinstance(value, dict):
        return dict((k, _drop(v)) for k, v in value.items() if k not in VOLATILE)
    if isinstance(value, list):
        return [_drop(v) for v in value]
    return value


def differences(a, b, path=''):
    """The paths where two JSON values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            out += differences(a.get(key, '<missing>'), b.get(key, '<missing>'), '{0}.{1}'.format(path, key))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += differences(x, y, '{0}[{1}]'.format(path, i))
        return out
    return [] if a == b else ['{0}: {1!r} != {2!r}'.format(path, a, b)]


def resource(result):
    return normal(dict((k, v) for k, v in result.items() if k not in DOOR_KEYS and not k.startswith('_ansible')))


def test_every_module_is_covered():
    used = set(catalogue.resolve(TOOLS, name).module.name for name, _, _ in STEPS if catalogue.resolve(TOOLS, name))
    assert catalogue.unmapped_modules() == []
    present = set(t.module.name for t in TOOLS.values())
    assert present - used == set()


@pytest.mark.parametrize('direct', [True, False], ids=['direct-execution', 'normal-execution'])
def test_playbook_and_mcp_agree(pvesim_factory, direct):
    steps = [(n, a, c) for n, a, c in STEPS if n in TOOLS]
    play_sim, mcp_sim = pvesim_factory(), pvesim_factory()
    tasks = []
    for index, (name, arguments, check) in enumerate(steps):
        tool = catalogue.resolve(TOOLS, name)
        task = {'name': '{0} {1}'.format(index, name), tool.module.fqcn: dict(arguments, **tool.fixed),
                'ignore_errors': True}
        if check:
            task['check_mode'] = True
        tasks.append(task)
    run = run_tasks(play_sim, tasks, verbosity=3, play_vars={'pveops_direct_execution': direct})
    assert len(run.records) == len(steps), run
    ran = [line for line in run.stdout.splitlines() if 'pve.ops direct execution: ' in line]
    assert len(ran) == len(steps) and all(('running' in line) is direct for line in ran), ran

    async def every(client):
        out = []
        for name, arguments, check in steps:
            extra = {'check_mode': True} if check else {}
            if catalogue.resolve(TOOLS, name).destructive:
                extra['confirm'] = True
            out.append(await client.call_tool(name, dict(arguments, **extra)))
        return out
    results = session(adapter(mcp_sim), every)
    for index, ((name, arguments, _check), result) in enumerate(zip(steps, results, strict=True)):
        played = run.results['{0} {1}'.format(index, name)]
        via_mcp = result.structured_content
        where = '{0} {1} {2}'.format(index, name, arguments)
        assert bool(played.get('failed')) == result.is_error, (where, played, via_mcp)
        if result.is_error:
            assert played['msg'] == via_mcp['msg'], where
            continue
        assert played.get('changed') == via_mcp['changed'], where
        assert differences(normal(played.get('diff')), normal(via_mcp.get('diff'))) == [], where
        assert differences(resource(played), resource(via_mcp)) == [], where
        if 'limit' in arguments:  # a module that pages itself says the same about the rest through both doors
            assert played['page'] == via_mcp['page'], where
