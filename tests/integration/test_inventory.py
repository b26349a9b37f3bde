# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin through the real ansible-inventory, the lookups through ansible-playbook, against pvesim.

The demo seed: VMs 100 web01 (pve1, running, prod;web, pool demo), 101 db01 (pve2, running, db;prod, demo),
102 build01 (pve1, stopped, ci), 103 monitor01 (pve3, running, ops), template 9000 (pve1); containers
200 proxy01 (pve2, running, prod;proxy, demo, static 192.0.2.200), 201 cache01 (pve3, stopped, cache, dhcp).
"""

import json
import os
import subprocess
import sys

import pytest
import yaml
from ansible.parsing.vault import VaultLib, VaultSecret

from pvesim.seeds import DEMO_TOKEN
from tests.helpers.playbook import run_tasks

BIN = os.path.dirname(sys.executable)
GUESTS = {'web01', 'db01', 'build01', 'monitor01', 'proxy01', 'cache01'}
TOKEN_ID, TOKEN_SECRET = DEMO_TOKEN
# A root password that cannot turn up in the output by accident (the default one is the word pvesim).
ROOT_PASSWORD = 'Inv3ntory-r00t-Pw'


@pytest.fixture
def sim(pvesim_factory):
    return pvesim_factory(root_password=ROOT_PASSWORD)


def _plain(value):
    """ansible-inventory's JSON with the markers of untrusted (API) strings removed."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return dict((k, _plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class Inventory:
    def __init__(self, proc, stats, output):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.stats = stats
        self.text = output.read_text() if output.exists() else ''
        self.data = _plain(json.loads(self.text)) if proc.returncode == 0 and self.text.strip() else {}
        self.hostvars = self.data.get('_meta', {}).get('hostvars', {})

    @property
    def hosts(self):
        return set(self.hostvars)

    def group(self, name):
        """The hosts of a group (directly or through its children)."""
        group = self.data.get(name) or {}
        out = set(group.get('hosts', []))
        for child in group.get('children', []):
            out |= self.group(child)
        return out

    def groups(self):
        return set(k for k in self.data if k != '_meta')

    def __repr__(self):
        return 'Inventory(rc={0})\n{1}\n{2}'.format(self.rc, self.stdout[-3000:], self.stderr[-3000:])


def inventory(sim, tmp_path, config, connection=True, env=None, args=('--list',), name='proxmox.yml'):
    """Write the source file, run ansible-inventory on it, and return the answer with the request counters."""
    source = dict(plugin='pve.ops.proxmox')
    if connection:
        source.update(api_host=sim.host, api_port=sim.port, api_user='root@pam', ca_path=sim.cafile)
    source.update(config)
    path = tmp_path / name
    text = yaml.safe_dump(source, sort_keys=False)
    path.write_text(text)
    run_env = dict((k, v) for k, v in os.environ.items() if not k.startswith('PROXMOX_'))
    run_env.update(ANSIBLE_INVENTORY_UNPARSED_FAILED='true', ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='False',
                   ANSIBLE_HOME=str(tmp_path / 'ansible-home'), PATH=BIN + os.pathsep + run_env.get('PATH', ''))
    run_env.update(env or {})
    output = tmp_path / 'inventory.json'
    if output.exists():
        output.unlink()
    sim.reset_stats()
    proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', str(path), '--output', str(output)]
                          + list(args), capture_output=True, text=True, env=run_env, timeout=120)
    return Inventory(proc, sim.stats(), output)


def test_every_guest_with_default_groups_and_one_listing_request(sim, tmp_path):
    # The password from the environment (the modules' PROXMOX_PASSWORD), the rest from the file.
    inv = inventory(sim, tmp_path, {'keyed_groups': [{'key': 'proxmox_tags', 'prefix': 'tag'}]},
                    env={'PROXMOX_PASSWORD': sim.root_password})
    assert inv.rc == 0, inv
    # Every guest but the template.
    assert inv.hosts == GUESTS
    web = inv.hostvars['web01']
    assert web == {'proxmox_vmid': 100, 'proxmox_node': 'pve1', 'proxmox_type': 'qemu', 'proxmox_status': 'running',
                   'proxmox_name': 'web01', 'proxmox_tags': ['prod', 'web'], 'proxmox_pool': 'demo',
                   'proxmox_template': False}
    assert inv.hostvars['cache01']['proxmox_pool'] is None
    assert inv.hostvars['cache01']['proxmox_type'] == 'lxc'
    # No address without want_agent_ips / want_config.
    assert not any('ansible_host' in hv or 'proxmox_config' in hv for hv in inv.hostvars.values())
    assert inv.group('proxmox_all_qemu') == {'web01', 'db01', 'build01', 'monitor01'}
    assert inv.group('proxmox_all_lxc') == {'proxy01', 'cache01'}
    assert inv.group('proxmox_pve1') == {'web01', 'build01'}
    assert inv.group('proxmox_pve2') == {'db01', 'proxy01'}
    assert inv.group('proxmox_pve3') == {'monitor01', 'cache01'}
    assert inv.group('proxmox_pool_demo') == {'web01', 'db01', 'proxy01'}
    assert inv.group('proxmox_status_running') == {'web01', 'db01', 'monitor01', 'proxy01'}
    assert inv.group('proxmox_status_stopped') == {'build01', 'cache01'}
    # keyed_groups over the tag list.
    assert inv.group('tag_prod') == {'web01', 'db01', 'proxy01'}
    assert inv.group('tag_web') == {'web01'}
    assert inv.group('tag_cache') == {'cache01'}
    # The minimum: a login and one GET /cluster/resources; nothing written.
    assert inv.stats['by_path'] == {'POST /api2/json/access/ticket': 1, 'GET /api2/json/cluster/resources': 1}
    assert inv.stats['writes'] == 0
    assert ROOT_PASSWORD not in inv.text + inv.stdout + inv.stderr


def test_filters_addresses_prefix_and_constructed_features_with_a_token(sim, tmp_path):
    inv = inventory(sim, tmp_path, {
        'api_token_id': TOKEN_ID, 'api_token_secret': TOKEN_SECRET,
        'statuses': ['running'], 'exclude_tags': ['db'], 'want_agent_ips': True, 'group_prefix': 'pve_',
        'compose': {'ansible_user': "'debian' if proxmox_type == 'qemu' else 'root'", 'vmid_text': 'proxmox_vmid | string'},
        'groups': {'webservers': "'web' in proxmox_tags", 'containers': "proxmox_type == 'lxc'"},
        'keyed_groups': [{'key': 'proxmox_node', 'prefix': 'node'}],
        'strict': True,
    }, args=('--list', '-vvv'))
    assert inv.rc == 0, inv
    # Running guests, db01 (tag db) left out.
    assert inv.hosts == {'web01', 'monitor01', 'proxy01'}
    # VMs: the agent's address; the container: its static net0 address.
    assert inv.hostvars['web01']['ansible_host'] == '192.0.2.100'
    assert inv.hostvars['web01']['proxmox_ips'] == ['192.0.2.100']
    assert inv.hostvars['monitor01']['ansible_host'] == '192.0.2.103'
    assert inv.hostvars['proxy01']['ansible_host'] == '192.0.2.200'
    assert 'proxmox_config' not in inv.hostvars['proxy01']
    assert inv.hostvars['web01']['ansible_user'] == 'debian' and inv.hostvars['proxy01']['ansible_user'] == 'root'
    assert inv.hostvars['monitor01']['vmid_text'] == '103'
    assert inv.group('webservers') == {'web01'}
    assert inv.group('containers') == {'proxy01'}
    assert inv.group('node_pve3') == {'monitor01'}
    assert inv.group('pve_all_qemu') == {'web01', 'monitor01'}
    assert inv.group('pve_status_running') == {'web01', 'monitor01', 'proxy01'}
    assert not any(g.startswith('proxmox_') for g in inv.groups())
    # A token: no login. One listing, one agent call per selected running VM, one config per container.
    assert inv.stats['by_path'] == {
        'GET /api2/json/cluster/resources': 1,
        'GET /api2/json/nodes/pve1/qemu/100/agent/network-get-interfaces': 1,
        'GET /api2/json/nodes/pve3/qemu/103/agent/network-get-interfaces': 1,
        'GET /api2/json/nodes/pve2/lxc/200/config': 1,
    }
    assert TOKEN_SECRET not in inv.text + inv.stdout + inv.stderr


def test_configs_templates_node_filter_and_name_clash(sim, tmp_path):
    # build01 (stopped) renamed web01: a cloud-init password and static address, the agent switched off, and a
    # description that looks like a template.
    sim.proxmoxer().nodes('pve1').qemu(102).config.put(
        name='web01', agent='enabled=0', ipconfig0='ip=198.51.100.12/24', cipassword='Sup3r-secret-ci',
        description="{{ lookup('ansible.builtin.pipe', 'id') }}")
    inv = inventory(sim, tmp_path, {
        'api_password': sim.root_password, 'guest_types': ['qemu'], 'nodes': ['pve1'], 'include_templates': True,
        'want_config': True, 'want_agent_ips': True})
    assert inv.rc == 0, inv
    # Two guests named web01: each named <name>-<vmid>, with a warning.
    assert inv.hosts == {'debian-12-cloudinit', 'web01-100', 'web01-102'}
    assert "share the name 'web01'" in ' '.join(inv.stderr.split())
    template = inv.hostvars['debian-12-cloudinit']
    assert template['proxmox_template'] is True and template['proxmox_config']['ciuser'] == 'debian'
    assert inv.group('proxmox_all_qemu') == inv.hosts
    other = inv.hostvars['web01-102']
    assert other['proxmox_vmid'] == 102 and other['proxmox_config']['cipassword'] == '**********'
    # What the API says is untrusted: never evaluated as a template by a play that uses it.
    raw = json.loads(inv.text)['_meta']['hostvars']['web01-102']
    assert raw['proxmox_config']['description'] == {'__ansible_unsafe': "{{ lookup('ansible.builtin.pipe', 'id') }}"}
    web = inv.hostvars['web01-100']
    assert web['proxmox_config']['tags'] == 'prod;web'
    # The agent's address wins over the config; a stopped VM falls back to its cloud-init static address.
    assert web['ansible_host'] == '192.0.2.100'
    assert other['ansible_host'] == '198.51.100.12'
    assert 'ansible_host' not in template  # ipconfig0=dhcp
    assert 'Sup3r-secret-ci' not in inv.text + inv.stdout + inv.stderr
    assert ROOT_PASSWORD not in inv.text + inv.stdout + inv.stderr
    # A config per guest; the agent only for the running VM whose config enables it.
    assert inv.stats['by_path'] == {
        'POST /api2/json/access/ticket': 1,
        'GET /api2/json/cluster/resources': 1,
        'GET /api2/json/nodes/pve1/qemu/9000/config': 1,
        'GET /api2/json/nodes/pve1/qemu/100/config': 1,
        'GET /api2/json/nodes/pve1/qemu/102/config': 1,
        'GET /api2/json/nodes/pve1/qemu/100/agent/network-get-interfaces': 1,
    }


def test_cache_vault_and_templated_options(sim, tmp_path):
    vault_file = tmp_path / 'vault-pass'
    vault_file.write_text('inventory-vault-pass\n')
    vault = VaultLib([('default', VaultSecret(b'inventory-vault-pass'))])
    encrypted = '!vault |\n' + vault.encrypt(ROOT_PASSWORD).decode()
    cache_dir = tmp_path / 'cache'
    source = tmp_path / 'proxmox.yml'
    source.write_text(
        'plugin: pve.ops.proxmox\n'
        'api_host: "{{{{ \'{0}\' }}}}"\n'
        'api_port: {1}\n'
        'api_user: root@pam\n'
        'ca_path: {2}\n'
        'api_password: {3}\n'
        'pools: [demo]\n'
        'want_config: true\n'
        'cache: true\n'
        'cache_plugin: ansible.builtin.jsonfile\n'
        'cache_connection: {4}\n'
        'cache_timeout: 600\n'.format(sim.host, sim.port, sim.cafile, encrypted.strip().replace('\n', '\n  '),
                                      cache_dir))
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith('PROXMOX_'))
    env.update(ANSIBLE_INVENTORY_UNPARSED_FAILED='true', ANSIBLE_HOME=str(tmp_path / 'ansible-home'))
    output = tmp_path / 'inventory.json'
    cmd = [os.path.join(BIN, 'ansible-inventory'), '-i', str(source), '--vault-password-file', str(vault_file),
           '--list', '--output', str(output)]

    def run(*extra):
        sim.reset_stats()
        return Inventory(subprocess.run(cmd + list(extra), capture_output=True, text=True, env=env, timeout=120),
                         sim.stats(), output)

    first = run()
    assert first.rc == 0, first
    assert first.hosts == {'web01', 'db01', 'proxy01'}
    assert first.stats['requests'] == 2 + 3  # login, listing, three configs
    # From the cache: no request at all, the same inventory.
    second = run()
    assert second.rc == 0, second
    assert second.stats['requests'] == 0
    assert second.data == first.data
    cached = ''.join(p.read_text() for p in cache_dir.iterdir())
    assert 'web01' in cached and sim.root_password not in cached
    # --flush-cache reads the API again.
    third = run('--flush-cache')
    assert third.rc == 0 and third.stats['requests'] == 5, third
    assert ROOT_PASSWORD not in first.text + first.stdout + first.stderr + second.stdout + third.stdout


def test_errors_are_clear_and_keep_secrets(sim, tmp_path):
    """Four broken sources in one ansible-inventory run: each one's warning says what is wrong, none leaks."""
    connection = dict(plugin='pve.ops.proxmox', api_host=sim.host, api_port=sim.port, api_user='root@pam',
                      ca_path=sim.cafile)
    sources = {
        'wrong.proxmox.yml': dict(connection, api_password='wrong-Pa55word'),
        'nohost.proxmox.yml': dict(plugin='pve.ops.proxmox', api_user='root@pam', api_password='x'),
        'choice.proxmox.yml': dict(connection, api_password=ROOT_PASSWORD, statuses=['runing']),
        # Only files named *proxmox.yml / *proxmox.yaml are this plugin's.
        'other.yml': dict(connection, api_password=ROOT_PASSWORD),
    }
    cmd = [os.path.join(BIN, 'ansible-inventory'), '--list']
    for name, source in sources.items():
        (tmp_path / name).write_text(yaml.safe_dump(source))
        cmd += ['-i', str(tmp_path / name)]
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith('PROXMOX_'))
    env.update(ANSIBLE_INVENTORY_ENABLED='pve.ops.proxmox', ANSIBLE_NOCOLOR='1', ANSIBLE_HOME=str(tmp_path / 'home'))
    sim.reset_stats()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    stats = sim.stats()
    warnings = ' '.join(proc.stderr.split())
    assert 'authentication failed for root@pam on {0}:{1}'.format(sim.host, sim.port) in warnings, proc.stderr
    assert 'api_host (or url) is required' in warnings, proc.stderr
    assert 'runing' in warnings and 'running' in warnings, proc.stderr
    assert 'other.yml' in warnings, proc.stderr
    assert 'wrong-Pa55word' not in proc.stdout + proc.stderr and ROOT_PASSWORD not in proc.stdout + proc.stderr
    assert set(_plain(json.loads(proc.stdout))['_meta']['hostvars']) == set()
    # Only the source with the wrong password reached the API: one refused login.
    assert stats['by_path'] == {'POST /api2/json/access/ticket': 1}


def test_lookups_in_a_playbook(sim):
    q = "query('pve.ops.resources', {0})"
    tasks = [
        {'name': 'running on pve1', 'ansible.builtin.debug': {
            'msg': "{{ " + q.format("'vm', node='pve1', status='running'") + " | map(attribute='name') | list }}"}},
        {'name': 'vm tagged prod', 'ansible.builtin.debug': {
            'msg': "{{ " + q.format("'vm', tags=['prod']") + " | map(attribute='vmid') | sort }}"}},
        {'name': 'lxc', 'ansible.builtin.debug': {
            'msg': "{{ " + q.format("'lxc'") + " | map(attribute='name') | sort }}"}},
        {'name': 'templates', 'ansible.builtin.debug': {
            'msg': "{{ " + q.format("'qemu', template=true") + " | map(attribute='vmid') | list }}"}},
        {'name': 'nodes and pools', 'ansible.builtin.debug': {
            'msg': "{{ " + q.format("'node', 'pool'") + " | map(attribute='id') | sort }}"}},
        {'name': 'nfs storage of pve2', 'ansible.builtin.debug': {
            'msg': "{{ " + q.format("'storage', node='pve2', filters={'plugintype': 'nfs'}") +
                   " | map(attribute='id') | list }}"}},
        {'name': 'by token', 'ansible.builtin.debug': {
            'msg': "{{ " + q.format("'vm', vmid=[101, 200], api_token_id='" + TOKEN_ID +
                                    "', api_token_secret='" + TOKEN_SECRET + "'") + " | map(attribute='name') | sort }}"}},
        {'name': 'lookup form', 'ansible.builtin.debug': {
            'msg': "{{ lookup('pve.ops.resources', 'lxc', name='proxy01') }}"}},
        {'name': 'nextid', 'ansible.builtin.debug': {'msg': "{{ lookup('pve.ops.nextid') }}"}},
        {'name': 'unknown type', 'ignore_errors': True, 'ansible.builtin.debug': {
            'msg': "{{ " + q.format("'vms'") + " }}"}},
        {'name': 'unknown filter', 'ignore_errors': True, 'ansible.builtin.debug': {
            'msg': "{{ " + q.format("'vm', nod='pve1'") + " }}"}},
        {'name': 'wrong password', 'ignore_errors': True, 'ansible.builtin.debug': {
            'msg': "{{ " + q.format("'vm', api_password=wrong_password") + " }}"}},
    ]
    run = run_tasks(sim, tasks, extra_env=sim.env(), verbosity=3, play_vars={'wrong_password': 'Wr0ng-lookup-pw'})
    assert run.rc == 0, run
    msg = dict((name, result.get('msg')) for name, result in run.results.items())
    assert msg['running on pve1'] == ['web01']
    assert msg['vm tagged prod'] == [100, 101, 200]
    assert msg['lxc'] == ['cache01', 'proxy01']
    assert msg['templates'] == [9000]
    assert msg['nodes and pools'] == ['node/pve1', 'node/pve2', 'node/pve3', 'pool/demo']
    assert msg['nfs storage of pve2'] == ['storage/pve2/backup-nfs']
    assert msg['by token'] == ['db01', 'proxy01']
    assert msg['lookup form']['vmid'] == 200 and msg['lookup form']['type'] == 'lxc'
    assert msg['nextid'] == 104
    assert run.status['unknown type'] == 'failed' and "unknown resource type 'vms'" in run.results['unknown type']['msg']
    assert run.status['unknown filter'] == 'failed' and 'unknown option nod' in run.results['unknown filter']['msg']
    assert run.status['wrong password'] == 'failed'
    assert 'authentication failed' in run.results['wrong password']['msg']
    # One listing per lookup, plus the login with a password; the token costs none.
    assert run.requests['running on pve1'] == 2
    assert run.requests['by token'] == 1
    assert run.requests['nextid'] == 2
    assert all(w == 0 for w in run.writes.values())
    assert ROOT_PASSWORD not in run.stdout + run.stderr + json.dumps(run.results)
    assert TOKEN_SECRET not in json.dumps(run.results)
    assert 'Wr0ng-lookup-pw' not in json.dumps(run.results['wrong password'])


# ------------------------------------------------------------------------ sources written for community.proxmox

def test_a_community_proxmox_source_runs_with_only_the_plugin_name_changed(sim, tmp_path):
    # community.proxmox's option names: url, user, a bare token_id, token_secret, validate_certs, its boolean
    # exclude_nodes, and its options at their defaults. The CA comes from the environment's bundle, as a
    # community.proxmox user trusts the cluster's certificate.
    user, name = TOKEN_ID.split('!')
    inv = inventory(sim, tmp_path, {
        'url': 'https://{0}:{1}'.format(sim.host, sim.port), 'user': user, 'token_id': name,
        'token_secret': TOKEN_SECRET, 'validate_certs': True, 'exclude_nodes': True, 'want_facts': False,
        'facts_prefix': 'proxmox_', 'filters': [], 'group_prefix': 'pve_',
        'keyed_groups': [{'key': 'proxmox_tags', 'prefix': 'tag'}],
        'compose': {'ansible_user': "'debian' if proxmox_type == 'qemu' else 'root'"}}, connection=False,
        env={'REQUESTS_CA_BUNDLE': sim.cafile, 'CURL_CA_BUNDLE': sim.cafile})
    assert inv.rc == 0, inv
    assert inv.hosts == GUESTS
    assert inv.group('pve_all_lxc') == {'proxy01', 'cache01'} and inv.group('tag_prod') == {'web01', 'db01', 'proxy01'}
    assert inv.hostvars['web01']['ansible_user'] == 'debian'
    # A token: no login request.
    assert inv.stats['by_path'] == {'GET /api2/json/cluster/resources': 1}
    assert TOKEN_SECRET not in inv.text + inv.stdout + inv.stderr


def test_community_proxmox_environment_variables(sim, tmp_path):
    # PROXMOX_URL with community's PROXMOX_USER / PROXMOX_PASSWORD; the source names only the plugin.
    env = {'PROXMOX_URL': 'https://{0}:{1}/'.format(sim.host, sim.port), 'PROXMOX_USER': 'root@pam',
           'PROXMOX_PASSWORD': sim.root_password, 'PROXMOX_CA_PATH': sim.cafile}
    inv = inventory(sim, tmp_path, {}, connection=False, env=env)
    assert inv.rc == 0, inv
    assert inv.hosts == GUESTS
    # The source's url wins over the environment's PROXMOX_HOST (a port nothing listens on).
    env.update(PROXMOX_URL='https://192.0.2.1:1', PROXMOX_HOST='192.0.2.1', PROXMOX_PORT='1')
    inv = inventory(sim, tmp_path, {'url': 'https://{0}:{1}'.format(sim.host, sim.port)}, connection=False, env=env)
    assert inv.rc == 0, inv
    assert inv.hosts == GUESTS
    # api_host given as directly as url wins over it.
    inv = inventory(sim, tmp_path, {'url': 'https://192.0.2.1:1', 'api_host': sim.host, 'api_port': sim.port},
                    connection=False, env=env)
    assert inv.rc == 0, inv
    assert ROOT_PASSWORD not in inv.text + inv.stdout + inv.stderr


@pytest.mark.parametrize('config, message', [
    ({'url': 'http://127.0.0.1:8006'}, "url: expected https://<host>[:<port>] (the Proxmox VE API is served over "
                                       "HTTPS), got 'http://127.0.0.1:8006'"),
    ({'url': 'https://127.0.0.1:8006/pve'}, 'url: expected https://<host>[:<port>] with no path'),
    ({'filters': ["proxmox_status == 'running'"], 'want_facts': True},
     'community.proxmox options with no pve.ops equivalent: filters (use statuses'),
    ({'want_facts': True}, 'want_facts (use want_config, which puts the configuration in proxmox_config)'),
])
def test_community_proxmox_options_pve_ops_cannot_honour_fail_by_name(sim, tmp_path, config, message):
    inv = inventory(sim, tmp_path, dict(config, user='root@pam', password=sim.root_password), connection=False)
    assert inv.rc != 0
    assert message in ' '.join(inv.stderr.split()), inv
    assert inv.stats['by_path'] == {}


def test_api_strings_stay_untrusted_in_a_play(sim, tmp_path):
    # Host variables are set on the hosts directly (not through the inventory's per-variable proxy): what the
    # API says must still never be evaluated as a template, in a host variable or in a compose expression.
    sim.proxmoxer().nodes('pve1').qemu(100).config.put(description="{{ lookup('ansible.builtin.pipe', 'id') }}")
    source = tmp_path / 'play.proxmox.yml'
    source.write_text(yaml.safe_dump({
        'plugin': 'pve.ops.proxmox', 'api_host': sim.host, 'api_port': sim.port, 'api_user': 'root@pam',
        'api_password': sim.root_password, 'ca_path': sim.cafile, 'want_config': True, 'nodes': ['pve1'],
        'compose': {'composed_description': 'proxmox_config.description'}}))
    out = tmp_path / 'out'
    out.mkdir()
    book = tmp_path / 'play.yml'
    book.write_text(yaml.safe_dump([{
        'hosts': 'web01', 'connection': 'local', 'gather_facts': False,
        'vars': {'ansible_python_interpreter': sys.executable},
        'tasks': [{'ansible.builtin.copy': {'content': '{{ proxmox_config.description }}|{{ composed_description }}',
                                            'dest': str(out / 'description.txt'), 'mode': '0600'}}]}]))
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith('PROXMOX_'))
    env.update(ANSIBLE_NOCOLOR='1', ANSIBLE_HOME=str(tmp_path / 'home'), PATH=BIN + os.pathsep + env.get('PATH', ''))
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', str(source), str(book)],
                          capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    literal = "{{ lookup('ansible.builtin.pipe', 'id') }}"
    assert (out / 'description.txt').read_text() == literal + '|' + literal
