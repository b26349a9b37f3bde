# SPDX-License-Identifier: AGPL-3.0-or-later
"""The pytest handle: call(), env(), the factory, and a stop that never hangs."""

import threading
import time

import proxmoxer
import pytest
import requests

from pvesim.testing import SimServer, serve


def test_handle_attributes_and_env(pvesim):
    assert pvesim.url == 'https://127.0.0.1:{0}'.format(pvesim.port) and pvesim.host == '127.0.0.1'
    assert pvesim.port > 0 and pvesim.root_password == 'demo-root-secret' and pvesim.cafile.endswith('pvesim.crt')
    assert pvesim.env() == {'PROXMOX_HOST': '127.0.0.1', 'PROXMOX_PORT': str(pvesim.port),
                            'PROXMOX_USER': 'root@pam', 'PROXMOX_PASSWORD': 'demo-root-secret',
                            'PROXMOX_CA_PATH': pvesim.cafile, 'PROXMOX_VALIDATE_CERTS': 'true'}


def test_call_runs_functions_and_coroutines_on_the_loop(pvesim):
    assert pvesim.call(threading.current_thread).name.startswith('pvesim-')
    assert pvesim.call(lambda a, b: a + b, 2, 3) == 5
    upid = pvesim.call(pvesim.pve.backup(100))
    assert upid.startswith('UPID:pve1:') and ':vzdump:100:' in upid
    assert pvesim.call(pvesim.pve.migrate, 102, 'pve2').startswith('UPID:pve1:')
    assert pvesim.proxmoxer().cluster.resources.get(type='vm')  # still serving
    assert pvesim.call(lambda: pvesim.pve.vm(102).node) == 'pve2'
    with pytest.raises(ZeroDivisionError):
        pvesim.call(lambda: 1 / 0)


def test_factory_time_scale(pvesim_factory):
    sim = pvesim_factory(seed='empty', time_scale=0.01)
    assert sim.call(lambda: sim.pve.time_scale) == 0.01
    api = sim.proxmoxer()
    upid = api.nodes('pve1').qemu.post(vmid=100, name='slow', memory=512)
    assert api.nodes('pve1').tasks(upid).status.get()['status'] in ('running', 'stopped')


def test_stop_is_bounded_with_requests_hanging(pvesim_pki):
    sim = serve(*pvesim_pki, seed='empty')
    sim.call(sim.pve.flaky_network, 0.0, 1.0, 600)
    hung = threading.Thread(target=lambda: _swallow(requests.get, sim.url + '/api2/json/version',
                                                    verify=sim.cafile, timeout=30), daemon=True)
    hung.start()
    time.sleep(0.3)
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 5
    assert not sim._thread.is_alive() and sim._loop.is_closed()
    sim.stop()  # twice is harmless


def test_stop_cancels_time_scaled_tasks(pvesim_pki):
    sim = serve(*pvesim_pki, time_scale=1.0)
    api = sim.proxmoxer()
    sim.call(lambda: setattr(sim.pve.vm(100), 'shutdown_secs', 3600))
    api.nodes('pve1').qemu(100).status.shutdown.post()
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 5
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(sim.url + '/api2/json/version', verify=sim.cafile, timeout=5)


def test_servers_are_independent(pvesim, pvesim_factory):
    other = pvesim_factory()
    assert isinstance(other, SimServer) and other.port != pvesim.port
    other.proxmoxer().nodes('pve1').qemu(102).status.start.post()
    assert pvesim.proxmoxer().nodes('pve1').qemu(102).status.current.get()['status'] == 'stopped'
    with pytest.raises(proxmoxer.ResourceException):
        pvesim.proxmoxer().nodes('pve1').qemu(999).status.current.get()


def _swallow(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception:
        pass
