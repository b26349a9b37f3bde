# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A client written for the seed's MCP server works unchanged: every seed tool we serve, called through the
SDK client with the seed's parameter names (tests/mcp/data/seed_params.tsv, a copy of
../shared/seed/params.tsv), answers as the same call with our option names does (mutating tools in check
mode), and the seed names stay out of the listed schemas."""

import os
import re
import tempfile

import pytest

from mcp_adapter import catalogue, seed
from pvesim.archives import vma_bytes
from tests.mcp.mcp_support import adapter, session, tools, writes
from tests.mcp.test_tools import CT, a_backup, a_running_task, a_standalone_node, a_task

HERE = os.path.dirname(__file__)
PARAMS = os.path.join(HERE, 'data', 'seed_params.tsv')
SHARED = os.path.join(HERE, '..', '..', '..', 'shared', 'seed', 'params.tsv')
TOOLS = tools()


def seed_params():
    """tool -> [(parameter, type)] of the seed (``items`` rows are the element type of the array before them)."""
    out = {}
    with open(PARAMS) as fh:
        for line in fh.read().splitlines()[1:]:
            tool, name, kind, _source = line.split('\t')
            out.setdefault(tool, [])
            if name and name != 'items':
                out[tool].append((name, kind))
    return out


SEED = seed_params()
SERVED = sorted(t for t in SEED if catalogue.resolve(TOOLS, t) is not None)


def backup_of_deleted(sim, kind, vmid, node):
    """A backup of a stopped guest that is then deleted (the seed's restore takes no vmid: the archive's)."""
    archive = a_backup(sim, vmid, node)
    api = sim.proxmoxer()
    getattr(api.nodes(node), kind)(vmid).delete()
    for _ in range(100):
        if not [g for g in api.cluster.resources.get(type='vm') if g['vmid'] == vmid]:
            break
    return archive


# tool -> (the seed's arguments, the same call with our option names). A callable takes the simulator.
CALLS = {
    'add_node_to_cluster': lambda sim: (lambda node: (
        dict(node, node_name=node.pop('node'), cluster_name='demo-cluster', cluster_network='192.0.2.44'),
        dict(node, node='pve4', name='demo-cluster', links=['192.0.2.44'])))(a_standalone_node(sim)),
    'remove_node_from_cluster': ({'node_name': 'pve3', 'force': True}, {'node': 'pve3', 'force': True}),
    'cancel_task': lambda sim: (lambda u: ({'task_id': u}, {'upid': u}))(a_running_task(sim)['upid']),
    'change_password': ({'userid': 'alice@pve', 'password': 'n3w-Secret-pw'},) * 2,
    'clone_container': ({'node_name': 'pve3', 'source_container_id': 201, 'new_container_id': 251,
                         'new_hostname': 'clone01', 'full': True},
                        {'node': 'pve3', 'clone': '201', 'vmid': 251, 'name': 'clone01', 'full': True}),
    'clone_vm': ({'node_name': 'pve1', 'source_vmid': 9000, 'new_vmid': 151, 'new_name': 'clone01', 'full': False},
                 {'node': 'pve1', 'clone': '9000', 'vmid': 151, 'name': 'clone01', 'full': False}),
    'create_api_token': ({'userid': 'alice@pve', 'tokenid': 'ci', 'expire': 0, 'privsep': True},) * 2,
    'create_container': ({'node_name': 'pve1', 'container_id': 250, 'hostname': 'ct250', 'storage': 'local-lvm',
                          'memory': 512, 'cores': 1, 'ostype': 'debian', 'ostemplate': CT},
                         {'node': 'pve1', 'vmid': 250, 'name': 'ct250', 'storage': 'local-lvm', 'memory': 512,
                          'cores': 1, 'ostype': 'debian', 'ostemplate': CT}),
    'create_container_backup': ({'node_name': 'pve2', 'container_id': 200, 'storage': 'backup-nfs',
                                 'backup_id': 'b1', 'notes': 'seed'},
                                {'vmids': [200], 'storage': 'backup-nfs', 'notes': 'seed'}),
    'create_container_snapshot': ({'node_name': 'pve2', 'container_id': 200, 'snap_name': 's1',
                                   'description': 'before'},
                                  {'vmid': 200, 'snapname': 's1', 'description': 'before'}),
    'create_firewall_rule': ({'direction': 'in', 'action': 'ACCEPT', 'source': '10.0.0.0/24', 'dest': '10.0.1.5',
                              'proto': 'tcp', 'sport': '1024:65535', 'dport': '22', 'comment': 'ssh', 'enable': 1},
                             {'type': 'in', 'action': 'ACCEPT', 'source': '10.0.0.0/24', 'dest': '10.0.1.5', 'proto': 'tcp',
                              'sport': '1024:65535', 'dport': '22', 'comment': 'ssh', 'enable': 1}),
    'create_group': ({'groupid': 'ops', 'comment': 'Operators'},) * 2,
    # The seed registers no parameters for its VLAN tools: these are the names, the same both ways.
    'create_vlan': ({'node': 'pve1', 'vlan_id': 30, 'vlan_raw_device': 'eno1', 'cidr': '10.30.0.1/24'},) * 2,
    'update_vlan': ({'node': 'pve1', 'vlan_id': 30, 'vlan_raw_device': 'eno1', 'comments': 'storage'},) * 2,
    'delete_vlan': ({'node': 'pve1', 'vlan_id': 30, 'vlan_raw_device': 'eno1'},) * 2,
    'create_pool': ({'poolid': 'team-a', 'comment': 'Team A', 'members': ['102']},
                    {'poolid': 'team-a', 'comment': 'Team A', 'vms': ['102']}),
    'create_role': ({'roleid': 'Ops', 'privs': ['VM.Audit', 'VM.PowerMgmt']},
                    {'roleid': 'Ops', 'privileges': ['VM.Audit', 'VM.PowerMgmt']}),
    'create_security_group': ({'name': 'web', 'comment': 'web servers'},) * 2,
    'create_storage': ({'storage': 'extra', 'storage_type': 'dir', 'content': 'iso,backup',
                        'config': {'path': '/srv/extra', 'mkdir': 0}},
                       {'name': 'extra', 'type': 'dir', 'content': 'iso,backup', 'path': '/srv/extra',
                        'options': {'mkdir': 0}}),
    'create_user': ({'userid': 'carol@pve', 'password': 'Secret-pw-123', 'email': 'carol@example.com',
                     'comment': 'new'},) * 2,
    'create_vm': ({'node_name': 'pve1', 'vmid': 150, 'name': 'new01', 'memory': 1024, 'cores': 1, 'sockets': 1},
                  {'node': 'pve1', 'vmid': 150, 'name': 'new01', 'memory': 1024, 'cores': 1, 'sockets': 1}),
    'create_vm_backup': ({'node_name': 'pve1', 'vmid': 100, 'storage': 'backup-nfs', 'backup_id': 'b1',
                          'notes': 'seed'},
                         {'vmids': [100], 'storage': 'backup-nfs', 'notes': 'seed'}),
    'create_vm_snapshot': ({'node_name': 'pve1', 'vmid': 100, 'snap_name': 's1', 'description': 'before'},
                           {'vmid': 100, 'snapname': 's1', 'description': 'before'}),
    'delete_api_token': ({'userid': 'root@pam', 'tokenid': 'automation'},) * 2,
    'delete_backup': ({'storage': 'backup-nfs', 'backup_id': 'backup-nfs:backup/vzdump-lxc-200-2025_11_23-02_10_11.tar.zst'},
                      {'storage': 'backup-nfs', 'volume': 'backup-nfs:backup/vzdump-lxc-200-2025_11_23-02_10_11.tar.zst'}),
    'delete_container': ({'node_name': 'pve3', 'container_id': 201, 'force': True},
                         {'node': 'pve3', 'vmid': 201, 'force': True}),
    'delete_container_snapshot': lambda sim: (
        sim.proxmoxer().nodes('pve2').lxc(200).snapshot.post(snapname='s1') and
        ({'node_name': 'pve2', 'container_id': 200, 'snap_name': 's1', 'force': False},
         {'vmid': 200, 'snapname': 's1'})),
    'delete_firewall_rule': lambda sim: (
        sim.proxmoxer().cluster.firewall.rules.post(type='in', action='ACCEPT', macro='SSH', enable=1) or
        ({'position': '0', 'type': 'in', 'action': 'ACCEPT', 'macro': 'SSH'},
         {'pos': 0, 'type': 'in', 'action': 'ACCEPT', 'macro': 'SSH'})),
    'delete_group': ({'groupid': 'admins'},) * 2,
    'delete_pool': lambda sim: sim.proxmoxer().pools.post(poolid='empty') or ({'poolid': 'empty'},) * 2,
    'delete_role': lambda sim: sim.proxmoxer().access.roles.post(roleid='Ops') or ({'roleid': 'Ops'},) * 2,
    'delete_storage': ({'storage': 'backup-nfs'}, {'name': 'backup-nfs'}),
    'delete_user': ({'userid': 'alice@pve'},) * 2,
    'delete_vm': ({'node_name': 'pve1', 'vmid': 102, 'force': True}, {'node': 'pve1', 'vmid': 102, 'force': True}),
    'delete_vm_snapshot': lambda sim: (
        sim.proxmoxer().nodes('pve1').qemu(100).snapshot.post(snapname='s1') and
        ({'node_name': 'pve1', 'vmid': 100, 'snap_name': 's1', 'force': False},
         {'vmid': 100, 'snapname': 's1'})),
    'disable_ha_resource': lambda sim: (sim.proxmoxer().cluster.ha.resources.post(sid='vm:100') or
                                        ({'sid': 'vm:100'},) * 2),
    'enable_ha_resource': ({'sid': 'vm:102', 'comment': 'seed', 'state': 'started'},
                           {'sid': 'vm:102', 'comment': 'seed', 'ha_state': 'started'}),
    'get_node_logs': ({'node_name': 'pve2', 'lines': 5}, {'node': 'pve2', 'log_lines': 5}),
    'get_storage_content': ({'storage': 'backup-nfs'}, {'name': 'backup-nfs'}),
    'get_storage_info': ({'storage': 'local'}, {'name': 'local'}),
    'get_storage_quota': ({'storage': 'local-lvm'}, {'name': 'local-lvm'}),
    'list_backups': ({'storage': 'backup-nfs'}, {'name': 'backup-nfs'}),
    'get_task_log': lambda sim: (lambda u: ({'task_id': u, 'start': 0, 'limit': 3}, {'upid': u, 'log_lines': 3}))(
        a_task(sim)),
    'get_task_status': lambda sim: (lambda u: ({'task_id': u}, {'upid': u}))(a_task(sim)),
    'get_vm_console': ({'node_name': 'pve1', 'vmid': 100}, {'vmid': 100}),
    'get_vm_firewall_rules': ({'node_name': 'pve1', 'vmid': 100}, {'vmid': 100}),
    'list_api_tokens': ({'userid': 'root@pam'},) * 2,
    'get_pool': ({'poolid': 'demo'},) * 2,
    'get_pool_members': ({'poolid': 'demo'},) * 2,
    'migrate_vm': ({'node_name': 'pve1', 'vmid': 102, 'target_node': 'pve2', 'online': False},
                   {'vmid': 102, 'node': 'pve2'}),
    'restore_container_backup': lambda sim: (lambda b: (
        {'node_name': 'pve3', 'backup_id': b, 'storage': 'local-lvm'},
        {'node': 'pve3', 'archive': b, 'storage': 'local-lvm'}))(backup_of_deleted(sim, 'lxc', 201, 'pve3')),
    'restore_vm_backup': lambda sim: (lambda b: (
        {'node_name': 'pve1', 'backup_id': b, 'storage': 'local-lvm'},
        {'node': 'pve1', 'archive': b, 'storage': 'local-lvm'}))(backup_of_deleted(sim, 'qemu', 102, 'pve1')),
    'restore_container_snapshot': lambda sim: (
        sim.proxmoxer().nodes('pve2').lxc(200).snapshot.post(snapname='s1') and
        ({'node_name': 'pve2', 'container_id': 200, 'snap_name': 's1'}, {'vmid': 200, 'snapname': 's1'})),
    'restore_vm_snapshot': lambda sim: (
        sim.proxmoxer().nodes('pve1').qemu(100).snapshot.post(snapname='s1') and
        ({'node_name': 'pve1', 'vmid': 100, 'snap_name': 's1'}, {'vmid': 100, 'snapname': 's1'})),
    'set_acl': ({'path': '/vms/100', 'role': 'PVEVMUser', 'userid': 'alice@pve', 'groupid': 'admins',
                 'tokenid': 'root@pam!automation', 'propagate': True},
                {'path': '/vms/100', 'roles': ['PVEVMUser'], 'users': ['alice@pve'], 'groups': ['admins'],
                 'tokens': ['root@pam!automation'], 'propagate': True}),
    'update_container_config': ({'node_name': 'pve2', 'container_id': 200,
                                 'config': {'memory': 1024, 'hostname': 'proxy02', 'protection': 1}},
                                {'node': 'pve2', 'vmid': 200, 'memory': 1024, 'name': 'proxy02',
                                 'config': {'protection': 1}}),
    'update_vm_config': ({'node_name': 'pve1', 'vmid': 100, 'config': {'memory': 6144, 'vga': 'std'}},
                         {'node': 'pve1', 'vmid': 100, 'memory': 6144, 'config': {'vga': 'std'}}),
    'apply_node_updates': ({'node_name': 'pve3'}, {'node': 'pve3'}),
    'upload_backup': lambda sim: _upload_call(),
    'reboot_node': ({'node_name': 'pve3', 'force': True}, {'node': 'pve3', 'force': True}),
    'shutdown_node': ({'node_name': 'pve3', 'force': True}, {'node': 'pve3', 'force': True}),
    'update_node_config': ({'node_name': 'pve1', 'config': {'description': 'GPU node', 'ballooning-target': 70}},
                           {'node': 'pve1', 'description': 'GPU node', 'ballooning_target': 70}),
    'update_pool': ({'poolid': 'demo', 'comment': 'more', 'members': ['103'], 'delete': False},
                    {'poolid': 'demo', 'comment': 'more', 'vms': ['103'], 'append': True}),
    'update_storage': ({'storage': 'local', 'config': {'content': 'iso,vztmpl,backup', 'max-protected-backups': 3}},
                       {'name': 'local', 'content': 'iso,vztmpl,backup', 'options': {'max-protected-backups': 3}}),
    'update_user': ({'userid': 'alice@pve', 'email': 'a@example.com', 'comment': 'c', 'firstname': 'Alice',
                     'lastname': 'A', 'enable': True, 'expire': 0},) * 2,
}


def _upload_call():
    """upload_backup's seed call (the file path and the archive's name) and ours, with a real archive."""
    src = os.path.join(tempfile.mkdtemp(prefix='pveops-seed-'), 'archive.vma')
    with open(src, 'wb') as out:
        out.write(vma_bytes('cores: 1\nname: seed\n'))
    name = 'vzdump-qemu-4101-2026_11_20-03_00_00.vma'
    return ({'node_name': 'pve1', 'storage': 'backup-nfs', 'file_path': src, 'backup_id': name},
            {'node': 'pve1', 'storage': 'backup-nfs', 'src': src, 'name': name})


def _ssh_env(sim, node):
    endpoint = sim.call(lambda: dict(sim.pve.ssh_endpoints[node]))
    return {'PVEOPS_SSH_HOST': endpoint['host'], 'PVEOPS_SSH_PORT': str(endpoint['port']),
            'PVEOPS_SSH_PASSWORD': sim.root_password, 'PVEOPS_SSH_HOST_KEY_FINGERPRINT': endpoint['fingerprint']}


# The environment a tool's call needs (the MCP server's SSH settings).
ENV = {'apply_node_updates': lambda sim: _ssh_env(sim, 'pve3')}


def default_call(name):
    """The seed's call and ours for a tool whose seed parameters are node_name, vmid / container_id or ours."""
    seed_args, ours = {}, {}
    for param, _kind in SEED[name]:
        if param == 'node_name':
            node = 'pve2' if 'container' in name else 'pve1'
            seed_args[param], ours['node'] = node, node
        elif param in ('vmid', 'container_id'):
            vmid = 200 if param == 'container_id' else 100
            seed_args[param], ours['vmid'] = vmid, vmid
        else:
            raise AssertionError('{0}: no example for the seed parameter {1}'.format(name, param))
    return seed_args, ours


def pair(name, sim):
    example = CALLS.get(name, default_call)
    if example is default_call:
        return default_call(name)
    return example(sim) if callable(example) else example


VOLATILE = re.compile(r'\d+(\.\d+)?')
IDENTITY = ('vmid', 'vmids', 'node', 'name', 'id', 'poolid', 'storage', 'type', 'changed', 'failed')


def _shape(value, key=None):
    """The result with its live figures (usage, uptimes, timestamps, tickets) masked, its identities kept."""
    if isinstance(value, dict):
        return dict((k, _shape(v, k)) for k, v in value.items())
    if isinstance(value, list):
        return [_shape(v, key) for v in value]
    if key in IDENTITY or isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return 0
    return VOLATILE.sub('0', str(value))


def comparable(result):
    data = dict(result.structured_content or {})
    data.pop('warnings', None)
    return result.is_error, _shape(data)


def test_the_copy_of_the_seed_parameters_is_current():
    if not os.path.exists(SHARED):
        pytest.skip('../shared/seed/params.tsv is not next to the repository')
    with open(SHARED) as a, open(PARAMS) as b:
        assert a.read() == b.read()


def test_every_seed_tool_is_served():
    assert SEED and sorted(SEED) == SERVED, sorted(set(SEED) - set(SERVED))


def test_seed_names_stay_out_of_the_listed_schemas():
    for name in SERVED:
        tool = catalogue.resolve(TOOLS, name)
        aliases = seed.aliases(tool, name)
        listed = set(tool.input_schema['properties'])
        assert not set(n for n, a in aliases.items() if not isinstance(a, seed.Spread)) & listed, name
        for param, _kind in SEED[name]:
            assert param in listed or param in aliases, (name, param)


@pytest.mark.parametrize('name', [n for n in SERVED if CALLS.get(n, True) is not None])
def test_a_seed_call_answers_as_ours(name, pvesim, monkeypatch):
    tool = catalogue.resolve(TOOLS, name)
    for key, value in ENV.get(name, lambda sim: {})(pvesim).items():
        monkeypatch.setenv(key, value)
    seed_args, ours = pair(name, pvesim)
    missing = [p for p, _k in SEED[name] if p not in seed_args]
    assert not missing, 'the example leaves out seed parameters {0}'.format(missing)
    dry = {} if tool.read_only else {'check_mode': True}
    before = writes(pvesim)

    async def both(client):
        return (await client.call_tool(name, dict(seed_args, **dry)), await client.call_tool(name, dict(ours, **dry)))
    by_seed, by_ours = session(adapter(pvesim), both)
    text = by_seed.content[0].text
    assert 'bad arguments' not in text and 'unknown argument' not in text, text[:500]
    assert not by_seed.is_error, text[:500]
    assert comparable(by_seed) == comparable(by_ours)
    if not tool.read_only:
        assert writes(pvesim) == before, 'check mode wrote'
        assert by_seed.structured_content['check_mode'] is True


def test_unused_seed_names_are_said_in_the_result(pvesim):
    result = session(adapter(pvesim), lambda c: c.call_tool('get_vm_console', {'node_name': 'pve1', 'vmid': 100}))
    assert not result.is_error
    assert any(w.startswith('node_name is not needed by get_vm_console') for w in result.structured_content['warnings'])


@pytest.mark.parametrize('name,arguments,expected', [
    ('start_vm', {'vmid': 100, 'node_name': 'pve1', 'node': 'pve2'}, 'node_name and node are both given'),
    ('start_container', {'container_id': 200, 'vmid': 201}, 'container_id and vmid are both given'),
    ('update_vm_config', {'vmid': 100, 'memory': 2048, 'config': {'memory': 4096}},
     'config.memory and memory are both given'),
    ('delete_firewall_rule', {'position': '0'}, "needs the rule's action (and its other match fields) to identify it; "
                                                "pos only chooses"),
    ('delete_vm_snapshot', {'vmid': 100, 'snap_name': 's1', 'force': True},
     'force=True is not supported by delete_vm_snapshot'),
    ('update_pool', {'poolid': 'demo', 'members': ['100'], 'delete': True}, 'delete=True is not supported'),
    ('get_task_log', {'task_id': 'UPID:x', 'start': 10}, 'start=10 is not supported'),
    ('update_storage', {'storage': 'local', 'config': 'content=iso'}, 'config must be an object'),
])
def test_conflicts_and_what_a_tool_cannot_do_are_refused(name, arguments, expected, pvesim):
    before = pvesim.stats()['requests']
    result = session(adapter(pvesim), lambda c: c.call_tool(name, dict(arguments, check_mode=True)))
    assert result.is_error and expected in result.content[0].text, result.content[0].text
    assert pvesim.stats()['requests'] == before


def test_the_same_value_under_both_names_is_accepted(pvesim):
    result = session(adapter(pvesim), lambda c: c.call_tool('get_node_status', {'node_name': 'pve1', 'node': 'pve1'}))
    assert not result.is_error, result.content[0].text


def test_every_alias_fits_its_tool():
    for name in seed.BY_TOOL:
        assert name in set(e.name for e in catalogue.ENTRIES) | set(catalogue.SAME_AS), name
        tool = catalogue.resolve(TOOLS, name)
        if tool is not None:
            assert seed.check_aliases(tool, name) == []


def test_a_tool_served_under_another_name_is_not_listed_and_follows_the_lists(pvesim):
    listed = session(adapter(pvesim, 'write'), lambda c: c.list_tools()).tools
    assert not set(t.name for t in listed) & set(catalogue.SAME_AS)
    denied = session(adapter(pvesim, 'write', deny=['update_*']),
                     lambda c: c.call_tool('update_user', {'userid': 'alice@pve', 'comment': 'x', 'check_mode': True}))
    assert denied.is_error and "denied by the pattern 'update_*'" in denied.content[0].text
    served = session(adapter(pvesim, 'write'),
                     lambda c: c.call_tool('update_user', {'userid': 'alice@pve', 'comment': 'x', 'check_mode': True}))
    assert not served.is_error and served.structured_content['changed'] is True

