# SPDX-License-Identifier: AGPL-3.0-or-later
"""Node state fakepve answers generically: status, version, time zone and DNS, and node usage.

Each node has hardware (CPU model and count, memory, swap, root file system), a boot time, a
time zone and a DNS configuration in `sim.node_settings[node]`, made on first use from
NODE_DEFAULTS (seeds may change them). Usage is derived from the guests: a node's memory use
grows with the running guests on it, and the same numbers appear in /nodes,
/cluster/resources and /nodes/{node}/status.

GET /nodes/{node}/status, /version, /time and /dns answer from that state; PUT /time and PUT
/dns change it, as PVE does (pve-manager PVE/API2/Nodes.pm).
"""

import copy
import datetime
import time
import zoneinfo

from fakepve import FakeCt
from fakepve.routing import StatefulRoutes, param_error

from .answers import patch_data

GIB = 1024 ** 3
MIB = 1024 ** 2
KERNEL_RELEASE = '6.17.2-1-pve'
KERNEL_BUILD = '#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z)'
NODE_DEFAULTS = {
    'cpu_model': 'AMD EPYC 7313P 16-Core Processor', 'sockets': 1, 'cores': 16, 'cpus': 32, 'mhz': '3000.000',
    'memory': 128 * GIB, 'swap': 8 * GIB, 'rootfs': 96 * GIB, 'rootfs_used': 11 * GIB,
    'timezone': 'UTC', 'dns': {'search': 'pvesim.lan', 'dns1': '192.0.2.1'},
    # Seconds the node has been up when the simulator starts.
    'uptime': 3 * 86400,
}
# Memory a node uses for itself, and the share of a running guest's memory the host sees as used.
HOST_MEMORY = 3 * GIB
GUEST_MEMORY_SHARE = 0.6


def _utc_offset(tz):
    try:
        zone = zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return 0
    return int(datetime.datetime.now(zone).utcoffset().total_seconds())


def _valid_timezone(tz):
    if not tz or tz.startswith('/') or '..' in tz:
        return False
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


class NodeInfo(StatefulRoutes):
    """Mixin of PveSim: the nodes' own state and endpoints."""

    def _routes_node_info(self):
        node = '/nodes/{node}'
        return [('GET', node + '/status', self._node_status), ('GET', node + '/version', self._node_version),
                ('GET', node + '/time', self._node_time), ('PUT', node + '/time', self._node_set_time),
                ('GET', node + '/dns', self._node_dns), ('PUT', node + '/dns', self._node_set_dns)]

    # ------------------------------------------------------------------- state

    def node_conf(self, node):
        """The settings and hardware of a node, made from NODE_DEFAULTS on first use."""
        conf = self.node_settings.get(node)
        if conf is None:
            conf = copy.deepcopy(NODE_DEFAULTS)
            conf['booted'] = int(time.time()) - conf.pop('uptime')
            self.node_settings[node] = conf
        return conf

    def _running_memory(self):
        """{node: bytes of memory the running guests on it are configured with}."""
        out = {}
        for guest in self._guests():
            if guest.status == 'running':
                size = self._maxmem(guest) if isinstance(guest, FakeCt) else self._vm_usage(guest)['maxmem']
                out[guest.node] = out.get(guest.node, 0) + size
        return out

    def node_usage(self, node, running_memory=None):
        """The usage fields of an online node, as /nodes, /cluster/resources and its status show them."""
        conf = self.node_conf(node)
        running = (self._running_memory() if running_memory is None else running_memory).get(node, 0)
        mem = min(HOST_MEMORY + int(running * GUEST_MEMORY_SHARE), int(conf['memory'] * 0.95))
        cpu = round(min(0.01 + 0.25 * running / conf['memory'], 0.95), 4) if conf['memory'] else 0.01
        return {'cpu': cpu, 'maxcpu': conf['cpus'], 'mem': mem, 'maxmem': conf['memory'],
                'disk': conf['rootfs_used'], 'maxdisk': conf['rootfs'],
                'uptime': max(int(time.time()) - conf['booted'], 0)}

    # ---------------------------------------------- fakepve's handlers, refined

    async def _nodes(self, request):
        running = self._running_memory()

        def refine(data):
            for item in data or []:
                if item.get('status') == 'online':
                    item.update(self.node_usage(item['node'], running))
            return data
        return patch_data(await super()._nodes(request), refine)

    # ---------------------------------------------------------------- handlers

    def _pveversion(self):
        return 'pve-manager/{0}/{1}'.format(self.version, self.repoid)

    async def _node_status(self, v, user):
        node = v['node']
        conf = self.node_conf(node)
        use = self.node_usage(node)
        free = conf['memory'] - use['mem']
        load = '{0:.2f}'.format(use['cpu'] * conf['cpus'])
        return {
            'uptime': use['uptime'], 'idle': 0, 'wait': 0.0003, 'cpu': use['cpu'], 'loadavg': [load, load, load],
            'cpuinfo': {'model': conf['cpu_model'], 'sockets': conf['sockets'], 'cores': conf['cores'],
                        'cpus': conf['cpus'], 'mhz': conf['mhz'], 'user_hz': 100, 'hvm': '1',
                        'flags': 'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx '
                                 'fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc '
                                 'rep_good nopl nonstop_tsc cpuid extd_apicid aperfmperf pni pclmulqdq monitor ssse3 '
                                 'fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand lahf_lm svm'},
            'memory': {'total': conf['memory'], 'used': use['mem'], 'free': free, 'available': free},
            'swap': {'total': conf['swap'], 'used': 0, 'free': conf['swap']},
            'rootfs': {'total': conf['rootfs'], 'used': conf['rootfs_used'],
                       'free': conf['rootfs'] - conf['rootfs_used'], 'avail': conf['rootfs'] - conf['rootfs_used']},
            'ksm': {'shared': 0},
            'kversion': 'Linux {0} {1}'.format(KERNEL_RELEASE, KERNEL_BUILD),
            'current-kernel': {'sysname': 'Linux', 'release': KERNEL_RELEASE, 'version': KERNEL_BUILD,
                               'machine': 'x86_64'},
            'boot-info': {'mode': 'efi', 'secureboot': 0},
            'pveversion': self._pveversion(),
        }

    async def _node_version(self, v, user):
        return {'version': self.version, 'release': self.release_version, 'repoid': self.repoid}

    async def _node_time(self, v, user):
        tz = self.node_conf(v['node'])['timezone']
        now = int(time.time())
        return {'timezone': tz, 'time': now, 'localtime': now + _utc_offset(tz)}

    async def _node_set_time(self, v, user):
        # PVE::INotify::write_timezone: the zone must exist under /usr/share/zoneinfo.
        if not _valid_timezone(v['timezone']):
            raise param_error(timezone='No such timezone')
        self.node_conf(v['node'])['timezone'] = v['timezone']

    async def _node_dns(self, v, user):
        return dict(self.node_conf(v['node'])['dns'])

    async def _node_set_dns(self, v, user):
        # PVE::INotify::update_etc_resolv_conf writes resolv.conf anew: the search domain, then each name
        # server given (not 0.0.0.0, no repeats); reading it back numbers them dns1, dns2, ... in that order.
        dns = {'search': v['search']} if v.get('search') else {}
        servers = []
        for key in ('dns1', 'dns2', 'dns3'):
            server = v.get(key)
            if server and server != '0.0.0.0' and server not in servers:
                servers.append(server)
        dns.update(('dns{0}'.format(n), server) for n, server in enumerate(servers, 1))
        self.node_conf(v['node'])['dns'] = dns
