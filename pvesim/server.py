# SPDX-License-Identifier: AGPL-3.0-or-later
"""PveSim: fakepve's FakePve with the project's state, hooks and seeds. The composition point.

PveSim is FakePve plus one mixin per area, each in its own module of this package:

    access.AccessApi        users, groups, roles, ACLs, tokens, realms, permissions (the real model)
    nodes.NodeInfo          node status, version, time zone, DNS, node usage
    network.NetworkApi      a node's network configuration, staged (interfaces.new), applied as a task, reverted
    node_details.NodeDetailsApi  node RRD data, network, disks, certificates, syslog, apt updates, config
    node_facts.NodeFactsApi  a node's packages, repositories, hardware, LVM, services, logs, backup defaults
    node_power.NodePowerApi  node reboot and shutdown, wake-on-LAN, migrate-all, the node config file
    node_ssh.NodeSshApi     an SSH endpoint per node (the package upgrade), the package index refresh task
    cluster_join.ClusterJoinApi  cluster create, join and remove; standalone nodes on their own listeners
    cluster.ClusterViews    /cluster/tasks, /cluster/resources and /cluster/status refinements
    cluster_config.ClusterConfigApi  datacenter.cfg, corosync.conf views, cluster log, ACME
    notifications.NotificationsApi  notification targets (sendmail, smtp, gotify, webhook) and matchers
    replication.ReplicationApi  storage replication jobs and their status per node
    hooks.SimHooks          the /_sim test hooks and the request counters
    alert_faults.AlertFaultsApi  the faults behind alert findings (failing disks, HA errors, full storages,
                            failed tasks)
    faults.SimFaults        the faults in force as JSON, clearing them
    generic.GenericPolicy   the reads that follow from the schema, refusals, counting and strict mode
    limits.Validation       the schema's checks on every route, with the limits PVE's code adds
    state.SimState          the JSON state of --state
    guest_config.GuestConfigViews  guest config values typed as PVE types them, stored and shown
    guest_details.GuestDetailsApi  guest features, the migration precondition, cloud-init views
    guest_images.GuestImagesApi  what guest disks hold: clones carry it, cloud images run a guest agent
    guest_tags.GuestTagsApi  guest tags stored as PVE stores them under the datacenter's tag-style
    guests.GuestsApi        VM migrate and resize, guest RRD data, consoles, disks added by config
    containers.ContainersApi  container destroy (volumes, purge), resize and restart migration refinements
    backups.BackupsApi      vzdump, restores, prune, backup jobs, checked uploads
    ha.HaApi                HA resources (requested state wired to the guests) and the HA status
    ha_rules.HaRulesApi     HA rules (node affinity, resource affinity)
    tasks.TasksApi          stopping running worker tasks (DELETE /nodes/{node}/tasks/{upid})
    sdn.SdnApi              SDN zones, vnets and subnets (pending state, applying), zone status per node, PVE IPAM

To add an area (access control, backups, HA, ...): write `pvesim/<area>.py` with a class
`<Area>Api(StatefulRoutes)` (fakepve.routing) and add it to PveSim's bases below, before
FakePve (an earlier base overrides a later one). In it:

- a route table `_routes_<area>(self)` returning [(method, schema path template, handler)];
  `async def handler(self, values, user)` runs after fakepve's schema checks (parameters,
  permissions, node exists) and returns the answer's `data` or raises fakepve.PveError.
  Table names must be unique across pvesim and fakepve (fakepve has _routes_access,
  _routes_cluster, _routes_firewall, _routes_pools, _routes_qemu, _routes_storage):
  check_route_tables() refuses a second definition unless the class lists the name in
  `_replaces_routes` (and then serves the original's routes itself, or through super());
- to change a route fakepve serves by hand (/nodes, /cluster/resources, ...), override its
  handler method and refine super()'s answer (answers.patch_data);
- state in `__init__(self, *args, **kwargs)`: call super().__init__ first;
- state that --state should keep: a `_save_<area>` / `_restore_<area>` pair (see state.py);
- tests in tests/simulator/; the conformance test checks every new route against the
  official schema, test_returns_conformance.py every GET answer against the schema's `returns`
  (before and after its WRITES) and test_write_validation.py every write's parameter checks.
"""

import asyncio
import hashlib
import logging

from fakepve import FakePve

from .access import AccessApi
from .alert_faults import AlertFaultsApi
from .backups import BackupsApi
from .cluster import ClusterViews
from .cluster_config import ClusterConfigApi
from .cluster_join import ClusterJoinApi
from .containers import ContainersApi
from .faults import SimFaults
from .generic import GenericPolicy
from .guest_config import GuestConfigViews
from .guest_details import GuestDetailsApi
from .guest_images import GuestImagesApi
from .guest_tags import GuestTagsApi
from .guests import GuestsApi
from .ha import HaApi
from .ha_rules import HaRulesApi
from .hooks import SimHooks
from .limits import Validation
from .network import NetworkApi
from .node_details import NodeDetailsApi
from .node_facts import NodeFactsApi
from .node_power import NodePowerApi
from .node_sftp import NodeSftpApi
from .node_ssh import NodeSshApi
from .nodes import NodeInfo
from .notifications import NotificationsApi
from .replication import ReplicationApi
from .sdn import SdnApi
from .state import SimState
from .stats import RequestStats
from .tasks import TasksApi

__all__ = ['DEFAULT_ROOT_PASSWORD', 'PveSim', 'added_routes', 'check_route_tables']

# The demo's root@pam password; no other value the simulator serves contains it (Ansible's no_log masks it).
DEFAULT_ROOT_PASSWORD = 'demo-root-secret'
PVE_VERSION = '9.2.0'
PVE_RELEASE = '9.2'
# Real seconds stop() waits for requests in flight (a hung request, a slow task) before it gives up on them.
STOP_TIMEOUT = 5.0


def check_route_tables(cls):
    """Raise TypeError if two classes of cls define the same `_routes_*` table: the first would hide the other."""
    owners, replaced = {}, set()
    for klass in cls.__mro__:
        replaced.update(vars(klass).get('_replaces_routes', ()))
        for name in vars(klass):
            if name.startswith('_routes_'):
                owners.setdefault(name, []).append(klass)
    for name, classes in owners.items():
        if len(classes) > 1 and name not in replaced:
            raise TypeError('route table {0} is defined by {1}: the first hides the others; give it another name '
                            '(or list it in _replaces_routes and call super())'.format(
                                name, ', '.join(c.__module__ + '.' + c.__name__ for c in classes)))


def added_routes(sim):
    """[(method, schema template, table name)] of the route tables pvesim's own classes define."""
    out = []
    for klass in type(sim).__mro__:
        if not klass.__module__.startswith('pvesim.'):
            continue
        for name in sorted(vars(klass)):
            if name.startswith('_routes_'):
                out.extend((method, template, name) for method, template, _handler in getattr(sim, name)())
    return out


# The composition point: pvesim's areas, then fakepve.
class PveSim(SimHooks, AlertFaultsApi, SimFaults, GenericPolicy, Validation, SimState, AccessApi, ClusterJoinApi,
             ClusterViews, GuestTagsApi, ClusterConfigApi, NotificationsApi, NodeInfo, NetworkApi, NodeDetailsApi,
             NodeFactsApi, NodePowerApi, NodeSshApi, NodeSftpApi, BackupsApi, ContainersApi, GuestConfigViews,
             GuestDetailsApi, GuestImagesApi, GuestsApi, TasksApi, HaRulesApi, ReplicationApi, HaApi, SdnApi, FakePve):
    """A simulated Proxmox VE cluster served over HTTPS (see the module docstring for its parts).

    PveSim(host='127.0.0.1', port=8006, root_password='demo-root-secret', time_scale=0.0, strict=False)
    makes an empty simulator (fakepve's one node pve1 with local and local-lvm); pvesim.seeds
    fills it. start(certfile, keyfile) and stop() are coroutines run on the serving loop.
    """

    def __init__(self, host='127.0.0.1', port=8006, root_password=DEFAULT_ROOT_PASSWORD, time_scale=0.0,
                 strict=False):
        check_route_tables(type(self))
        super().__init__(user='root@pam', password=root_password, host=host, port=port)
        self.time_scale = self.initial_time_scale = float(time_scale)
        self.strict = strict
        self.stats = RequestStats()
        self.version, self.release_version = PVE_VERSION, PVE_RELEASE
        self.repoid = hashlib.sha1(('pvesim ' + PVE_VERSION).encode()).hexdigest()[:16]
        self.cluster_name = 'pvesim'
        self.clustered = True
        # node -> hardware and settings (see nodes.NODE_DEFAULTS)
        self.node_settings = {}
        # The name of the seed the simulator was filled with, for information.
        self.seed_name = None

    @property
    def url(self):
        """https://host:port (brackets around an IPv6 address); the real port once started with port 0."""
        host = '[{0}]'.format(self.host) if ':' in self.host else self.host
        return 'https://{0}:{1}'.format(host, self.port)

    @property
    def root_password(self):
        return self.password

    def reseed_network(self):
        """Make the random choices of flaky_network repeatable from network['seed'] (as start() does)."""
        self._random.seed(self.network.get('seed'))

    async def stop(self, timeout=STOP_TIMEOUT):
        """Stop listening; requests still in flight after `timeout` real seconds are abandoned."""
        try:
            await asyncio.wait_for(super().stop(), timeout)
        except TimeoutError:
            logging.getLogger('pvesim').warning('pvesim: requests still running after %ss; stopped anyway', timeout)
            self.runner = None
