# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the seeds put in the simulator, read back over the API."""

import time

import pytest

from pvesim import seeds


def test_demo_cluster(pvesim):
    api = pvesim.proxmoxer()
    assert [n['node'] for n in api.nodes.get()] == ['pve1', 'pve2', 'pve3']
    assert api.cluster.status.get()[0]['name'] == 'demo-cluster'
    storages = dict((s['storage'], s) for s in api.storage.get())
    assert set(storages) == {'local', 'local-lvm', 'backup-nfs'}
    assert (storages['local']['type'], storages['local']['content']) == ('dir', 'iso,vztmpl,backup')
    assert (storages['local-lvm']['type'], storages['local-lvm']['content']) == ('lvmthin', 'images,rootdir')
    assert (storages['backup-nfs']['type'], storages['backup-nfs']['content'], storages['backup-nfs']['shared']) == \
        ('nfs', 'backup', 1)
    guests = dict((r['vmid'], r) for r in api.cluster.resources.get(type='vm'))
    expected = {9000: ('qemu', 'pve1', 'stopped'), 100: ('qemu', 'pve1', 'running'),
                101: ('qemu', 'pve2', 'running'), 102: ('qemu', 'pve1', 'stopped'),
                103: ('qemu', 'pve3', 'running'), 200: ('lxc', 'pve2', 'running'), 201: ('lxc', 'pve3', 'stopped')}
    assert dict((vmid, (g['type'], g['node'], g['status'])) for vmid, g in guests.items()) == expected
    assert guests[100]['name'] == 'web01' and guests[9000]['template'] == 1


def test_demo_cloud_init_template(pvesim):
    config = pvesim.proxmoxer().nodes('pve1').qemu(9000).config.get()
    assert config['name'] == 'debian-12-cloudinit' and config['template'] == 1 and config['agent'] == '1'
    assert config['ide2'] == 'local-lvm:vm-9000-cloudinit,media=cdrom'
    assert config['scsi0'].startswith('local-lvm:base-9000-disk-0,') and 'size=3G' in config['scsi0']
    assert config['net0'].startswith('virtio=BC:24:11:') and 'bridge=vmbr0' in config['net0']
    assert config['ciuser'] == 'debian' and config['ipconfig0'] == 'ip=dhcp'


def test_demo_vm_and_container_configs(pvesim):
    api = pvesim.proxmoxer()
    web = api.nodes('pve1').qemu(100).config.get()
    assert web['scsi0'] == 'local-lvm:vm-100-disk-0,discard=on,iothread=1,size=32G'
    assert web['net0'] == 'virtio=BC:24:11:00:64:00,bridge=vmbr0,firewall=1'
    assert api.nodes('pve1').qemu(102).config.get()['ide2'] == seeds.ISO_VOLID + ',media=cdrom'
    proxy = api.nodes('pve2').lxc(200).config.get()
    assert proxy['hostname'] == 'proxy01' and proxy['rootfs'] == 'local-lvm:vm-200-disk-0,size=8G'
    assert 'bridge=vmbr0' in proxy['net0'] and proxy['ostype'] == 'debian'
    interfaces = api.nodes('pve1').qemu(100).agent('network-get-interfaces').get()['result']
    assert interfaces[1]['ip-addresses'][0]['ip-address'] == '192.0.2.100'


def test_demo_storage_content(pvesim):
    api = pvesim.proxmoxer()
    local = [v['volid'] for v in api.nodes('pve1').storage('local').content.get()]
    assert local == [seeds.ISO_VOLID, seeds.CT_TEMPLATE_VOLID]
    lvm = [v['volid'] for v in api.nodes('pve1').storage('local-lvm').content.get(vmid=101)]
    assert lvm == ['local-lvm:vm-101-disk-0', 'local-lvm:vm-101-disk-1']
    backups = api.nodes('pve1').storage('backup-nfs').content.get(content='backup')
    assert [(b['vmid'], b['format']) for b in backups] == [(200, 'tar.zst'), (100, 'vma.zst')]


def test_demo_pool_users_and_clone_from_template(pvesim):
    api = pvesim.proxmoxer()
    members = api.pools('demo').get()['members']
    assert sorted(m['vmid'] for m in members) == [100, 101, 200]
    upid = api.nodes('pve1').qemu(9000).clone.post(newid=120, name='app01')
    assert api.nodes('pve1').tasks(upid).status.get()['exitstatus'] == 'OK'
    assert api.nodes('pve1').qemu(120).config.get()['name'] == 'app01'


def test_empty_seed(pvesim_factory):
    api = pvesim_factory(seed='empty').proxmoxer()
    assert [n['node'] for n in api.nodes.get()] == ['pve1']
    assert sorted(s['storage'] for s in api.storage.get()) == ['local', 'local-lvm']
    assert api.cluster.resources.get(type='vm') == []
    assert api.pools.get() == []


def test_large_seed_is_fast_and_spread():
    started = time.monotonic()
    sim = seeds.build('large:12:6000')
    assert time.monotonic() - started < 3
    assert len(sim.nodes) == 12 and len(sim.vms) + len(sim.cts) == 6000
    assert len(sim.cts) == 1200 and sum(1 for g in sim.vms + sim.cts if g.status == 'running') == 4200
    assert set(g.node for g in sim.vms) == set(sim.nodes)
    assert sum(len(ids) for ids in sim.pools.values()) == 1500
    assert all(sim.guest(vmid).pool == 'team-a' for vmid in sim.pools['team-a'])
    assert seeds.large(nodes=2, guests=10).__name__ == 'large'


def test_large_seed_serves(pvesim_factory):
    api = pvesim_factory(seed=seeds.large(nodes=4, guests=400)).proxmoxer()
    assert len(api.cluster.resources.get(type='vm')) == 400
    assert len(api.nodes('pve4').qemu.get()) == 80


@pytest.mark.parametrize('spec', ['nope', 'large:x', 'large:0:10', 'large:1:2:3:4'])
def test_bad_seed_names(spec):
    with pytest.raises(ValueError):
        seeds.resolve(spec)


def test_every_seeded_backup_restores(pvesim):
    api = pvesim.proxmoxer()
    node = api.nodes('pve1')
    backups = node.storage('backup-nfs').content.get(content='backup')
    assert sorted((b['vmid'], b['subtype']) for b in backups) == [(100, 'qemu'), (200, 'lxc')]
    for n, backup in enumerate(backups):
        assert 'memory: ' in node.vzdump.extractconfig.get(volume=backup['volid'])
        vmid = 800 + n
        if backup['subtype'] == 'qemu':
            upid = node.qemu.post(vmid=vmid, archive=backup['volid'], storage='local-lvm')
            restored, name = node.qemu(vmid).config.get(), 'web01'
        else:
            upid = node.lxc.post(vmid=vmid, ostemplate=backup['volid'], restore=1, storage='local-lvm')
            restored, name = node.lxc(vmid).config.get(), 'proxy01'
        assert node.tasks(upid).status.get()['exitstatus'] == 'OK'
        assert restored.get('name', restored.get('hostname')) == name
