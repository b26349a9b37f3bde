# SPDX-License-Identifier: AGPL-3.0-or-later
"""pytest fixtures serving a PveSim: `pvesim` (the demo seed, fresh per test) and `pvesim_factory`.

Enable them with `pytest_plugins = ['pvesim.testing']` in a conftest.py. Each simulator runs on
its own asyncio loop in a daemon thread, on 127.0.0.1 with a free port, with the session's
self-signed certificate (made once, by the `pvesim_pki` fixture). Tests talk to it over HTTPS
like to a real cluster:

    def test_nodes(pvesim):
        api = pvesim.proxmoxer()
        assert [n['node'] for n in api.nodes.get()] == ['pve1', 'pve2', 'pve3']
        assert pvesim.stats()['by_path']['GET /api2/json/nodes'] == 1

    def test_empty(pvesim_factory):
        sim = pvesim_factory(seed='empty', time_scale=0.01)

The handle (SimServer) offers url, host, port, cafile, root_password, pve (the PveSim),
call(fn, *args), stats(), reset_stats(), checkpoint(), rollback(), env() and proxmoxer(**kw). Touch `pve`
only through call(): the simulator's state belongs to its loop's thread.
"""

import asyncio
import inspect
import threading

import pytest

from .endpoint import Endpoint
from .seeds import resolve
from .server import DEFAULT_ROOT_PASSWORD, PveSim

HOST = '127.0.0.1'
# Real seconds to wait for a start, a call or a stop before giving up on it.
TIMEOUT = 30
STOP_TIMEOUT = 10
# Real seconds a stop waits for requests in flight (a hung request) before cancelling them.
DRAIN_TIMEOUT = 1.0


class SimServer(Endpoint):
    """A PveSim served on a private event loop in a daemon thread."""

    def __init__(self, pve, certfile, keyfile):
        self.pve = pve
        self.cafile = certfile
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name='pvesim-{0}'.format(id(pve)), daemon=True)
        self._thread.start()
        try:
            self.call(pve.start(certfile, keyfile))
        except BaseException:
            self._halt()
            raise

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    # ----------------------------------------------------------------- access

    @property
    def host(self):
        return self.pve.host

    @property
    def port(self):
        return self.pve.port

    @property
    def url(self):
        return self.pve.url

    @property
    def root_password(self):
        return self.pve.root_password

    def call(self, fn, *args, timeout=TIMEOUT):
        """Run fn(*args) on the simulator's loop and return its result (awaited if it is a coroutine).

        fn may also be a coroutine object: call(pve.backup(100)). Exceptions propagate."""
        if inspect.iscoroutine(fn):
            if args:
                raise TypeError('call(coroutine) takes no arguments')
            coro = fn
        else:
            async def run():
                result = fn(*args)
                if inspect.isawaitable(result):
                    result = await result
                return result
            coro = run()
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def stats(self):
        """The request counters, as GET /_sim/stats answers them."""
        return self.call(self.pve.stats.snapshot)

    def reset_stats(self):
        """Zero the request counters (POST /_sim/reset)."""
        self.call(self.pve.stats.reset)

    def checkpoint(self):
        """Remember the simulator's whole state (PveSim.checkpoint) for rollback()."""
        self.call(self.pve.checkpoint)

    def rollback(self):
        """Back to the last checkpoint() in place, in milliseconds, with the counters zeroed."""
        self.call(self.pve.rollback)
        self.reset_stats()

    # --------------------------------------------------------------- stopping

    def stop(self):
        """Stop serving and end the thread; bounded, whatever the simulator was doing."""
        if self._loop.is_closed():
            return
        try:
            if self._thread.is_alive():
                asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(STOP_TIMEOUT)
        except Exception:
            pass
        finally:
            self._halt()

    async def _shutdown(self):
        self.pve.clear_faults()
        await self.pve.stop(timeout=DRAIN_TIMEOUT)
        # Tasks still running at a time scale above 0: cancel them, so nothing is left pending.
        current = asyncio.current_task()
        pending = [task for task in asyncio.all_tasks() if task is not current]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=1)

    def _halt(self):
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(STOP_TIMEOUT)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()


def serve(certfile, keyfile, seed='demo', time_scale=0.0, root_password=DEFAULT_ROOT_PASSWORD, strict=False,
          host=HOST):
    """A started SimServer: a PveSim on host with a free port, filled by seed (a name or a function)."""
    pve = PveSim(host=host, port=0, root_password=root_password, time_scale=time_scale, strict=strict)
    resolve(seed)(pve)
    return SimServer(pve, certfile, keyfile)


@pytest.fixture(scope='session')
def pvesim_pki(tmp_path_factory):
    """(certfile, keyfile): the self-signed certificate every simulator of the session serves (certfile is
    the CA file to verify it with)."""
    try:
        from fakepve.certs import make_cert
        certfile, keyfile, _der = make_cert(str(tmp_path_factory.mktemp('pvesim-pki')), name='pvesim',
                                            hosts=(HOST,))
    except ModuleNotFoundError as exc:
        pytest.fail("pvesim's fixtures need the cryptography package: pip install 'fakepve[crypto]' ({0})".format(
            exc))
    return certfile, keyfile


@pytest.fixture
def pvesim_factory(pvesim_pki):
    """make(seed='demo', time_scale=0.0, root_password='demo-root-secret', strict=False) -> a started SimServer;
    every one made is stopped at the end of the test."""
    made = []

    def make(seed='demo', time_scale=0.0, root_password=DEFAULT_ROOT_PASSWORD, strict=False):
        server = serve(*pvesim_pki, seed=seed, time_scale=time_scale, root_password=root_password, strict=strict)
        made.append(server)
        return server
    try:
        yield make
    finally:
        for server in reversed(made):
            server.stop()


@pytest.fixture
def pvesim(pvesim_factory):
    """A fresh simulator with the demo seed and time scale 0, for one test."""
    return pvesim_factory()
