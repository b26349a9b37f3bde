#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: firewall_rule
short_description: Manage Proxmox VE firewall rules
version_added: 0.1.0
description:
  - Adds, updates, moves and removes one firewall rule of the cluster, a node, a VM, a container or a cluster
    security group.
  - "PVE rules have no name or id, only a position. This module identifies a rule in one of two ways:
    by its O(comment), used as a marker (the default when O(comment) is given: the one rule of the level with
    that comment is the managed rule, and its other fields are made exactly as given; fields not given are
    removed from it), or by its match fields (O(type), O(action), O(macro), O(source), O(dest), O(proto),
    O(dport), O(sport), O(iface), O(icmp_type), O(log); the default without a comment: a rule with all of
    them equal is the managed rule, and only O(enable) and O(comment) are changed)."
  - A new rule goes to the end of the list unless O(pos) says where (PVE itself puts new rules on top), so
    tasks that add rules in order give rules in that order. An existing rule stays where it is unless O(pos)
    is given.
  - The checks PVE makes that need no request (type allowed at the level, action, iface of a guest rule, the
    security group of a V(group) rule) are made before any write, in check mode too; addresses and ports
    are checked by PVE when the rule is written.
  - To manage a security group and all its rules at once, see M(pve.ops.security_group).
author:
  - pve.ops developers (@pve-ops)
options:
  state:
    description:
      - V(present) adds or updates the rule, V(absent) removes it (every rule that matches).
    type: str
    choices: [present, absent]
    default: present
  identify_by:
    description:
      - How the rule is found. V(comment) matches O(comment) (which then must be unique at the level),
        V(fields) the match fields.
      - Default V(comment) when O(comment) is given, else V(fields).
    type: str
    choices: [comment, fields]
  pos:
    description:
      - The rule's position, 0 being the first (PVE evaluates rules top down). A position past the end puts
        the rule last.
      - With O(state=absent), only the rule at this position is removed, and only when it is the rule the
        comment or the match fields identify (one of two identical rules, for example); when it is not, nothing
        changes. A position alone never removes a rule, since positions shift as rules come and go.
    type: int
  type:
    description:
      - The rule's direction, V(in), V(out) or V(forward), or V(group) to insert a security group (then
        O(action) is the group's name). Guests have no V(forward) rules; security groups have no V(group)
        rules.
    type: str
    choices: [in, out, forward, group]
    default: in
  action:
    description:
      - V(ACCEPT), V(DROP) or V(REJECT), or the security group's name for O(type=group).
      - Required with O(state=present), and with O(state=absent) when the rule is identified by its fields.
    type: str
  macro:
    description:
      - A predefined PVE macro (C(SSH), C(HTTP), C(Ping), ...); the case does not matter.
    type: str
  source:
    description:
      - Source address, range, list, IP set (C(+name)) or alias.
    type: str
  dest:
    description:
      - Destination address, range, list, IP set (C(+name)) or alias.
    type: str
  proto:
    description:
      - IP protocol (C(tcp), C(udp), C(icmp), a number, ...). Needed with O(dport) and O(sport).
    type: str
  dport:
    description:
      - Destination port(s), for example C(22), C(80,443), C(8000:8100) or a service name.
    type: str
  sport:
    description:
      - Source port(s).
    type: str
  iface:
    description:
      - Network interface; for guests the device key (C(net0)).
    type: str
  icmp_type:
    description:
      - ICMP type, with O(proto=icmp) or V(icmpv6).
    type: str
  log:
    description:
      - Log level of the rule; not given means no logging (V(nolog)).
    type: str
    choices: [emerg, alert, crit, err, warning, notice, info, debug, nolog]
  enable:
    description:
      - Whether the rule is enabled.
    type: bool
    default: true
  comment:
    description:
      - The rule's comment.
      - With O(identify_by=comment) (the default when it is given) it identifies the rule.
    type: str
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.firewall
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.FIREWALL_RULE
'''

EXAMPLES = r'''
- name: Let SSH in from the management network, first rule of the cluster
  pve.ops.firewall_rule:
    comment: ssh-from-mgmt
    action: ACCEPT
    macro: SSH
    source: 10.0.0.0/24
    pos: 0

- name: HTTPS to web01 (identified by its fields)
  pve.ops.firewall_rule:
    level: vm
    name: web01
    action: ACCEPT
    proto: tcp
    dport: '443'

- name: Apply the webserver security group to container 200
  pve.ops.firewall_rule:
    level: container
    vmid: 200
    type: group
    action: webserver
    comment: webserver-group

- name: Remove the rule with this marker
  pve.ops.firewall_rule:
    comment: ssh-from-mgmt
    state: absent
'''

RETURN = r'''
rule:
  description: The rule after the run (predicted in check mode), with its position; null when absent.
  returned: always
  type: dict
  sample: {pos: 0, type: in, action: ACCEPT, macro: SSH, source: 10.0.0.0/24, enable: true, comment: ssh-from-mgmt}
level:
  description: The level of the rule.
  returned: always
  type: str
  sample: vm
node:
  description: The node (levels node, vm and container).
  returned: when it applies
  type: str
  sample: pve1
vmid:
  description: The guest (levels vm and container).
  returned: when it applies
  type: int
  sample: 100
group:
  description: The security group (level group).
  returned: when it applies
  type: str
  sample: webserver
removed:
  description: How many rules O(state=absent) removed (or would remove).
  returned: with O(state=absent)
  type: int
  sample: 1
diff:
  description: The rule before and after.
  returned: always
  type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.firewall.rules import ensure_rule, rule_options, target_options
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    spec = target_options()
    spec.update(
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        identify_by=dict(type='str', choices=['comment', 'fields']),
        pos=dict(type='int'),
    )
    spec.update(rule_options())
    return spec


LIMITS = {
    'vmid': limits.VMID,
    'node': limits.NODE,
    'pos': limits.Limit(minimum=0, schema=('POST', '/cluster/firewall/rules', 'pos')),
}

MODULE_KWARGS = dict(supports_check_mode=True, mutually_exclusive=[('vmid', 'name')], limits=LIMITS)


def run(pve):
    return ensure_rule(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
