#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lint and render the collection docs with antsibull-docs and Sphinx (a gate of scripts/gates.py).

    .venv/bin/python scripts/build_docs.py                 # into build/docsite/html
    .venv/bin/python scripts/build_docs.py --dest DIR

1. ``antsibull-docs lint-collection-docs --plugin-docs``: every module's and plugin's documentation, its
   markup and its references, as antsibull-docs reads them.
2. ``antsibull-docs collection --use-current``: the RST of every module and plugin of the installed pve.ops
   (scripts/dev.py links this checkout into site-packages).
3. ``sphinx-build`` with docs/site/conf.py and docs/site/index.rst: HTML. Any Sphinx warning fails the gate, except a reference into
   Ansible's own documentation, which cannot resolve offline (no intersphinx inventories here).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
SITE = os.path.join(ROOT, 'docs', 'site')
# Labels of docs.ansible.com that antsibull-docs links every page to.
OFFLINE = re.compile(r"undefined label: '(action_plugins|common_return_values|ansible_configuration_settings|"
                     r"ansible_collections\.ansible\.builtin\.[\w.]+)'")


def run(cmd, **kw):
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    print('==> ' + ' '.join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env, text=True, **kw)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dest', default=os.path.join(ROOT, 'build', 'docsite'))
    args = parser.parse_args(argv)
    antsibull = os.path.join(BIN, 'antsibull-docs')
    if run([antsibull, 'lint-collection-docs', '--plugin-docs', '.']).returncode:
        return 1
    work = tempfile.mkdtemp(prefix='pve-ops-docs-')
    os.chmod(work, 0o700)  # antsibull-docs wants its destination writable by its owner only
    try:
        rst = os.path.join(work, 'rst')
        os.mkdir(rst, 0o700)
        if run([antsibull, '--config-file', os.path.join(SITE, 'antsibull-docs.cfg'), 'collection', '--use-current',
                '--cleanup', 'everything', '--dest-dir', rst, 'pve.ops']).returncode:
            return 1
        shutil.copy(os.path.join(SITE, 'index.rst'), rst)
        html = os.path.join(args.dest, 'html')
        shutil.rmtree(html, ignore_errors=True)
        proc = run([os.path.join(BIN, 'sphinx-build'), '-b', 'html', '-q', '-c', SITE, rst, html],
                   capture_output=True)
        warnings = [line for line in proc.stderr.splitlines() if 'WARNING' in line or 'ERROR' in line]
        offline = [line for line in warnings if OFFLINE.search(line)]
        rest = [line for line in warnings if not OFFLINE.search(line)]
        for line in rest:
            print(line)
        pages = sum(1 for _d, _s, files in os.walk(html) for f in files if f.endswith('.html'))
        print('==> {0} HTML pages in {1}; {2} references into docs.ansible.com left unresolved offline; {3} other '
              'warnings'.format(pages, html, len(offline), len(rest)))
        return 1 if proc.returncode or rest or not pages else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
