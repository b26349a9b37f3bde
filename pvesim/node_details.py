# SPDX-License-Identifier: AGPL-3.0-or-later
"""Node details fakepve answers only with synthesized values: RRD series, network interfaces, disks,
certificates, syslog, apt updates, node config and subscription.

Follows pve-manager's PVE/API2/Nodes.pm, Network.pm, Disks.pm, Certificates.pm, APT.pm, NodeConfig.pm and
Subscription.pm. Everything is derived from the node's name, its place in the cluster and its state in
`sim.node_settings[node]` (nodes.NodeInfo.node_conf), so the answers are the same on every run:

- GET /nodes/{node}/rrddata: 70 points per timeframe at PVE's RRD resolutions (as the guests' RRD data in
  guests.py; `decade` at 8-week points), from the node's usage; MAX is never below AVERAGE.
- GET /nodes/{node}/network: eno1 (the bridge port), eno2 (unused) and vmbr0 with the node's address
  (192.0.2.10+n/24, the address /cluster/status shows); `type` filters as PVE does (any_bridge ...).
  The loopback is not listed (PVE leaves it out).
- GET /nodes/{node}/disks/list: an NVMe system disk (partitions; with include-partitions its three
  partitions) and an unused SATA disk; `type=unused|journal_disks`, `skipsmart` as PVE; `osdid-list`
  null, as pve-storage sends it for disks without a Ceph OSD.
- GET /nodes/{node}/certificates/info: the certificate the simulator serves, as pve-ssl.pem.
- GET /nodes/{node}/syslog: the node's boot and service lines (start, limit, service, since, until).
- GET /nodes/{node}/apt/update: the node's pending updates (`apt_updates` in node_settings).
- GET /nodes/{node}/config: the node's description (`config` in node_settings) and digest; `property` picks one key.
- GET /nodes/{node}/subscription: no key (status notfound), as a node without a subscription.
"""

import datetime
import hashlib
import time

from fakepve.routing import StatefulRoutes, param_error

from .guests import RRD_POINTS, RRD_STEPS, _wave

GIB = 1024 ** 3
NODE_RRD_STEPS = dict(RRD_STEPS, decade=8 * 604800)
BRIDGE_TYPES = ('bridge', 'OVSBridge')
DEFAULT_APT_UPDATES = [
    {'Package': 'pve-manager', 'Title': 'Proxmox Virtual Environment Management Tools', 'Origin': 'Proxmox',
     'Section': 'admin', 'Priority': 'optional', 'Arch': 'amd64', 'OldVersion': '9.2.0', 'Version': '9.2.1',
     'Description': 'This package contains the Proxmox Virtual Environment management tools.'},
    {'Package': 'tzdata', 'Title': 'time zone and daylight-saving time data', 'Origin': 'Debian',
     'Section': 'localization', 'Priority': 'required', 'Arch': 'all', 'OldVersion': '2025b-4',
     'Version': '2025b-4+deb13u1', 'Description': 'This package contains data required for the implementation '
     'of standard local time for many representative locations around the globe.'},
]
SYSLOG_LINES = [
    ('kernel', 'Linux version {kernel} (build@proxmox) {build}'),
    ('systemd[1]', 'Started systemd-journald.service - Journal Service.'),
    ('kernel', 'EXT4-fs (dm-1): mounted filesystem with ordered data mode.'),
    ('systemd[1]', 'Started networking.service - Network initialization.'),
    ('kernel', 'vmbr0: port 1(eno1) entered forwarding state'),
    ('chronyd[{pid}]', 'Selected source 192.0.2.1'),
    ('pmxcfs[{pid}]', '[status] notice: node has quorum'),
    ('corosync[{pid}]', '[TOTEM ] A new membership was formed. Members joined: 1 2 3'),
    ('pve-firewall[{pid}]', 'starting server'),
    ('pvestatd[{pid}]', 'starting server'),
    ('pvedaemon[{pid}]', 'starting server'),
    ('pveproxy[{pid}]', 'starting server'),
    ('systemd[1]', 'Started pveproxy.service - PVE API Proxy Server.'),
    ('pve-guests[{pid}]', '<root@pam> starting task UPID:{node}:start all VMs and Containers'),
    ('systemd[1]', 'Reached target multi-user.target - Multi-User System.'),
]


def _digest(*parts):
    return hashlib.sha1(':'.join(str(p) for p in parts).encode()).hexdigest()


def _parse_when(name, text):
    """Seconds since the epoch of a journalctl date-time 'YYYY-MM-DD HH:MM[:SS]' (UTC), or a parameter error."""
    try:
        return int(datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC).timestamp())
    except ValueError:
        raise param_error(**{name: 'value does not match the regex pattern'}) from None


class NodeDetailsApi(StatefulRoutes):
    """Mixin of PveSim: a node's RRD data, network, disks, certificates, syslog, apt updates, config, subscription."""

    def _routes_node_details(self):
        node = '/nodes/{node}'
        return [('GET', node + '/rrddata', self._node_rrddata), ('GET', node + '/network', self._node_network),
                ('GET', node + '/disks/list', self._node_disks), ('GET', node + '/certificates/info', self._node_certs),
                ('GET', node + '/syslog', self._node_syslog), ('GET', node + '/apt/update', self._node_apt_updates),
                ('GET', node + '/config', self._node_config),
                ('GET', node + '/subscription', self._node_subscription)]

    # ------------------------------------------------------------------ state

    def node_index(self, node):
        """The node's number in the cluster (1, 2, ... by name), as /cluster/status numbers it."""
        return sorted(self.nodes).index(node) + 1 if node in self.nodes else 1

    def node_address(self, node):
        return '192.0.2.{0}'.format(10 + self.node_index(node))

    # ---------------------------------------------------------------- rrddata

    async def _node_rrddata(self, v, user):
        node = v['node']
        conf = self.node_conf(node)
        use = self.node_usage(node)
        step = NODE_RRD_STEPS[v['timeframe']]
        scale = 1.4 if v.get('cf') == 'MAX' else 1.0
        now = int(time.time()) // step * step
        seed = 'node:' + node
        points = []
        for n in range(RRD_POINTS):
            t = now - (RRD_POINTS - 1 - n) * step
            point = {'time': t, 'maxcpu': conf['cpus'], 'memtotal': conf['memory'], 'swaptotal': conf['swap'],
                     'roottotal': conf['rootfs']}
            if t >= conf['booted'] - step:
                cpu = min(0.95, use['cpu'] * _wave(seed + ':cpu', t, 0.7, 1.3) * scale)
                point.update(cpu=cpu, iowait=min(1.0, _wave(seed + ':io', t, 0.0, 0.01) * scale),
                             loadavg=round(cpu * conf['cpus'], 2),
                             memused=min(conf['memory'], int(use['mem'] * _wave(seed + ':mem', t, 0.9, 1.05) * scale)),
                             swapused=0, rootused=conf['rootfs_used'],
                             netin=_wave(seed + ':in', t, 2000, 400000) * scale,
                             netout=_wave(seed + ':out', t, 2000, 300000) * scale)
            points.append(point)
        return points

    # ---------------------------------------------------------------- network

    def node_interfaces(self, node):
        """The node's interfaces as /etc/network/interfaces would list them (without lo)."""
        return [
            {'iface': 'eno1', 'type': 'eth', 'method': 'manual', 'method6': 'manual', 'families': ['inet'],
             'active': 1, 'exists': 1, 'priority': 3},
            {'iface': 'eno2', 'type': 'eth', 'method': 'manual', 'method6': 'manual', 'families': ['inet'],
             'exists': 1, 'priority': 4},
            {'iface': 'vmbr0', 'type': 'bridge', 'method': 'static', 'method6': 'manual', 'families': ['inet'],
             'active': 1, 'autostart': 1, 'priority': 5, 'address': self.node_address(node), 'netmask': '24',
             'cidr': self.node_address(node) + '/24', 'gateway': '192.0.2.1', 'bridge_ports': 'eno1',
             'bridge_stp': 'off', 'bridge_fd': '0'},
        ]

    async def _node_network(self, v, user):
        kind = v.get('type')
        out = []
        for iface in self.node_interfaces(v['node']):
            if kind in (None, 'include_sdn') or iface['type'] == kind or (
                    kind in ('any_bridge', 'any_local_bridge') and iface['type'] in BRIDGE_TYPES):
                out.append(iface)
        return out

    # ------------------------------------------------------------------ disks

    def node_disks(self, node):
        serial = _digest('disk', node).upper()
        return [
            {'devpath': '/dev/nvme0n1', 'type': 'nvme', 'model': 'Samsung SSD 980 PRO 1TB', 'vendor': 'unknown',
             'serial': 'S5GXNX0T' + serial[:6], 'wwn': 'eui.002538b' + serial[6:15].lower(), 'size': 1000204886016,
             'gpt': 1, 'mounted': 0, 'used': 'partitions', 'health': 'PASSED', 'wearout': 98, 'rpm': 0,
             'osdid': -1, 'osdid-list': None, 'by_id_link': '/dev/disk/by-id/nvme-eui.002538b' + serial[6:15].lower()},
            {'devpath': '/dev/sda', 'type': 'hdd', 'model': 'ST4000NM000A-2HZ100', 'vendor': 'ATA',
             'serial': 'WJG' + serial[15:20], 'wwn': '0x5000c500' + serial[20:28].lower(), 'size': 4000787030016,
             'gpt': 0, 'mounted': 0, 'health': 'PASSED', 'wearout': 'N/A', 'rpm': 7200, 'osdid': -1, 'osdid-list': None,
             'by_id_link': '/dev/disk/by-id/ata-ST4000NM000A-2HZ100_WJG' + serial[15:20]},
        ]

    async def _node_disks(self, v, user):
        disks = self.node_disks(v['node'])
        if v.get('type') == 'unused':
            disks = [d for d in disks if not d.get('used')]
        elif v.get('type') == 'journal_disks':
            disks = [d for d in disks if d['type'] in ('ssd', 'nvme') and (d['gpt'] or not d.get('used'))]
        out = []
        for disk in disks:
            if v.get('skipsmart'):
                disk = dict((k, val) for k, val in disk.items() if k not in ('health', 'wearout'))
            out.append(disk)
            if v.get('include-partitions') and disk['devpath'] == '/dev/nvme0n1':
                for n, (size, used, mounted) in enumerate(
                        ((1031168, 'BIOS boot', 0), (1073741824, 'EFI', 1), (999130398720, 'LVM', 0)), 1):
                    out.append({'devpath': '/dev/nvme0n1p{0}'.format(n), 'parent': '/dev/nvme0n1',
                                'type': 'partition', 'size': size, 'used': used, 'mounted': mounted, 'gpt': 1,
                                'health': disk.get('health'), 'wearout': disk.get('wearout'), 'osdid': -1,
                                'osdid-list': None,
                                'rpm': 0, 'model': disk['model'], 'serial': disk['serial'],
                                'vendor': disk['vendor'], 'wwn': disk['wwn']})
        return out

    # ----------------------------------------------------------- certificates

    async def _node_certs(self, v, user):
        pem = getattr(self, 'console_cert', '') or ''
        if 'BEGIN CERTIFICATE' not in pem:
            return []
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        cert = x509.load_pem_x509_certificate(pem.encode())
        key = cert.public_key()
        key_type = 'rsaEncryption' if isinstance(key, rsa.RSAPublicKey) else (
            'id-ecPublicKey' if isinstance(key, ec.EllipticCurvePublicKey) else 'unknown')
        try:
            sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            san = [str(name.value) for name in sans]
        except x509.ExtensionNotFound:
            san = []

        def oneline(name):
            # Net::SSLeay's X509_NAME_oneline: /K=V/K=V in the certificate's order
            return ''.join('/' + attr.rfc4514_string() for attr in name)
        return [{'filename': 'pve-ssl.pem', 'fingerprint': ':'.join('{0:02X}'.format(b) for b in
                                                                    cert.fingerprint(hashes.SHA256())),
                 'subject': oneline(cert.subject), 'issuer': oneline(cert.issuer),
                 'notbefore': int(cert.not_valid_before_utc.timestamp()),
                 'notafter': int(cert.not_valid_after_utc.timestamp()), 'san': san,
                 'public-key-type': key_type, 'public-key-bits': getattr(key, 'key_size', 0), 'pem': pem}]

    # ----------------------------------------------------------------- syslog

    def node_syslog(self, node):
        """[(seconds, text)] of the node's journal since it booted."""
        booted = self.node_conf(node)['booted']
        from .nodes import KERNEL_BUILD, KERNEL_RELEASE
        out = []
        for n, (ident, text) in enumerate(SYSLOG_LINES):
            when = booted + 2 * n
            pid = 800 + 37 * n + self.node_index(node)
            ident = ident.format(pid=pid)
            text = text.format(kernel=KERNEL_RELEASE, build=KERNEL_BUILD, pid=pid, node=node)
            stamp = datetime.datetime.fromtimestamp(when, datetime.UTC).strftime('%b %d %H:%M:%S')
            out.append((when, '{0} {1} {2}: {3}'.format(stamp, node, ident, text)))
        return out

    async def _node_syslog(self, v, user):
        lines = self.node_syslog(v['node'])
        if v.get('since'):
            since = _parse_when('since', v['since'])
            lines = [line for line in lines if line[0] >= since]
        if v.get('until'):
            until = _parse_when('until', v['until'])
            lines = [line for line in lines if line[0] <= until]
        if v.get('service'):
            service = v['service']
            lines = [line for line in lines if ' {0}['.format(service) in line[1] or ' {0}:'.format(service) in line[1]]
        start = int(v.get('start') or 0)
        limit = int(v['limit']) if v.get('limit') is not None else 50
        chosen = lines[start:start + limit] if limit else lines[start:]
        if not chosen:
            return [{'n': 1, 't': 'no content'}]
        return [{'n': start + i + 1, 't': text} for i, (_when, text) in enumerate(chosen)]

    # -------------------------------------------------------------------- apt

    async def _node_apt_updates(self, v, user):
        conf = self.node_conf(v['node'])
        return [dict(pkg) for pkg in conf.get('apt_updates', DEFAULT_APT_UPDATES)]

    # ----------------------------------------------------------------- config

    async def _node_config(self, v, user):
        conf = self.node_conf(v['node'])
        config = dict(conf.get('config') or {'description': 'Node {0} of the simulated cluster'.format(v['node'])})
        prop = v.get('property') or 'all'
        if prop != 'all':
            return {prop: config[prop]} if prop in config else {}
        text = ''.join('#{0}\n'.format(line) for line in config.get('description', '').split('\n'))
        text += ''.join('{0}: {1}\n'.format(k, val) for k, val in sorted(config.items()) if k != 'description')
        return dict(config, digest=_digest(text))

    # ----------------------------------------------------------- subscription

    async def _node_subscription(self, v, user):
        conf = self.node_conf(v['node'])
        return {'status': 'notfound', 'message': 'There is no subscription key',
                'serverid': _digest('serverid', v['node'])[:32].upper(), 'sockets': conf['sockets'],
                'url': 'https://www.proxmox.com/en/proxmox-virtual-environment/pricing'}
