# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ranges and formats of option values, declared beside each module's argument_spec, checked before ``run``.

A module declares them in ``LIMITS`` and hands them to the module base through ``MODULE_KWARGS``::

    LIMITS = {
        'vmid': limits.VMID,
        'memory': limits.Limit(minimum=16, maximum=limits.MAX_MEM, unit='MiB',
                               schema=('POST', '/nodes/{node}/qemu', 'memory', 'current'),
                               source="qemu-server's MAX_MEM (PVE::QemuServer::Memory)"),
        'retention.keep_last': limits.Limit(minimum=1, schema=...),   # a suboption
        'vmids': limits.VMID,                                          # a list option: every element
    }
    MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)

After Ansible's own validation (types, choices, required), ``module.PveModule`` calls ``check``: a value
outside its limit fails with a message naming the option and what was expected, and nothing is sent.

Every limit comes from PVE: ``schema`` names the parameter of the official API schema it is taken from
(method, path template, parameter and, for a property string, its key); a test compares minimum,
maximum, lengths, pattern and format with that schema. Where PVE's own code enforces more than its
schema says, ``source`` says where (``qemu-server's MAX_MEM``); an option of pve.ops' own (a timeout)
has ``source`` only. PVE's named formats (``pve-storage-id``, ``pve-vmid``, ...) have no pattern in the
schema: FORMATS holds them as PVE's JSONSchema.pm defines them (a test compares them with pvesim's).
"""

from __future__ import annotations

import re
from collections import namedtuple

from ansible_collections.pve.ops.plugins.module_utils import errors

# qemu-server's PVE::QemuServer::Memory: the most memory a VM may have (4 TiB, in MiB).
MAX_MEM = 4194304

# PVE's named formats: name -> (pattern, what it is, longest value). Patterns are matched whole.
FORMATS = {
    'pve-vmid': (r'[1-9][0-9]{2,8}', 'a vmid (100 to 999999999)', None),
    'pve-node': (r'[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?',
                 'a node name (letters, digits and "-", not at either end)', None),
    'pve-storage-id': (r'[A-Za-z][A-Za-z0-9\-_.]*[A-Za-z0-9]',
                       'a storage ID (a letter, then letters, digits, "-", "_" or ".", ending in a letter or digit)',
                       None),
    'pve-poolid': (r'[A-Za-z0-9.\-_]+(?:/[A-Za-z0-9.\-_]+){0,2}',
                   'a pool ID (letters, digits, ".", "-" and "_", up to 3 levels separated by "/")', None),
    'pve-userid': (r'[^\s:/@]+(?:@[^\s:/@]+)*@[A-Za-z][A-Za-z0-9.\-_]+',
                   'a user ID such as alice@pve (a name, "@" and a realm)', 64),
    'pve-groupid': (r'[A-Za-z0-9.\-_]+', 'a group ID (letters, digits, ".", "-" and "_")', None),
    'pve-roleid': (r'[A-Za-z0-9.\-_]+', 'a role ID (letters, digits, ".", "-" and "_")', None),
    'pve-realm': (r'[A-Za-z][A-Za-z0-9.\-_]+', 'a realm (a letter, then letters, digits, ".", "-" and "_")', 32),
    'pve-configid': (r'[A-Za-z][A-Za-z0-9_\-]+', 'an ID (a letter, then letters, digits, "_" and "-")', None),
    'pve-tag': (r'[A-Za-z0-9_][A-Za-z0-9_\-+.]*', 'a tag (letters, digits, "_", "-", "+" and ".")', None),
    'pve-storage-vgname': (r'[A-Za-z0-9][A-Za-z0-9\-_.]*[A-Za-z0-9]',
                           'a volume group name (letters, digits, "-", "_" and ".", not at either end)', None),
    'pve-iface': (r'[A-Za-z][A-Za-z0-9_]{1,20}(?:[:.][0-9]+)?',
                  'an interface name (a letter, then 1 to 20 letters, digits or "_", and an optional ".N" or ":N")',
                  None),
    'dns-name': (r'[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*',
                 'a DNS name (labels of letters, digits and "-" separated by ".")', None),
}

_Limit = namedtuple('Limit', 'minimum maximum min_length max_length pattern format unit schema source expected')


class Limit(_Limit):
    """What one option's value must be; see the module docstring. ``pattern`` is matched whole (as PVE does)."""

    def __new__(cls, minimum=None, maximum=None, min_length=None, max_length=None, pattern=None, format=None,
                unit=None, schema=None, source=None, expected=None):
        return super().__new__(cls, minimum, maximum, min_length, max_length, pattern, format, unit,
                               tuple(schema) if schema else None, source, expected)

    def problem(self, value):
        """Why the value breaks this limit (text), or None."""
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            if self.minimum is not None and value < self.minimum:
                return 'below the minimum'
            if self.maximum is not None and value > self.maximum:
                return 'above the maximum'
            return None
        if not isinstance(value, str):
            return None
        longest = self.max_length if self.max_length is not None else (FORMATS.get(self.format) or (0, 0, None))[2]
        if longest is not None and len(value) > longest:
            return 'longer than {0} characters'.format(longest)
        if self.min_length is not None and len(value) < self.min_length:
            return 'shorter than {0} characters'.format(self.min_length)
        pattern = self.pattern if self.pattern is not None else (FORMATS.get(self.format) or (None,))[0]
        if pattern is not None and not re.fullmatch(pattern, value):
            return 'not in the expected format'
        return None

    def describe(self):
        """What a value must be, in words."""
        if self.expected:
            return self.expected
        if self.format in FORMATS:
            return FORMATS[self.format][1]
        unit = ' ' + self.unit if self.unit else ''
        if self.minimum is not None and self.maximum is not None:
            return 'a number from {0} to {1}{2}'.format(self.minimum, self.maximum, unit)
        if self.minimum is not None:
            return 'a number of at least {0}{1}'.format(self.minimum, unit)
        if self.maximum is not None:
            return 'a number of at most {0}{1}'.format(self.maximum, unit)
        parts = []
        if self.min_length is not None:
            parts.append('of at least {0} characters'.format(self.min_length))
        if self.max_length is not None:
            parts.append('of at most {0} characters'.format(self.max_length))
        if self.pattern is not None:
            parts.append('matching {0}'.format(self.pattern))
        return 'a text ' + ', '.join(parts) if parts else 'a valid value'


# Limits many modules share.
VMID = Limit(minimum=100, maximum=999999999, format='pve-vmid', schema=('POST', '/nodes/{node}/qemu', 'vmid'),
             expected='a vmid from 100 to 999999999')
NODE = Limit(format='pve-node', schema=('POST', '/nodes/{node}/qemu', 'node'))
STORAGE_ID = Limit(format='pve-storage-id', min_length=2, schema=('POST', '/storage', 'storage'),
                   source="PVE's pve-storage-id format: at least 2 characters")
POOL_ID = Limit(format='pve-poolid', schema=('POST', '/pools', 'poolid'))
SDN_ZONE = Limit(min_length=2, max_length=8, pattern=r'[a-zA-Z][a-zA-Z0-9]*[a-zA-Z0-9]',
                 schema=('POST', '/cluster/sdn/zones', 'zone'))
USERID = Limit(format='pve-userid', max_length=64, schema=('POST', '/access/users', 'userid'))
GROUPID = Limit(format='pve-groupid', schema=('POST', '/access/groups', 'groupid'))
ROLEID = Limit(format='pve-roleid', schema=('POST', '/access/roles', 'roleid'))
REALM = Limit(format='pve-realm', max_length=32, schema=('POST', '/access/domains', 'realm'))
TAG = Limit(format='pve-tag', schema=('POST', '/nodes/{node}/qemu', 'tags'),
            source="PVE's pve-tag-list format: every tag a pve-tag")
PORT = Limit(minimum=1, maximum=65535, schema=('POST', '/storage', 'port'))
# pve.ops' own options: seconds a module waits for a task.
TIMEOUT = Limit(minimum=1, unit='seconds', source='pve.ops: seconds to wait for a task')
KEEP = dict(('retention.' + key, Limit(minimum=1, source="PVE's prune-backups format (keep-* are positive)",
                                       expected='a positive number of backups'))
            for key in ('keep_last', 'keep_hourly', 'keep_daily', 'keep_weekly', 'keep_monthly', 'keep_yearly'))


def _values(params, option):
    """(name, value) pairs an option name stands for: 'a' -> a (each element of a list); 'a.b' -> b in a (in
    each element of a list of dicts)."""
    head, rest = option.partition('.')[::2]
    value = params.get(head)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if not rest:
        return [(head if len(items) == 1 and not isinstance(value, list) else '{0}[{1}]'.format(head, i), item)
                for i, item in enumerate(items) if item is not None]
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            prefix = head if not isinstance(value, list) else '{0}[{1}]'.format(head, i)
            out.extend(('{0}.{1}'.format(prefix, name), v) for name, v in _values(item, rest))
    return out


def check(limits, params):
    """Raise InvalidArgumentError naming every value outside its limit (the first one's option as field)."""
    problems, first = [], None
    for option in sorted(limits or {}):
        limit = limits[option]
        for name, value in _values(params, option):
            why = limit.problem(value)
            if why:
                first = first or option.split('.')[0]
                problems.append('{0}: {1} is {2}; expected {3}'.format(name, _show(value), why, limit.describe()))
    if problems:
        raise errors.InvalidArgumentError('; '.join(problems), field=first)


def _show(value):
    if isinstance(value, str):
        return repr(value if len(value) <= 80 else value[:80] + '...')
    if isinstance(value, int) and abs(value) > 10 ** 18:
        return '{0:.3g}'.format(value)
    return str(value)
