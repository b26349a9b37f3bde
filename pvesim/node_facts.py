# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a node reports about its software and hardware, derived from the simulated node.

Follows pve-manager (PVE/API2/APT.pm, Services.pm, Nodes.pm, Hardware/, Scan.pm, VZDump.pm),
pve-storage (PVE/API2/Disks/*.pm, PVE/Diskmanage.pm) and qemu-server (API2/NodeCapabilities).
Every node of the simulator is the same machine (nodes.NODE_DEFAULTS: an AMD EPYC with an NVMe
system disk holding the LVM volume group `pve` and its thin pool `data`, and an unused SATA disk),
running PVE 9.2 on Debian trixie, so the answers agree with each other and with the node's other
endpoints (node_details.py): the thin pool is the `local-lvm` storage, the VG sits on the disk
/disks/list shows, the services are those /syslog mentions.

- GET apt/repositories, apt/versions, apt/changelog: the Debian and Proxmox no-subscription
  repositories (deb822 files; the enterprise ones present and disabled), the installed PVE packages,
  the changelog of a package with an update. The repositories are the node's own (node_settings, saved with
  the state): PUT adds a standard repository by handle (enabling the first entry of it if there is one), POST
  enables or disables the entry at path and index; both check the digest, as proxmox-apt does.
- GET aplinfo: the appliance templates pveam offers (the demo's Debian template among them).
- GET capabilities/qemu/{cpu,cpu-flags,machines,migration}; GET /cluster/qemu/cpu-flags.
- GET hardware/pci (and its mdev list: none), hardware/usb.
- GET disks/lvm, disks/lvmthin, disks/smart; scan/lvm, scan/lvmthin, scan/nfs (the exports of the
  NFS servers the storages use).
- GET services, services/{service}/state: systemd's view of PVE's services.
- GET hosts (and POST, which replaces the file after the digest check), journal, netstat, report.
- GET network/{iface}: one interface of the node's network (node_details.node_interfaces).
- GET firewall/log of the node and of guests: empty logs, which PVE answers with one 'no content' line.
- GET vzdump/defaults: /etc/vzdump.conf's defaults with the storage's dump directory and
  prune-backups, as read_vzdump_defaults does (performance and fleecing as objects, as PVE sends them).
- GET storage/{storage}/rrddata: the storage's usage over time.
"""

import hashlib
import time

from fakepve import FakeCt, PveError
from fakepve import schema as pve_schema
from fakepve.routing import StatefulRoutes, check_digest, die, param_error

from .guests import RRD_POINTS, RRD_STEPS, _wave
from .nodes import KERNEL_RELEASE

GIB = 1024 ** 3
PVE_PACKAGES = (
    # (package, version, title)
    ('proxmox-ve', '9.2.0', 'Proxmox Virtual Environment'),
    ('pve-manager', '9.2.0', 'Proxmox Virtual Environment Management Tools'),
    ('proxmox-kernel-helper', '9.0.4', 'Function for various kernel maintenance tasks.'),
    ('proxmox-kernel-' + KERNEL_RELEASE, KERNEL_RELEASE.rsplit('-', 1)[0], 'Proxmox Kernel Image'),
    ('corosync', '3.1.9-pve2', 'cluster engine daemon and utilities'),
    ('libpve-access-control', '9.0.4', 'Proxmox VE access control library'),
    ('libpve-common-perl', '9.0.11', 'Proxmox VE base library'),
    ('libpve-guest-common-perl', '6.0.2', 'Proxmox VE common guest-related modules'),
    ('libpve-storage-perl', '9.0.15', 'Proxmox VE storage management library'),
    ('lxc-pve', '6.0.5-1', 'Linux containers userspace tools'),
    ('proxmox-backup-client', '4.0.19-1', 'Proxmox Backup Client tools'),
    ('proxmox-widget-toolkit', '5.0.6', 'Core Widgets and ExtJS Helper Classes'),
    ('pve-cluster', '9.0.6', 'Cluster Infrastructure for Proxmox Virtual Environment'),
    ('pve-container', '6.0.13', 'Proxmox VE Container management tool'),
    ('pve-firewall', '6.0.3', 'Proxmox VE Firewall'),
    ('pve-ha-manager', '5.0.5', 'Proxmox VE HA Manager'),
    ('pve-qemu-kvm', '10.0.2-4', 'Full virtualization on x86 hardware'),
    ('qemu-server', '9.0.23', 'Qemu Server Tools'),
)
SERVICES = (
    # (service, description, sub state, unit file state)
    ('chrony', 'chrony, an NTP client/server', 'running', 'enabled'),
    ('corosync', 'Corosync Cluster Engine', 'running', 'enabled'),
    ('cron', 'Regular background program processing daemon', 'running', 'enabled'),
    ('ksmtuned', 'Kernel Samepage Merging (KSM) Tuning Daemon', 'running', 'enabled'),
    ('lxcfs', 'FUSE filesystem for LXC', 'running', 'enabled'),
    ('postfix', 'Postfix Mail Transport Agent (instance -)', 'running', 'static'),
    ('proxmox-firewall', 'Proxmox nftables firewall', 'dead', 'enabled'),
    ('pve-cluster', 'The Proxmox VE cluster filesystem', 'running', 'enabled'),
    ('pve-firewall', 'Proxmox VE firewall', 'running', 'enabled'),
    ('pve-ha-crm', 'PVE Cluster HA Resource Manager Daemon', 'running', 'enabled'),
    ('pve-ha-lrm', 'PVE Local HA Resource Manager Daemon', 'running', 'enabled'),
    ('pve-lxc-syscalld', 'Proxmox VE LXC Syscall Daemon', 'running', 'enabled'),
    ('pvedaemon', 'PVE API Daemon', 'running', 'enabled'),
    ('pvefw-logger', 'Proxmox VE firewall logger', 'running', 'static'),
    ('pveproxy', 'PVE API Proxy Server', 'running', 'enabled'),
    ('pvescheduler', 'Proxmox VE scheduler', 'running', 'enabled'),
    ('pvestatd', 'PVE Status Daemon', 'running', 'enabled'),
    ('qmeventd', 'PVE Qemu Event Daemon', 'running', 'enabled'),
    ('spiceproxy', 'PVE SPICE Proxy Server', 'running', 'enabled'),
    ('sshd', 'OpenBSD Secure Shell server', 'running', 'enabled'),
    ('syslog', 'System Logging Service', 'running', 'enabled'),
    ('systemd-journald', 'Journal Service', 'running', 'static'),
    ('systemd-timesyncd', 'Network Time Synchronization', 'dead', 'masked'),
)
CPU_MODELS = (
    ('x86-64-v2', 'default'), ('x86-64-v2-AES', 'default'), ('x86-64-v3', 'default'), ('x86-64-v4', 'default'),
    ('host', 'default'), ('kvm64', 'default'), ('qemu64', 'default'), ('max', 'default'),
    ('EPYC-Milan', 'AuthenticAMD'), ('EPYC-Rome', 'AuthenticAMD'), ('EPYC-Genoa', 'AuthenticAMD'),
    ('Skylake-Server', 'GenuineIntel'), ('Icelake-Server', 'GenuineIntel'), ('SapphireRapids', 'GenuineIntel'),
)
# The CPU flags qemu-server lets a VM's cpu option set, with what the node's EPYC has.
CPU_FLAGS = ('aes', 'amd-no-ssb', 'amd-ssbd', 'hv-evmcs', 'hv-tlbflush', 'ibpb', 'md-clear', 'pcid', 'pdpe1gb',
             'spec-ctrl', 'ssbd', 'virt-ssbd')
NODE_CPU_FLAGS = ('aes', 'amd-ssbd', 'ibpb', 'pdpe1gb', 'spec-ctrl', 'ssbd', 'virt-ssbd')
MACHINE_VERSIONS = ('10.0+pve1', '10.0', '9.2+pve1', '9.2', '9.0', '8.2', '8.1')
PCI_DEVICES = (
    # (id, class, vendor, device, vendor name, device name, iommu group)
    ('0000:00:00.0', '0x060000', '0x1022', '0x1480', 'Advanced Micro Devices, Inc. [AMD]',
     'Starship/Matisse Root Complex', 0),
    ('0000:01:00.0', '0x010802', '0x144d', '0xa80a', 'Samsung Electronics Co Ltd',
     'NVMe SSD Controller PM9A1/PM9A3/980PRO', 12),
    ('0000:02:00.0', '0x020000', '0x8086', '0x1521', 'Intel Corporation', 'I350 Gigabit Network Connection', 13),
    ('0000:02:00.1', '0x020000', '0x8086', '0x1521', 'Intel Corporation', 'I350 Gigabit Network Connection', 14),
    ('0000:03:00.0', '0x030000', '0x1a03', '0x2000', 'ASPEED Technology, Inc.', 'ASPEED Graphics Family', 15),
    ('0000:04:00.0', '0x0c0330', '0x1022', '0x149c', 'Advanced Micro Devices, Inc. [AMD]',
     'Matisse USB 3.0 Host Controller', 16),
)
APPLIANCES = (
    # (os, version, template file, headline)
    ('debian-12', '12.7-1', 'debian-12-standard_12.7-1_amd64.tar.zst', 'Debian 12 Bookworm (standard)'),
    ('debian-13', '13.1-2', 'debian-13-standard_13.1-2_amd64.tar.zst', 'Debian 13 Trixie (standard)'),
    ('ubuntu-24.04', '24.04-2', 'ubuntu-24.04-standard_24.04-2_amd64.tar.zst', 'Ubuntu 24.04 Noble (standard)'),
    ('alpine-3.22', '3.22-0', 'alpine-3.22-default_20250617_amd64.tar.xz', 'Alpine Linux 3.22 (default)'),
)
# The VG on the NVMe disk's third partition (node_details.node_disks), and its thin pool's metadata.
VG_DEVICE, VG_SIZE = '/dev/nvme0n1p3', 999130398720
THIN_METADATA = 8 * GIB


def _digest(*parts):
    return hashlib.sha1(':'.join(str(p) for p in parts).encode()).hexdigest()


# The standard repositories proxmox-apt offers PVE 9 on Debian trixie: handle -> (name, URI, component, the file
# add_repository writes a new entry into). An entry is the handle's when it has the URI, the suite and the component.
SUITE = 'trixie'
STANDARD_REPOS = (
    ('enterprise', 'Enterprise', 'https://enterprise.proxmox.com/debian/pve', 'pve-enterprise',
     '/etc/apt/sources.list.d/pve-enterprise.sources'),
    ('no-subscription', 'No-Subscription', 'http://download.proxmox.com/debian/pve', 'pve-no-subscription',
     '/etc/apt/sources.list.d/proxmox.sources'),
    ('test', 'Test', 'http://download.proxmox.com/debian/pve', 'pve-test', '/etc/apt/sources.list.d/proxmox.sources'),
    ('ceph-squid-enterprise', 'Ceph Squid Enterprise', 'https://enterprise.proxmox.com/debian/ceph-squid',
     'enterprise', '/etc/apt/sources.list.d/ceph.sources'),
    ('ceph-squid-no-subscription', 'Ceph Squid No-Subscription', 'http://download.proxmox.com/debian/ceph-squid',
     'no-subscription', '/etc/apt/sources.list.d/ceph.sources'),
    ('ceph-squid-test', 'Ceph Squid Test', 'http://download.proxmox.com/debian/ceph-squid', 'test',
     '/etc/apt/sources.list.d/ceph.sources'),
)


def _stanza(uri, suites, components, enabled):
    return {'types': ['deb'], 'uris': [uri], 'suites': list(suites), 'components': list(components),
            'enabled': bool(enabled)}


def _keyring(uri):
    return '/usr/share/keyrings/' + ('debian-archive-keyring.gpg' if 'debian.org' in uri
                                     else 'proxmox-archive-keyring.gpg')


def _deb822(stanzas):
    """The text of a deb822 .sources file, as proxmox-apt writes it (its digest is of these bytes)."""
    blocks = []
    for st in stanzas:
        lines = ['Types: ' + ' '.join(st['types']), 'URIs: ' + ' '.join(st['uris']),
                 'Suites: ' + ' '.join(st['suites']), 'Components: ' + ' '.join(st['components']),
                 'Signed-By: ' + _keyring(st['uris'][0])]
        if not st['enabled']:
            lines.append('Enabled: no')
        if st.get('comment'):
            lines = ['#' + line for line in st['comment'].split('\n')] + lines
        blocks.append('\n'.join(lines) + '\n')
    return '\n'.join(blocks)


def _sources(path, stanzas):
    """An APT deb822 file as proxmox-apt describes it."""
    repos = []
    for st in stanzas:
        repo = {'Types': list(st['types']), 'URIs': list(st['uris']), 'Suites': list(st['suites']),
                'Components': list(st['components']),
                'Options': [{'Key': 'Signed-By', 'Values': [_keyring(st['uris'][0])]}],
                'FileType': 'sources', 'Enabled': 1 if st['enabled'] else 0}
        if not st['enabled']:
            repo['Options'].append({'Key': 'Enabled', 'Values': ['no']})
        if st.get('comment'):
            repo['Comment'] = st['comment'] + '\n'
        repos.append(repo)
    digest = hashlib.sha256(_deb822(stanzas).encode()).digest()
    return {'path': path, 'file-type': 'sources', 'repositories': repos, 'digest': list(digest)}


def _refers(stanza, uri, component):
    """proxmox-apt's is_referenced_repository: the URI (a trailing slash aside), the suite and the component."""
    return (any(u.rstrip('/') == uri for u in stanza['uris']) and SUITE in stanza['suites']
            and component in stanza['components'])


APT_FILES = (
    ('/etc/apt/sources.list.d/debian.sources', (
        _stanza('http://deb.debian.org/debian', ('trixie', 'trixie-updates'), ('main', 'contrib', 'non-free-firmware'),
                True),
        _stanza('http://security.debian.org/debian-security', ('trixie-security',),
                ('main', 'contrib', 'non-free-firmware'), True))),
    ('/etc/apt/sources.list.d/pve-enterprise.sources', (
        _stanza('https://enterprise.proxmox.com/debian/pve', ('trixie',), ('pve-enterprise',), False),)),
    ('/etc/apt/sources.list.d/ceph.sources', (
        _stanza('https://enterprise.proxmox.com/debian/ceph-squid', ('trixie',), ('enterprise',), False),)),
    ('/etc/apt/sources.list.d/proxmox.sources', (
        _stanza('http://download.proxmox.com/debian/pve', ('trixie',), ('pve-no-subscription',), True),)),
)


class NodeFactsApi(StatefulRoutes):
    """Mixin of PveSim: a node's software, hardware, services, logs and backup defaults."""

    def _routes_node_facts(self):
        node = '/nodes/{node}'
        qemu, lxc = node + '/qemu/{vmid}', node + '/lxc/{vmid}'
        return [
            ('GET', node + '/apt/repositories', self._nf_apt_repositories),
            ('PUT', node + '/apt/repositories', self._nf_add_repository),
            ('POST', node + '/apt/repositories', self._nf_change_repository),
            ('GET', node + '/apt/versions', self._nf_apt_versions),
            ('GET', node + '/apt/changelog', self._nf_apt_changelog),
            ('GET', node + '/aplinfo', self._nf_aplinfo),
            ('GET', node + '/capabilities/qemu/cpu', self._nf_cpu_models),
            ('GET', node + '/capabilities/qemu/cpu-flags', self._nf_node_cpu_flags),
            ('GET', node + '/capabilities/qemu/machines', self._nf_machines),
            ('GET', node + '/capabilities/qemu/migration', self._nf_migration),
            ('GET', '/cluster/qemu/cpu-flags', self._nf_cluster_cpu_flags),
            ('GET', node + '/hardware/pci', self._nf_pci),
            ('GET', node + '/hardware/usb', self._nf_usb),
            ('GET', node + '/disks/lvm', self._nf_lvm),
            ('GET', node + '/disks/lvmthin', self._nf_lvmthin),
            ('GET', node + '/disks/smart', self._nf_smart),
            ('GET', node + '/scan/lvm', self._nf_scan_lvm),
            ('GET', node + '/scan/lvmthin', self._nf_scan_lvmthin),
            ('GET', node + '/scan/nfs', self._nf_scan_nfs),
            ('GET', node + '/services', self._nf_services),
            ('GET', node + '/services/{service}/state', self._nf_service_state),
            ('GET', node + '/hosts', self._nf_hosts), ('POST', node + '/hosts', self._nf_set_hosts),
            ('GET', node + '/journal', self._nf_journal),
            ('GET', node + '/netstat', self._nf_netstat),
            ('GET', node + '/report', self._nf_report),
            ('GET', node + '/network/{iface}', self._nf_interface),
            ('GET', node + '/firewall/log', self._nf_empty_log),
            ('GET', qemu + '/firewall/log', self._nf_vm_log),
            ('GET', lxc + '/firewall/log', self._nf_ct_log),
            ('GET', node + '/vzdump/defaults', self._nf_vzdump_defaults),
            ('GET', node + '/storage/{storage}/rrddata', self._nf_storage_rrddata),
        ]

    def _unroutable_reads(self):
        """GETs whose path parameter aiohttp cannot name ({pci-id-or-mapping}): generic.GenericPolicy calls
        these with the checked values."""
        pci = '/nodes/{node}/hardware/pci/{pci-id-or-mapping}'
        return {pci: self._nf_pci_index, pci + '/mdev': self._nf_mdev}

    # -------------------------------------------------------------------- apt

    def _apt_files(self, node):
        """The node's repository files, [{'path', 'stanzas'}] in node_settings (saved with the state)."""
        conf = self.node_conf(node)
        if 'apt_repositories' not in conf:
            conf['apt_repositories'] = [{'path': path, 'stanzas': [dict(st) for st in stanzas]}
                                        for path, stanzas in APT_FILES]
        return conf['apt_repositories']

    def _apt_result(self, node):
        stored = self._apt_files(node)
        files = [_sources(f['path'], f['stanzas']) for f in stored]
        infos = []
        for file in files:
            for index, repo in enumerate(file['repositories']):
                origin = 'Debian' if 'debian.org' in repo['URIs'][0] else 'Proxmox'
                infos.append({'path': file['path'], 'index': index, 'kind': 'origin', 'message': origin})
                if 'pve-no-subscription' in repo['Components']:
                    infos.append({'path': file['path'], 'index': index, 'kind': 'warning', 'property': 'Components',
                                  'message': 'The no-subscription repository is not recommended for production use!'})
        standard = []
        for handle, name, uri, component, _path in STANDARD_REPOS:
            entry = {'handle': handle, 'name': name}
            for f in stored:
                for st in f['stanzas']:
                    if entry.get('status') != 1 and _refers(st, uri, component):
                        entry['status'] = 1 if st['enabled'] else 0
            standard.append(entry)
        # proxmox-apt's common digest: SHA-256 over the files' digests in path order.
        digest = hashlib.sha256(b''.join(bytes(f['digest']) for f in sorted(files, key=lambda f: f['path'])))
        return {'files': files, 'errors': [], 'infos': infos, 'standard-repos': standard,
                'digest': digest.hexdigest()}

    async def _nf_apt_repositories(self, v, user):
        return self._apt_result(v['node'])

    async def _nf_add_repository(self, v, user):
        """proxmox-apt add_repository_handle: enable the first entry of the handle, or append a new one."""
        node, handle = v['node'], v['handle']
        offered = next((r for r in STANDARD_REPOS if r[0] == handle), None)
        if offered is None:
            # The handle is deserialised (serde) before proxmox-apt runs, so it is refused before the digest check.
            raise die('unknown variant `{0}`, expected one of {1}'.format(
                handle, ', '.join('`{0}`'.format(r[0]) for r in STANDARD_REPOS)))
        check_digest(self._apt_result(node)['digest'], v.get('digest'))
        _handle, _name, uri, component, path = offered
        files = self._apt_files(node)
        for f in files:
            for st in f['stanzas']:
                if _refers(st, uri, component):
                    st['enabled'] = True
                    return None
        stanza = _stanza(uri, (SUITE,), (component,), True)
        target = next((f for f in files if f['path'] == path), None)
        if target is None:
            files.append({'path': path, 'stanzas': [stanza]})
        else:
            target['stanzas'].append(stanza)
        return None

    async def _nf_change_repository(self, v, user):
        """proxmox-apt change_repository: only Enabled can change."""
        node, path, index = v['node'], v['path'], v['index']
        check_digest(self._apt_result(node)['digest'], v.get('digest'))
        target = next((f for f in self._apt_files(node) if f['path'] == path), None)
        if target is None:
            raise die('invalid path - {0}'.format(path))
        if index < 0 or index >= len(target['stanzas']):
            raise die('invalid index - {0}'.format(index))
        if v.get('enabled') is not None:
            target['stanzas'][index]['enabled'] = bool(v['enabled'])
        return None

    def _installed(self):
        return [{'Package': name, 'Title': title, 'Version': version, 'Arch': 'amd64' if name != 'proxmox-ve'
                 else 'all', 'CurrentState': 'Installed', 'Origin': 'Proxmox', 'Priority': 'optional',
                 'Section': 'admin', 'Description': title + '.'} for name, version, title in PVE_PACKAGES]

    async def _nf_apt_versions(self, v, user):
        out = self._installed()
        for pkg in out:
            if pkg['Package'] == 'pve-manager':
                pkg.update(ManagerVersion=self.version, RunningKernel=KERNEL_RELEASE)
        return out

    async def _nf_apt_changelog(self, v, user):
        updates = await self._node_apt_updates({'node': v['node']}, user)
        pkg = next((p for p in updates if p['Package'] == v['name']), None)
        if pkg is None or (v.get('version') and v['version'] != pkg['Version']):
            raise die("changelog for '{0}' not available".format(v['name']))
        return ('{0} ({1}) trixie; urgency=medium\n\n  * update to {1}\n\n -- Proxmox Support Team '
                '<support@proxmox.com>  Mon, 01 Dec 2025 10:00:00 +0100\n').format(pkg['Package'], pkg['Version'])

    async def _nf_aplinfo(self, v, user):
        out = []
        for os_name, version, template, headline in APPLIANCES:
            out.append({'os': os_name.split('-')[0], 'package': os_name + '-' + template.split('_')[0].split('-')[-1],
                        'version': version, 'template': template, 'type': 'lxc', 'section': 'system',
                        'headline': headline, 'architecture': 'amd64', 'source': 'https://www.proxmox.com',
                        'location': 'system/' + template, 'maintainer': 'Proxmox Support Team <support@proxmox.com>',
                        'infopage': 'https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions',
                        'sha512sum': hashlib.sha512(template.encode()).hexdigest(),
                        'description': headline + ' system image.'})
        return out

    # ----------------------------------------------------------- capabilities

    async def _nf_cpu_models(self, v, user):
        return [{'name': name, 'vendor': vendor, 'custom': 0} for name, vendor in CPU_MODELS]

    async def _nf_node_cpu_flags(self, v, user):
        return [{'name': flag} for flag in NODE_CPU_FLAGS]

    async def _nf_cluster_cpu_flags(self, v, user):
        nodes = sorted(n for n, s in self.nodes.items() if s.get('online', True))
        return [dict({'name': flag}, **({'supported-on': nodes} if flag in NODE_CPU_FLAGS else {}))
                for flag in CPU_FLAGS]

    async def _nf_machines(self, v, user):
        return [{'id': 'pc-{0}-{1}'.format(kind if kind == 'q35' else 'i440fx', version), 'type': kind,
                 'version': version} for version in MACHINE_VERSIONS for kind in ('i440fx', 'q35')]

    async def _nf_migration(self, v, user):
        # qemu-server answers JSON true/false here (API2/NodeCapabilities/Qemu/Migration.pm).
        return {'has-dbus-vmstate': True}

    # --------------------------------------------------------------- hardware

    def _pci(self):
        return [{'id': dev, 'class': cls, 'vendor': vendor, 'device': device, 'vendor_name': vname,
                 'device_name': dname, 'iommugroup': group, 'subsystem_vendor': vendor,
                 'subsystem_device': '0x0000', 'mdev': 0}
                for dev, cls, vendor, device, vname, dname, group in PCI_DEVICES]

    def _pci_device(self, ident):
        found = next((d for d in self._pci() if d['id'] == ident or d['id'] == '0000:' + ident), None)
        if found is None:
            raise die("pci device '{0}' not found".format(ident))
        return found

    async def _nf_pci(self, v, user):
        skip = [c.strip().lower() for c in str(v.get('pci-class-blacklist', '05;06;0b')).replace(',', ';').split(';')
                if c.strip()]
        return [d for d in self._pci() if not any(d['class'][2:].startswith(c) for c in skip)]

    async def _nf_pci_index(self, v, user):
        self._pci_device(v['pci-id-or-mapping'])
        return [{'method': 'mdev'}]

    async def _nf_mdev(self, v, user):
        self._pci_device(v['pci-id-or-mapping'])
        return []

    async def _nf_usb(self, v, user):
        hubs = [{'busnum': bus, 'devnum': 1, 'level': 0, 'port': 0, 'class': 9, 'vendid': '1d6b',
                 'prodid': '0002' if bus == 1 else '0003', 'speed': '480' if bus == 1 else '5000',
                 'manufacturer': 'Linux ' + KERNEL_RELEASE + ' xhci-hcd', 'usbpath': str(bus),
                 'product': 'xHCI Host Controller', 'serial': '0000:04:00.0'} for bus in (1, 2)]
        return hubs + [{'busnum': 1, 'devnum': 2, 'level': 1, 'port': 1, 'class': 0, 'vendid': '046b',
                        'prodid': 'ff10', 'speed': '480', 'usbpath': '1-1', 'manufacturer': 'American Megatrends Inc.',
                        'product': 'Virtual Keyboard and Mouse'}]

    # ------------------------------------------------------------------ disks

    def _thin_pool(self):
        """(size, used) of the thin pool `data`: the local-lvm storage."""
        store = self.storages.get('local-lvm') or {}
        total, used, _avail = self._space(store) if store else (0, 0, 0)
        return total, used

    async def _nf_lvm(self, v, user):
        size, _used = self._thin_pool()
        free = max(VG_SIZE - size - THIN_METADATA - 96 * GIB, 0)
        return {'leaf': 0, 'children': [{'name': 'pve', 'size': VG_SIZE, 'free': free, 'leaf': 0, 'children': [
            {'name': VG_DEVICE, 'size': VG_SIZE, 'free': free, 'leaf': 1}]}]}

    async def _nf_lvmthin(self, v, user):
        size, used = self._thin_pool()
        return [{'lv': 'data', 'vg': 'pve', 'lv_size': size, 'used': used, 'metadata_size': THIN_METADATA,
                 'metadata_used': max(used // 1000, 4 * 1024 ** 2), 'lv_state': 'a', 'lv_type': 't'}]

    async def _nf_smart(self, v, user):
        disk = next((d for d in self.node_disks(v['node']) if d['devpath'] == v['disk']), None)
        if disk is None:
            raise die('{0}: no such disk'.format(v['disk']))
        if v.get('healthonly'):
            return {'health': disk['health']}
        if disk['type'] == 'nvme':
            return {'health': disk['health'], 'type': 'text', 'text': (
                'SMART/Health Information (NVMe Log 0x02)\nCritical Warning:                   0x00\n'
                'Temperature:                        38 Celsius\nAvailable Spare:                    100%\n'
                'Percentage Used:                    {0}%\n').format(100 - disk['wearout'])}
        return {'health': disk['health'], 'type': 'ata', 'attributes': [
            {'id': ' 5', 'name': 'Reallocated_Sector_Ct', 'value': 100, 'worst': 100, 'threshold': 10,
             'flags': 'PO--CK', 'fail': '-', 'raw': '0', 'normalized': 100},
            {'id': '194', 'name': 'Temperature_Celsius', 'value': 34, 'worst': 45, 'threshold': 0,
             'flags': '-O---K', 'fail': '-', 'raw': '34', 'normalized': 34}]}

    async def _nf_scan_lvm(self, v, user):
        return [{'vg': 'pve', 'size': VG_SIZE, 'free': (await self._nf_lvm(v, user))['children'][0]['free']}]

    async def _nf_scan_lvmthin(self, v, user):
        if v['vg'] != 'pve':
            raise die("Volume group \"{0}\" not found".format(v['vg']))
        return [{'lv': 'data'}]

    async def _nf_scan_nfs(self, v, user):
        exports = sorted(set(s['export'] for s in self.storages.values()
                             if s.get('type') == 'nfs' and s.get('server') == v['server']))
        if not exports:
            raise die('clnt_create: RPC: Program not registered')
        return [{'path': path, 'options': '192.0.2.0/24'} for path in exports]

    # --------------------------------------------------------------- services

    def _service(self, name):
        for service, desc, state, unit in SERVICES:
            if service == name:
                return {'service': service, 'name': service, 'desc': desc, 'state': state,
                        'unit-state': unit, 'active-state': 'active' if state == 'running' else 'inactive'}
        raise param_error(service="value '{0}' does not have a value in the enumeration".format(name))

    async def _nf_services(self, v, user):
        return [self._service(name) for name, _d, _s, _u in SERVICES]

    async def _nf_service_state(self, v, user):
        return self._service(v['service'])

    # --------------------------------------------------------- files and logs

    def _hosts_text(self, node):
        conf = self.node_conf(node)
        if 'hosts' not in conf:
            search = conf['dns'].get('search', 'localdomain')
            lines = ['127.0.0.1 localhost.localdomain localhost']
            lines += ['{0} {1}.{2} {1}'.format(self.node_address(n), n, search) for n in sorted(self.nodes)]
            lines += ['', '# The following lines are desirable for IPv6 capable hosts', '', '::1     ip6-localhost '
                      'ip6-loopback', 'fe00::0 ip6-localnet', 'ff00::0 ip6-mcastprefix', 'ff02::1 ip6-allnodes',
                      'ff02::2 ip6-allrouters', 'ff02::3 ip6-allhosts']
            return '\n'.join(lines) + '\n'
        return conf['hosts']

    async def _nf_hosts(self, v, user):
        text = self._hosts_text(v['node'])
        return {'data': text, 'digest': hashlib.sha1(text.encode()).hexdigest()}

    async def _nf_set_hosts(self, v, user):
        current = self._hosts_text(v['node'])
        if v.get('digest') and v['digest'] != hashlib.sha1(current.encode()).hexdigest():
            raise die('detected modified configuration - file changed by other user? Try again.')
        self.node_conf(v['node'])['hosts'] = v['data']
        return None

    async def _nf_journal(self, v, user):
        lines = [text for when, text in self.node_syslog(v['node'])
                 if (v.get('since') is None or when >= v['since']) and (v.get('until') is None or when <= v['until'])]
        if v.get('lastentries'):
            lines = lines[-v['lastentries']:]
        cursor = 's=' + _digest('journal', v['node'])[:32]
        return [cursor + ';i=1'] + lines + [cursor + ';i={0}'.format(len(lines) + 1)]

    async def _nf_netstat(self, v, user):
        out = []
        for guest in self._guests():
            if guest.node != v['node'] or guest.status != 'running':
                continue
            for key in sorted(k for k in guest.config if k.startswith('net') and k[3:].isdigit()):
                seed = '{0}:{1}'.format(guest.vmid, key)
                # pve-manager reads /proc/net/dev: the numbers are strings, and in/out are the host's view.
                out.append({'vmid': str(guest.vmid), 'dev': key, 'in': str(int(_wave(seed, 1, 1e6, 9e8))),
                            'out': str(int(_wave(seed, 2, 1e6, 9e8)))})
        return out

    async def _nf_report(self, v, user):
        node = v['node']
        versions = '\n'.join('{0}: {1}'.format(p['Package'], p['Version']) for p in self._installed())
        guests = '\n'.join('{0} {1} {2}'.format(g.vmid, 'lxc' if isinstance(g, FakeCt) else 'qemu', g.status)
                           for g in sorted(self._guests(), key=lambda g: g.vmid) if g.node == node)
        return ('==== general system info ====\n\n# hostname\n{0}\n\n# pveversion --verbose\n{1}\n\n'
                '# cat /etc/hosts\n{2}\n==== info about virtual guests ====\n\n{3}\n').format(
            node, versions, self._hosts_text(node), guests)

    async def _nf_interface(self, v, user):
        found = next((i for i in self.node_interfaces(v['node']) if i['iface'] == v['iface']), None)
        if found is None:
            raise die("interface '{0}' does not exist".format(v['iface']))
        return found

    async def _nf_empty_log(self, v, user):
        return [{'n': 1, 't': 'no content'}]

    async def _nf_vm_log(self, v, user):
        self.find(v['node'], v['vmid'])
        return await self._nf_empty_log(v, user)

    async def _nf_ct_log(self, v, user):
        self._find_ct(v['node'], v['vmid'])
        return await self._nf_empty_log(v, user)

    # ----------------------------------------------------------------- vzdump

    async def _nf_vzdump_defaults(self, v, user):
        props = pve_schema.load().paths['/nodes/{node}/vzdump/defaults']['GET']['returns']['properties']
        res = dict((key, sch['default']) for key, sch in props.items()
                   if 'default' in sch and key not in ('fleecing', 'performance', 'prune-backups'))
        res['performance'] = {'max-workers': 16, 'pbs-entries-max': 1048576}
        res['fleecing'] = {'enabled': 0}
        res['prune-backups'] = 'keep-all=1'
        res['storage'] = v.get('storage') or 'local'
        sid = res['storage']
        store = self.storages.get(sid)
        if store is None:
            raise die("storage '{0}' does not exist".format(sid))
        if not (self.allowed(user, '/storage/' + sid, 'Datastore.Audit')
                or self.allowed(user, '/storage/' + sid, 'Datastore.AllocateSpace')):
            raise PveError(403, 'Permission check failed (/storage/{0}, Datastore.Audit|Datastore.AllocateSpace)'
                           .format(sid))
        if store.get('path'):
            res['dumpdir'] = store['path'].rstrip('/') + '/dump'
        if store.get('prune-backups'):
            res['prune-backups'] = store['prune-backups']
        if not self.allowed(user, '/nodes/' + v['node'], 'Sys.Audit'):
            for key in ('mailto', 'tmpdir', 'dumpdir', 'script', 'ionice'):
                res.pop(key, None)
        return res

    # ----------------------------------------------------------------- storage

    async def _nf_storage_rrddata(self, v, user):
        store = self._store(v['storage'])
        total, used, _avail = self._space(store)
        step = RRD_STEPS[v['timeframe']]
        now = int(time.time()) // step * step
        return [{'time': t, 'total': total, 'used': used}
                for t in (now - (RRD_POINTS - 1 - n) * step for n in range(RRD_POINTS))]
