# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's SSH endpoints (node_ssh.py): the host key, the commands it models, what it refuses."""

import asyncio

import asyncssh

UPGRADE = ('env DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Options::=--force-confdef '
           '-o Dpkg::Options::=--force-confold dist-upgrade')


def _run(sim, node, command, password=None):
    endpoint = sim.call(lambda: dict(sim.pve.ssh_endpoints[node]))
    key = asyncssh.import_public_key(endpoint['public_key'])

    async def main():
        async with asyncssh.connect(endpoint['host'], endpoint['port'], username='root',
                                    password=password or sim.root_password, known_hosts=([key], [], []),
                                    client_keys=None, agent_path=None) as conn:
            return await conn.run(command, check=False)
    return asyncio.run(main())


def test_each_node_has_its_own_endpoint_and_host_key(pvesim):
    endpoints = pvesim.call(lambda: dict(pvesim.pve.ssh_endpoints))
    assert sorted(endpoints) == ['pve1', 'pve2', 'pve3']
    assert len(set(e['port'] for e in endpoints.values())) == 3
    assert len(set(e['fingerprint'] for e in endpoints.values())) == 3
    assert all(e['host'] == '127.0.0.1' and e['fingerprint'].startswith('SHA256:') for e in endpoints.values())


def test_upgrade_clears_the_pending_updates_and_the_marker_follows(pvesim):
    done = _run(pvesim, 'pve1', 'test -e /run/reboot-required')
    assert done.exit_status == 1
    done = _run(pvesim, 'pve1', UPGRADE)
    assert done.exit_status == 0 and 'Setting up pve-manager (9.2.1) ...' in done.stdout
    assert '2 upgraded, 0 newly installed' in done.stdout
    assert pvesim.proxmoxer().nodes('pve1').apt.update.get() == []
    assert '0 upgraded' in _run(pvesim, 'pve1', UPGRADE).stdout


def test_other_commands_are_refused_clearly(pvesim):
    for command in ('ls /', 'apt-get -y dist-upgrade; rm -rf /', 'cat /etc/shadow'):
        done = _run(pvesim, 'pve2', command)
        assert done.exit_status == 127 and 'pvesim: command not modelled' in done.stderr
    assert len(pvesim.proxmoxer().nodes('pve2').apt.update.get()) == 2


def test_a_wrong_password_is_refused_and_an_offline_node_answers_no_session(pvesim):
    try:
        _run(pvesim, 'pve3', 'test -e /run/reboot-required', password='wrong')
    except asyncssh.PermissionDenied:
        pass
    else:
        raise AssertionError('a wrong password logged in')
    pvesim.proxmoxer().nodes('pve3').status.post(command='shutdown')
    assert _run(pvesim, 'pve3', UPGRADE).exit_status == 255


def test_apt_update_is_a_task(pvesim):
    api = pvesim.proxmoxer()
    upid = api.nodes('pve1').apt.update.post()
    status = api.nodes('pve1').tasks(upid).status.get()
    assert status['type'] == 'aptupdate' and status['exitstatus'] == 'OK'
