#!/usr/bin/env python3
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two commands of the README: `python3 scripts/dev.py demo` and `python3 scripts/dev.py test`.

Both create or refresh .venv/ at the repository root (pip install -e '.[dev]' whenever pyproject.toml
changed, and the collection linked into site-packages as ansible_collections/pve/ops), then:
  demo  start pvesim on loopback, run playbooks/demo.yml with ansible-playbook, run a scripted MCP
        session, print what happened, stop the simulator;
  test  run the test suite and the quality gates (scripts/gates.py).
Only the standard library is used here: this runs before anything is installed.
"""

import hashlib
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, '.venv')
BIN = os.path.join(VENV, 'bin')
PY = os.path.join(BIN, 'python')
STAMP = os.path.join(VENV, '.pve-ops-installed')


def log(msg):
    print('==> ' + msg, flush=True)


def _install_key():
    h = hashlib.sha256()
    with open(os.path.join(ROOT, 'pyproject.toml'), 'rb') as fh:
        h.update(fh.read())
    h.update(sys.version.encode())
    return h.hexdigest()


def _site_packages():
    out = subprocess.check_output([PY, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], text=True)
    return out.strip()


def link_collection():
    """site-packages/ansible_collections/pve/ops -> this checkout, so ansible-core and Python both find it."""
    parent = os.path.join(_site_packages(), 'ansible_collections', 'pve')
    os.makedirs(parent, exist_ok=True)
    link = os.path.join(parent, 'ops')
    if os.path.islink(link) and os.path.realpath(link) == os.path.realpath(ROOT):
        return
    if os.path.islink(link) or os.path.isfile(link):
        os.unlink(link)
    elif os.path.isdir(link):
        import shutil
        shutil.rmtree(link)
    os.symlink(ROOT, link)


def ensure_venv():
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under whatever python3 the machine has
        sys.exit('pve.ops needs Python 3.11 or newer (this is {0})'.format(sys.version.split()[0]))
    if not os.path.exists(PY):
        log('creating .venv')
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    key = _install_key()
    current = ''
    if os.path.exists(STAMP):
        with open(STAMP) as fh:
            current = fh.read().strip()
    if current != key:
        log("installing pve.ops and its dependencies into .venv (pip install -e '.[dev]')")
        subprocess.check_call([PY, '-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-e', ROOT + '[dev]'])
        with open(STAMP, 'w') as fh:
            fh.write(key)
    link_collection()


def env():
    e = dict(os.environ)
    e['PATH'] = BIN + os.pathsep + e.get('PATH', '')
    e['VIRTUAL_ENV'] = VENV
    e.pop('PYTHONHOME', None)
    e.setdefault('ANSIBLE_COLLECTIONS_SCAN_SYS_PATH', 'True')
    return e


def main(argv):
    if len(argv) != 1 or argv[0] not in ('demo', 'test', 'setup'):
        sys.exit('usage: python3 scripts/dev.py demo|test|setup')
    ensure_venv()
    if argv[0] == 'setup':
        return 0
    script = os.path.join(ROOT, 'scripts', argv[0] + '.py' if argv[0] == 'demo' else 'gates.py')
    return subprocess.call([PY, script], cwd=ROOT, env=env())


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
