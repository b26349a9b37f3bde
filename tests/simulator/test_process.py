# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim.process.SimProcess: a simulator in a process of its own, reached over HTTPS like the in-process one."""

import os

import requests

from pvesim.process import SimProcess


def test_a_simulator_in_its_own_process_answers_and_stops():
    with SimProcess(seed='empty', root_password='process-secret') as sim:
        assert sim.host == '127.0.0.1' and sim.port > 0 and os.path.exists(sim.cafile)
        api = sim.proxmoxer()
        assert [n['node'] for n in api.nodes.get()]
        env = sim.env()
        assert env['PROXMOX_PORT'] == str(sim.port) and env['PROXMOX_PASSWORD'] == 'process-secret'
        stats = requests.get(sim.url + '/_sim/stats', verify=sim.cafile, timeout=10).json()
        assert stats['by_path']['GET /api2/json/nodes'] == 1  # after the login and the node listing, counted by the other process
        proc, folder = sim._proc, sim._dir
    assert proc.poll() is not None, 'the simulator process still runs after stop()'
    assert not os.path.exists(folder)
