# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The datacenter options (``/cluster/options``, datacenter.cfg): read, compare, change only what differs.

PVE reads datacenter.cfg with its property strings parsed (``migration``, ``ha``, ``next-id``, ``tag-style``,
``crs``, ... come back as objects), ``registered-tags`` split into a list, the description with a newline
after each line and ``mac_prefix`` always filled in; others (``bwlimit``) come back as the text stored. Both
shapes are read here. A property-string option is written whole: the keys given are merged into the current
ones. ``absent`` removes options (PVE's ``delete``).
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, propstring
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource

# option -> wire name, for the plain options.
PLAIN = {'keyboard': 'keyboard', 'language': 'language', 'console': 'console', 'email_from': 'email_from',
         'http_proxy': 'http_proxy', 'mac_prefix': 'mac_prefix', 'max_workers': 'max_workers',
         'fencing': 'fencing', 'description': 'description'}
# option -> (wire name, PVE's default key, {suboption: wire key}), for the property strings.
PROPERTY = {
    'migration': ('migration', 'type', {'type': 'type', 'network': 'network'}),
    'ha': ('ha', 'shutdown_policy', {'shutdown_policy': 'shutdown_policy'}),
    'bwlimit': ('bwlimit', None, dict((k, k) for k in ('default', 'clone', 'migration', 'move', 'restore'))),
    'tag_style': ('tag-style', None, {'shape': 'shape', 'ordering': 'ordering', 'color_map': 'color-map',
                                      'case_sensitive': 'case-sensitive'}),
    'next_id': ('next-id', None, {'lower': 'lower', 'upper': 'upper'}),
}
LISTS = {'registered_tags': 'registered-tags'}
OPTIONS = tuple(PLAIN) + tuple(PROPERTY) + tuple(LISTS)
# Options PVE shows with their default when datacenter.cfg has none (and does not write the default out):
# removing one that shows its default changes nothing; once removed, it shows the default.
SHOWN_DEFAULTS = {'mac_prefix': 'BC:24:11'}
WIRE = dict(PLAIN, registered_tags='registered-tags', **dict((k, v[0]) for k, v in PROPERTY.items()))


# The boolean suboptions: compared as '1' / '0' however PVE or the caller spells them. Every other value is
# text as given (the keyboard layout "no" is Norwegian, not false).
BOOLEANS = ('case_sensitive',)


def _text(value, name=None):
    if name in BOOLEANS:
        return codec.config_text(codec.wire(value))
    return codec.wire_text(value).strip()


def _props(raw, default_key, keys):
    """A property-string option (object or text) as {suboption: text}."""
    if raw is None or raw == '':
        return None
    data = raw if isinstance(raw, dict) else propstring.parse(raw, default_key=default_key)
    back = dict((wire, name) for name, wire in keys.items())
    return dict((back.get(k, k), _text(v, back.get(k, k))) for k, v in data.items())


def options_view(data):
    """The options this module manages, from ``GET /cluster/options``: {option: value}, unset ones left out."""
    view = {}
    for name, wire in PLAIN.items():
        value = data.get(wire)
        if name == 'description':
            value = (value or '').rstrip('\n') or None
        if value not in (None, ''):
            view[name] = value if name == 'description' else _text(value)
    for name, (wire, default_key, keys) in PROPERTY.items():
        props = _props(data.get(wire), default_key, keys)
        if props:
            view[name] = props
    for name, wire in LISTS.items():
        if data.get(wire):
            view[name] = sorted(codec.split_list(data[wire]))
    return view


def read_options(client):
    return client.get('cluster', 'options') or {}


def _same(name, current, wanted):
    if name == 'mac_prefix':
        return current is not None and wanted is not None and current.upper() == wanted.upper()
    return current == wanted


class ClusterOptions(Resource):
    """datacenter.cfg: always there; only the options given (and those in ``absent``) are changed."""
    noun = 'options'

    def read(self):
        return options_view(read_options(self.client))

    def wants_absent(self):
        return False

    def desired(self, current):
        p = self.params
        absent = list(p.get('absent') or [])
        wanted = {}
        for name in OPTIONS:
            value = p.get(name)
            if value is None:
                continue
            if name in absent:
                raise errors.InvalidArgumentError('{0} is both given and in absent'.format(name), field='absent')
            if name in PROPERTY:
                given = dict((k, _text(v, k)) for k, v in value.items() if v is not None)
                if not given:
                    continue
                merged = dict(current.get(name) or {})
                merged.update(given)
                if name == 'migration':
                    merged.setdefault('type', 'secure')  # PVE requires it; secure is its default
                wanted[name] = merged
            elif name in LISTS:
                if not value:
                    absent.append(name)  # an empty list removes the option
                    continue
                wanted[name] = sorted(set(str(v) for v in value))
            elif name == 'description':
                wanted[name] = value.rstrip('\n')
            elif name == 'console' and value == 'applet':
                wanted[name] = 'html5'  # PVE reads the old applet as html5
            else:
                wanted[name] = _text(value)
        lower, upper = (wanted.get('next_id') or {}).get('lower'), (wanted.get('next_id') or {}).get('upper')
        if lower is not None and upper is not None and int(lower) > int(upper):
            raise errors.InvalidArgumentError('next_id: lower ({0}) is above upper ({1})'.format(lower, upper),
                                              field='next_id.lower')
        return wanted, absent

    def update(self, tracker, current, desired):
        wanted, absent = desired
        body = {}
        after = dict(current)
        for name, value in wanted.items():
            if name in ('description',) and value == '' and name not in current:
                continue
            if _same(name, current.get(name), value):
                continue
            if value == '':
                after.pop(name, None)
            else:
                after[name] = value
            if name in PROPERTY:
                wire, _default_key, keys = PROPERTY[name]
                body[wire] = propstring.format_props(dict((keys.get(k, k), v) for k, v in value.items()))
            elif name in LISTS:
                body[LISTS[name]] = ';'.join(value)
            else:
                body[PLAIN[name]] = value
        deletes = [name for name in absent if name in current
                   and not _same(name, current[name], SHOWN_DEFAULTS.get(name))]
        for name in deletes:
            after.pop(name)
            if name in SHOWN_DEFAULTS:
                after[name] = SHOWN_DEFAULTS[name]
        if deletes:
            body['delete'] = ','.join(WIRE[name] for name in deletes)
        if body:
            tracker.write(self.client.put, 'cluster', 'options', **body,
                          _confirm=lambda lost: self._applied(after))
        return after

    def _applied(self, after):
        return options_view(read_options(self.client)) == after

    def result(self, tracker, after):
        return tracker.result(after=after, options=after)


def ensure_cluster_options(pve):
    """cluster_options: set and remove datacenter options (only the ones given change)."""
    return ClusterOptions(pve).run()
