# SPDX-License-Identifier: AGPL-3.0-or-later
"""A strict checker of API answers against PVE's schema dialect (the `returns` of an API method).

    problems(schema, value, deviations=None) -> [(where, message)]

The dialect is JSON-schema-like: `type` (object, array, string, integer, number, boolean, null,
any), `optional: 1`, `properties` (a `net[n]` property stands for net0, net1, ...), `items`,
`additionalProperties` (0 forbids keys the schema does not name), `enum`, `pattern`, `format`
(a named format or a property string's sub-schemas), `minimum`/`maximum`, `oneOf`. Types are
strict, as JSON carries them: an integer is a JSON integer (a digit string is not), a boolean is
PVE's 0 or 1 (JSON true/false are not), a number is an integer or a float. A missing value
(null) is accepted where the property is optional, as PVE's own check_prop does. Strings
containing 'fake' are placeholders, never an answer.

`where` is the place in the answer: '' for the whole answer, `key`, `list[]`, `[].key`. A
deviation replaces the schema at a place: {where: schema, or fn(parent) -> schema}, for the few
places where PVE sends another type than its schema says (see test_returns_conformance.py).
Formats and property strings are checked with fakepve's implementation of PVE's parsers.
"""

import re

from fakepve.schema import check_value

PLACEHOLDER = re.compile('fake', re.I)
INT64 = (-2 ** 63, 2 ** 63 - 1)
STRING_RULES = ('format', 'pattern', 'enum', 'maxLength', 'minLength')


def problems(schema, value, deviations=None):
    """[(where, message)] of the ways `value` breaks `schema`; [] when it conforms."""
    out = []
    _check(schema or {}, value, '', None, deviations or {}, out)
    return out


def property_schema(props, key):
    """The schema of an object's key: its own entry, or the `name[n]` entry of a numbered key."""
    if key in props:
        return props[key]
    base = key.rstrip('0123456789')
    if base != key and base + '[n]' in props:
        return props[base + '[n]']
    return None


def _join(where, key):
    return '{0}.{1}'.format(where, key) if where else str(key)


def _show(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + '...'


def _check(sch, value, where, parent, deviations, out):
    if where in deviations:
        sch = deviations[where]
        if callable(sch):
            sch = sch(parent)
            if sch is None:
                out.append((where, 'no schema for {0}'.format(_show(value))))
                return
    kind = sch.get('type')
    if value is None:
        if kind not in (None, 'null', 'any') and not sch.get('optional'):
            out.append((where, 'null where a {0} is required'.format(kind)))
        return
    if 'oneOf' in sch and kind is None:
        if not any(not problems(alt, value) for alt in sch['oneOf']):
            out.append((where, '{0} matches none of oneOf'.format(_show(value))))
        return
    if kind == 'object' or (kind is None and 'properties' in sch):
        _object(sch, value, where, deviations, out)
    elif kind == 'array':
        if not isinstance(value, list):
            out.append((where, 'expected an array, got {0}'.format(_show(value))))
            return
        for item in value:
            _check(sch.get('items') or {}, item, where + '[]', value, deviations, out)
    elif kind == 'null':
        out.append((where, 'expected null, got {0}'.format(_show(value))))
    elif kind in (None, 'any'):
        _placeholders(value, where, out)
    elif kind == 'string':
        _string(sch, value, where, out)
    elif kind == 'boolean':
        if type(value) is not int or value not in (0, 1):
            out.append((where, 'expected a boolean (0 or 1), got {0}'.format(_show(value))))
    elif kind in ('integer', 'number'):
        _number(sch, kind, value, where, out)
    else:
        out.append((where, 'the schema has an unknown type {0!r}'.format(kind)))


def _object(sch, value, where, deviations, out):
    if not isinstance(value, dict):
        out.append((where, 'expected an object, got {0}'.format(_show(value))))
        return
    props = sch.get('properties') or {}
    for key, sub in props.items():
        if key not in value and not ('[n]' in key or sub.get('optional') or sub.get('alias')):
            out.append((_join(where, key), 'required key missing'))
    extra = sch.get('additionalProperties')
    for key, item in value.items():
        _placeholders(key, where, out)
        sub = property_schema(props, key)
        if sub is None and isinstance(extra, dict):
            sub = extra
        if sub is None:
            if extra in (0, '0', False) and _join(where, key) not in deviations:
                out.append((_join(where, key), 'key not in the schema (additionalProperties 0)'))
            elif _join(where, key) in deviations:
                _check({}, item, _join(where, key), value, deviations, out)
            else:
                _placeholders(item, _join(where, key), out)
            continue
        _check(sub, item, _join(where, key), value, deviations, out)


def _string(sch, value, where, out):
    if not isinstance(value, str):
        out.append((where, 'expected a string, got {0}'.format(_show(value))))
        return
    _placeholders(value, where, out)
    rules = dict((k, sch[k]) for k in STRING_RULES if k in sch)
    if rules:
        _coerced, err = check_value(dict(rules, type='string'), value)
        if err:
            out.append((where, '{0}: {1}'.format(_show(value), ' '.join(err.split()))))


def _number(sch, kind, value, where, out):
    if not (type(value) is int or (kind == 'number' and type(value) is float)):
        out.append((where, 'expected an {0}, got {1}'.format(kind, _show(value))))
        return
    if type(value) is int and not INT64[0] <= value <= INT64[1]:
        out.append((where, '{0} is outside the 64-bit range'.format(value)))
    if 'minimum' in sch and value < float(sch['minimum']):
        out.append((where, '{0} is below the minimum {1}'.format(value, sch['minimum'])))
    if 'maximum' in sch and value > float(sch['maximum']):
        out.append((where, '{0} is above the maximum {1}'.format(value, sch['maximum'])))
    if 'enum' in sch and value not in sch['enum'] and str(value) not in [str(e) for e in sch['enum']]:
        out.append((where, '{0} is not one of {1}'.format(value, sch['enum'])))


def _placeholders(value, where, out):
    if isinstance(value, str):
        if PLACEHOLDER.search(value):
            out.append((where, 'placeholder {0}'.format(_show(value))))
    elif isinstance(value, dict):
        for key, item in value.items():
            _placeholders(key, where, out)
            _placeholders(item, _join(where, key), out)
    elif isinstance(value, list):
        for item in value:
            _placeholders(item, where + '[]', out)
