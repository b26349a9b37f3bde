# SPDX-License-Identifier: AGPL-3.0-or-later
"""A node's power and settings: reboot, shutdown, wake-on-LAN, migrate-all and the node config file.

Follows pve-manager's PVE/API2/Nodes.pm (node_cmd, wakeonlan, migrateall) and PVE/API2/NodeConfig.pm:

- POST /nodes/{node}/status command=reboot|shutdown answers null at once, as PVE does (it runs
  `shutdown` in the background). Then the node goes down: pve-guests stops its running guests, the node
  goes offline (requests for it get 595, /cluster/status shows it offline, quorum follows the majority of
  the nodes online). A reboot comes back after BOOT_SECS PVE seconds (scaled by --time-scale; at 0 at once)
  with a new boot time, and starts the guests with `onboot` set; a shutdown stays offline.
- POST /nodes/{node}/wakeonlan sends the magic packet for the MAC in the node's `wakeonlan` setting
  (PVE answers with that MAC; without one it refuses). It is answered by the node the request reached,
  so it works for an offline node; a node that was shut down boots and comes back after BOOT_SECS.
- POST /nodes/{node}/migrateall starts a `migrateall` task that migrates the node's guests to `target`
  (running VMs online, running containers in restart mode), as many at once as `max-workers` (or
  datacenter.cfg's max_workers; PVE refuses when neither is set). A guest that cannot go (local disks of a
  running VM without with-local-disks, a lock) is skipped and logged; the task still ends OK, as PVE's does.
- PUT /nodes/{node}/config stores the settings read back by GET /nodes/{node}/config (node_details.py),
  with `delete` and the `digest` check.

HA-managed guests are stopped like the others when their node goes down (PVE's shutdown policy decides
otherwise on a real cluster; the simulator does not model it).
"""

import asyncio
import time

from fakepve import FakeCt, PveError
from fakepve.routing import StatefulRoutes, die, param_error

# PVE seconds a node needs to shut down its services and boot again.
BOOT_SECS = 60
# PVE seconds between two looks of the migrate-all task at its migrations; and how many looks at most.
MIGRATE_POLL_SECS = 1
MIGRATE_POLLS = 3600
CONFIG_KEYS = ('acme', 'ballooning-target', 'description', 'location', 'startall-onboot-delay', 'wakeonlan') + tuple(
    'acmedomain{0}'.format(n) for n in range(6))


def _mac(wakeonlan):
    """The MAC of a `wakeonlan` property string (`mac` is its default key)."""
    for part in str(wakeonlan).split(','):
        key, sep, value = part.partition('=')
        if not sep:
            return key.strip()
        if key.strip() == 'mac':
            return value.strip()
    return None


class NodePowerApi(StatefulRoutes):
    """Mixin of PveSim: node reboot, shutdown, wake-on-LAN, migrate-all and the node config."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # node -> the asyncio task bringing it back (time_scale > 0 only).
        self._node_boots = {}

    def _routes_node_power(self):
        node = '/nodes/{node}'
        return [('POST', node + '/status', self._np_command), ('POST', node + '/wakeonlan', self._np_wakeonlan),
                ('POST', node + '/migrateall', self._np_migrateall), ('PUT', node + '/config', self._np_set_config)]

    async def _answer(self, request, handler, generic, path_node):
        # Wake-on-LAN is answered by the node the request reached, not by the (offline) node it names.
        if request.method == 'POST' and request.path.rstrip('/').endswith('/wakeonlan'):
            path_node = None
        return await super()._answer(request, handler, generic, path_node)

    # ------------------------------------------------------------------ state

    def _save_node_power(self):
        return {'quorate': bool(self.quorate)}

    def _restore_node_power(self, data):
        for boot in list(self._node_boots.values()):
            boot.cancel()
        self._node_boots = {}
        self.quorate = bool(data.get('quorate', True))

    def node_online(self, node):
        return self.nodes.get(node, {}).get('online', True)

    def _settle_quorum(self):
        """Quorum is the majority of the nodes online (a single node is its own majority)."""
        online = sum(1 for state in self.nodes.values() if state.get('online', True))
        self.quorate = online * 2 > len(self.nodes)

    def _guests_on(self, node):
        return sorted((g for g in self._guests() if g.node == node), key=lambda g: int(g.vmid))

    def _go_down(self, node):
        """pve-guests stops the node's running guests; then the node is offline."""
        for guest in self._guests_on(node):
            if guest.status == 'running':
                guest.status = 'stopped'
                if isinstance(guest, FakeCt):
                    guest.pid = None
                else:
                    guest.qmpstatus = 'stopped'
        self.nodes.setdefault(node, {})['online'] = False
        self.node_conf(node)['powered_off'] = True
        self._settle_quorum()

    def _come_up(self, node):
        """The node boots: online, a new boot time, and its on-boot guests started."""
        conf = self.node_conf(node)
        conf['booted'] = int(time.time())
        conf.pop('powered_off', None)
        conf.pop('reboot_required', None)
        self.nodes.setdefault(node, {})['online'] = True
        self._settle_quorum()
        for guest in self._guests_on(node):
            if str(guest.config.get('onboot', '0')) in ('1', 'true') and not guest.template:
                guest.status = 'running'
                if isinstance(guest, FakeCt):
                    guest.started_at = time.time()
                    guest.pid = next(self._ct_pids)
                else:
                    guest.qmpstatus = 'running'

    def _boot_later(self, node):
        if not self.time_scale:
            self._come_up(node)
            return

        async def boot():
            try:
                await self.pause(BOOT_SECS)
                self._come_up(node)
            finally:
                self._node_boots.pop(node, None)
        self._node_boots[node] = asyncio.ensure_future(boot())

    # ---------------------------------------------------------------- handlers

    async def _np_command(self, v, user):
        node = v['node']
        if node in self._node_boots:
            raise die("node '{0}' is shutting down".format(node))
        self._go_down(node)
        if v['command'] == 'reboot':
            self._boot_later(node)
        return None

    async def _np_wakeonlan(self, v, user):
        node = v['node']
        config = self.node_conf(node).get('config') or {}
        mac = _mac(config['wakeonlan']) if config.get('wakeonlan') else None
        if not mac:
            raise die("No wake on LAN MAC address defined for '{0}'!".format(node))
        if not self.node_online(node) and self.node_conf(node).get('powered_off') and node not in self._node_boots:
            self._boot_later(node)
        return mac.lower()

    async def _np_set_config(self, v, user):
        conf = self.node_conf(v['node'])
        if v.get('digest'):
            current = await self._node_config({'node': v['node']}, user)
            if v['digest'] != current['digest']:
                raise die('detected modified configuration - file changed by other user? Try again.')
        config = dict(conf.get('config') or {'description': 'Node {0} of the simulated cluster'.format(v['node'])})
        deletes = [key.strip() for key in str(v.get('delete') or '').replace(';', ',').split(',') if key.strip()]
        for key in deletes:
            if key not in CONFIG_KEYS:
                raise param_error(delete="invalid configuration ID '{0}'".format(key))
            if key in v:
                raise param_error(delete="cannot set and delete property '{0}' at the same time".format(key))
            config.pop(key, None)
        for key in CONFIG_KEYS:
            if key in v:
                config[key] = v[key]
        conf['config'] = config
        return None

    async def _np_migrateall(self, v, user):
        node, target = v['node'], v['target']
        if not self.allowed(user, '/', 'VM.Migrate'):
            wanted = [int(x) for x in str(v.get('vms') or '').replace(';', ',').split(',') if x.strip()]
            if not wanted:
                raise PveError(403, 'Permission check failed (/, VM.Migrate)')
            for vmid in wanted:
                self.require(user, '/vms/{0}'.format(vmid), 'VM.Migrate')
        workers = v.get('max-workers') or v.get('maxworkers') or getattr(self, 'cluster_options', {}).get('max_workers')
        if not workers:
            raise die("either 'maxworkers' parameter or max_workers in datacenter.cfg must be set!")
        if target == node:
            raise param_error(target='target is local node.')
        if target not in self.nodes:
            raise die("no such cluster node '{0}'".format(target))
        only = set(int(x) for x in str(v.get('vms') or '').replace(';', ',').split(',') if x.strip())
        guests = [g for g in self._guests_on(node) if not only or int(g.vmid) in only]
        log = []

        async def body():
            upids = []
            for guest in guests:
                try:
                    if isinstance(guest, FakeCt):
                        log.append('Migrating CT {0}'.format(guest.vmid))
                        upid = await self._lxc_migrate(user, {'node': node, 'vmid': guest.vmid, 'target': target,
                                                              'restart': 1 if guest.status == 'running' else 0})
                    else:
                        log.append('Migrating VM {0}'.format(guest.vmid))
                        params = {'node': node, 'vmid': guest.vmid, 'target': target,
                                  'online': 1 if guest.status == 'running' else 0}
                        if v.get('with-local-disks') is not None:
                            params['with-local-disks'] = v['with-local-disks']
                        upid = await self._guest_qm_migrate(params, user)
                    upids.append(upid)
                except PveError as exc:
                    log.append('skip {0} {1} - {2}'.format('CT' if isinstance(guest, FakeCt) else 'VM', guest.vmid,
                                                          exc.message))
            for _poll in range(MIGRATE_POLLS):
                if all(self.tasks[upid]['status'] == 'stopped' for upid in upids):
                    break
                await asyncio.sleep(MIGRATE_POLL_SECS * (self.time_scale or 0.01))
            for upid in upids:
                if self.tasks[upid].get('exitstatus') != 'OK':
                    log.append('migration task {0} failed: {1}'.format(upid, self.tasks[upid].get('exitstatus')))
            return '\n'.join(log) if log else None
        return await self.task(node, 'migrateall', '', user, body, log=())
