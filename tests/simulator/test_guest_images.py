# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's guest images (pvesim/guest_images.py) through real proxmoxer: a VM cloned from the cloud-init
template runs a guest agent once it has booted, with the name and the addresses its config gives it."""

import time

import pytest
from proxmoxer.core import ResourceException

from pvesim.guest_images import agent_enabled, boot_disk


def _ok(api, upid, timeout=10):
    node = upid.split(':')[1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = api.nodes(node).tasks(upid).status.get()
        if status['status'] == 'stopped':
            assert status['exitstatus'] == 'OK', api.nodes(node).tasks(upid).log.get()
            return
        time.sleep(0.02)
    raise AssertionError('task still running: ' + upid)


def _addresses(api, vmid, node='pve1'):
    result = api.nodes(node).qemu(vmid).agent('network-get-interfaces').get()['result']
    return dict((i['name'], [(a['ip-address'], a['prefix']) for a in i['ip-addresses']]) for i in result)


def _refused(call):
    with pytest.raises(ResourceException) as refused:
        call()
    return refused.value.status_code, str(refused.value)


@pytest.mark.parametrize('full', [0, 1])
def test_a_clone_of_the_cloud_image_runs_an_agent(pvesim, full):
    api = pvesim.proxmoxer()
    vm = api.nodes('pve1').qemu(410)
    _ok(api, api.nodes('pve1').qemu(9000).clone.post(newid=410, name='app01', full=full))
    vm.config.put(ipconfig0='ip=192.0.2.41/24,gw=192.0.2.1')
    status, text = _refused(lambda: vm.agent('network-get-interfaces').get())
    assert status == 500 and 'is not running' in text
    _ok(api, vm.status.start.post())
    addresses = _addresses(api, 410)
    mac = vm.config.get()['net0'].split(',')[0].split('=')[1].lower()
    assert addresses['eth0'][0] == ('192.0.2.41', 24) and addresses['eth0'][1][0].startswith('fe80::')
    assert addresses['lo'][0] == ('127.0.0.1', 8)
    assert api.nodes('pve1').qemu(410).agent('get-host-name').get()['result'] == {'host-name': 'app01'}
    assert api.nodes('pve1').qemu(410).agent('get-osinfo').get()['result']['id'] == 'debian'
    nics = api.nodes('pve1').qemu(410).agent('network-get-interfaces').get()['result']
    assert nics[1]['hardware-address'] == mac


def test_dhcp_lease_and_a_changed_address_after_the_next_boot(pvesim):
    api = pvesim.proxmoxer()
    vm = api.nodes('pve1').qemu(411)
    _ok(api, api.nodes('pve1').qemu(9000).clone.post(newid=411, name='app02', full=1))
    _ok(api, vm.status.start.post())
    assert _addresses(api, 411)['eth0'][0] == ('198.51.100.163', 24)  # 411 % 250 + 2
    vm.config.put(ipconfig0='ip=192.0.2.42/24')
    assert _addresses(api, 411)['eth0'][0] == ('198.51.100.163', 24)
    _ok(api, vm.status.stop.post())
    _ok(api, vm.status.start.post())
    assert _addresses(api, 411)['eth0'][0] == ('192.0.2.42', 24)


def test_no_agent_without_the_image_or_with_the_agent_off(pvesim):
    api = pvesim.proxmoxer()
    vm = api.nodes('pve1').qemu(412)
    _ok(api, api.nodes('pve1').qemu(9000).clone.post(newid=412, name='app03', full=1))
    vm.config.put(agent='0')
    _ok(api, vm.status.start.post())
    assert _refused(lambda: vm.agent('ping').post())[0] == 500
    # A VM made from nothing has no image on its disk: PVE asks an agent that never answers.
    _ok(api, api.nodes('pve1').qemu.post(vmid=413, name='blank', agent=1, scsi0='local-lvm:4'))
    _ok(api, api.nodes('pve1').qemu(413).status.start.post())
    status, text = _refused(lambda: api.nodes('pve1').qemu(413).agent('ping').post())
    assert status == 500 and 'QEMU guest agent is not running' in text


def test_the_agent_answers_once_the_image_has_booted(pvesim_factory):
    sim = pvesim_factory(seed='demo', time_scale=0.05)  # the image boots in 8 s: 0.4 s here
    api = sim.proxmoxer()
    vm = api.nodes('pve1').qemu(414)
    _ok(api, api.nodes('pve1').qemu(9000).clone.post(newid=414, name='app04', full=0))
    _ok(api, vm.status.start.post())
    assert _refused(lambda: vm.agent('ping').post())[0] == 500
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            vm.agent('ping').post()
            break
        except ResourceException:
            time.sleep(0.05)
    else:
        raise AssertionError('the agent never answered')
    assert _addresses(api, 414)['eth0'][0] == ('198.51.100.166', 24)


def test_answers_a_seed_wrote_stay_over_a_restart(pvesim):
    api = pvesim.proxmoxer()
    _ok(api, api.nodes('pve1').qemu(100).status.stop.post())
    _ok(api, api.nodes('pve1').qemu(100).status.start.post())
    assert _addresses(api, 100)['eth0'] == [('192.0.2.100', 24)]


def test_helpers():
    assert agent_enabled('1') and agent_enabled('enabled=1,fstrim_cloned_disks=1') and agent_enabled('1,type=isa')
    assert not agent_enabled('0') and not agent_enabled(None) and not agent_enabled('enabled=0')
    assert boot_disk({'boot': 'order=ide2;scsi1;net0', 'ide2': 'none,media=cdrom', 'scsi1': 'x:1', 'scsi0': 'x:2'}) \
        == 'scsi1'
    assert boot_disk({'virtio0': 'x:1', 'scsi0': 'x:2'}) == 'scsi0'
    assert boot_disk({'ide2': 'none,media=cdrom'}) is None


def test_a_restored_backup_holds_the_image_and_runs_the_agent(pvesim):
    api = pvesim.proxmoxer()
    _ok(api, api.nodes('pve1').qemu(9000).clone.post(newid=415, name='app05', full=1))
    _ok(api, api.nodes('pve1').vzdump.post(vmid=415, storage='backup-nfs', mode='stop'))
    volid = [b['volid'] for b in api.nodes('pve1').storage('backup-nfs').content.get(content='backup')
             if b['vmid'] == 415][0]
    _ok(api, api.nodes('pve1').qemu.post(vmid=416, archive=volid, storage='local-lvm', unique=1))
    _ok(api, api.nodes('pve1').qemu(416).status.start.post())
    assert _addresses(api, 416)['eth0'][0] == ('198.51.100.168', 24)
