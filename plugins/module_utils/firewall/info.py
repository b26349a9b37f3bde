# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.firewall_info: rules, options, security groups, aliases and IP sets of a level."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils.firewall.options import read_options
from ansible_collections.pve.ops.plugins.module_utils.firewall.rules import (
    list_rules,
    resolve_target,
    rule_view,
    target_view,
)

# -------------------------------------------------------------------------------------------------- info


def firewall_info(pve):
    p = pve.params
    client = pve.client
    gather = p['gather'] or []
    target = resolve_target(client, p)
    out = dict(target_view(target))
    level = target['level']
    if 'rules' in gather:
        out['rules'] = list_rules(client, target)
    if 'options' in gather and level != 'group':
        out['options'] = read_options(client, target)
    if 'aliases' in gather and level in ('cluster', 'vm', 'container'):
        out['aliases'] = [dict((k, v) for k, v in a.items() if k != 'digest')
                          for a in client.get(*(target['base'] + ('aliases',))) or []]
    if 'ipsets' in gather and level in ('cluster', 'vm', 'container'):
        ipsets = []
        for entry in client.get(*(target['base'] + ('ipset',))) or []:
            members = [dict((k, v) for k, v in m.items() if k != 'digest')
                       for m in client.get(*(target['base'] + ('ipset', entry['name']))) or []]
            ipsets.append(dict(name=entry['name'], comment=entry.get('comment') or '', entries=members))
        out['ipsets'] = ipsets
    result = dict(changed=False, firewall=out)
    if 'groups' in gather:
        groups = []
        for entry in client.get('cluster', 'firewall', 'groups') or []:
            rules = [rule_view(r, pos) for pos, r in
                     enumerate(client.get('cluster', 'firewall', 'groups', entry['group']) or [])]
            groups.append(dict(name=entry['group'], comment=entry.get('comment') or '', rules=rules))
        result['groups'] = groups
    return result
