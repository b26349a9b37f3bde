#!/usr/bin/env python3
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run `ansible-test sanity` on the collection, offline, from a fresh clone.

    python3 scripts/sanity.py                          # all sanity tests
    python3 scripts/sanity.py --test validate-modules  # extra arguments go to ansible-test sanity
    python3 scripts/sanity.py --keep                   # keep the temporary tree (its path is printed)

What it does:
1. ansible-test bootstraps pip in each of its virtual environments with a get-pip script downloaded from the
   Ansible CI file host (unreachable here). It first looks in ~/.ansible/test/cache/get_pip_<ver>.py; when that
   file is missing this script writes a stand-in there: bootstrap pip with the standard library's ensurepip,
   then `python -m pip install` the requested packages with the machine's own pip configuration.
2. ansible-test wants the collection at .../ansible_collections/pve/ops/ inside a git checkout. The files git
   knows about (tracked, plus untracked files that are not ignored), minus what `ansible-galaxy collection
   build` leaves out (galaxy.yml build_ignore and its built-in patterns), are copied to a temporary tree,
   which is committed to a throw-away git repository there.
3. `.venv/bin/ansible-test sanity --local --python 3.11` runs in that tree; its exit code is ours.
ansible-test caches its per-test virtual environments under ~/.ansible/test, so only the first run is slow.
Only the standard library is used here.
"""

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, '.venv', 'bin')
PYTHON_VERSION = '3.11'
CACHE_DIR = os.path.expanduser('~/.ansible/test/cache')

# Written to ~/.ansible/test/cache/get_pip_<ver>.py. ansible-test runs it as __main__ (via runpy, in a
# fresh virtual environment without pip) with pip's arguments, e.g.
# `--disable-pip-version-check pip==24.2 --no-setuptools --no-wheel`.
GET_PIP_STANDIN = '''\
# pve.ops stand-in for get-pip.py (written by scripts/sanity.py; safe to delete, it is re-created).
# Bootstraps pip with ensurepip, then installs the requested packages with the machine's pip configuration.
import os
import subprocess
import sys


def main():
    import ensurepip
    ensurepip.bootstrap(upgrade=True)
    # ensurepip sets PIP_CONFIG_FILE=os.devnull in this process; it would hide the machine's pip
    # configuration (package index, CA bundle) from the install below.
    os.environ.pop('PIP_CONFIG_FILE', None)
    args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
    sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args))


if __name__ == '__main__':
    main()
'''


def log(msg):
    print('==> ' + msg, flush=True)


def pip_versions():
    """The pip versions ansible-test bootstraps (read from the installed ansible-test, not hard-coded)."""
    code = (
        'import types\n'
        'from ansible_test._internal.python_requirements import get_venv_packages\n'
        'print(get_venv_packages(types.SimpleNamespace(version=%r))["pip"])\n' % PYTHON_VERSION
    )
    try:
        out = subprocess.run([os.path.join(BIN, 'python'), '-c', code], capture_output=True, text=True, timeout=60)
        if out.returncode == 0 and out.stdout.strip():
            return [out.stdout.strip()]
    except (OSError, subprocess.TimeoutExpired):
        pass
    # Fallback: every pip pin named in ansible-test's requirements code.
    found = set()
    for path in _ansible_test_files('python_requirements.py'):
        with open(path) as fh:
            found.update(re.findall(r"pip\s*=\s*'([0-9.]+)'", fh.read()))
    return sorted(found)


def _ansible_test_files(name):
    lib = os.path.join(ROOT, '.venv', 'lib')
    for dirpath, _dirs, files in os.walk(lib):
        if name in files and dirpath.endswith(os.path.join('ansible_test', '_internal')):
            yield os.path.join(dirpath, name)


def ensure_get_pip():
    os.makedirs(CACHE_DIR, exist_ok=True)
    for version in pip_versions():
        path = os.path.join(CACHE_DIR, 'get_pip_%s.py' % version.replace('.', '_'))
        if os.path.exists(path):
            continue
        log('writing the get-pip stand-in ' + path)
        tmp = path + '.tmp'
        with open(tmp, 'w') as fh:
            fh.write(GET_PIP_STANDIN)
        os.replace(tmp, path)


def git_files():
    """Tracked files plus untracked files that .gitignore does not exclude (and that still exist)."""
    out = subprocess.check_output(
        ['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], cwd=ROOT)
    files = sorted({f for f in out.decode('utf-8', 'surrogateescape').split('\0') if f})
    return [f for f in files if os.path.isfile(os.path.join(ROOT, f)) or os.path.islink(os.path.join(ROOT, f))]


def build_ignore_patterns():
    """What `ansible-galaxy collection build` leaves out: its built-in patterns plus galaxy.yml build_ignore."""
    patterns = ['MANIFEST.json', 'FILES.json', 'galaxy.yml', 'galaxy.yaml', '.git', '*.pyc', '*.retry',
                'tests/output', 'pve-ops-*.tar.gz']
    in_list = False
    with open(os.path.join(ROOT, 'galaxy.yml')) as fh:
        for line in fh:
            if re.match(r'^build_ignore\s*:', line):
                in_list = True
                continue
            if in_list:
                m = re.match(r'^\s*-\s*(.+?)\s*$', line)
                if m:
                    patterns.append(m.group(1).strip('\'"'))
                elif line.strip() and not line.lstrip().startswith('#'):
                    in_list = False
    return patterns


def shipped(rel, patterns):
    """Mirror ansible-galaxy's walk: a file is left out when it, or any directory above it, matches a pattern."""
    parts = rel.split('/')
    skip_dirs = {'CVS', '.bzr', '.hg', '.git', '.svn', '__pycache__', '.tox'}
    for i in range(1, len(parts) + 1):
        prefix = '/'.join(parts[:i])
        if i < len(parts) and parts[i - 1] in skip_dirs:
            return False
        if any(fnmatch.fnmatch(prefix, p) for p in patterns):
            return False
    return True


def build_tree(base):
    dest = os.path.join(base, 'ansible_collections', 'pve', 'ops')
    os.makedirs(dest)
    patterns = build_ignore_patterns()
    files = [f for f in git_files() if shipped(f, patterns)]
    # galaxy.yml is not shipped (its data goes to MANIFEST.json), but ansible-test reads it for the version.
    for rel in files + ['galaxy.yml']:
        src = os.path.join(ROOT, rel)
        dst = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)
    git = ['git', '-c', 'user.name=pve.ops sanity', '-c', 'user.email=sanity@invalid', '-c', 'init.defaultBranch=main',
           '-c', 'commit.gpgsign=false']
    subprocess.run(git + ['init', '-q'], cwd=dest, check=True)
    subprocess.run(git + ['add', '-A'], cwd=dest, check=True)
    subprocess.run(git + ['commit', '-q', '--no-verify', '-m', 'sanity tree'], cwd=dest, check=True)
    return dest, len(files)


def main(argv):
    keep = '--keep' in argv
    extra = [a for a in argv if a != '--keep']
    ansible_test = os.path.join(BIN, 'ansible-test')
    if not os.path.exists(ansible_test):
        sys.exit('no %s: run `python3 scripts/dev.py setup` first' % ansible_test)
    start = time.monotonic()
    ensure_get_pip()
    base = tempfile.mkdtemp(prefix='pve-ops-sanity-')
    try:
        dest, count = build_tree(base)
        log('sanity tree: %s (%d files)' % (dest, count))
        env = dict(os.environ)
        env['PATH'] = BIN + os.pathsep + env.get('PATH', '')
        env['VIRTUAL_ENV'] = os.path.join(ROOT, '.venv')
        env.pop('PYTHONHOME', None)
        env.pop('PYTHONPATH', None)
        # Leave ansible-test to find the collection in the tree, not the dev symlink in site-packages.
        for name in ('ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS', 'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH'):
            env.pop(name, None)
        cmd = [ansible_test, 'sanity', '--local', '--python', PYTHON_VERSION, '--color', 'no'] + extra
        log(' '.join(cmd[1:]))
        rc = subprocess.call(cmd, cwd=dest, env=env)
    finally:
        if keep:
            log('kept ' + base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    log('ansible-test sanity exit code %d after %.0f s' % (rc, time.monotonic() - start))
    return rc


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
