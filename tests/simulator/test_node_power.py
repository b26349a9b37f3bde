# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's node power and settings (node_power.py): reboot, shutdown, wake-on-LAN, migrate-all, node config."""

import time

import pytest
from proxmoxer.core import ResourceException


def _status(api, vmid):
    return next(g for g in api.cluster.resources.get(type='vm') if g['vmid'] == vmid)


def _online(api, node):
    return next(n for n in api.cluster.status.get() if n.get('name') == node and n['type'] == 'node')['online']


def test_reboot_at_time_scale_zero_comes_back_with_onboot_guests(pvesim):
    api = pvesim.proxmoxer()
    before = api.nodes('pve1').status.get()['uptime']
    assert before > 1000
    assert api.nodes('pve1').status.post(command='reboot') is None
    assert api.nodes('pve1').status.get()['uptime'] < 5
    assert _status(api, 100)['status'] == 'running'  # onboot=1: started again
    assert _status(api, 102)['status'] == 'stopped'


def test_shutdown_stays_offline_stops_guests_and_keeps_quorum(pvesim):
    api = pvesim.proxmoxer()
    api.nodes('pve1').status.post(command='shutdown')
    with pytest.raises(ResourceException) as err:
        api.nodes('pve1').status.get()
    assert err.value.status_code == 595
    assert _online(api, 'pve1') == 0
    assert [c for c in api.cluster.status.get() if c['type'] == 'cluster'][0]['quorate'] == 1
    assert _status(api, 100)['status'] == 'unknown'  # its node is offline
    api.nodes('pve2').status.post(command='shutdown')
    assert [c for c in api.cluster.status.get() if c['type'] == 'cluster'][0]['quorate'] == 0


def test_wakeonlan_needs_a_mac_and_boots_a_node_that_was_shut_down(pvesim):
    api = pvesim.proxmoxer()
    with pytest.raises(ResourceException) as err:
        api.nodes('pve3').wakeonlan.post()
    assert "No wake on LAN MAC address defined for 'pve3'" in str(err.value)
    api.nodes('pve3').config.put(wakeonlan='mac=AA:BB:CC:00:11:22,broadcast-address=192.0.2.255')
    api.nodes('pve3').status.post(command='shutdown')
    assert _online(api, 'pve3') == 0
    assert api.nodes('pve3').wakeonlan.post() == 'aa:bb:cc:00:11:22'
    assert _online(api, 'pve3') == 1
    assert _status(api, 103)['status'] == 'running'


def test_reboot_with_time_scale_goes_offline_then_back(pvesim_factory):
    sim = pvesim_factory(time_scale=0.005)
    api = sim.proxmoxer()
    api.nodes('pve2').status.post(command='reboot')
    assert _online(api, 'pve2') == 0
    deadline = time.monotonic() + 10
    while _online(api, 'pve2') == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _online(api, 'pve2') == 1
    assert api.nodes('pve2').status.get()['uptime'] < 5


def test_migrateall_moves_the_guests_and_skips_what_cannot_go(pvesim):
    api = pvesim.proxmoxer()
    with pytest.raises(ResourceException) as err:
        api.nodes('pve1').migrateall.post(target='pve2')
    assert 'max_workers' in str(err.value)
    with pytest.raises(ResourceException) as err:
        api.nodes('pve1').migrateall.post(target='pve1', **{'max-workers': 2})
    assert err.value.status_code == 400
    upid = api.nodes('pve1').migrateall.post(target='pve2', **{'max-workers': 2})
    status = api.nodes('pve1').tasks(upid).status.get()
    assert status['status'] == 'stopped' and status['exitstatus'] == 'OK'
    log = ' '.join(line['t'] for line in api.nodes('pve1').tasks(upid).log.get())
    assert 'skip VM 100' in log and 'with-local-disks' in log  # running, local disk: skipped
    on_pve1 = sorted(g['vmid'] for g in api.cluster.resources.get(type='vm') if g['node'] == 'pve1')
    assert on_pve1 == [100]
    upid = api.nodes('pve1').migrateall.post(target='pve2', **{'max-workers': 2, 'with-local-disks': 1})
    assert _status(api, 100)['node'] == 'pve2' and _status(api, 100)['status'] == 'running'


def test_node_config_set_delete_and_digest(pvesim):
    api = pvesim.proxmoxer()
    digest = api.nodes('pve1').config.get()['digest']
    api.nodes('pve1').config.put(description='rack 4', **{'startall-onboot-delay': 10, 'digest': digest})
    got = api.nodes('pve1').config.get()
    assert got['description'] == 'rack 4' and got['startall-onboot-delay'] == 10 and got['digest'] != digest
    with pytest.raises(ResourceException) as err:
        api.nodes('pve1').config.put(description='x', digest=digest)
    assert 'detected modified configuration' in str(err.value)
    api.nodes('pve1').config.put(delete='startall-onboot-delay')
    assert 'startall-onboot-delay' not in api.nodes('pve1').config.get()
    with pytest.raises(ResourceException) as err:
        api.nodes('pve1').config.put(**{'ballooning-target': 101})
    assert err.value.status_code == 400
