# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Firewall aliases (a name for an address or network) and IP sets (named address lists) at cluster and
guest level, which rules and security groups refer to (an alias by name, an IP set as ``+name``)."""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.pve.ops.plugins.module_utils import errors, limits
from ansible_collections.pve.ops.plugins.module_utils.firewall.rules import resolve_target, target_view
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource

# Where PVE keeps aliases and IP sets: the cluster's and each guest's firewall (not a node's).
LEVELS = ('cluster', 'vm', 'container')
NAME_RE = re.compile(r'^(?:dc/|guest/)?[A-Za-z][A-Za-z0-9\-_]+$')


def target_options():
    """The options that say whose aliases or IP sets (the cluster's, or a guest's by vmid or name)."""
    return dict(level=dict(type='str', choices=list(LEVELS), default='cluster'), vmid=dict(type='int'),
                guest=dict(type='str'))


def name_limit(schema_path):
    """The limit of an alias's or IP set's name, as ``schema_path``'s POST checks ``name``."""
    return limits.Limit(min_length=2, max_length=64, pattern=r'[A-Za-z][A-Za-z0-9\-\_]+',
                        schema=('POST', schema_path, 'name'))


def _target(client, params):
    return resolve_target(client, dict(level=params['level'], vmid=params.get('vmid'), name=params.get('guest')),
                          levels=LEVELS)


def _check_address(value, field, alias_ok):
    """An address, network or (for an IP set) an alias name, as PVE stores it."""
    text = (value or '').strip()
    if alias_ok and NAME_RE.match(text):
        return text
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise errors.InvalidArgumentError('{0} {1!r}: expected an IP address or network (CIDR){2}'.format(
            field, value, ', or an alias name' if alias_ok else ''), field=field) from None
    if '/' not in text:
        return str(ipaddress.ip_address(text))
    if alias_ok:
        # PVE::Firewall::clean_cidr drops host bits; a single address keeps no /32 or /128.
        if net.prefixlen == 0:
            raise errors.InvalidArgumentError('{0} {1!r}: a zero prefix is not allowed in IP sets'.format(
                field, value), field=field)
        return str(net.network_address) if net.prefixlen == net.max_prefixlen else net.with_prefixlen
    return text


class Alias(Resource):
    """An alias of the cluster's or a guest's firewall."""

    noun = 'alias'

    def read(self):
        self.target = _target(self.client, self.params)
        self.base = self.target['base'] + ('aliases',)
        name = self.params['alias'].lower()
        for entry in self.client.get(*self.base) or []:
            if entry.get('name', '').lower() == name:
                return dict(alias=entry['name'], cidr=entry.get('cidr'), comment=entry.get('comment') or '')
        return None

    def desired(self, current):
        p = self.params
        if p.get('cidr') is None and current is None:
            raise errors.InvalidArgumentError('cidr is required to create alias {0!r}'.format(p['alias']),
                                              field='cidr')
        cidr = current['cidr'] if p.get('cidr') is None else _check_address(p['cidr'], 'cidr', False)
        comment = (current or {}).get('comment', '') if p.get('comment') is None else p['comment']
        return dict(alias=(current or {}).get('alias', p['alias']), cidr=cidr, comment=comment)

    def create(self, tracker, desired):
        tracker.write(self.client.post, *self.base, name=desired['alias'], cidr=desired['cidr'],
                      comment=desired['comment'] or None, _confirm=lambda lost: self.read() is not None)
        return desired

    def update(self, tracker, current, desired):
        if desired != current:
            # PVE rewrites the whole entry: the comment is sent again to keep it.
            tracker.write(self.client.put, *(self.base + (current['alias'],)), cidr=desired['cidr'],
                          comment=desired['comment'] or None)
        return desired

    def delete(self, tracker, current):
        tracker.write(self.client.delete, *(self.base + (current['alias'],)),
                      _confirm=lambda lost: self.read() is None)

    def result(self, tracker, after):
        return tracker.result(after=after or {}, alias=after, **target_view(self.target))


class IpSet(Resource):
    """An IP set of the cluster's or a guest's firewall, with (when given) exactly its entries."""

    noun = 'ipset'

    def read(self):
        self.target = _target(self.client, self.params)
        self.base = self.target['base'] + ('ipset',)
        name = self.params['ipset']
        listed = [s for s in self.client.get(*self.base) or [] if s.get('name') == name]
        if not listed:
            return None
        entries = [dict(cidr=e['cidr'], nomatch=bool(e.get('nomatch')), comment=e.get('comment') or '')
                   for e in self.client.get(*(self.base + (name,))) or []]
        return dict(ipset=name, comment=listed[0].get('comment') or '', entries=sorted(entries, key=_by_cidr))

    def desired(self, current):
        p = self.params
        comment = (current or {}).get('comment', '') if p.get('comment') is None else p['comment']
        if p.get('entries') is None:
            entries = (current or {}).get('entries', [])
        else:
            entries, seen = [], set()
            for index, spec in enumerate(p['entries']):
                field = 'entries[{0}].cidr'.format(index)
                cidr = _check_address(spec.get('cidr'), field, True)
                if cidr in seen:
                    raise errors.InvalidArgumentError('{0}: {1} is listed twice'.format(field, cidr), field=field)
                seen.add(cidr)
                entries.append(dict(cidr=cidr, nomatch=bool(spec.get('nomatch')), comment=spec.get('comment') or ''))
            self._check_aliases(entries)
        return dict(ipset=p['ipset'], comment=comment, entries=sorted(entries, key=_by_cidr))

    def _check_aliases(self, entries):
        names = [e['cidr'] for e in entries if NAME_RE.match(e['cidr'])]
        if not names:
            return
        known = set(a['name'].lower() for a in self.client.get('cluster', 'firewall', 'aliases') or [])
        guest = set()
        if self.target['level'] != 'cluster':
            guest = set(a['name'].lower() for a in self.client.get(*(self.target['base'] + ('aliases',))) or [])
        for name in names:
            scope, _slash, alias = name.rpartition('/')
            pool = known if scope == 'dc' else guest if scope == 'guest' else known | guest
            if alias.lower() not in pool:
                raise errors.InvalidArgumentError('entries: no alias {0!r} (create it with '
                                                  'pve.ops.firewall_alias)'.format(name), field='entries')

    def create(self, tracker, desired):
        tracker.write(self.client.post, *self.base, name=desired['ipset'], comment=desired['comment'] or None,
                      _confirm=lambda lost: self.read() is not None)
        self._entries(tracker, [], desired['entries'])
        return desired

    def update(self, tracker, current, desired):
        if desired['comment'] != current['comment']:
            tracker.write(self.client.post, *self.base, name=current['ipset'], rename=current['ipset'],
                          comment=desired['comment'])
        self._entries(tracker, current['entries'], desired['entries'])
        return desired

    def _entries(self, tracker, current, desired):
        path = self.base + (self.params['ipset'],)
        have = dict((e['cidr'], e) for e in current)
        want = dict((e['cidr'], e) for e in desired)
        for cidr in sorted(set(have) - set(want)):
            tracker.write(self.client.delete, *(path + (cidr,)))
        for cidr, entry in sorted(want.items()):
            if cidr not in have:
                tracker.write(self.client.post, *path, cidr=cidr, nomatch=entry['nomatch'] or None,
                              comment=entry['comment'] or None)
            elif have[cidr] != entry:
                tracker.write(self.client.put, *(path + (cidr,)), nomatch=entry['nomatch'],
                              comment=entry['comment'] or None)

    def delete(self, tracker, current):
        tracker.write(self.client.delete, *(self.base + (current['ipset'],)), force=True,
                      _confirm=lambda lost: self.read() is None)

    def result(self, tracker, after):
        return tracker.result(after=after or {}, ipset=after, **target_view(self.target))


def _by_cidr(entry):
    return entry['cidr']


def ensure_alias(pve):
    """firewall_alias: an alias of the cluster's or a guest's firewall, present or absent."""
    return Alias(pve).run()


def ensure_ipset(pve):
    """firewall_ipset: an IP set of the cluster's or a guest's firewall, present (its entries) or absent."""
    return IpSet(pve).run()
