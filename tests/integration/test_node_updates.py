# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.node_updates through real ansible-playbook against pvesim, its SSH endpoints included (demo seed: each
node has two pending updates, pve-manager and tzdata)."""

from tests.helpers.playbook import quartet, run_tasks

MODULE = 'pve.ops.node_updates'
KERNEL = {'Package': 'proxmox-kernel-6.17.2-2-pve-signed', 'Title': 'Proxmox Kernel Image (signed)',
          'Origin': 'Proxmox', 'Section': 'admin', 'Priority': 'optional', 'Arch': 'amd64',
          'OldVersion': '6.17.2-1', 'Version': '6.17.2-2', 'Description': 'The Proxmox kernel.'}


def ssh(sim, node, **extra):
    endpoint = sim.call(lambda: dict(sim.pve.ssh_endpoints[node]))
    return dict({'ssh_host': endpoint['host'], 'ssh_port': endpoint['port'], 'ssh_password': sim.root_password,
                 'ssh_host_key_fingerprint': endpoint['fingerprint']}, **extra)


def _pending(sim, node):
    return sorted(p['Package'] for p in sim.proxmoxer().nodes(node).apt.update.get())


def test_latest_quartet_installs_over_ssh(pvesim):
    run = quartet(pvesim, MODULE, dict({'node': 'pve2', 'state': 'latest'}, **ssh(pvesim, 'pve2')))
    check, apply = run.results['t check'], run.results['t apply']
    want = [{'package': 'pve-manager', 'old_version': '9.2.0', 'version': '9.2.1'},
            {'package': 'tzdata', 'old_version': '2025b-4', 'version': '2025b-4+deb13u1'}]
    assert check['upgraded'] == want and check['reboot_required'] is None
    assert apply['upgraded'] == want and apply['updates'] == [] and apply['reboot_required'] is False
    assert run.results['t idem']['upgraded'] == [] and run.results['t idem']['reboot_required'] is False
    assert _pending(pvesim, 'pve2') == [] and _pending(pvesim, 'pve1') == ['pve-manager', 'tzdata']
    assert 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' not in str(apply.get('upgraded'))


def test_a_kernel_update_asks_for_a_reboot_and_the_reboot_clears_it(pvesim):
    pvesim.call(lambda: pvesim.pve.node_conf('pve3').__setitem__('apt_updates', [KERNEL]))
    run = run_tasks(pvesim, [
        {'name': 'list', MODULE: {'node': 'pve3', 'refresh': True, 'changelogs': True}},
        {'name': 'up', MODULE: dict({'node': 'pve3', 'state': 'latest'}, **ssh(pvesim, 'pve3'))},
        {'name': 'reboot', 'pve.ops.node': {'node': 'pve3', 'state': 'restarted', 'force': True}},
        {'name': 'after', MODULE: dict({'node': 'pve3', 'state': 'latest'}, **ssh(pvesim, 'pve3'))},
    ])
    r = run.results
    assert r['list']['changed'] is False and r['list']['tasks'] and run.writes['list'] == 1  # the refresh task
    assert r['list']['updates'][0]['package'] == KERNEL['Package'] and '6.17.2-2' in r['list']['updates'][0]['changelog']
    assert r['up']['changed'] and r['up']['reboot_required'] is True
    assert r['after']['changed'] is False and r['after']['reboot_required'] is False


def test_the_host_key_is_verified_and_nothing_runs_otherwise(pvesim, tmp_path):
    other = pvesim.call(lambda: dict(pvesim.pve.ssh_endpoints['pve1']))['fingerprint']
    empty = tmp_path / 'known_hosts'
    empty.write_text('')
    run = run_tasks(pvesim, [
        {'name': 'wrong key', MODULE: dict({'node': 'pve2', 'state': 'latest'},
                                           **ssh(pvesim, 'pve2', ssh_host_key_fingerprint=other)),
         'ignore_errors': True},
        {'name': 'unknown host', MODULE: dict({'node': 'pve2', 'state': 'latest', 'ssh_known_hosts': str(empty)},
                                              **dict((k, v) for k, v in ssh(pvesim, 'pve2').items()
                                                     if k != 'ssh_host_key_fingerprint')),
         'ignore_errors': True},
        {'name': 'bad password', MODULE: dict({'node': 'pve2', 'state': 'latest'},
                                              **ssh(pvesim, 'pve2', ssh_password='nope')), 'ignore_errors': True},
    ])
    for name in ('wrong key', 'unknown host'):
        assert run.results[name]['failed'] and 'host key' in run.results[name]['msg'], run.results[name]
    assert run.results['bad password']['failed'] and 'permission denied' in run.results['bad password']['msg']
    assert 'nope' not in str(run.results['bad password'])
    assert _pending(pvesim, 'pve2') == ['pve-manager', 'tzdata']


def test_known_hosts_file_is_accepted(pvesim, tmp_path):
    endpoint = pvesim.call(lambda: dict(pvesim.pve.ssh_endpoints['pve1']))
    known = tmp_path / 'known_hosts'
    known.write_text('[{0}]:{1} {2}\n'.format(endpoint['host'], endpoint['port'], endpoint['public_key']))
    args = dict({'node': 'pve1', 'state': 'latest', 'ssh_known_hosts': str(known)}, **ssh(pvesim, 'pve1'))
    del args['ssh_host_key_fingerprint']
    run = run_tasks(pvesim, [{'name': 'up', MODULE: args}])
    assert run.results['up']['changed'] and _pending(pvesim, 'pve1') == []
