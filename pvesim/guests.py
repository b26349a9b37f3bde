# SPDX-License-Identifier: AGPL-3.0-or-later
"""Guest behaviour fakepve answers only generically: VM migration and disk resize, RRD series, consoles,
and disks added to an existing VM.

Follows qemu-server's PVE/API2/Qemu.pm and pve-container's PVE/API2/LXC.pm:

- POST /nodes/{node}/qemu/{vmid}/migrate: a `qmigrate` task (`hamigrate` request for an HA-managed VM)
  that holds the `migrate` lock and moves the VM to the target node. A running VM needs `online`, and
  with disks on local storage `with-local-disks` (PVE's refusals, as 500 before the task).
- PUT /nodes/{node}/qemu/{vmid}/resize: a `resize` task growing the volume and the drive's `size=`;
  shrinking is refused ("shrinking disks is not supported"), the same size changes nothing.
- GET /nodes/{node}/{qemu,lxc}/{vmid}/rrddata: 70 points per timeframe at PVE's RRD resolutions (1 min,
  30 min, 3 h, 12 h, 1 week), derived from the guest's usage; MAX is never below AVERAGE.
- POST /nodes/{node}/qemu/{vmid}/spiceproxy: remote-viewer settings for a running VM with a fresh ticket.
  POST /nodes/{node}/lxc/{vmid}/termproxy and vncproxy: a console ticket for a container. vncproxy
  answers carry the node certificate (`cert`) as PVE's do.
- /nodes/{node}/qemu/{vmid}/agent/*: PVE's refusals for a VM without an agent or not running; file-read
  answers `bytes-read` and `truncated` only when the content was cut.
- PUT/POST /nodes/{node}/qemu/{vmid}/config with a new disk (`storage:size`) allocates the volume, as
  PVE does, before the value is stored (in the config or, on a running VM, in pending).
"""

import hashlib
import re
import secrets
import time

from fakepve import PveError
from fakepve.lxc import SIZE_UNITS, format_size
from fakepve.model import TaskError
from fakepve.qemu import DRIVE_KEY, NEW_DISK, drives_of, is_cdrom, join_drive, split_drive, volume_ref
from fakepve.routing import StatefulRoutes, die, param_error

from .answers import patch_data

# timeframe -> seconds per point (PVE's RRAs), 70 points each.
RRD_STEPS = {'hour': 60, 'day': 1800, 'week': 10800, 'month': 43200, 'year': 604800}
RRD_POINTS = 70
SPICE_TLS_PORT = 61000
SPICE_PROXY_PORT = 3128


def _size(text):
    """Bytes of a size with an optional K/M/G/T suffix (no suffix: bytes), or None."""
    found = re.fullmatch(r'(\d+(?:\.\d+)?)([KMGT]?)', str(text))
    if not found:
        return None
    return int(float(found.group(1)) * (SIZE_UNITS[found.group(2)] if found.group(2) else 1))


def _wave(seed, t, low, high):
    """A repeatable value between low and high for a guest at time t."""
    digest = hashlib.sha1('{0}:{1}'.format(seed, t).encode()).digest()
    return low + (high - low) * (digest[0] / 255.0)


class GuestsApi(StatefulRoutes):
    """Mixin of PveSim: migrate, resize, rrddata, consoles and disk allocation on config changes."""

    def _routes_guests(self):
        qemu = '/nodes/{node}/qemu/{vmid}'
        lxc = '/nodes/{node}/lxc/{vmid}'
        return [('POST', qemu + '/migrate', self._guest_qm_migrate),
                ('PUT', qemu + '/resize', self._guest_qm_resize),
                ('GET', qemu + '/rrddata', self._guest_qm_rrddata),
                ('GET', lxc + '/rrddata', self._guest_ct_rrddata),
                ('POST', qemu + '/spiceproxy', self._guest_spiceproxy),
                ('POST', lxc + '/termproxy', self._guest_ct_console),
                ('POST', lxc + '/vncproxy', self._guest_ct_console)]

    async def start(self, certfile, keyfile):
        with open(certfile) as fh:
            self.console_cert = fh.read()
        await super().start(certfile, keyfile)

    # ------------------------------------------------------------ migrate

    async def _guest_qm_migrate(self, v, user):
        node, target = v['node'], v['target']
        if target == node:
            raise param_error(target='target is local node.')
        self.need_quorum()
        if target not in self.nodes:
            raise die("no such cluster node '{0}'".format(target))
        if not self.nodes[target].get('online', True):
            raise die("target node '{0}' is not online".format(target))
        vm = self.find(node, v['vmid'])
        if vm.template and vm.status == 'running':
            raise die("can't migrate running template")
        self._check_lock(vm)
        running = vm.status == 'running'
        if running and not v.get('online'):
            raise die("can't migrate running VM without --online")
        local = []
        for key, volume, props in drives_of(vm.config):
            sid = volume_ref(volume)[0]
            store = self.storages.get(sid) if sid else None
            if store is not None and not store.get('shared') and not is_cdrom(volume, props):
                local.append(key)
        if running and local and not v.get('with-local-disks'):
            raise die("can't live migrate attached local disks without with-local-disks option")

        async def move():
            vm.lock = 'migrate'
            vm.config['lock'] = 'migrate'
            try:
                await self.pause(max(3, 2 * len(local)))
                vm.node = target
            finally:
                vm.lock = None
                vm.config.pop('lock', None)
            return 'migration finished successfully (duration 00:00:0{0})'.format(max(3, 2 * len(local)) % 10)
        log = ["starting migration of VM {0} to node '{1}'".format(vm.vmid, target)]
        if running:
            log.append('starting online/live migration')
        if vm.ha_managed:
            return await self.task(node, 'hamigrate', vm.vmid, user, move, vm=vm, lock=False,
                                   log=['Requesting HA migration for VM {0} to node {1}'.format(vm.vmid, target)])
        return await self.task(node, 'qmigrate', vm.vmid, user, move, vm=vm, log=log)

    # ------------------------------------------------------------- resize

    async def _guest_qm_resize(self, v, user):
        vm = self.find(v['node'], v['vmid'])
        disk, text = v['disk'], str(v['size'])
        relative = text.startswith('+')
        asked = _size(text.lstrip('+'))
        if asked is None:
            raise param_error(size='invalid size')
        if v.get('skiplock') and user != 'root@pam':
            raise param_error(skiplock='Only root may use this option.')
        if not v.get('skiplock'):
            self._check_lock(vm)
        if v.get('digest') and v['digest'] != vm.digest():
            raise die('detected modified configuration - file changed by other user? Try again.')
        self.need_quorum()

        def plan():
            value = vm.config.get(disk)
            if value is None:
                raise die('disk \'{0}\' does not exist'.format(disk))
            volume, props = split_drive(value)
            if is_cdrom(volume, props):
                raise die("you can't resize a cdrom")
            sid, name = volume_ref(volume)
            if sid is None or sid not in self.storages:
                raise die("storage '{0}' does not exist".format(sid))
            self.require(user, '/storage/' + sid, 'Datastore.AllocateSpace')
            vol = self._volumes(sid).get(name)
            size = int(vol['size']) if vol and vol.get('size') else (_size(props.get('size', '')) or 0)
            new = size + asked if relative else asked
            if new < size:
                raise die('shrinking disks is not supported')
            return volume, props, sid, name, size, new
        plan()

        async def body():
            try:
                volume, props, sid, name, size, new = plan()
            except PveError as e:
                raise TaskError(e.message) from e
            if new == size:
                return None
            store = self.storages[sid]
            if 'avail' in store:
                if new - size > store['avail']:
                    raise TaskError("unable to write to storage '{0}': No space left on device".format(sid))
                store['avail'] -= new - size
            vol = self._volumes(sid).get(name)
            if vol is not None:
                vol['size'] = new
            await self.ceph_io(vm, [disk])
            vm.config[disk] = join_drive(volume, dict(props, size=format_size(new)))
            return "Image resized to {0} bytes".format(new)
        return await self.task(vm.node, 'resize', vm.vmid, user, body, vm=vm,
                               log=['resizing {0} to {1}'.format(disk, text)])

    # ------------------------------------------------------------ rrddata

    async def _guest_qm_rrddata(self, v, user):
        return self._guest_rrddata(self.find(v['node'], v['vmid']), v)

    async def _guest_ct_rrddata(self, v, user):
        return self._guest_rrddata(self._find_ct(v['node'], v['vmid']), v)

    def _guest_rrddata(self, guest, v):
        vmid = guest.vmid
        step = RRD_STEPS[v['timeframe']]
        peak = v.get('cf') == 'MAX'
        now = int(time.time()) // step * step
        running = guest.status == 'running'
        config = guest.config
        cores = int(config.get('cores', 1) or 1) * int(config.get('sockets', 1) or 1)
        maxmem = int(str(config.get('memory', 512)).split('=')[-1]) * 1024 ** 2
        maxdisk = self._vm_maxdisk(guest) if hasattr(guest, 'qmpstatus') else 8 * 1024 ** 3
        started = guest.started_at or 0
        points = []
        for n in range(RRD_POINTS):
            t = now - (RRD_POINTS - 1 - n) * step
            point = {'time': t, 'maxcpu': cores, 'maxmem': maxmem, 'maxdisk': maxdisk}
            if running and t >= started - step:
                scale = 1.4 if peak else 1.0
                point.update(cpu=min(1.0, _wave(vmid, t, 0.01, 0.25) * scale),
                             mem=min(maxmem, int(maxmem * _wave(vmid + 1, t, 0.3, 0.6) * scale)),
                             disk=0,
                             netin=_wave(vmid + 2, t, 100, 20000) * scale,
                             netout=_wave(vmid + 3, t, 100, 15000) * scale,
                             diskread=_wave(vmid + 4, t, 0, 50000) * scale,
                             diskwrite=_wave(vmid + 5, t, 0, 80000) * scale)
            points.append(point)
        return points

    # ----------------------------------------------------------- consoles

    def _console_ticket(self, user, vmid):
        return 'PVEVNC:{0:08X}::{1}'.format(int(time.time()), secrets.token_urlsafe(24))

    async def _guest_spiceproxy(self, v, user):
        vm = self.find(v['node'], v['vmid'])
        if vm.status != 'running':
            raise die('VM {0} not running'.format(vm.vmid))
        ticket = 'PVESPICE:{0:08X}::{1}'.format(int(time.time()), secrets.token_urlsafe(24))
        host = 'pvespiceproxy:{0:08x}:{1}:{2}::{3}'.format(int(time.time()), vm.vmid, vm.node,
                                                            hashlib.sha1(ticket.encode()).hexdigest()[:40])
        proxy = v.get('proxy') or vm.node
        return {'type': 'spice', 'host': host, 'proxy': 'http://{0}:{1}'.format(proxy, SPICE_PROXY_PORT),
                'tls-port': SPICE_TLS_PORT, 'password': ticket, 'title': 'VM {0} - {1}'.format(vm.vmid, vm.name),
                'ca': getattr(self, 'console_cert', ''), 'host-subject': 'OU=PVE Cluster Node,O=Proxmox Virtual '
                'Environment,CN={0}.pvesim.lan'.format(vm.node), 'secure-attention': 'Ctrl+Alt+Ins',
                'release-cursor': 'Ctrl+Alt+R', 'toggle-fullscreen': 'Shift+F11', 'delete-this-file': 1}

    async def _guest_ct_console(self, v, user):
        ct = self._find_ct(v['node'], v['vmid'])
        vnc = 'websocket' in v or 'width' in v or 'height' in v
        ticket = self._console_ticket(user, ct.vmid)
        port = 5900 + len([t for t in self.tasklog if t['type'] in ('vncproxy', 'termproxy')]) % 100

        async def body():
            return None
        upid = await self.task(ct.node, 'vncproxy' if vnc else 'termproxy', ct.vmid, user, body,
                               log=['starting {0} console of CT {1}'.format('vnc' if vnc else 'terminal', ct.vmid)])
        data = {'ticket': ticket, 'port': port, 'user': user, 'upid': upid}
        if vnc:
            data['cert'] = getattr(self, 'console_cert', '')
        return data

    async def _vncproxy(self, request):
        add_cert = lambda data: dict(data, cert=getattr(self, 'console_cert', ''))  # noqa: E731
        return patch_data(await super()._vncproxy(request), add_cert)

    # -------------------------------------------------------- guest agent

    async def _agent_call(self, match, values):
        """qemu-server's assert_agent_available first; file-read answers `bytes-read`, and `truncated` only
        when the file was cut."""
        vm = self.find(values['node'], values['vmid'])
        if vm.config.get('agent') is None:
            raise PveError(500, 'No QEMU guest agent configured')
        if vm.status != 'running':
            raise PveError(500, 'VM {0} is not running'.format(vm.vmid))
        data = await super()._agent_call(match, values)
        if match.template.endswith('/agent/file-read') and isinstance(data, dict):
            data = dict(data, **{'bytes-read': len(data.get('content', '').encode())})
            if not data.get('truncated'):
                data.pop('truncated', None)
        return data

    # ------------------------------------------------------ disk allocation

    async def _apply_config(self, vm, user, p):
        """New disks (`storage:size` or `storage:cloudinit`) are allocated before the value is stored."""
        made = []
        updates = dict(p)
        news = [k for k, value in p.items() if DRIVE_KEY.match(k) and k not in vm.config
                and _new_disk(value)]
        for key in sorted(news):
            self._qm_check_drive(user, vm.vmid, None, key, p[key], None)
        try:
            for key in sorted(news):
                updates[key], volids = self._qm_new_drive(vm.vmid, key, p[key], None)
                made.extend(volids)
            return await super()._apply_config(vm, user, updates)
        except (PveError, TaskError):
            for volid in made:
                self._qm_free(volid)
            raise


def _new_disk(value):
    """True for a drive value asking for a new volume: `storage:size` or `storage:cloudinit`."""
    volume = split_drive(value)[0] or ''
    sid, _, rest = volume.partition(':')
    return bool(sid) and ((bool(NEW_DISK.match(volume)) and rest != '') or rest == 'cloudinit')

