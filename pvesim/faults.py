# SPDX-License-Identifier: AGPL-3.0-or-later
"""Faults over HTTP: the JSON documents of /_sim/faults, mapped onto fakepve's scenario methods.

POST /_sim/faults takes one JSON object. Each key names a fault (the fakepve Model method it calls);
its value gives the arguments:

    {"fail": {"method": "GET", "path": "/api2/json/nodes", "status": 503, "message": "busy", "times": 1},
     "set_node_offline": "pve2",
     "slow_network": {"latency": 0.5},
     "lose_quorum": true}

The conditions behind alert findings (pvesim/alert_faults.py): "fill_storage" {"storage", "percent"},
"failed_task" {"node", "type", "id", "message"}, "disk_failing" {"node", "devpath"}, "ha_error" "<sid>" and
"subscription" {"node", "status"}.
A new package version on a node's mirror (pvesim/node_ssh.py): "publish_update" {"node", "package", "version",
"old_version"[, "title", "origin"]}; an upgrade installs it (DELETE /_sim/faults does not take it back).

Two faults are pvesim's own (fakepve has no Model method for them), for the moment a connection is lost:

- "drop_answer": {"method": "POST", "path": "/nodes/{node}/vzdump", "times": 1, "hang_secs": 0}
  the request is handled as usual (the write is applied, a task started), then the connection is closed
  without an answer: the client sees a reset. With hang_secs the answer is held that long first (PVE
  seconds, like flaky_network's), so a client with a shorter read timeout gives up before. Only answers
  with a 2xx status count against `times` (an error answer passes untouched).
- "drop_request": {"method": "GET", "path": "/nodes/{node}/tasks/{upid}/status", "times": 5}
  the connection is closed before the request is handled (nothing applied): the API has gone away for
  these requests, for example the task status polls while a task runs.

For both, `path` is a path suffix or a schema template as for "fail", `method` an HTTP method; without
`times` every matching request (until DELETE /_sim/faults).

- an object: keyword arguments;
- a list: one call per item (an object, or a single positional value);
- true: a call without arguments (false: nothing);
- any other value: the single positional argument.

The faults are applied in the order given. Names and arguments are checked against the signatures
before anything is applied (an unknown fault or argument: 400, nothing applied); a value a fault
refuses when applied (an unknown node) stops there with 400 naming what was applied before it.
DELETE /_sim/faults undoes them all (see SimFaults.clear_faults).
"""

import asyncio
import http
import inspect

from fakepve.server import GENERIC

from .alert_faults import SUBSCRIPTION_MESSAGES


class FaultError(ValueError):
    """A fault document that cannot be applied: answered with 400."""


def _fail(sim, method, path=None, status=None, message=None, error=None, html=False, times=None, suffix=None):
    """Model.fail: requests whose path ends with `path` (or match a schema template) get an error."""
    where = path if path is not None else suffix
    if where is None:
        raise FaultError("fail needs 'path' (a path suffix such as /api2/json/nodes, or a schema template)")
    if status is not None and message is None and error is None:
        message = http.HTTPStatus(int(status)).phrase if int(status) in http.HTTPStatus._value2member_map_ else 'error'
    if times is not None and int(times) < 1:
        raise FaultError("fail: 'times' must be at least 1")
    try:
        sim.fail(str(method).upper(), where, None if status is None else int(status), message, html=bool(html),
                 error=error, times=None if times is None else int(times))
    except (TypeError, ValueError) as exc:
        raise FaultError('fail: {0}'.format(exc)) from None


def _drop(sim, when, method, path, times=None, hang_secs=0.0):
    if times is not None and int(times) < 1:
        raise FaultError("drop_{0}: 'times' must be at least 1".format(when))
    if float(hang_secs) < 0:
        raise FaultError("drop_{0}: 'hang_secs' must be 0 or more".format(when))
    sim.drops[(when, str(method).upper(), str(path))] = {'times': None if times is None else int(times),
                                                         'hang_secs': float(hang_secs)}


def _drop_answer(sim, method, path, times=None, hang_secs=0.0):
    _drop(sim, 'answer', method, path, times, hang_secs)


def _drop_request(sim, method, path, times=None):
    _drop(sim, 'request', method, path, times)


def _set_node_offline(sim, node, offline=True):
    if node not in sim.nodes:
        raise FaultError("set_node_offline: no node '{0}'".format(node))
    sim.set_node_offline(node, bool(offline))


def _slow_network(sim, latency, jitter=0.0, node=None):
    sim.slow_network(float(latency), float(jitter), node)


def _flaky_network(sim, drop_rate=0.0, hang_rate=0.0, hang_secs=120, seed=None):
    for name, rate in (('drop_rate', drop_rate), ('hang_rate', hang_rate)):
        if not 0 <= float(rate) <= 1:
            raise FaultError('flaky_network: {0} must be between 0 and 1'.format(name))
    sim.flaky_network(float(drop_rate), float(hang_rate), float(hang_secs), seed)
    if seed is not None:
        sim.reseed_network()


def _time_scale(sim, scale):
    if float(scale) < 0:
        raise FaultError('time_scale must be 0 or more')
    sim.time_scale = float(scale)


def _guest(sim, vmid):
    guest = sim.guest(int(vmid))
    if guest is None:
        raise FaultError('no guest {0}'.format(vmid))
    return guest


async def _hold_config_lock(sim, vmid, secs=None):
    _guest(sim, vmid)
    try:
        await sim.hold_config_lock(int(vmid), None if secs is None else float(secs))
    except Exception as exc:
        raise FaultError('hold_config_lock: {0}'.format(exc)) from None


def _release_config_lock(sim, vmid):
    _guest(sim, vmid)
    sim.release_config_lock(int(vmid))


def _snapshot_lock(sim, vmid, lock='snapshot'):
    _guest(sim, vmid)
    sim.snapshot_lock(int(vmid), lock)


def _unlock(sim, vmid):
    _guest(sim, vmid)
    sim.unlock(int(vmid))


def _plain(name):
    def call(sim):
        getattr(sim, name)()
    call.__name__ = name
    return call


def _ceph_slow(sim, secs, health='HEALTH_WARN'):
    sim.ceph_slow(float(secs), health)


def _tfa(sim, on=True):
    sim.tfa = bool(on)


def _fill_storage(sim, storage, percent):
    if storage not in sim.storages:
        raise FaultError("fill_storage: no storage '{0}'".format(storage))
    if not 0 <= float(percent) <= 100:
        raise FaultError('fill_storage: percent is 0 to 100')
    sim.fill_storage(storage, percent)


async def _failed_task(sim, node, type='vzdump', id='', message='job failed'):
    if node not in sim.nodes:
        raise FaultError("failed_task: no node '{0}'".format(node))
    await sim.failed_task(node, type, id, message)


def _disk_failing(sim, node, devpath, failing=True):
    if node not in sim.nodes or devpath not in [d['devpath'] for d in sim.node_disks(node)]:
        raise FaultError("disk_failing: no disk '{0}' on node '{1}'".format(devpath, node))
    (sim.failing_disks.add if failing else sim.failing_disks.discard)((node, devpath))


def _publish_update(sim, node, package, version, old_version, title=None, origin='Proxmox'):
    if node not in sim.nodes:
        raise FaultError("publish_update: no node '{0}'".format(node))
    if not package or not version or not old_version:
        raise FaultError('publish_update: package, version and old_version must not be empty')
    sim.publish_update(node, str(package), str(version), str(old_version), title=title, origin=origin)


def _ha_error(sim, sid):
    if sid not in sim._ha_sids():
        raise FaultError("ha_error: no HA resource '{0}'".format(sid))
    sim.ha_errors.add(sid)


def _subscription(sim, node, status='expired'):
    if node not in sim.nodes:
        raise FaultError("subscription: no node '{0}'".format(node))
    if status not in SUBSCRIPTION_MESSAGES:
        raise FaultError('subscription: status is one of {0}'.format(', '.join(sorted(SUBSCRIPTION_MESSAGES))))
    sim.subscription_faults[node] = status


# name -> function(sim, ...). The names are fakepve's Model methods (or attributes) they drive.
FAULTS = {
    'fail': _fail,
    'set_node_offline': _set_node_offline,
    'slow_network': _slow_network,
    'flaky_network': _flaky_network,
    'lose_quorum': _plain('lose_quorum'),
    'regain_quorum': _plain('regain_quorum'),
    'revoke_tickets': _plain('revoke_tickets'),
    'time_scale': _time_scale,
    'ceph_slow': _ceph_slow,
    'ceph_down': _plain('ceph_down'),
    'ceph_recover': _plain('ceph_recover'),
    'hold_config_lock': _hold_config_lock,
    'release_config_lock': _release_config_lock,
    'snapshot_lock': _snapshot_lock,
    'unlock': _unlock,
    'tfa': _tfa,
    'drop_answer': _drop_answer,
    'drop_request': _drop_request,
    'fill_storage': _fill_storage,
    'failed_task': _failed_task,
    'disk_failing': _disk_failing,
    'ha_error': _ha_error,
    'subscription': _subscription,
    'publish_update': _publish_update,
}


def plan(document):
    """The (function, args, kwargs) calls a fault document asks for, checked against the signatures."""
    if not isinstance(document, dict):
        raise FaultError('the body must be a JSON object: {"<fault>": <arguments>, ...}')
    calls = []
    for name, value in document.items():
        fn = FAULTS.get(name)
        if fn is None:
            raise FaultError("unknown fault '{0}'; known: {1}".format(name, ', '.join(sorted(FAULTS))))
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item is False or item is None:
                continue
            if item is True:
                args, kwargs = (), {}
            elif isinstance(item, dict):
                args, kwargs = (), dict(item)
            else:
                args, kwargs = (item,), {}
            try:
                inspect.signature(fn).bind(None, *args, **kwargs)
            except TypeError as exc:
                raise FaultError('{0}: {1}'.format(name, exc)) from None
            calls.append((name, fn, args, kwargs))
    return calls


async def apply(sim, document):
    """Apply a fault document to sim; returns the names applied, in order."""
    done = []
    for name, fn, args, kwargs in plan(document):
        try:
            result = fn(sim, *args, **kwargs)
            if inspect.isawaitable(result):
                await result
        except (TypeError, ValueError) as exc:
            if isinstance(exc, FaultError):
                raise FaultError('{0} (applied before it: {1})'.format(exc, done or 'nothing')) from None
            raise FaultError('{0}: {1} (applied before it: {2})'.format(name, exc, done or 'nothing')) from None
        done.append(name)
    return done


class SimFaults:
    """Mixin of PveSim: the current faults as JSON, clearing them, and the dropped connections."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (when 'request' or 'answer', method, path) -> {'times': n or None, 'hang_secs': s}
        self.drops = {}

    def _drop_rule(self, request, when, status=None):
        """The drop rule this request meets (its count taken), or None."""
        for key, rule in list(self.drops.items()):
            if key[0] != when or key[1] != request.method:
                continue
            if not self._failure_matches(request, request.get(GENERIC), key[2]):
                continue
            if status is not None and not 200 <= status < 300:
                continue
            if rule['times'] is not None:
                rule['times'] -= 1
                if rule['times'] <= 0:
                    del self.drops[key]
            return rule
        return None

    @staticmethod
    def _lose_connection(request, what):
        if request.transport is not None:
            request.transport.close()
        raise ConnectionResetError('pvesim: {0} dropped (fault)'.format(what))

    async def _middleware(self, request, handler):
        """Inside the request counters (hooks.SimHooks), around fakepve's middleware: the drop faults."""
        if self.drops and self._drop_rule(request, 'request') is not None:
            self._lose_connection(request, 'request')
        response = await super()._middleware(request, handler)
        if self.drops:
            rule = self._drop_rule(request, 'answer', getattr(response, 'status', None))
            if rule is not None:
                if rule['hang_secs']:
                    await asyncio.sleep(rule['hang_secs'] * (self.time_scale or 1))
                self._lose_connection(request, 'answer')
        return response

    def faults(self):
        """The JSON document GET /_sim/faults answers."""
        failures = [{'method': method, 'path': path, 'status': rule['status'], 'message': rule['message'],
                     'error': rule['error'], 'html': rule['html'], 'times': rule['times']}
                    for (method, path), rule in self.failures.items()]
        return {'fail': failures,
                'offline_nodes': sorted(n for n, s in self.nodes.items() if not s.get('online', True)),
                'network': dict(self.network, node_latency=dict(self.network['node_latency'])),
                'quorate': bool(self.quorate), 'ceph': dict(self.ceph), 'time_scale': self.time_scale,
                'tfa': bool(self.tfa),
                'held_locks': sorted(g.vmid for g in self._guests() if g.lock_holder == 'scenario'),
                'drops': [{'when': when, 'method': method, 'path': path, 'times': rule['times'],
                           'hang_secs': rule['hang_secs']} for (when, method, path), rule in self.drops.items()]}

    def clear_faults(self):
        """Undo every fault: failures, offline nodes, network and Ceph trouble, lost quorum, held locks, TFA,
        and the time scale the simulator started with. Revoked tickets stay revoked (log in again)."""
        self.failures.clear()
        self.drops.clear()
        for state in self.nodes.values():
            state['online'] = True
        self.network.update(latency=0.0, jitter=0.0, node_latency={}, drop_rate=0.0, hang_rate=0.0,
                            hang_secs=120, seed=None)
        self.regain_quorum()
        self.ceph_recover()
        self.tfa = False
        self.time_scale = self.initial_time_scale
        for guest in self._guests():
            if guest.lock_holder == 'scenario':
                self.release(guest, 'scenario')
