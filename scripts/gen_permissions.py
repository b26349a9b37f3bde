#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write plugins/module_utils/_permissions_table.py: what the API calls of pve.ops need, from the PVE schema.

PVE names the privilege and the path when a plain check fails ("Permission check failed (/vms/100,
VM.PowerMgmt)"), but not when a combined one does (``or`` / ``and``, "you yourself, or User.Modify on a
group of the user"), nor for calls whose schema only describes the permissions and whose handler checks
them. For those calls, in the areas pve.ops works with, the table holds the check: the schema's own
``check`` where it has one, else the one written below from the schema's description (a test checks
that every privilege named there is in that description). client.py reads the table to explain a 403.

    python scripts/gen_permissions.py            # regenerate
    python scripts/gen_permissions.py --check    # fail if the table is out of date
"""

import json
import os
import pprint
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.environ.get('PVE_API_SCHEMA') or os.path.join(ROOT, '..', 'shared', 'pve-api', 'pve-9.2-api.json')
TARGET = os.path.join(ROOT, 'plugins', 'module_utils', '_permissions_table.py')

# The paths of the areas pve.ops calls (access, backups, firewall, HA, guests, storage, tasks, pools).
AREAS = ('/access', '/cluster/backup', '/cluster/firewall', '/cluster/ha', '/cluster/resources', '/cluster/tasks',
         '/nodes/{node}/qemu', '/nodes/{node}/lxc', '/nodes/{node}/storage', '/nodes/{node}/tasks',
         '/nodes/{node}/vzdump', '/nodes/{node}/disks', '/pools', '/storage')

# Calls pve.ops makes whose schema only describes the permissions: the check, as that description says.
DESCRIBED = {
    ('POST', '/nodes/{node}/qemu'): ['and', ['or', ['perm', '/vms/{vmid}', ['VM.Allocate']],
                                            ['perm', '/pool/{pool}', ['VM.Allocate']]],
                                     ['perm', '/storage/{storage}', ['Datastore.AllocateSpace']]],
    ('POST', '/nodes/{node}/lxc'): ['and', ['or', ['perm', '/vms/{vmid}', ['VM.Allocate']],
                                           ['perm', '/pool/{pool}', ['VM.Allocate']]],
                                    ['perm', '/storage/{storage}', ['Datastore.AllocateSpace']]],
    ('POST', '/nodes/{node}/vzdump'): ['and', ['perm', '/vms/{vmid}', ['VM.Backup']],
                                       ['perm', '/storage/{storage}', ['Datastore.AllocateSpace']]],
    ('DELETE', '/nodes/{node}/storage/{storage}/content/{volume}'): [
        'or', ['perm', '/storage/{storage}', ['Datastore.Allocate']],
        ['and', ['perm', '/storage/{storage}', ['Datastore.AllocateSpace']], ['perm', '/vms/{owner}', ['VM.Backup']]]],
    ('DELETE', '/nodes/{node}/storage/{storage}/prunebackups'): [
        'or', ['perm', '/storage/{storage}', ['Datastore.Allocate']],
        ['and', ['perm', '/storage/{storage}', ['Datastore.AllocateSpace']], ['perm', '/vms/{vmid}', ['VM.Backup']]]],
    ('DELETE', '/nodes/{node}/tasks/{upid}'): ['or', ['owner'], ['perm', '/nodes/{node}', ['Sys.Modify']]],
    ('GET', '/nodes/{node}/tasks/{upid}/status'): ['or', ['owner'], ['perm', '/nodes/{node}', ['Sys.Audit']]],
    ('GET', '/nodes/{node}/tasks/{upid}/log'): ['or', ['owner'], ['perm', '/nodes/{node}', ['Sys.Audit']]],
    ('GET', '/access/permissions'): ['or', ['userid-param', 'self'], ['perm', '/access', ['Sys.Audit']]],
    # Nodes.pm migrateall: VM.Migrate on / or, when `vms` names guests, on each of them.
    ('POST', '/nodes/{node}/migrateall'): ['or', ['perm', '/', ['VM.Migrate']], ['perm', '/vms/{vms}', ['VM.Migrate']]],
    ('GET', '/nodes/{node}/vzdump/extractconfig'): ['and', ['perm', '/vms/{vmid}', ['VM.Backup']],
                                                    ['perm', '/storage/{storage}', ['Datastore.AllocateSpace']]],
}


def load_schema(path=SCHEMA):
    with open(path) as fh:
        return json.load(fh)['paths']


def table(paths):
    """{(method, template): check} for the calls of AREAS whose refusal PVE may leave unnamed."""
    out = {}
    for template in sorted(paths):
        if not template.startswith(AREAS):
            continue
        for method, info in sorted(paths[template].items()):
            check = (info.get('permissions') or {}).get('check')
            if check and check[0] != 'perm':
                out[(method, template)] = check
    for key, check in DESCRIBED.items():
        out[key] = check
    return dict(sorted(out.items()))


def render(paths):
    lines = []
    for key, check in table(paths).items():
        line = '    {0!r}: {1!r},'.format(key, check)
        if len(line) > 118:
            line = '    {0!r}:\n        {1},'.format(key, pprint.pformat(check, width=110).replace('\n', '\n        '))
        lines.append(line)
    body = '{\n' + '\n'.join(lines) + '\n}'
    return ('# -*- coding: utf-8 -*-\n'
            '# Copyright: pve.ops contributors\n'
            '# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)\n'
            '"""Generated by scripts/gen_permissions.py from the official PVE 9.2 API schema: do not edit.\n\n'
            'What a call needs, for the calls whose refusal PVE may leave unnamed: {(method, path template): '
            'check},\nin the schema\'s notation (perm, or, and, userid-param, userid-group, perm-modify; owner: '
            'the task\'s\nowner). Read by privileges.py.\n"""\n\n'
            'from __future__ import annotations\n\n'
            'CHECKS = ' + body + '\n')


def write_or_check(target, text, argv, script, what):
    """Write text to target, or with --check in argv exit 1 when target differs (the generated-file check)."""
    if '--check' in argv:
        current = ''
        if os.path.exists(target):
            with open(target) as fh:
                current = fh.read()
        if current != text:
            print('{0} is out of date: run python scripts/{1}'.format(target, script), file=sys.stderr)
            return 1
        return 0
    with open(target, 'w') as fh:
        fh.write(text)
    print('wrote {0} ({1})'.format(target, what))
    return 0


def main(argv):
    paths = load_schema()
    return write_or_check(TARGET, render(paths), argv, 'gen_permissions.py', '{0} calls'.format(len(table(paths))))


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
