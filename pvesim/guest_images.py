# SPDX-License-Identifier: AGPL-3.0-or-later
"""What is installed on a guest's disks, so that a VM cloned from a cloud image has a guest agent.

PVE knows nothing of what runs inside a guest: `agent/*` calls reach qemu-guest-agent only when the
guest OS runs one, some seconds after the VM started. pvesim models that with the *image* of a
volume, a record on the storage's volume (``store['volumes'][name]['image']``) saying what the disk
holds:

    {'name': 'debian-12-genericcloud-amd64', 'agent': True, 'boot_secs': 8, 'interface': 'eth0',
     'os': {...the answer of agent/get-osinfo...}}

- A clone (`qmclone`, linked or full) copies the image of each source disk to the disk made from it,
  when the task's work is done (also when tasks run later, time_scale > 0). A VM backup records what
  its disks hold, and a restore puts it on the restored disks.
- A VM whose boot disk holds an image with an agent, whose config enables the agent (`agent: 1`, or
  `enabled=1`), and that has run for the image's `boot_secs` (times time_scale) answers agent calls
  as that OS would: its host name is the VM's name (cloud-init sets it), each `net<N>` is an
  interface with the NIC's MAC, an IPv6 link-local address, and the IPv4 address of `ipconfig<N>`
  (`ip=CIDR`) or, for `ip=dhcp` or no ipconfig, a DHCP lease 198.51.100.<vmid % 250 + 2>/24 (a
  documentation range). The answers are made once per boot: a changed ipconfig shows after the next
  start, as in a real guest. Before then, and for a VM whose image has no agent, PVE's refusal
  stands (`QEMU guest agent is not running`).
- Guests whose agent answers a seed wrote by hand (``vm.agent``) keep those answers.
"""

import ipaddress
import re
import time

from fakepve.qemu import DRIVE_KEY, drives_of, is_cdrom, split_drive, volume_ref

DHCP_NET = '198.51.100.'

DEBIAN_12_CLOUD = {
    'name': 'debian-12-genericcloud-amd64', 'agent': True, 'boot_secs': 8, 'interface': 'eth',
    'os': {'name': 'Debian GNU/Linux', 'id': 'debian', 'version': '12 (bookworm)', 'version-id': '12',
           'pretty-name': 'Debian GNU/Linux 12 (bookworm)', 'kernel-release': '6.1.0-27-cloud-amd64',
           'kernel-version': '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1', 'machine': 'x86_64'},
}


def agent_enabled(value):
    """qemu-server's get_qga_key(conf, 'enabled'): `1`, `enabled=1` (the default key) or `1,type=...`."""
    if value is None:
        return False
    for part in str(value).split(','):
        key, sep, val = part.partition('=')
        if not sep:
            return key.strip() == '1'
        if key == 'enabled':
            return val.strip() == '1'
    return False


def boot_disk(config):
    """The config key of the disk the VM boots from: the first disk of `boot: order=...`, else the first disk."""
    order = re.search(r'(?:^|,)order=([^,]+)', str(config.get('boot') or ''))
    keys = order.group(1).split(';') if order else []
    for key in keys:
        if DRIVE_KEY.match(key) and key in config and not is_cdrom(*split_drive(config[key])):
            return key
    disks = drives_of(config, skip_cdrom=True)
    return disks[0][0] if disks else None


def _link_local(mac):
    """The EUI-64 IPv6 link-local address of a MAC, as the kernel gives an interface."""
    octets = [int(x, 16) for x in mac.split(':')]
    octets[0] ^= 0x02
    eui = octets[:3] + [0xFF, 0xFE] + octets[3:]
    return str(ipaddress.IPv6Address(bytes([0xFE, 0x80] + [0] * 6 + eui)))


def _net_mac(value):
    for part in str(value).split(','):
        key, _, val = part.partition('=')
        if key in ('virtio', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3') or key == 'macaddr':
            return val
    return None


def _ipv4(vmid, ipconfig):
    found = re.search(r'(?:^|,)ip=([^,]+)', str(ipconfig or ''))
    if found and found.group(1) not in ('dhcp', 'manual'):
        iface = ipaddress.IPv4Interface(found.group(1))
        return str(iface.ip), iface.network.prefixlen
    if found and found.group(1) == 'manual':
        return None
    return DHCP_NET + str(vmid % 250 + 2), 24


def agent_answers(vm, image):
    """The agent answers of a VM booted from the image, as its config is now."""
    name = vm.config.get('name') or 'VM{0}'.format(vm.vmid)
    interfaces = [{'name': 'lo', 'hardware-address': '00:00:00:00:00:00',
                   'ip-addresses': [{'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', 'prefix': 8},
                                    {'ip-address': '::1', 'ip-address-type': 'ipv6', 'prefix': 128}]}]
    nets = sorted((int(k[3:]), k) for k in vm.config if re.fullmatch(r'net\d+', k))
    for position, (index, key) in enumerate(nets):
        mac = _net_mac(vm.config[key])
        if not mac:
            continue
        addresses = []
        v4 = _ipv4(vm.vmid, vm.config.get('ipconfig{0}'.format(index)))
        if v4:
            addresses.append({'ip-address': v4[0], 'ip-address-type': 'ipv4', 'prefix': v4[1]})
        addresses.append({'ip-address': _link_local(mac.lower()), 'ip-address-type': 'ipv6', 'prefix': 64})
        interfaces.append({'name': '{0}{1}'.format(image.get('interface', 'eth'), position),
                           'hardware-address': mac.lower(), 'ip-addresses': addresses})
    return {'files': {'/etc/hostname': name + '\n'}, 'get-host-name': {'host-name': name},
            'os': dict(image.get('os') or {}), 'interfaces': interfaces}


class GuestImagesApi:
    """Mixin of PveSim: the images on guest disks, carried by clones, and the agents they run."""

    def _volume(self, volid):
        """The storage's record of a volume, or None."""
        sid, name = volume_ref(volid)
        return (self.storages.get(sid, {}).get('volumes') or {}).get(name) if sid is not None else None

    def volume_image(self, volid):
        return (self._volume(volid) or {}).get('image')

    def _disk_images(self, config):
        out = {}
        for key, volume, _props in drives_of(config, skip_cdrom=True):
            image = self.volume_image(volume)
            if image:
                out[key] = image
        return out

    def _carry_image(self, volid, image):
        """The new volume holds what the volume it was made from held."""
        vol = self._volume(volid)
        if image and vol is not None:
            vol['image'] = dict(image)

    async def task(self, node, ttype, tid, user, body, vm=None, lock=True, log=()):
        if ttype != 'qmclone' or vm is None:
            return await super().task(node, ttype, tid, user, body, vm=vm, lock=lock, log=log)
        source = next((g for g in self.vms if g.vmid == int(tid) and g.node == node), None)
        images = self._disk_images(source.config) if source is not None else {}

        async def cloned():
            note = await body()
            for key, image in images.items():
                if key in vm.config:
                    self._carry_image(split_drive(vm.config[key])[0], image)
            return note

        return await super().task(node, ttype, tid, user, cloned, vm=vm, lock=lock, log=log)

    async def _agent_call(self, match, values):
        vm = self.find(values['node'], values['vmid'])
        self._boot_agent(vm)
        return await super()._agent_call(match, values)

    def _boot_agent(self, vm):
        """Bring up (or keep down) the agent of a running VM booted from an image."""
        if getattr(vm, 'agent_boot', None) is None and vm.agent is not None:
            return  # answers a seed wrote by hand
        key = boot_disk(vm.config)
        image = self.volume_image(split_drive(vm.config[key])[0]) if key else None
        if not image or not image.get('agent') or not agent_enabled(vm.config.get('agent')):
            vm.agent, vm.agent_boot = None, None
            return
        started = getattr(vm, 'started_at', None) or 0
        if vm.status != 'running' or time.time() - started < image.get('boot_secs', 0) * self.time_scale:
            vm.agent, vm.agent_boot = None, started
            return
        if vm.agent is None or vm.agent_boot != started:
            vm.agent, vm.agent_boot = agent_answers(vm, image), started
