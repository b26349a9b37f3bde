# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API calls a module makes, as (method, schema template), and the table of them its docs are made from.

scripts/module_calls.yml lists, per module, every call the module may make; scripts/gen_privileges.py turns
it into the privileges each module's documentation names (from the official schema's permissions). The
harness (tests/helpers/harness.py) checks every call a module makes on pvesim against that table, so a call
the docs do not account for fails the run.
"""

import functools
import json
import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLE = os.path.join(ROOT, 'scripts', 'module_calls.yml')
SCHEMA = os.environ.get('PVE_API_SCHEMA') or os.path.join(ROOT, '..', 'shared', 'pve-api', 'pve-9.2-api.json')
PREFIX = '/api2/json'


@functools.cache
def _templates():
    with open(SCHEMA) as fh:
        paths = json.load(fh)['paths']
    compiled = []
    for template, methods in paths.items():
        pattern = re.escape(template)
        pattern = re.sub(r'\\\{[\w-]+\\\}', '[^/]+', pattern)
        if template.endswith('{volume}'):
            # A volume id may hold slashes (backup-nfs:backup/vzdump-...).
            pattern = pattern[:-len('[^/]+')] + '.+'
        # The most literal template first: /nodes/{node}/qemu before /nodes/{node}/{whatever}.
        compiled.append((template.count('{'), re.compile(pattern + '$'), template, frozenset(methods)))
    return sorted(compiled, key=lambda entry: (entry[0], entry[2]))


def template(method, path):
    """The schema template of a concrete API path (/api2/json/nodes/pve1/qemu/100 -> /nodes/{node}/qemu/{vmid})."""
    path = path.split('?', 1)[0]
    if path.startswith(PREFIX):
        path = path[len(PREFIX):]
    path = '/' + path.strip('/')
    for _count, regex, name, methods in _templates():
        if method in methods and regex.match(path):
            return name
    return path


@functools.cache
def table():
    """{module: {(method, template)}} from scripts/module_calls.yml."""
    with open(TABLE) as fh:
        doc = yaml.safe_load(fh) or {}
    return {module: frozenset(tuple(call.split(' ', 1)) for call in calls) for module, calls in doc.items()}


def made(before, after):
    """The calls between two GET /_sim/stats snapshots, as {(method, template)}: the login left out."""
    calls = set()
    for key, count in after['by_path'].items():
        if count > before['by_path'].get(key, 0):
            method, path = key.split(' ', 1)
            if method == 'POST' and path.rstrip('/').endswith('/access/ticket'):
                continue
            calls.add((method, template(method, path)))
    return calls


def unlisted(module, calls):
    """The calls the table does not list for module, sorted."""
    return sorted(calls - table().get(module, frozenset()))


# A directory to record each module's calls in (to bootstrap the table), instead of checking them.
RECORD = os.environ.get('PVEOPS_RECORD_CALLS')


class UnlistedCall(AssertionError):
    """A module made an API call scripts/module_calls.yml does not list for it."""


def check(module, calls):
    """Fail (UnlistedCall) on a call the table does not list for module; with PVEOPS_RECORD_CALLS, record them."""
    if RECORD:
        with open(os.path.join(RECORD, '{0}-{1}.json'.format(module, os.getpid())), 'a') as fh:
            fh.write(json.dumps(sorted(calls)) + '\n')
        return
    missing = unlisted(module, calls)
    if missing:
        raise UnlistedCall('{0} called {1}, which scripts/module_calls.yml does not list for it (its docs name the '
                           'privileges of the listed calls: add them there and run scripts/gen_privileges.py)'.format(
                               module, ', '.join(' '.join(call) for call in missing)))
