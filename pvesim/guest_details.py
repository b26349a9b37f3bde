# SPDX-License-Identifier: AGPL-3.0-or-later
"""Guest reads fakepve answers only generically, derived from the guest's config and its storages.

Follows qemu-server (PVE/API2/Qemu.pm, PVE/QemuServer/Cloudinit.pm) and pve-container
(PVE/API2/LXC.pm):

- GET /nodes/{node}/qemu/{vmid}/feature and /lxc/{vmid}/feature: whether the guest's disks allow a
  snapshot, a linked clone or a full copy, and (VMs) the nodes whose storages hold every disk.
- GET /nodes/{node}/qemu/{vmid}/migrate: the migration precondition: running, the allowed nodes, the
  disks on local storage, no local resources (the simulator has no PCI or USB passthrough).
- GET /nodes/{node}/qemu/{vmid}/cloudinit: the cloud-init options of the config (cipassword masked).
- GET /nodes/{node}/qemu/{vmid}/cloudinit/dump: the NoCloud user-data, network-config and meta-data
  qemu-server would write for the VM (the password masked).
"""

import hashlib
import re
import urllib.parse

from fakepve.lxc import SNAPSHOT_STORAGE, parse_size, split_props
from fakepve.qemu import drives_of, is_cdrom, split_drive, volume_ref
from fakepve.routing import StatefulRoutes, split_list

from .guest_config import shown

CLOUDINIT_KEYS = re.compile(r'^(cicustom|cipassword|citype|ciupgrade|ciuser|ipconfig\d+|nameserver|searchdomain|'
                            r'sshkeys)$')
MASKED = '**********'
# Storage types whose disks a linked clone can use.
LINKED_CLONE_STORAGE = SNAPSHOT_STORAGE + ('dir', 'nfs', 'cifs')


class GuestDetailsApi(StatefulRoutes):
    """Mixin of PveSim: guest features, the migration precondition and cloud-init views."""

    def _routes_guest_details(self):
        qemu, lxc = '/nodes/{node}/qemu/{vmid}', '/nodes/{node}/lxc/{vmid}'
        return [('GET', qemu + '/feature', self._gd_vm_feature), ('GET', lxc + '/feature', self._gd_ct_feature),
                ('GET', qemu + '/migrate', self._gd_migrate_check),
                ('GET', qemu + '/cloudinit', self._gd_cloudinit),
                ('GET', qemu + '/cloudinit/dump', self._gd_cloudinit_dump)]

    # ---------------------------------------------------------------- helpers

    def _vm_disks(self, config):
        """(key, volid, storage id or None, props) of the VM's disks that are volumes (no CD-ROMs)."""
        out = []
        for key, volume, props in drives_of(config, skip_cdrom=True):
            out.append((key, volume, volume_ref(volume)[0], props))
        return out

    def _gd_storage_nodes(self, sid):
        store = self.storages.get(sid) or {}
        listed = split_list(store.get('nodes'))
        return set(listed) if listed else set(self.nodes)

    def _has_feature(self, feature, sids):
        if feature == 'copy':
            return 1
        kinds = [(self.storages.get(sid) or {}).get('type') for sid in sids]
        if feature == 'snapshot':
            return 1 if all(kind in SNAPSHOT_STORAGE for kind in kinds) else 0
        return 1 if all(kind in LINKED_CLONE_STORAGE for kind in kinds) else 0

    # --------------------------------------------------------------- features

    async def _gd_vm_feature(self, v, user):
        vm = self.find(v['node'], v['vmid'])
        config = vm.snapshots.get(v['snapname'], vm.config) if v.get('snapname') else vm.config
        sids = [sid for _key, _volume, sid, _props in self._vm_disks(config) if sid]
        nodes = set(self.nodes)
        for sid in sids:
            nodes &= self._gd_storage_nodes(sid)
        return {'hasFeature': self._has_feature(v['feature'], sids), 'nodes': sorted(nodes)}

    async def _gd_ct_feature(self, v, user):
        ct = self._find_ct(v['node'], v['vmid'])
        config = ct.snapshots.get(v['snapname'], ct.config) if v.get('snapname') else ct.config
        sids = [mount['volume'].split(':')[0] for _key, mount in ct.volumes(config)]
        return {'hasFeature': self._has_feature(v['feature'], sids)}

    # -------------------------------------------------------------- migration

    async def _gd_migrate_check(self, v, user):
        vm = self.find(v['node'], v['vmid'])
        self.need_quorum()
        self._check_lock(vm)
        local = []
        for key, volume, props in drives_of(vm.config):
            sid = volume_ref(volume)[0]
            store = self.storages.get(sid) if sid else None
            if store is None or store.get('shared'):
                continue
            vol = self._volumes(sid).get(volume_ref(volume)[1]) or {}
            local.append({'volid': volume, 'size': int(vol.get('size') or parse_size(props.get('size', '0')) or 0),
                          'cdrom': 1 if is_cdrom(volume, props) else 0, 'is_unused': 0, 'drivename': key})
        for key in sorted(k for k in vm.config if re.fullmatch(r'unused\d+', k)):
            volume = split_drive(vm.config[key])[0]
            sid = volume_ref(volume)[0]
            if sid in self.storages and not self.storages[sid].get('shared'):
                vol = self._volumes(sid).get(volume_ref(volume)[1]) or {}
                local.append({'volid': volume, 'size': int(vol.get('size') or 0), 'cdrom': 0, 'is_unused': 1})
        needed = [sid for _k, _vol, sid, _p in self._vm_disks(vm.config) if sid]
        allowed, refused = [], {}
        for node in sorted(self.nodes):
            if node == vm.node:
                continue
            missing = sorted(sid for sid in needed if node not in self._gd_storage_nodes(sid))
            if missing:
                refused[node] = {'unavailable_storages': missing}
            elif self.nodes[node].get('online', True):
                allowed.append(node)
        return {'running': 1 if vm.status == 'running' else 0, 'allowed_nodes': allowed,
                'not_allowed_nodes': refused, 'local_disks': local, 'local_resources': [],
                'mapped-resources': [], 'mapped-resource-info': {}, 'has-dbus-vmstate': 1}

    # -------------------------------------------------------------- cloud-init

    async def _gd_cloudinit(self, v, user):
        vm = self.find(v['node'], v['vmid'])
        out = []
        for key in sorted(k for k in vm.config if CLOUDINIT_KEYS.match(k) and vm.config[k] not in (None, '')):
            value = MASKED if key == 'cipassword' else shown('qemu', key, vm.config[key])
            item = {'key': key, 'value': value}
            pending = vm.pending.get(key)
            if pending is not None and pending != vm.config[key]:
                item['pending'] = MASKED if key == 'cipassword' else shown('qemu', key, pending)
            out.append(item)
        for key in sorted(k for k, val in vm.pending.items() if CLOUDINIT_KEYS.match(k) and k not in vm.config):
            if vm.pending[key] is None:
                continue
            out.append({'key': key, 'pending': MASKED if key == 'cipassword' else shown('qemu', key, vm.pending[key])})
        return out

    async def _gd_cloudinit_dump(self, v, user):
        vm = self.find(v['node'], v['vmid'])
        config = vm.config
        user_data = self._ci_user(config, vm.vmid)
        network = self._ci_network(config, vm.node)
        if v['type'] == 'user':
            return user_data
        if v['type'] == 'network':
            return network
        return 'instance-id: {0}\n'.format(hashlib.sha1((user_data + network).encode()).hexdigest())

    @staticmethod
    def _ci_user(config, vmid):
        hostname = str(config.get('name') or 'VM{0}'.format(vmid))
        fqdn = hostname
        if '.' in hostname:
            hostname = hostname.split('.')[0]
        elif config.get('searchdomain'):
            fqdn = '{0}.{1}'.format(hostname, config['searchdomain'])
        lines = ['#cloud-config', 'hostname: ' + hostname, 'manage_etc_hosts: true', 'fqdn: ' + fqdn]
        username = config.get('ciuser')
        if username is not None:
            lines.append('user: {0}'.format(username))
            if username == 'root':
                lines.append('disable_root: False')
        if config.get('cipassword') is not None:
            lines.append('password: ' + MASKED)
        if config.get('sshkeys'):
            keys = [k.strip() for k in urllib.parse.unquote(str(config['sshkeys'])).split('\n') if k.strip()]
            lines.append('ssh_authorized_keys:')
            lines.extend('  - ' + key for key in keys)
        lines += ['chpasswd:', '  expire: False']
        if username != 'root':
            lines += ['users:', '  - default']
        if str(config.get('ciupgrade', 1)) not in ('0', 'False'):
            lines.append('package_upgrade: true')
        return '\n'.join(lines) + '\n'

    def _ci_network(self, config, node):
        lines = ['version: 1', 'config:']
        pad = '    '
        for key in sorted(k for k in config if re.fullmatch(r'net\d+', k)):
            index = key[3:]
            ipconfig = config.get('ipconfig' + index)
            if not ipconfig:
                continue
            mac = next((part.partition('=')[2].lower() for part in str(config[key]).split(',')
                        if re.fullmatch(r'([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}', part.partition('=')[2])), '')
            lines += [pad + '- type: physical', pad + '  name: eth' + index, pad + "  mac_address: '{0}'".format(mac),
                      pad + '  subnets:']
            ip = split_props('x,' + str(ipconfig))[1]
            if ip.get('ip') == 'dhcp':
                lines.append(pad + '  - type: dhcp4')
            elif ip.get('ip'):
                address, _sl, bits = ip['ip'].partition('/')
                mask = '.'.join(str((0xffffffff << (32 - int(bits or 32)) >> s) & 255) for s in (24, 16, 8, 0))
                lines += [pad + '  - type: static', pad + "    address: '{0}'".format(address),
                          pad + "    netmask: '{0}'".format(mask)]
                if ip.get('gw'):
                    lines.append(pad + "    gateway: '{0}'".format(ip['gw']))
            if ip.get('ip6') == 'dhcp':
                lines.append(pad + '  - type: dhcp6')
            elif ip.get('ip6') == 'auto':
                lines.append(pad + '  - type: ipv6_slaac')
        dns = self.node_conf(node).get('dns', {})
        search = str(config.get('searchdomain') or dns.get('search') or '').split()
        servers = str(config['nameserver']).split() if config.get('nameserver') else [
            dns[k] for k in ('dns1', 'dns2', 'dns3') if dns.get(k)]
        lines.append(pad + '- type: nameserver')
        if servers:
            lines.append(pad + '  address:')
            lines.extend(pad + "  - '{0}'".format(s) for s in servers)
        if search:
            lines.append(pad + '  search:')
            lines.extend(pad + "  - '{0}'".format(s) for s in search)
        return '\n'.join(lines) + '\n'
