# SPDX-License-Identifier: AGPL-3.0-or-later
"""Seeds: the clusters a PveSim starts with.

A seed is a function `seed(sim)` that fills a fresh PveSim. Named seeds:

- `demo`: a three-node cluster (pve1, pve2, pve3, cluster `demo-cluster`) with storages `local`
  (dir: iso, vztmpl, backup), `local-lvm` (lvmthin: images, rootdir) and `backup-nfs` (nfs,
  shared, backup); a cloud-init template VM 9000 `debian-12-cloudinit`; VMs 100 web01 (running,
  pve1), 101 db01 (running, pve2), 102 build01 (stopped, pve1), 103 monitor01 (running, pve3);
  containers 200 proxy01 (running, pve2) and 201 cache01 (stopped, pve3); a Debian ISO, a
  Debian container template and two backups; users alice@pve (no privileges) and bob@pve
  (PVEAuditor on /), an API token root@pam!automation; the pool `demo` (100, 101, 200).
- `join`: the demo cluster, and two nodes outside it on their own listeners (pvesim.cluster_join): pve4
  (no guests, can join) and pve5 (holding guest 300: joining it is refused unless forced).
- `empty`: one node pve1, not in a cluster, with local and local-lvm and no guests.
- `large:NODES:GUESTS` (`large(nodes=N, guests=M)`): a big cluster for benchmarks.

resolve(spec) turns a name, a `large:N:M` string or a function into a seed; build(spec, **kw)
makes a PveSim and seeds it.
"""

import time

from fakepve import FakeCt, FakeVm

from .backups import ARCHIVE_SKIP
from .guest_config import stored_config
from .guest_images import DEBIAN_12_CLOUD
from .server import PveSim

GIB = 1024 ** 3
MIB = 1024 ** 2
ISO = 'debian-12.7.0-amd64-netinst.iso'
CT_TEMPLATE = 'debian-12-standard_12.7-1_amd64.tar.zst'
ISO_VOLID = 'local:iso/' + ISO
CT_TEMPLATE_VOLID = 'local:vztmpl/' + CT_TEMPLATE
# Logins of the demo: userid -> password. root@pam's password is the simulator's (default demo-root-secret).
# The demo's secrets (these, root's and the token secret) occur in no other value the seed serves, so that
# Ansible's no_log masking never hides a name, an id or a domain.
DEMO_USERS = {'alice@pve': 'alice-demo-secret', 'bob@pve': 'bob-demo-secret'}
# An API token of root@pam in the demo (privilege separation off): (token id, secret). Public, like the
# password: the simulator is a test tool on loopback.
DEMO_TOKEN = ('root@pam!automation', '5e3c8d2a-6f1b-4c7e-9a0d-2b4f6e8a1c3d')
AUDITOR = ('Datastore.Audit', 'Mapping.Audit', 'Pool.Audit', 'SDN.Audit', 'Sys.Audit', 'VM.Audit',
           'VM.GuestAgent.Audit')


# ------------------------------------------------------------------ helpers

def mac(vmid, n=0):
    """A stable MAC address with Proxmox's prefix BC:24:11 for a guest's n-th NIC."""
    return 'BC:24:11:{0:02X}:{1:02X}:{2:02X}'.format((vmid >> 8) & 0xFF, vmid & 0xFF, n & 0xFF)


def _uuid(vmid, kind):
    return '{0:08x}-{1:04x}-4{2:03x}-8000-00000000{3:04x}'.format(0x5e5e0000 + vmid, kind, vmid % 4096, vmid % 65536)


def storages(sim, backup=True, local_size=100 * GIB, lvm_size=800 * GIB):
    """Replace the storages with local, local-lvm and (backup=True) the shared backup-nfs."""
    sim.storages = {
        'local': {'type': 'dir', 'path': '/var/lib/vz', 'content': 'iso,vztmpl,backup', 'shared': 0,
                  'active': 1, 'files': set(), 'volumes': {}, 'total': local_size, 'avail': local_size},
        'local-lvm': {'type': 'lvmthin', 'vgname': 'pve', 'thinpool': 'data', 'content': 'images,rootdir',
                      'active': 1, 'files': set(), 'volumes': {}, 'total': lvm_size},
    }
    if backup:
        sim.storages['backup-nfs'] = {
            'type': 'nfs', 'server': '192.0.2.50', 'export': '/srv/pve-backup', 'path': '/mnt/pve/backup-nfs',
            'content': 'backup', 'options': 'vers=4.2', 'prune-backups': 'keep-daily=7,keep-weekly=4', 'shared': 1,
            'active': 1, 'files': set(), 'volumes': {}, 'total': 2048 * GIB, 'avail': 2048 * GIB}


def volume(sim, storage, volname, size, vmid=None, content='images', fmt='raw', age_days=30, **extra):
    """Register a volume on a storage (taking its space); returns the volume id."""
    store = sim.storages[storage]
    vol = dict({'content': content, 'format': fmt, 'size': size, 'ctime': int(time.time() - age_days * 86400)},
               **extra)
    if vmid is not None:
        vol['vmid'] = vmid
    store.setdefault('volumes', {})[volname] = vol
    if 'avail' in store:
        store['avail'] -= size
    return '{0}:{1}'.format(storage, volname)


def disk(sim, vmid, n, size_gib, storage='local-lvm', base=False, image=None, **props):
    """A guest disk on an LVM-thin storage: registers the volume, returns the drive value.

    image: what is installed on it (pvesim.guest_images), for the guests cloned from it."""
    name = '{0}-{1}-disk-{2}'.format('base' if base else 'vm', vmid, n)
    volid = volume(sim, storage, name, size_gib * GIB, vmid=vmid, **({'image': dict(image)} if image else {}))
    props['size'] = '{0}G'.format(size_gib)
    return ','.join([volid] + ['{0}={1}'.format(k, props[k]) for k in sorted(props)])


def _vm_config(vmid, name, memory, cores, disk_value, tags=None, **extra):
    config = {'name': name, 'ostype': 'l26', 'memory': memory, 'cores': cores, 'sockets': 1, 'cpu': 'x86-64-v2-AES',
              'numa': 0, 'scsihw': 'virtio-scsi-single', 'scsi0': disk_value, 'boot': 'order=scsi0',
              'net0': 'virtio={0},bridge=vmbr0,firewall=1'.format(mac(vmid)), 'agent': 1,
              'smbios1': 'uuid=' + _uuid(vmid, 1), 'vmgenid': _uuid(vmid, 2), 'meta': 'creation-qemu=10.0.2,ctime='
              + str(int(time.time() - 90 * 86400))}
    if tags:
        config['tags'] = tags
    config.update(extra)
    return config


def _agent(vmid, ip, name):
    """Canned guest agent answers of a Debian 12 VM with one NIC."""
    return {'files': {'/etc/hostname': name + '\n'}, 'get-host-name': {'host-name': name},
            'os': {'name': 'Debian GNU/Linux', 'id': 'debian', 'version': '12 (bookworm)', 'version-id': '12',
                   'pretty-name': 'Debian GNU/Linux 12 (bookworm)', 'kernel-release': '6.1.0-27-amd64',
                   'kernel-version': '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1', 'machine': 'x86_64'},
            'interfaces': [
                {'name': 'lo', 'hardware-address': '00:00:00:00:00:00',
                 'ip-addresses': [{'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', 'prefix': 8}]},
                {'name': 'eth0', 'hardware-address': mac(vmid).lower(),
                 'ip-addresses': [{'ip-address': ip, 'ip-address-type': 'ipv4', 'prefix': 24}]}]}


def backup(sim, guest, volname, size, notes, storage='backup-nfs', age_days=2):
    """A vzdump backup of a guest as it is now, on a storage: restorable, its config in the archive."""
    kind = 'lxc' if isinstance(guest, FakeCt) else 'qemu'
    config = dict((k, v) for k, v in guest.config.items() if k not in ARCHIVE_SKIP)
    return volume(sim, storage, volname, size, vmid=guest.vmid, content='backup', fmt=volname.split('.', 1)[1],
                  age_days=age_days, notes=notes, subtype=kind,
                  archive={'type': kind, 'config': config, 'node': guest.node})


def add_vm(sim, vmid, name, node, status, config, template=False, agent_ip=None, pool=None):
    vm = FakeVm(vmid, name, node=node, status=status, config=stored_config('qemu', config), template=template)
    if template:
        vm.config['template'] = 1
    if status == 'running' and agent_ip:
        vm.agent = _agent(vmid, agent_ip, name)
    sim.vms.append(vm)
    if pool:
        sim.pools.setdefault(pool, set()).add(vmid)
    return vm


def add_ct(sim, vmid, name, node, status, config, pool=None):
    ct = FakeCt(vmid, name, node=node, status=status, config=stored_config('lxc', config),
                ostemplate=CT_TEMPLATE_VOLID)
    if status == 'running':
        ct.pid = 2000 + vmid
    sim.cts.append(ct)
    if pool:
        sim.pools.setdefault(pool, set()).add(vmid)
    return ct


def cluster(sim, name, nodes, clustered=True, timezone='UTC'):
    sim.cluster_name = name
    sim.clustered = clustered
    sim.nodes = dict((node, {'online': True}) for node in nodes)
    for node in nodes:
        sim.node_conf(node)['timezone'] = timezone


def finish(sim, name):
    """Let pools and guests agree, and note the seed's name."""
    for pool in sim.pools:
        sim.pool_info.setdefault(pool, {'comment': None, 'storage': set()})
    sim._sync_pools()
    sim.seed_name = name


# -------------------------------------------------------------------- seeds

def empty(sim):
    """One node pve1 (not clustered) with local and local-lvm, no guests."""
    cluster(sim, 'pvesim', ['pve1'], clustered=False)
    storages(sim, backup=False)
    sim.vms, sim.cts, sim.pools, sim.pool_info = [], [], {}, {}
    finish(sim, 'empty')


def demo(sim):
    """The demo cluster: three nodes, a cloud-init template, VMs, containers, users and a pool."""
    cluster(sim, 'demo-cluster', ['pve1', 'pve2', 'pve3'], timezone='Europe/Vienna')
    storages(sim)
    sim.store_file('local', ISO, 631 * MIB, content='iso')
    sim.store_file('local', CT_TEMPLATE, 126 * MIB, content='vztmpl')
    sim.storages['local']['volumes']['vztmpl/' + CT_TEMPLATE]['format'] = 'tzst'

    template = _vm_config(9000, 'debian-12-cloudinit', 2048, 2, disk(sim, 9000, 0, 3, base=True, discard='on',
                                                                     iothread=1, image=DEBIAN_12_CLOUD),
                          description='Debian 12 cloud image with cloud-init and the QEMU guest agent',
                          ide2='{0},media=cdrom'.format(volume(sim, 'local-lvm', 'vm-9000-cloudinit', 4 * MIB,
                                                               vmid=9000)),
                          serial0='socket', vga='serial0', ciuser='debian', ipconfig0='ip=dhcp')
    add_vm(sim, 9000, 'debian-12-cloudinit', 'pve1', 'stopped', template, template=True)
    add_vm(sim, 100, 'web01', 'pve1', 'running', _vm_config(
        100, 'web01', 4096, 2, disk(sim, 100, 0, 32, discard='on', iothread=1), tags='prod;web', onboot=1),
        agent_ip='192.0.2.100', pool='demo')
    add_vm(sim, 101, 'db01', 'pve2', 'running', _vm_config(
        101, 'db01', 8192, 4, disk(sim, 101, 0, 64, discard='on', iothread=1), tags='db;prod', onboot=1,
        scsi1=disk(sim, 101, 1, 100, discard='on', iothread=1)), agent_ip='192.0.2.101', pool='demo')
    add_vm(sim, 102, 'build01', 'pve1', 'stopped', _vm_config(
        102, 'build01', 2048, 4, disk(sim, 102, 0, 32), tags='ci', ide2=ISO_VOLID + ',media=cdrom',
        boot='order=scsi0;ide2'))
    add_vm(sim, 103, 'monitor01', 'pve3', 'running', _vm_config(
        103, 'monitor01', 2048, 2, disk(sim, 103, 0, 16, discard='on'), tags='ops', onboot=1),
        agent_ip='192.0.2.103')
    add_ct(sim, 200, 'proxy01', 'pve2', 'running', {
        'hostname': 'proxy01', 'memory': 512, 'swap': 512, 'cores': 1,
        'rootfs': disk(sim, 200, 0, 8), 'onboot': 1, 'unprivileged': 1, 'features': 'nesting=1',
        'net0': 'name=eth0,bridge=vmbr0,firewall=1,hwaddr={0},ip=192.0.2.200/24,gw=192.0.2.1,type=veth'.format(
            mac(200)),
        'tags': 'prod;proxy', 'description': 'Reverse proxy'}, pool='demo')
    add_ct(sim, 201, 'cache01', 'pve3', 'stopped', {
        'hostname': 'cache01', 'memory': 1024, 'swap': 512, 'cores': 2,
        'rootfs': disk(sim, 201, 0, 16), 'unprivileged': 1, 'features': 'nesting=1',
        'net0': 'name=eth0,bridge=vmbr0,hwaddr={0},ip=dhcp,type=veth'.format(mac(201)), 'tags': 'cache'})
    backup(sim, sim.vm(100), 'backup/vzdump-qemu-100-2025_11_23-02_00_04.vma.zst', int(2.4 * GIB), 'web01')
    backup(sim, sim.ct(200), 'backup/vzdump-lxc-200-2025_11_23-02_10_11.tar.zst', 310 * MIB, 'proxy01')

    sim.pool_info['demo'] = {'comment': 'Demo workloads', 'storage': set()}
    sim.users.update(DEMO_USERS)
    sim.apitokens[DEMO_TOKEN[0]] = DEMO_TOKEN[1]
    # bob audits everything (PVEAuditor on /); alice, like a new user, holds no privilege yet.
    sim.grant('bob@pve', '/', *AUDITOR)
    finish(sim, 'demo')


def large(nodes=8, guests=2000):
    """A seed for a big cluster: `nodes` nodes and `guests` guests (one in five a container, seven in ten
    running, a quarter in pools), spread round-robin. Builds thousands of guests in well under a second."""
    nodes, guests = int(nodes), int(guests)
    if nodes < 1 or guests < 0:
        raise ValueError('large needs at least one node and no negative number of guests')

    def seed(sim):
        names = ['pve{0}'.format(n) for n in range(1, nodes + 1)]
        cluster(sim, 'pvesim-large', names)
        storages(sim, lvm_size=max(800, guests * 40) * GIB)
        sim.vms, sim.cts, sim.pools, sim.pool_info = [], [], {}, {}
        memories, cores = (1024, 2048, 4096, 8192), (1, 2, 4)
        for i in range(guests):
            vmid = 100 + i
            node = names[i % nodes]
            status = 'running' if i % 10 < 7 else 'stopped'
            pool = 'team-{0}'.format('abcd'[(i // 4) % 4]) if i % 4 == 0 else None
            if i % 5 == 4:
                ct = FakeCt(vmid, 'ct{0}'.format(vmid), node=node, status=status, pool=pool, config={
                    'memory': memories[i % 2], 'cores': cores[i % 3],
                    'rootfs': 'local-lvm:vm-{0}-disk-0,size=8G'.format(vmid),
                    'net0': 'name=eth0,bridge=vmbr0,hwaddr={0},ip=dhcp,type=veth'.format(mac(vmid))})
                if status == 'running':
                    ct.pid = 2000 + vmid
                sim.cts.append(ct)
            else:
                sim.vms.append(FakeVm(vmid, 'vm{0}'.format(vmid), node=node, status=status, pool=pool, config={
                    'memory': memories[i % 4], 'cores': cores[i % 3], 'sockets': 1, 'ostype': 'l26',
                    'scsihw': 'virtio-scsi-single', 'scsi0': 'local-lvm:vm-{0}-disk-0,size=32G'.format(vmid),
                    'net0': 'virtio={0},bridge=vmbr0'.format(mac(vmid)), 'boot': 'order=scsi0'}))
            if pool:
                sim.pools.setdefault(pool, set()).add(vmid)
        for pool in sim.pools:
            sim.pool_info[pool] = {'comment': None, 'storage': set()}
        sim.seed_name = 'large:{0}:{1}'.format(nodes, guests)
    seed.__name__ = 'large'
    return seed


def join(sim):
    """The demo cluster and the standalone nodes pve4 (no guests) and pve5 (guest 300)."""
    demo(sim)
    sim.standalone = {'pve4': {'guests': []}, 'pve5': {'guests': [300]}}
    sim.seed_name = 'join'


SEEDS = {'demo': demo, 'empty': empty, 'join': join}


def resolve(spec):
    """A seed function from a name ('demo', 'empty'), 'large[:NODES[:GUESTS]]' or a function."""
    if callable(spec):
        return spec
    name, _, rest = str(spec).partition(':')
    if name == 'large':
        try:
            return large(*[int(part) for part in rest.split(':') if part])
        except (TypeError, ValueError) as exc:
            raise ValueError("bad seed '{0}': use large:NODES:GUESTS ({1})".format(spec, exc)) from None
    if spec not in SEEDS:
        raise ValueError("unknown seed '{0}': use {1} or large:NODES:GUESTS".format(spec, ', '.join(sorted(SEEDS))))
    return SEEDS[spec]


def build(seed='demo', **kwargs):
    """A new PveSim (keyword arguments as PveSim's) filled by the seed."""
    sim = PveSim(**kwargs)
    resolve(seed)(sim)
    return sim
