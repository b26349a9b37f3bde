#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's demo (run it through `python3 scripts/dev.py demo`, which sets up .venv first).

Starts pvesim on loopback, runs playbooks/demo.yml with ansible-playbook against it, then the scripted
MCP session (scripts/mcp_demo.py) against the same simulator, prints what happened, stops the simulator.
"""

import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
PASSWORD = 'demo-root-secret'


def banner(text):
    print('\n' + '=' * 78 + '\n' + text + '\n' + '=' * 78, flush=True)


def start_simulator(cert_dir):
    proc = subprocess.Popen([sys.executable, '-m', 'pvesim', 'serve', '--host', '127.0.0.1', '--port', '0',
                             '--seed', 'demo', '--root-password', PASSWORD, '--cert-dir', cert_dir],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                sys.exit('pvesim did not start:\n' + proc.stderr.read())
            continue
        if line.startswith('pvesim listening on '):
            url = line.split()[-1]
            host, port = url.split('://', 1)[1].rsplit(':', 1)
            return proc, host, int(port)
    proc.kill()
    sys.exit('pvesim did not start within 60 s')


def main():
    with tempfile.TemporaryDirectory() as cert_dir:
        banner('Starting the bundled Proxmox VE simulator (pvesim, demo seed)')
        sim, host, port = start_simulator(cert_dir)
        cafile = os.path.join(cert_dir, 'pvesim.crt')
        print('pvesim on https://{0}:{1} (root@pam / {2}, CA {3})'.format(host, port, PASSWORD, cafile))
        env = dict(os.environ, PROXMOX_HOST=host, PROXMOX_PORT=str(port), PROXMOX_USER='root@pam',
                   PROXMOX_PASSWORD=PASSWORD, PROXMOX_CA_PATH=cafile, ANSIBLE_LOCALHOST_WARNING='False',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='False', ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                   PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
        try:
            banner('ansible-playbook playbooks/demo.yml')
            rc = subprocess.call([os.path.join(BIN, 'ansible-playbook'), os.path.join(ROOT, 'playbooks', 'demo.yml'),
                                  '-i', 'localhost,', '-c', 'local', '--diff'], env=env, cwd=ROOT)
            if rc:
                return rc
            mcp_demo = os.path.join(ROOT, 'scripts', 'mcp_demo.py')
            if os.path.exists(mcp_demo):
                banner('The same modules through MCP (scripts/mcp_demo.py)')
                rc = subprocess.call([sys.executable, mcp_demo], env=env, cwd=ROOT)
                if rc:
                    return rc
            banner('Done: the playbook and the agent drove the same simulator through the same modules.')
            return 0
        finally:
            sim.terminate()
            try:
                sim.wait(timeout=10)
            except subprocess.TimeoutExpired:
                sim.kill()
            print('pvesim stopped.')


if __name__ == '__main__':
    sys.exit(main())
