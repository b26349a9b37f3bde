# SPDX-License-Identifier: AGPL-3.0-or-later
"""The test hooks under /_sim: request counters, faults and state, outside /api2/json.

They need no login and answer only clients on a loopback address (403 otherwise, also when the
simulator listens on a public address with --allow-remote). They are never counted, and neither
network faults nor injected failures touch them, so a test can always clear what it broke.

    GET    /_sim/stats    {"requests", "writes", "by_method", "by_path", "by_status", "generic"}
    POST   /_sim/reset    zero the counters; answers the (zeroed) stats
    GET    /_sim/faults   the faults in force (see faults.SimFaults.faults)
    POST   /_sim/faults   apply a fault document (see faults.py); {"applied": [...], "faults": {...}}
    DELETE /_sim/faults   clear every fault; {"faults": {...}}
    GET    /_sim/state    the state document --state saves (see state.py)
    GET    /_sim/ssh      each node's SSH endpoint: {node: {"host", "port", "fingerprint", "public_key"}}
                          (node_ssh.py; the login is root with the root password)

Errors are {"error": "message"} with status 400 (bad document) or 403 (not loopback).
"""

import ipaddress
import json

from aiohttp import web

from . import faults as sim_faults
from .stats import RequestStats

SIM_PREFIX = '/_sim'


def _is_loopback(address):
    try:
        ip = ipaddress.ip_address((address or '').split('%')[0])
    except ValueError:
        return False
    mapped = getattr(ip, 'ipv4_mapped', None)
    return (mapped or ip).is_loopback


def _answer(data, status=200):
    return web.json_response(data, status=status)


def _refuse(status, message):
    return web.json_response({'error': message}, status=status)


class SimHooks:
    """Mixin of PveSim: the /_sim routes, and request counting in fakepve's middleware."""

    def _build_app(self):
        app = super()._build_app()
        r = app.router
        r.add_get(SIM_PREFIX + '/stats', self._sim_stats)
        r.add_post(SIM_PREFIX + '/reset', self._sim_reset)
        r.add_get(SIM_PREFIX + '/faults', self._sim_faults_get)
        r.add_post(SIM_PREFIX + '/faults', self._sim_faults_post)
        r.add_delete(SIM_PREFIX + '/faults', self._sim_faults_delete)
        r.add_get(SIM_PREFIX + '/state', self._sim_state)
        r.add_get(SIM_PREFIX + '/ssh', self._sim_ssh)
        return app

    @web.middleware
    async def _middleware(self, request, handler):
        """fakepve's middleware for API requests, counted; the hooks bypass it (no auth, no faults)."""
        path = request.path
        if path == SIM_PREFIX or path.startswith(SIM_PREFIX + '/'):
            if not _is_loopback(request.remote):
                return _refuse(403, 'pvesim: the /_sim hooks answer loopback clients only')
            return await handler(request)
        if not RequestStats.counts(path):
            return await super()._middleware(request, handler)
        self.stats.arrived(request.method, path)
        try:
            response = await super()._middleware(request, handler)
        except web.HTTPException as exc:
            self.stats.answered(exc.status)
            raise
        except ConnectionResetError:
            self.stats.answered('dropped')
            raise
        self.stats.answered(response.status)
        return response

    # ---------------------------------------------------------------- handlers

    async def _sim_stats(self, request):
        return _answer(self.stats.snapshot())

    async def _sim_reset(self, request):
        self.stats.reset()
        return _answer(self.stats.snapshot())

    async def _sim_faults_get(self, request):
        return _answer(self.faults())

    async def _sim_faults_post(self, request):
        try:
            document = json.loads(await request.text() or '{}')
        except ValueError:
            return _refuse(400, 'the body must be a JSON object')
        try:
            applied = await sim_faults.apply(self, document)
        except sim_faults.FaultError as exc:
            return _refuse(400, str(exc))
        return _answer({'applied': applied, 'faults': self.faults()})

    async def _sim_faults_delete(self, request):
        self.clear_faults()
        return _answer({'faults': self.faults()})

    async def _sim_state(self, request):
        return _answer(self.dump_state())

    async def _sim_ssh(self, request):
        return _answer(dict((node, dict(endpoint)) for node, endpoint in sorted(self.ssh_endpoints.items())))
