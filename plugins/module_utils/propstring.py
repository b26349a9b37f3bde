# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PVE property strings (``virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1``); sizes are in codec.py.

Parse them to dicts to compare, format dicts back in a stable order. ``default_key`` names the key of
a leading bare value (``local-lvm:vm-100-disk-0,size=32G`` -> {'file': 'local-lvm:vm-100-disk-0', ...}).
"""

from __future__ import annotations


def parse(text, default_key=None):
    """A property string as an ordered dict; a bare first item goes under ``default_key``."""
    out = {}
    if text is None or text == '':
        return out
    for i, item in enumerate(str(text).split(',')):
        if not item:
            continue
        if '=' in item:
            key, value = item.split('=', 1)
            out[key.strip()] = value.strip()
        elif i == 0 and default_key:
            out[default_key] = item.strip()
        else:
            out[item.strip()] = '1'
    return out


def format_props(props, default_key=None, order=None):
    """A dict back to a property string: ``default_key``'s value bare and first, then ``order``, then the rest."""
    parts = []
    if default_key and props.get(default_key) not in (None, ''):
        parts.append(str(props[default_key]))
    keys = [k for k in (order or []) if k in props] + sorted(k for k in props if k not in (order or []))
    for key in keys:
        if key == default_key or props[key] is None:
            continue
        value = props[key]
        if isinstance(value, bool):
            value = int(value)
        parts.append('{0}={1}'.format(key, value))
    return ','.join(parts)


def subset_differs(current, desired, normalise=None):
    """True when a key of ``desired`` has another value in ``current`` (after ``normalise(key, value)``)."""
    norm = normalise or (lambda key, value: str(value))
    for key, value in desired.items():
        if value is None:
            continue
        if key not in current or norm(key, current[key]) != norm(key, value):
            return True
    return False
