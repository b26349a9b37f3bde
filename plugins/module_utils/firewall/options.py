# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Firewall options per level (cluster, node, VM, container): read, compare, apply only what differs."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.firewall.rules import OPTION_LEVELS, resolve_target, target_view
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource

# ---------------------------------------------------------------------------------------------- options


def _same_option(name, current, wanted):
    if current is None:
        return False
    if name == 'enable' or isinstance(wanted, bool):
        # The cluster keeps a time stamp (above 1) for "enabled"; ``wanted`` is the user's.
        return codec.is_true(current) == codec.bool_option(wanted, name if name == 'enable' else 'options.' + name)
    return str(current) == codec.wire_text(wanted)


def read_options(client, target):
    data = dict(client.get(*(target['base'] + ('options',))) or {})
    data.pop('digest', None)
    return data


class Options(Resource):
    """The firewall options of a level: always there, only the ones given are changed."""
    noun = 'options'

    def read(self):
        self.target = resolve_target(self.client, self.params, levels=OPTION_LEVELS)
        self.extra.update(target_view(self.target))
        return read_options(self.client, self.target)

    def desired(self, current):
        p = self.params
        wanted = dict((k, v) for k, v in (p['options'] or {}).items() if v is not None)
        for key in ('enable', 'policy_in', 'policy_out'):
            if key in wanted:
                raise errors.InvalidArgumentError('options.{0}: give it as the module option {0}'.format(key),
                                                  field='options')
            if p[key] is not None:
                wanted[key] = p[key]
        if 'policy_forward' in wanted and self.target['level'] not in ('cluster',):
            raise errors.InvalidArgumentError('policy_forward is a cluster option', field='options')
        return wanted

    def update(self, tracker, current, desired):
        wanted = desired
        changes = dict((k, codec.wire(v)) for k, v in wanted.items() if not _same_option(k, current.get(k), v))
        if changes:
            tracker.write(self.client.put, *(self.target['base'] + ('options',)), **changes)
        return dict(current, **changes)


def ensure_options(pve):
    """firewall_options: the firewall options of a level (only the ones given are changed)."""
    return Options(pve).run()
