# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's HA resources and HA status through real proxmoxer."""

import pytest
from proxmoxer.core import ResourceException


def _status(px, sid):
    return [e for e in px.cluster.ha.status.current.get() if e.get('sid') == sid]


def test_ha_resource_crud_errors_and_digest(pvesim):
    px = pvesim.proxmoxer()
    ha = px.cluster.ha.resources
    assert ha.get() == []
    ha.post(sid='102', max_restart=2, comment='build box')  # bare vmid: the type is looked up
    ha.post(sid='ct:201', state='stopped')
    listed = ha.get()
    assert [e['sid'] for e in listed] == ['ct:201', 'vm:102']
    assert ha.get(type='ct')[0]['sid'] == 'ct:201'
    entry = ha('vm:102').get()
    assert entry['state'] == 'started' and entry['max_restart'] == 2 and entry['comment'] == 'build box'
    assert entry['type'] == 'vm' and entry['digest'] == listed[0]['digest']
    # state started: the CRM starts the stopped guest, and the guest shows as HA managed
    assert px.nodes('pve1').qemu(102).status.current.get()['status'] == 'running'
    assert px.nodes('pve1').qemu(102).status.current.get()['ha'] == {'managed': 1, 'state': 'started'}
    with pytest.raises(ResourceException) as err:
        ha.post(sid='vm:102')
    assert "resource ID 'vm:102' already defined" in str(err.value)
    with pytest.raises(ResourceException) as err:
        ha.post(sid='vm:999')
    assert err.value.status_code == 500 and 'does not exist' in str(err.value)
    with pytest.raises(ResourceException) as err:
        ha('vm:103').get()
    assert "no such resource 'vm:103'" in str(err.value)
    with pytest.raises(ResourceException) as err:
        ha('vm:103').delete()
    assert "cannot delete service 'vm:103', not HA managed!" in str(err.value)
    with pytest.raises(ResourceException) as err:
        ha.post(sid='web01')
    assert err.value.status_code == 400
    # update: digest, delete, state; a stale digest is refused
    with pytest.raises(ResourceException) as err:
        ha('vm:102').put(comment='x', digest='0' * 40)
    assert 'detected modified configuration' in str(err.value)
    ha('vm:102').put(state='stopped', delete='comment', digest=entry['digest'])
    entry = ha('vm:102').get()
    assert entry['state'] == 'stopped' and 'comment' not in entry
    assert px.nodes('pve1').qemu(102).status.current.get()['status'] == 'stopped'
    # status: quorum, master, one lrm per node, one service per resource
    current = px.cluster.ha.status.current.get()
    ids = [e['id'] for e in current]
    assert ids[:2] == ['quorum', 'master'] and 'lrm:pve3' in ids
    assert set(i for i in ids if i.startswith('service:')) == {'service:vm:102', 'service:ct:201'}
    service = _status(px, 'vm:102')[0]
    assert service['request_state'] == 'stopped' and service['node'] == 'pve1' and service['max_restart'] == 2
    manager = px.cluster.ha.status.manager_status.get()
    assert set(manager['manager_status']['service_status']) == {'vm:102', 'ct:201'}
    # delete: the resource goes, the guest stays as it is
    ha('vm:102').delete()
    assert [e['sid'] for e in ha.get()] == ['ct:201']
    guest = px.nodes('pve1').qemu(102).status.current.get()
    assert guest['status'] == 'stopped' and guest['ha'] == {'managed': 0}


def test_ha_start_of_a_managed_guest_goes_through_ha(pvesim):
    px = pvesim.proxmoxer()
    px.cluster.ha.resources.post(sid='vm:100', state='stopped')
    assert px.nodes('pve1').qemu(100).status.current.get()['status'] == 'stopped'
    upid = px.nodes('pve1').qemu(100).status.start.post()
    assert ':hastart:' in upid
    assert px.cluster.ha.resources('vm:100').get()['state'] == 'started'
    # ignored: the HA stack leaves the guest alone and its requests bypass HA
    px.cluster.ha.resources('vm:100').put(state='ignored')
    upid = px.nodes('pve1').qemu(100).status.stop.post()
    assert ':qmstop:' in upid
    assert px.cluster.ha.resources('vm:100').get()['state'] == 'ignored'
    assert not _status(px, 'vm:100')
