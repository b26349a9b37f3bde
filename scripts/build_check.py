#!/usr/bin/env python3
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prove that the built collection tarball installs and works, without the development checkout.

    python3 scripts/build_check.py            # exit 0 when every step passed
    python3 scripts/build_check.py --keep     # keep the temporary directories (their path is printed)

1. `ansible-galaxy collection build` of the repository root into a temporary directory; the tarball must
   not contain what is not collection content (pvesim/, mcp_adapter/, scripts/, bench/: AGPL or tooling), nor
   development tests (only tests/sanity/ ships), nor any file git ignores (local state, caches).
2. `ansible-galaxy collection install --offline` of the tarball into a second temporary collections path.
3. Start the simulator (`python -m pvesim serve --port 0 --seed empty`) and run a playbook with
   pve.ops.cluster_info from the installed path only (ANSIBLE_COLLECTIONS_PATH=that path,
   ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=False, so the development symlink in site-packages is not used), then
   assert on the result; the module ran by direct execution, inside the controller (-vvv says so), from the
   installed collection alone. `ansible-galaxy collection list` must show that path as the only pve.ops.
Every step has a timeout; the simulator is always stopped. Only the standard library is used here.
"""

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, '.venv', 'bin')
PY = os.path.join(BIN, 'python')
NOT_SHIPPED = ('pvesim/', 'mcp_adapter/', 'scripts/', 'bench/', '.venv/', '.git/')
SIM_START_TIMEOUT = 60
STEP_TIMEOUT = 300

PLAYBOOK = '''\
- name: The installed pve.ops collection talks to the simulator
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Read the cluster
      pve.ops.cluster_info:
        api_host: "{{ lookup('ansible.builtin.env', 'PVEOPS_HOST') }}"
        api_port: "{{ lookup('ansible.builtin.env', 'PVEOPS_PORT') | int }}"
        api_user: root@pam
        api_password: "{{ lookup('ansible.builtin.env', 'PVEOPS_PASSWORD') }}"
        ca_path: "{{ lookup('ansible.builtin.env', 'PVEOPS_CA') }}"
      register: cluster

    - name: The result has the cluster, its resources and the API version
      ansible.builtin.assert:
        that:
          - cluster is not changed
          - cluster.cluster.nodes == 1
          - cluster.resources | selectattr('type', 'equalto', 'node') | list | length == 1
          - cluster.version.version is string
'''


class CheckFailed(Exception):
    pass


def log(msg):
    print('==> ' + msg, flush=True)


def run(cmd, env=None, cwd=None, timeout=STEP_TIMEOUT):
    log(' '.join(os.path.relpath(c, ROOT) if c.startswith(ROOT + os.sep) else c for c in cmd))
    try:
        proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise CheckFailed('timed out after {0} s: {1}'.format(timeout, ' '.join(cmd))) from None
    if proc.returncode != 0:
        raise CheckFailed('exit {0}: {1}\n{2}{3}'.format(proc.returncode, ' '.join(cmd), proc.stdout, proc.stderr))
    return proc


def git_ignored(paths):
    """The paths (relative to ROOT) that .gitignore excludes."""
    if not paths:
        return []
    proc = subprocess.run(['git', 'check-ignore', '--no-index', '--stdin', '-z'], cwd=ROOT, check=False,
                          input='\0'.join(paths).encode(), capture_output=True, timeout=60)
    return [p for p in proc.stdout.decode().split('\0') if p]


def build(out_dir):
    run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', out_dir, ROOT])
    tarballs = [f for f in os.listdir(out_dir) if f.endswith('.tar.gz')]
    if len(tarballs) != 1:
        raise CheckFailed('expected one tarball in {0}, found {1}'.format(out_dir, tarballs))
    tarball = os.path.join(out_dir, tarballs[0])
    with tarfile.open(tarball) as tar:
        names = [m.name + ('/' if m.isdir() else '') for m in tar.getmembers()]
        manifest = json.load(tar.extractfile('MANIFEST.json'))
    info = manifest['collection_info']
    if (info['namespace'], info['name']) != ('pve', 'ops'):
        raise CheckFailed('the tarball is {0}.{1}, not pve.ops'.format(info['namespace'], info['name']))
    leaked = sorted(n for n in names if n.startswith(NOT_SHIPPED))
    if leaked:
        raise CheckFailed('the tarball ships what is not collection content: {0}'.format(', '.join(leaked[:20])))
    tests = sorted(n for n in names if n.startswith('tests/') and n != 'tests/' and not n.startswith('tests/sanity/'))
    if tests:
        raise CheckFailed('the tarball ships development tests (only tests/sanity/ belongs there; add the others '
                          'to galaxy.yml build_ignore): {0}'.format(', '.join(tests[:20])))
    ignored = git_ignored([n.rstrip('/') for n in names if n not in ('MANIFEST.json', 'FILES.json')])
    if ignored:
        raise CheckFailed('the tarball ships files .gitignore excludes (add them to galaxy.yml build_ignore): '
                          '{0}'.format(', '.join(sorted(ignored)[:20])))
    for required in ('meta/runtime.yml', 'plugins/modules/cluster_info.py', 'plugins/module_utils/client.py'):
        if required not in names:
            raise CheckFailed('the tarball lacks ' + required)
    log('built {0} ({1} entries, {2} bytes)'.format(tarballs[0], len(names), os.path.getsize(tarball)))
    return tarball


def install(tarball, collections_dir, env, work):
    # With the clean environment: otherwise ansible-galaxy sees the development symlink and installs nothing.
    run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '-p', collections_dir, tarball],
        env=env, cwd=work)
    installed = os.path.join(collections_dir, 'ansible_collections', 'pve', 'ops')
    if not os.path.isfile(os.path.join(installed, 'MANIFEST.json')):
        raise CheckFailed('nothing installed at ' + installed)
    return installed


def _pump(stream, q, tag):
    for line in iter(stream.readline, ''):
        q.put((tag, line.rstrip('\n')))
    q.put((tag, None))


class Simulator:
    def __init__(self):
        self.proc = None
        self.url = self.cafile = None
        self.password = 'demo-root-secret'
        self.stderr = []

    def start(self):
        cmd = [PY, '-m', 'pvesim', 'serve', '--host', '127.0.0.1', '--port', '0', '--seed', 'empty']
        log(' '.join(cmd[1:]))
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
        q = queue.Queue()
        for stream, tag in ((self.proc.stdout, 'out'), (self.proc.stderr, 'err')):
            threading.Thread(target=_pump, args=(stream, q, tag), daemon=True).start()
        deadline = time.monotonic() + SIM_START_TIMEOUT
        while self.url is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CheckFailed('pvesim did not report listening within {0} s:\n{1}'.format(
                    SIM_START_TIMEOUT, '\n'.join(self.stderr)))
            try:
                tag, line = q.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                if self.proc.poll() is not None or tag == 'out':
                    self.proc.wait(timeout=10)
                    raise CheckFailed('pvesim exited ({0}) before listening:\n{1}'.format(
                        self.proc.returncode, '\n'.join(self.stderr)))
                continue
            if tag == 'err':
                self.stderr.append(line)
                if line.startswith('pvesim: CA certificate:'):
                    self.cafile = line.split(':', 2)[2].strip()
                elif line.startswith('pvesim: root@pam password:'):
                    self.password = line.split(':', 2)[2].strip()
            elif line.startswith('pvesim listening on '):
                self.url = line[len('pvesim listening on '):].strip()
        if not self.cafile or not os.path.isfile(self.cafile):
            raise CheckFailed('pvesim did not report its CA certificate:\n' + '\n'.join(self.stderr))
        log('pvesim at ' + self.url)
        hostport = self.url.split('://', 1)[1].rstrip('/')
        self.host, _, port = hostport.rpartition(':')
        self.port = int(port)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)


def clean_env(collections_dir):
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(('ANSIBLE_', 'PROXMOX_')):
            del env[key]
    env.pop('PYTHONPATH', None)
    env.update(
        PATH=BIN + os.pathsep + env.get('PATH', ''),
        ANSIBLE_COLLECTIONS_PATH=collections_dir,
        ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='False',
        ANSIBLE_CONFIG=os.path.join(collections_dir, 'ansible.cfg'),  # empty: no user or system configuration
        ANSIBLE_PYTHON_INTERPRETER=PY,
        ANSIBLE_LOCALHOST_WARNING='False',
        ANSIBLE_INVENTORY_UNPARSED_WARNING='False',
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_HOME=os.path.join(collections_dir, '.ansible-home'),
    )
    with open(env['ANSIBLE_CONFIG'], 'w') as fh:
        fh.write('[defaults]\n')
    return env


def check_installed_collection(env, installed, work):
    proc = run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'list', 'pve.ops', '--format', 'json'],
               env=env, cwd=work)
    found = json.loads(proc.stdout)
    paths = [os.path.realpath(os.path.join(path, 'pve', 'ops')) for path, colls in found.items() if 'pve.ops' in colls]
    if paths != [os.path.realpath(installed)]:
        raise CheckFailed('ansible sees pve.ops at {0}, expected only {1}'.format(paths, installed))


def run_playbook(sim, env, work):
    book = os.path.join(work, 'build_check.yml')
    with open(book, 'w') as fh:
        fh.write(PLAYBOOK)
    env = dict(env, PVEOPS_HOST=sim.host, PVEOPS_PORT=str(sim.port), PVEOPS_PASSWORD=sim.password,
               PVEOPS_CA=sim.cafile)
    proc = run([os.path.join(BIN, 'ansible-playbook'), book, '-i', 'localhost,', '-c', 'local', '-vvv'], env=env,
               cwd=work)
    if 'ok=2' not in proc.stdout or 'failed=0' not in proc.stdout:
        raise CheckFailed('unexpected playbook recap:\n' + proc.stdout[-6000:])
    if 'pve.ops direct execution: running ansible_collections.pve.ops.plugins.modules.cluster_info' not in proc.stdout:
        raise CheckFailed('pve.ops.cluster_info did not run by direct execution:\n' + proc.stdout[-6000:])


def main(argv):
    keep = '--keep' in argv
    if not os.path.exists(PY):
        sys.exit('no {0}: run `python3 scripts/dev.py setup` first'.format(PY))
    started = time.monotonic()
    base = tempfile.mkdtemp(prefix='pve-ops-build-')
    out_dir, collections_dir, work = (os.path.join(base, d) for d in ('dist', 'collections', 'work'))
    for d in (out_dir, collections_dir, work):
        os.makedirs(d)
    sim = Simulator()
    try:
        tarball = build(out_dir)
        env = clean_env(collections_dir)
        installed = install(tarball, collections_dir, env, work)
        check_installed_collection(env, installed, work)
        sim.start()
        run_playbook(sim, env, work)
    except CheckFailed as exc:
        print('build check FAILED: {0}'.format(exc), file=sys.stderr, flush=True)
        return 1
    finally:
        sim.stop()
        if keep:
            log('kept ' + base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    log('build check passed in {0:.0f} s: the tarball builds, installs and runs pve.ops.cluster_info'.format(
        time.monotonic() - started))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
