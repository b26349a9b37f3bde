# SPDX-License-Identifier: AGPL-3.0-or-later
"""A simulator in a process of its own: `python -m pvesim serve --port 0` as a subprocess.

For benchmarks: the simulator's work then runs on its own interpreter and core, not on the GIL of the client
being measured (testing.SimServer serves it from a thread of the measuring process).

    with SimProcess(seed='demo') as sim:
        api = sim.proxmoxer()
        env = dict(os.environ, **sim.env())

The handle offers host, port, url, cafile, root_password, env(), proxmoxer() and stop(); the request counters
are at GET /_sim/stats as for any pvesim.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

from .endpoint import Endpoint
from .server import DEFAULT_ROOT_PASSWORD

START_TIMEOUT = 60
STOP_TIMEOUT = 10
_LISTENING = re.compile(r'^pvesim listening on https://([^:/]+):(\d+)\s*$')


class SimProcess(Endpoint):
    """`python -m pvesim serve` on 127.0.0.1 with a free port, started at once; stop() (or leaving the with
    block) ends it: SIGTERM, then a kill after STOP_TIMEOUT seconds."""

    def __init__(self, seed='demo', time_scale=0.0, root_password=DEFAULT_ROOT_PASSWORD, strict=False):
        self.root_password = root_password
        self._dir = tempfile.mkdtemp(prefix='pvesim-process-')
        self.cafile = os.path.join(self._dir, 'pvesim.crt')
        command = [sys.executable, '-m', 'pvesim', 'serve', '--host', '127.0.0.1', '--port', '0', '--seed', seed,
                   '--time-scale', str(time_scale), '--root-password', root_password, '--cert-dir', self._dir]
        if strict:
            command.append('--strict')
        self._proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.host, self.port = self._listening()
        except BaseException:
            self.stop()
            raise

    def _listening(self):
        """(host, port) from the one line pvesim prints on stdout once it answers (within START_TIMEOUT)."""
        found = []
        reader = threading.Thread(target=lambda: found.append(self._proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        match = _LISTENING.match(found[0]) if found else None
        if match is None:
            raise RuntimeError('pvesim did not start within {0} s (exit status {1}, said {2!r})'.format(
                START_TIMEOUT, self._proc.poll(), found[0] if found else ''))
        return match.group(1), int(match.group(2))

    @property
    def url(self):
        return 'https://{0}:{1}'.format(self.host, self.port)

    def stop(self):
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(STOP_TIMEOUT)
        if self._proc.stdout:
            self._proc.stdout.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
