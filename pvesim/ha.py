# SPDX-License-Identifier: AGPL-3.0-or-later
"""High availability: HA resources (resources.cfg) and the HA manager's status.

Follows pve-ha-manager (PVE/API2/HA/Resources.pm, PVE/API2/HA/Status.pm, PVE/HA/Config.pm):

- /cluster/ha/resources: list (each entry the resource's config with `sid`, `type` and the file's
  `digest`; `type` filters vm or ct), create (POST; `sid` as `vm:100`, `ct:200` or a bare vmid whose
  type is looked up; the guest must exist; a second definition is refused), read, update (PUT with
  `delete` and `digest`) and delete (DELETE /{sid}).
- The requested `state` (started, stopped, disabled, ignored; `enabled` is stored as started) is the
  guest's `ha_state` in fakepve's model, so a guest under HA (any state but ignored) has its start,
  stop and shutdown requests turned into HA requests by fakepve (task `hastart`/`hastop`), which set
  the requested state as `ha-manager set` does. The CRM's reaction to a new requested state is a
  direct change of the guest's power state after `ha_delay` PVE seconds (started starts a stopped
  guest; stopped and disabled stop a running one; ignored leaves it alone), without the LRM's task.
- /cluster/ha/status/current: quorum, master, one `lrm:<node>` entry per node and one `service:<sid>`
  entry per resource. /cluster/ha/status/manager_status: the manager's status document.

HA rules are in ha_rules.py. Groups (deprecated in PVE 9 in favour of rules) are not modelled: no HA group
exists, so a `group` is refused as unknown.
"""

import asyncio
import hashlib
import re
import time

from fakepve.routing import StatefulRoutes, check_digest, die, param_error, split_list

SID_RE = re.compile(r'^(?:(vm|ct):)?(\d+)$')
STATES = ('started', 'stopped', 'enabled', 'disabled', 'ignored')
# Config keys of a resource, in resources.cfg order.
KEYS = ('state', 'group', 'max_restart', 'max_relocate', 'failback', 'auto-rebalance', 'comment')
INT_KEYS = ('max_restart', 'max_relocate')
BOOL_KEYS = ('failback', 'auto-rebalance')


def _bool(value):
    return 1 if str(value).lower() in ('1', 'true', 'yes', 'on') else 0


class HaApi(StatefulRoutes):
    """Mixin of PveSim: HA resources and the HA status."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # sid -> config of the resource (without the state, which is the guest's ha_state; `state` is kept
        # here only for ignored resources, which fakepve must not treat as HA managed).
        self.ha_resources = {}
        self.ha_started_at = int(time.time())

    def _routes_ha(self):
        res = '/cluster/ha/resources/{sid}'
        return [('GET', '/cluster/ha/resources', self._ha_list), ('POST', '/cluster/ha/resources', self._ha_create),
                ('GET', res, self._ha_read), ('PUT', res, self._ha_update), ('DELETE', res, self._ha_delete),
                ('GET', '/cluster/ha/status/current', self._ha_status),
                ('GET', '/cluster/ha/status/manager_status', self._ha_manager_status)]

    # ---------------------------------------------------------------- state

    def _save_ha(self):
        return dict((sid, self._ha_conf(sid)) for sid in self._ha_sids())

    def _restore_ha(self, data):
        self.ha_resources = {}
        for sid, conf in (data or {}).items():
            conf = dict(conf)
            guest = self._ha_guest(sid)
            if guest is None:
                continue
            state = conf.pop('state', 'started')
            guest.ha_state = None if state == 'ignored' else state
            if state == 'ignored':
                conf['state'] = state
            self.ha_resources[sid] = conf

    # -------------------------------------------------------------- helpers

    def _ha_guest(self, sid):
        kind, vmid = sid.split(':')
        guest = self.guest(int(vmid))
        if guest is None:
            return None
        is_ct = guest in self.cts
        return guest if (kind == 'ct') == is_ct else None

    def _ha_sids(self):
        """Every configured sid: those of the table whose guest still exists, and guests fakepve made
        HA managed itself (create with ha-managed=1)."""
        sids = set()
        for sid in list(self.ha_resources):
            if self._ha_guest(sid) is None:
                # the guest was destroyed with purge: PVE removes its resource too
                del self.ha_resources[sid]
            else:
                sids.add(sid)
        for guest in list(self.vms) + list(self.cts):
            if guest.ha_state is not None:
                sids.add('{0}:{1}'.format('ct' if guest in self.cts else 'vm', guest.vmid))
        return sorted(sids, key=lambda s: (s.split(':')[0], int(s.split(':')[1])))

    def _ha_conf(self, sid):
        """The resource's config as resources.cfg holds it (state always set)."""
        conf = dict(self.ha_resources.get(sid) or {})
        guest = self._ha_guest(sid)
        if guest is not None and guest.ha_state is not None:
            conf['state'] = guest.ha_state
        conf.setdefault('state', 'started')
        return dict((k, conf[k]) for k in KEYS if k in conf)

    def _ha_digest(self):
        lines = []
        for sid in self._ha_sids():
            kind, vmid = sid.split(':')
            lines.append('{0}: {1}'.format(kind, vmid))
            lines.extend('\t{0} {1}'.format(k, v) for k, v in self._ha_conf(sid).items())
            lines.append('')
        return hashlib.sha1('\n'.join(lines).encode()).hexdigest()

    def _ha_entry(self, sid, digest):
        out = dict(sid=sid, type=sid.split(':')[0], digest=digest)
        out.update(self._ha_conf(sid))
        return out

    def _ha_sid(self, text, field='sid'):
        """PVE::HA::Config::parse_sid: `vm:100`, `ct:200`, or a bare vmid whose type is looked up."""
        found = SID_RE.match(str(text or '').strip())
        if not found:
            raise param_error(**{field: 'value does not look like a valid ha resource id'})
        kind, vmid = found.group(1), int(found.group(2))
        if kind is None:
            guest = self.guest(vmid)
            if guest is None:
                raise die("unable to detect SID from VMID - VM/CT {0} does not exist".format(vmid))
            kind = 'ct' if guest in self.cts else 'vm'
        return '{0}:{1}'.format(kind, vmid)

    def _ha_values(self, v):
        values = {}
        for key in KEYS:
            if v.get(key) is None:
                continue
            value = v[key]
            if key in INT_KEYS:
                if not re.fullmatch(r'\d+', str(value)):
                    raise param_error(**{key: 'type check (\'integer\') failed - got \'{0}\''.format(value)})
                value = int(value)
            elif key in BOOL_KEYS:
                value = _bool(value)
            elif key == 'state':
                if value not in STATES:
                    raise param_error(state="value '{0}' does not have a value in the enumeration '{1}'".format(
                        value, ', '.join(STATES)))
                value = 'started' if value == 'enabled' else value
            elif key == 'group':
                raise die("HA group '{0}' does not exist".format(value))
            values[key] = value
        return values

    def _ha_set(self, sid, conf):
        """Store the config and hand its requested state to the guest (and the CRM)."""
        conf = dict(conf)
        state = conf.pop('state', 'started')
        guest = self._ha_guest(sid)
        if state == 'ignored':
            conf['state'] = state
            guest.ha_state = None
        else:
            guest.ha_state = state
        self.ha_resources[sid] = conf
        return self._ha_converge(guest, state)

    async def _ha_converge(self, guest, state):
        """The CRM and LRM acting on a requested state: start or stop the guest after ha_delay."""
        async def later():
            await self.pause(self.ha_delay)
            if state == 'started' and guest.status != 'running' and guest.ha_state == 'started':
                if guest in self.cts:
                    self._apply(guest)
                    guest.pid = next(self._ct_pids)
                else:
                    guest.apply_pending()
                    guest.qmpstatus = 'running'
                guest.status = 'running'
                guest.started_at = time.time()
            elif state in ('stopped', 'disabled') and guest.status == 'running' and guest.ha_state == state:
                guest.status = 'stopped'
                if guest in self.cts:
                    guest.pid = None
                else:
                    guest.qmpstatus = 'stopped'
        if self.time_scale:
            asyncio.ensure_future(later())  # noqa: RUF006 - the simulator's loop runs until it stops; nothing awaits it
        else:
            await later()

    def _ha_need(self, sid):
        if sid not in self._ha_sids():
            raise die("no such resource '{0}'".format(sid))

    # ---------------------------------------------------------------- routes

    async def _ha_list(self, v, user):
        digest = self._ha_digest()
        kind = v.get('type')
        return [self._ha_entry(sid, digest) for sid in self._ha_sids() if kind is None or sid.startswith(kind + ':')]

    async def _ha_read(self, v, user):
        sid = self._ha_sid(v['sid'])
        self._ha_need(sid)
        return self._ha_entry(sid, self._ha_digest())

    async def _ha_create(self, v, user):
        self.need_quorum()
        sid = self._ha_sid(v['sid'])
        kind, vmid = sid.split(':')
        if v.get('type') and v['type'] != kind:
            raise die('types does not match')
        if sid in self._ha_sids():
            raise die("resource ID '{0}' already defined".format(sid))
        if self._ha_guest(sid) is None:
            raise die("{0} {1} does not exist".format('CT' if kind == 'ct' else 'VM', vmid))
        values = self._ha_values(v)
        values.setdefault('state', 'started')
        await self._ha_set(sid, values)
        return None

    async def _ha_update(self, v, user):
        self.need_quorum()
        sid = self._ha_sid(v['sid'])
        self._ha_need(sid)
        check_digest(self._ha_digest(), v.get('digest'))
        conf = self._ha_conf(sid)
        values = self._ha_values(v)
        for key in split_list(v.get('delete')):
            if key not in KEYS:
                raise param_error(delete="invalid format - invalid configuration ID '{0}'".format(key))
            if key in values:
                raise param_error(delete="cannot set and delete property '{0}' at the same time".format(key))
            conf.pop(key, None)
        conf.update(values)
        conf.setdefault('state', 'started')
        await self._ha_set(sid, conf)
        return None

    async def _ha_delete(self, v, user):
        self.need_quorum()
        sid = self._ha_sid(v['sid'])
        if sid not in self._ha_sids():
            raise die("cannot delete service '{0}', not HA managed!".format(sid))
        self.ha_resources.pop(sid, None)
        guest = self._ha_guest(sid)
        if guest is not None:
            guest.ha_state = None
        return None

    # ---------------------------------------------------------------- status

    def _ha_master(self):
        online = [n for n, s in sorted(self.nodes.items()) if s.get('online', True)]
        return online[0] if online else sorted(self.nodes)[0]

    def _ha_service(self, sid):
        conf = self._ha_conf(sid)
        guest = self._ha_guest(sid)
        state = conf['state']
        running = guest.status == 'running'
        if state == 'ignored':
            crm = 'ignored'
        elif state == 'started':
            crm = 'started' if running else 'request_start'
        elif state == 'disabled':
            crm = 'stopped' if not running else 'request_stop'
        else:
            crm = 'stopped' if not running else 'request_stop'
        return conf, guest, crm

    async def _ha_status(self, v, user):
        now = int(time.time())
        master = self._ha_master()
        quorate = self.quorate
        out = [dict(id='quorum', type='quorum', node=master, status='OK' if quorate else 'No quorum on node',
                    quorate=1 if quorate else 0),
               dict(id='master', type='master', node=master, status='{0} (active, {1})'.format(
                   master, time.strftime('%a %b %e %H:%M:%S %Y', time.localtime(now))), timestamp=now)]
        sids = self._ha_sids()
        busy = set(self._ha_guest(s).node for s in sids if self._ha_conf(s)['state'] != 'ignored')
        for node, settings in sorted(self.nodes.items()):
            if not settings.get('online', True):
                text = '{0} (old timestamp - dead?, {1})'.format(node, time.strftime(
                    '%a %b %e %H:%M:%S %Y', time.localtime(self.ha_started_at)))
            else:
                text = '{0} ({1}, {2})'.format(node, 'active' if node in busy else 'idle', time.strftime(
                    '%a %b %e %H:%M:%S %Y', time.localtime(now)))
            out.append(dict(id='lrm:' + node, type='lrm', node=node, status=text, timestamp=now))
        for sid in sids:
            conf, guest, crm = self._ha_service(sid)
            if conf['state'] == 'ignored':
                continue
            entry = dict(id='service:' + sid, type='service', sid=sid, node=guest.node, crm_state=crm,
                         request_state=conf['state'], state=crm,
                         status='{0} ({1}, {2})'.format(sid, guest.node, crm),
                         max_restart=conf.get('max_restart', 1), max_relocate=conf.get('max_relocate', 1),
                         failback=conf.get('failback', 1))
            out.append(entry)
        return out

    async def _ha_manager_status(self, v, user):
        now = int(time.time())
        master = self._ha_master()
        services = {}
        for sid in self._ha_sids():
            conf, guest, crm = self._ha_service(sid)
            if conf['state'] == 'ignored':
                continue
            services[sid] = dict(node=guest.node, state=crm, uid=hashlib.md5(
                '{0}{1}'.format(sid, crm).encode()).hexdigest()[:22])
        node_status = dict((n, 'online' if s.get('online', True) else 'unknown') for n, s in sorted(self.nodes.items()))
        lrm = dict((n, dict(mode='active', state='active' if any(x['node'] == n for x in services.values())
                            else 'wait_for_agent_lock', results={}, timestamp=now))
                   for n in sorted(self.nodes) if self.nodes[n].get('online', True))
        return dict(manager_status=dict(master_node=master, node_status=node_status, service_status=services,
                                        timestamp=now),
                    lrm_status=lrm, quorum=dict(node=master, quorate='1'), timestamp=now)
