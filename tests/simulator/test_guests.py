# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's guest additions (pvesim/guests.py) through real proxmoxer: migrate, resize, rrddata, consoles,
disks added by a config change; and the fakepve behaviour the guest modules rely on (nextid, clone,
delete with purge)."""

import pytest
from proxmoxer.core import ResourceException

GIB = 1024 ** 3


def wait_ok(api, upid):
    node = upid.split(':')[1]
    status = api.nodes(node).tasks(upid).status.get()
    assert status['status'] == 'stopped' and status['exitstatus'] == 'OK', (status, api.nodes(node).tasks(upid).log.get())
    return status


def test_migrate_moves_the_vm(pvesim):
    api = pvesim.proxmoxer()
    upid = api.nodes('pve1').qemu(102).migrate.post(target='pve3')
    assert ':qmigrate:102:' in upid
    wait_ok(api, upid)
    where = dict((g['vmid'], g['node']) for g in api.cluster.resources.get(type='vm'))
    assert where[102] == 'pve3'
    assert api.nodes('pve3').qemu(102).config.get()['name'] == 'build01'
    with pytest.raises(ResourceException) as gone:
        api.nodes('pve1').qemu(102).config.get()
    assert gone.value.status_code == 500
    log = [line['t'] for line in api.nodes('pve1').tasks(upid).log.get()]
    assert "starting migration of VM 102 to node 'pve3'" in log[0] and log[-1] == 'TASK OK'


def test_migrate_refusals_and_live_migration(pvesim):
    api = pvesim.proxmoxer()
    vm = api.nodes('pve1').qemu(100)
    with pytest.raises(ResourceException) as same:
        vm.migrate.post(target='pve1')
    assert same.value.status_code == 400 and 'target is local node' in str(same.value.errors)
    with pytest.raises(ResourceException) as unknown:
        vm.migrate.post(target='pve9')
    assert unknown.value.status_code == 500
    with pytest.raises(ResourceException) as offline:
        vm.migrate.post(target='pve2')
    assert "can't migrate running VM without --online" in offline.value.content
    with pytest.raises(ResourceException) as local:
        vm.migrate.post(target='pve2', online=1)
    assert 'with-local-disks' in local.value.content
    wait_ok(api, vm.migrate.post(target='pve2', online=1, **{'with-local-disks': 1}))
    status = api.nodes('pve2').qemu(100).status.current.get()
    assert status['status'] == 'running'
    pvesim.call(pvesim.pve.snapshot_lock, 103, 'backup')
    with pytest.raises(ResourceException) as locked:
        api.nodes('pve3').qemu(103).migrate.post(target='pve1', online=1, **{'with-local-disks': 1})
    assert 'VM is locked (backup)' in locked.value.content


def test_resize_grows_and_never_shrinks(pvesim):
    api = pvesim.proxmoxer()
    vm = api.nodes('pve1').qemu(102)
    before = pvesim.call(lambda: dict(pvesim.pve.storages['local-lvm']['volumes']['vm-102-disk-0']))
    assert before['size'] == 32 * GIB
    upid = vm.resize.put(disk='scsi0', size='40G')
    assert ':resize:102:' in upid
    wait_ok(api, upid)
    assert vm.config.get()['scsi0'] == 'local-lvm:vm-102-disk-0,size=40G'
    wait_ok(api, vm.resize.put(disk='scsi0', size='+2G'))
    assert vm.config.get()['scsi0'].endswith('size=42G')
    assert pvesim.call(lambda: pvesim.pve.storages['local-lvm']['volumes']['vm-102-disk-0']['size']) == 42 * GIB
    with pytest.raises(ResourceException) as shrink:
        vm.resize.put(disk='scsi0', size='10G')
    assert shrink.value.status_code == 500 and 'shrinking disks is not supported' in shrink.value.content
    with pytest.raises(ResourceException) as cdrom:
        vm.resize.put(disk='ide2', size='10G')
    assert "you can't resize a cdrom" in cdrom.value.content
    with pytest.raises(ResourceException) as missing:
        vm.resize.put(disk='scsi5', size='10G')
    assert "disk 'scsi5' does not exist" in missing.value.content


def test_rrddata_series(pvesim):
    api = pvesim.proxmoxer()
    hour = api.nodes('pve1').qemu(100).rrddata.get(timeframe='hour')
    assert len(hour) == 70 and hour[1]['time'] - hour[0]['time'] == 60
    assert all(p['maxmem'] == 4096 * 1024 ** 2 and p['maxcpu'] == 2 for p in hour)
    latest = hour[-1]
    assert 0 < latest['cpu'] <= 1 and 0 < latest['mem'] <= latest['maxmem'] and latest['netin'] > 0
    peak = api.nodes('pve1').qemu(100).rrddata.get(timeframe='hour', cf='MAX')[-1]
    assert peak['time'] == latest['time'] and peak['cpu'] >= latest['cpu'] and peak['netin'] >= latest['netin']
    for timeframe, step in (('day', 1800), ('week', 10800), ('month', 43200), ('year', 604800)):
        series = api.nodes('pve1').qemu(100).rrddata.get(timeframe=timeframe)
        assert len(series) == 70 and series[-1]['time'] - series[-2]['time'] == step
    stopped = api.nodes('pve1').qemu(102).rrddata.get(timeframe='hour')
    assert all('cpu' not in p for p in stopped)
    ct = api.nodes('pve2').lxc(200).rrddata.get(timeframe='hour')
    assert len(ct) == 70 and ct[-1]['maxmem'] == 512 * 1024 ** 2 and ct[-1]['cpu'] > 0
    with pytest.raises(ResourceException) as wrong_node:
        api.nodes('pve2').qemu(100).rrddata.get(timeframe='hour')
    assert wrong_node.value.status_code == 500
    with pytest.raises(ResourceException) as bad:
        api.nodes('pve1').qemu(100).rrddata.get(timeframe='decade')
    assert bad.value.status_code == 400


def test_consoles(pvesim):
    api = pvesim.proxmoxer()
    vnc = api.nodes('pve1').qemu(100).vncproxy.post(websocket=1)
    assert vnc['ticket'].startswith('PVEVNC:') and vnc['cert'].startswith('-----BEGIN CERTIFICATE-----')
    spice = api.nodes('pve1').qemu(100).spiceproxy.post()
    assert spice['type'] == 'spice' and spice['tls-port'] > 0 and spice['proxy'] == 'http://pve1:3128'
    assert spice['password'] and spice['host'].startswith('pvespiceproxy:')
    with pytest.raises(ResourceException) as stopped:
        api.nodes('pve1').qemu(102).spiceproxy.post()
    assert 'VM 102 not running' in stopped.value.content
    term = api.nodes('pve2').lxc(200).termproxy.post()
    assert term['ticket'].startswith('PVEVNC:') and term['user'] == 'root@pam' and term['port'] >= 5900
    assert ':termproxy:200:' in term['upid']
    ctvnc = api.nodes('pve2').lxc(200).vncproxy.post(websocket=1)
    assert ctvnc['cert'].startswith('-----BEGIN') and ':vncproxy:200:' in ctvnc['upid']
    assert ctvnc['ticket'] != term['ticket']


def test_config_change_allocates_new_disks(pvesim):
    api = pvesim.proxmoxer()
    stopped = api.nodes('pve1').qemu(102)
    stopped.config.put(scsi1='local-lvm:4,discard=on')
    assert stopped.config.get()['scsi1'] == 'local-lvm:vm-102-disk-1,discard=on,size=4G'
    assert pvesim.call(lambda: pvesim.pve.storages['local-lvm']['volumes']['vm-102-disk-1']['size']) == 4 * GIB
    running = api.nodes('pve1').qemu(100)
    running.config.put(scsi1='local-lvm:2')
    pending = dict((item['key'], item) for item in running.pending.get())
    assert pending['scsi1']['pending'] == 'local-lvm:vm-100-disk-1,size=2G'
    with pytest.raises(ResourceException) as nostore:
        stopped.config.put(scsi2='nowhere:4')
    assert nostore.value.status_code in (400, 500)
    assert 'scsi2' not in stopped.config.get()


def test_fakepve_guest_behaviour_the_modules_use(pvesim):
    api = pvesim.proxmoxer()
    assert int(api.cluster.nextid.get()) == 104
    wait_ok(api, api.nodes('pve1').qemu(9000).clone.post(newid=104, name='c1', full=1))
    assert int(api.cluster.nextid.get()) == 105
    assert api.nodes('pve1').qemu(104).config.get()['scsi0'].startswith('local-lvm:vm-104-disk-0')
    upid = api.nodes('pve1').qemu(104).delete(purge=1)
    wait_ok(api, upid)
    assert 104 not in [g['vmid'] for g in api.cluster.resources.get(type='vm')]
    assert 'purging VM 104' in api.nodes('pve1').tasks(upid).log.get()[0]['t']
