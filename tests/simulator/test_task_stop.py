# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's DELETE /nodes/{node}/tasks/{upid} through real proxmoxer: stop, idempotent stop, PVE's errors."""

import time

import pytest
from proxmoxer.core import ResourceException


def _status(px, node, upid):
    return px.nodes(node).tasks(upid).status.get()


def _until_stopped(px, node, upid, secs=5):
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        status = _status(px, node, upid)
        if status['status'] == 'stopped':
            return status
        time.sleep(0.05)
    raise AssertionError('task still running: ' + upid)


def test_stop_running_tasks_releases_locks_and_logs(pvesim_factory):
    sim = pvesim_factory(seed='demo', time_scale=0.05)
    sim.call(lambda: setattr(sim.pve, 'vzdump_secs', 600))
    sim.call(lambda: setattr(sim.pve.vm(102), 'start_secs', 600))
    px = sim.proxmoxer()
    backup = px.nodes('pve1').vzdump.post(vmid='100', storage='backup-nfs')
    start = px.nodes('pve1').qemu(102).status.start.post()
    time.sleep(0.2)
    assert _status(px, 'pve1', backup)['status'] == 'running'
    assert px.nodes('pve1').qemu(100).config.get().get('lock') == 'backup'
    assert px.nodes('pve1').tasks(backup).delete() is None
    assert px.nodes('pve1').tasks(start).delete() is None
    stopped = _until_stopped(px, 'pve1', backup)
    assert stopped['exitstatus'] == 'interrupted by signal'
    log = [line['t'] for line in px.nodes('pve1').tasks(backup).log.get()]
    assert log[-1] == 'TASK ERROR: interrupted by signal'
    assert 'lock' not in px.nodes('pve1').qemu(100).config.get()
    assert _until_stopped(px, 'pve1', start)['exitstatus'] == 'received interrupt'
    assert px.nodes('pve1').qemu(102).status.current.get()['status'] == 'stopped'
    # The config lock is free again: another action on VM 102 starts and finishes.
    sim.call(lambda: setattr(sim.pve.vm(102), 'start_secs', 0))
    again = px.nodes('pve1').qemu(102).status.start.post()
    assert _until_stopped(px, 'pve1', again)['exitstatus'] == 'OK'
    # A stopped task: success, nothing changes.
    assert px.nodes('pve1').tasks(backup).delete() is None
    assert _status(px, 'pve1', backup)['exitstatus'] == 'interrupted by signal'


def test_stop_errors_as_pve(pvesim):
    px = pvesim.proxmoxer()
    upid = px.nodes('pve1').qemu(100).status.stop.post()
    with pytest.raises(ResourceException) as bad:
        px.nodes('pve1').tasks('UPID:nonsense').delete()
    assert bad.value.status_code == 400 and bad.value.errors == {'upid': 'unable to parse worker upid'}
    for node, task in (('pve2', upid), ('pve1', upid.replace(':qmstop:', ':qmstart:'))):
        with pytest.raises(ResourceException) as unknown:
            px.nodes(node).tasks(task).delete()
        assert unknown.value.status_code == 400 and unknown.value.errors == {'upid': 'no such task'}
    with pytest.raises(ResourceException) as status:
        px.nodes('pve2').tasks(upid).status.get()
    assert status.value.errors == {'upid': 'no such task'}


def test_stop_needs_sys_modify_unless_owner(pvesim_factory):
    sim = pvesim_factory(seed='demo', time_scale=0.05)
    sim.call(lambda: setattr(sim.pve, 'vzdump_secs', 600))
    root = sim.proxmoxer()
    root.access.users.post(userid='ops@pve', password='secret-pass-1')
    root.access.acl.put(path='/', roles='PVEAuditor', users='ops@pve')
    upid = root.nodes('pve1').vzdump.post(vmid='100', storage='backup-nfs')
    ops = sim.proxmoxer(user='ops@pve', password='secret-pass-1')
    with pytest.raises(ResourceException) as denied:
        ops.nodes('pve1').tasks(upid).delete()
    assert denied.value.status_code == 403
    assert _status(root, 'pve1', upid)['status'] == 'running'
    root.access.acl.put(path='/nodes/pve1', roles='Administrator', users='ops@pve')
    ops.nodes('pve1').tasks(upid).delete()
    assert _until_stopped(root, 'pve1', upid)['exitstatus'] == 'interrupted by signal'
