# SPDX-License-Identifier: AGPL-3.0-or-later
"""Container behaviour the modules rely on, through real proxmoxer against the demo simulator.

fakepve's own modelling (create, clone, power, migrate, resize, destroy) is checked here as the
modules use it; pvesim.containers adds volume bookkeeping, purge of backup jobs and pending changes
applied by a restart migration.
"""

import time

import pytest
from proxmoxer.core import ResourceException

TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst'


def wait(api, upid, timeout=10):
    node = upid.split(':')[1]
    deadline = time.monotonic() + timeout
    while True:
        status = api.nodes(node).tasks(upid).status.get()
        if status['status'] == 'stopped':
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.05)


def log(api, upid):
    node = upid.split(':')[1]
    return [line['t'] for line in api.nodes(node).tasks(upid).log.get()]


def test_create_clone_resize_destroy(pvesim):
    api = pvesim.proxmoxer()
    vmid = int(api.cluster.nextid.get())
    upid = api.nodes('pve1').lxc.post(vmid=vmid, ostemplate=TEMPLATE, hostname='web02', storage='local-lvm',
                                      rootfs='local-lvm:4', net0='name=eth0,bridge=vmbr0,ip=dhcp')
    assert wait(api, upid)['exitstatus'] == 'OK'
    config = api.nodes('pve1').lxc(vmid).config.get()
    assert config['rootfs'] == 'local-lvm:vm-{0}-disk-0,size=4G'.format(vmid)
    assert 'hwaddr=' in config['net0'] and config['hostname'] == 'web02'
    assert {'name': 'web02', 'vmid': vmid, 'node': 'pve1'}.items() <= next(
        r for r in api.cluster.resources.get(type='vm') if r['vmid'] == vmid).items()

    # Resize grows; shrinking and the same size are refused before the task, with PVE's words.
    upid = api.nodes('pve1').lxc(vmid).resize.put(disk='rootfs', size='6G')
    assert wait(api, upid)['exitstatus'] == 'OK'
    assert api.nodes('pve1').lxc(vmid).config.get()['rootfs'].endswith('size=6G')
    with pytest.raises(ResourceException) as err:
        api.nodes('pve1').lxc(vmid).resize.put(disk='rootfs', size='2G')
    assert 'unable to shrink disk size' in str(err.value)

    # A full clone of a stopped container, placed on the same node.
    upid = api.nodes('pve1').lxc(vmid).clone.post(newid=vmid + 1, hostname='web03', full=1)
    assert wait(api, upid)['exitstatus'] == 'OK'
    clone = api.nodes('pve1').lxc(vmid + 1).config.get()
    assert clone['hostname'] == 'web03' and clone['rootfs'].startswith('local-lvm:vm-{0}-disk-0'.format(vmid + 1))
    assert clone['net0'] != config['net0']  # a new MAC

    # Destroying a running container needs force.
    upid = api.nodes('pve1').lxc(vmid).status.start.post()
    assert wait(api, upid)['exitstatus'] == 'OK'
    with pytest.raises(ResourceException) as err:
        api.nodes('pve1').lxc(vmid).delete()
    assert 'container is running' in str(err.value)
    upid = api.nodes('pve1').lxc(vmid).delete(force=1, purge=1)
    assert wait(api, upid)['exitstatus'] == 'OK'
    assert vmid not in [r['vmid'] for r in api.cluster.resources.get(type='vm')]


def test_resize_grows_the_registered_volume(pvesim):
    api = pvesim.proxmoxer()

    def volume():
        content = api.nodes('pve3').storage('local-lvm').content.get()
        return next(v for v in content if v['volid'] == 'local-lvm:vm-201-disk-0')
    assert volume()['size'] == 16 * 1024 ** 3
    upid = api.nodes('pve3').lxc(201).resize.put(disk='rootfs', size='+4G')
    assert wait(api, upid)['exitstatus'] == 'OK'
    assert api.nodes('pve3').lxc(201).config.get()['rootfs'].endswith('size=20G')
    assert volume()['size'] == 20 * 1024 ** 3


def test_destroy_frees_volumes_and_purge_leaves_backup_jobs(pvesim):
    api = pvesim.proxmoxer()
    api.cluster.backup.post(id='nightly', schedule='02:00', storage='backup-nfs', vmid='201,100')
    api.cluster.backup.post(id='cache-only', schedule='03:00', storage='backup-nfs', vmid='201')
    upid = api.nodes('pve3').lxc(201).delete(purge=1)
    assert wait(api, upid)['exitstatus'] == 'OK'
    jobs = dict((j['id'], j) for j in api.cluster.backup.get())
    assert jobs['nightly']['vmid'] == '100' and 'cache-only' not in jobs
    content = [v['volid'] for v in api.nodes('pve3').storage('local-lvm').content.get()]
    assert 'local-lvm:vm-201-disk-0' not in content

    # Without purge the jobs keep the vmid.
    api.cluster.backup.post(id='web', schedule='04:00', storage='backup-nfs', vmid='102')
    upid = api.nodes('pve1').qemu(102).delete()
    wait(api, upid)
    vmid = int(api.cluster.nextid.get())
    wait(api, api.nodes('pve1').lxc.post(vmid=vmid, ostemplate=TEMPLATE, storage='local-lvm'))
    api.cluster.backup('web').put(vmid='{0}'.format(vmid))
    wait(api, api.nodes('pve1').lxc(vmid).delete())
    assert dict((j['id'], j) for j in api.cluster.backup.get())['web']['vmid'] == str(vmid)


def test_restart_migration_moves_and_applies_pending(pvesim):
    api = pvesim.proxmoxer()
    # A running container takes memory at once, but not a new nameserver: that waits in pending.
    api.nodes('pve2').lxc(200).config.put(nameserver='192.0.2.53', memory=1024)
    pending = dict((p['key'], p) for p in api.nodes('pve2').lxc(200).pending.get())
    assert pending['nameserver']['pending'] == '192.0.2.53' and 'pending' not in pending['memory']
    with pytest.raises(ResourceException) as err:
        api.nodes('pve2').lxc(200).migrate.post(target='pve1')
    assert "can't migrate running container without --online or --restart" in str(err.value)
    upid = api.nodes('pve2').lxc(200).migrate.post(target='pve1', restart=1, timeout=30)
    assert wait(api, upid)['exitstatus'] == 'OK'
    assert 'migration finished successfully' in log(api, upid)
    entry = next(r for r in api.cluster.resources.get(type='vm') if r['vmid'] == 200)
    assert entry['node'] == 'pve1' and entry['status'] == 'running'
    config = api.nodes('pve1').lxc(200).config.get(current=1)
    assert config['nameserver'] == '192.0.2.53'
    assert not any('pending' in p for p in api.nodes('pve1').lxc(200).pending.get())


def test_migration_to_an_offline_node_aborts(pvesim):
    api = pvesim.proxmoxer()
    pvesim.call(pvesim.pve.set_node_offline, 'pve1')
    upid = api.nodes('pve3').lxc(201).migrate.post(target='pve1')
    assert wait(api, upid)['exitstatus'] == 'migration aborted'
    assert log(api, upid)[-1] == 'TASK ERROR: migration aborted'
    assert pvesim.call(lambda: pvesim.pve.ct(201).node) == 'pve3'
    assert pvesim.call(lambda: pvesim.pve.ct(201).lock) is None


def test_shutdown_timeout_and_injected_task_failure(pvesim):
    api = pvesim.proxmoxer()
    pvesim.call(lambda: setattr(pvesim.pve.ct(200), 'shutdown_secs', 120))
    upid = api.nodes('pve2').lxc(200).status.shutdown.post(timeout=10)
    status = wait(api, upid)
    assert status['exitstatus'] == 'container did not stop'
    assert log(api, upid)[-1] == 'TASK ERROR: container did not stop'
    upid = api.nodes('pve2').lxc(200).status.shutdown.post(timeout=10, forceStop=1)
    assert wait(api, upid)['exitstatus'] == 'OK'
    # A task failure injected over HTTP: the start answers with a UPID, the task fails with PVE's message.
    pvesim.call(pvesim.pve.fail, 'POST', '/nodes/pve3/lxc/201/status/start', None, None, False,
                'missing_rootfs_configuration', 1)
    upid = api.nodes('pve3').lxc(201).status.start.post()
    assert wait(api, upid)['exitstatus'] == "missing 'rootfs' configuration"


def test_lxc_rrddata_and_interfaces(pvesim):
    api = pvesim.proxmoxer()
    points = api.nodes('pve2').lxc(200).rrddata.get(timeframe='hour', cf='AVERAGE')
    assert len(points) == 70 and points[1]['time'] - points[0]['time'] == 60
    assert 'cpu' in points[-1] and points[-1]['maxmem'] == 512 * 1024 ** 2
    interfaces = api.nodes('pve2').lxc(200).interfaces.get()
    assert [i['name'] for i in interfaces] == ['lo', 'eth0'] and interfaces[1]['inet'] == '192.0.2.200/24'
    assert api.nodes('pve3').lxc(201).interfaces.get() is None
