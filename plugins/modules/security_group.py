#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: security_group
short_description: Manage Proxmox VE firewall security groups
version_added: 0.1.0
description:
  - Creates, updates and removes a cluster security group (C(/cluster/firewall/groups)), a named set of rules
    that rules of type C(group) insert into the cluster, node or guest firewalls.
  - "With O(rules) the group's rules are exactly that list, in that order: a group is usually defined as a
    whole, like a template. Without O(rules) the group's rules are left alone, so they can be managed one by
    one with M(pve.ops.firewall_rule) (O(pve.ops.firewall_rule#module:level=group))."
  - O(state=absent) removes the group's rules and then the group (PVE refuses to remove a group with rules).
    Rules elsewhere that insert the group are not touched.
author:
  - pve.ops developers (@pve-ops)
options:
  name:
    description:
      - The group's name (2 to 18 characters, a letter then letters, digits, C(-) and C(_)).
    type: str
    required: true
    aliases: [group]
  state:
    description:
      - V(present) creates or updates the group, V(absent) removes it with its rules.
    type: str
    choices: [present, absent]
    default: present
  comment:
    description:
      - The group's comment. Not given leaves it alone; an empty string clears it.
    type: str
  rules:
    description:
      - The group's rules, exactly and in order (first is evaluated first). Not given leaves them alone;
        an empty list removes them all.
    type: list
    elements: dict
    suboptions:
        type:
          description:
            - The rule's direction, V(in), V(out) or V(forward). V(group) is refused here (a security group
              cannot insert another one).
          type: str
          choices: [in, out, forward, group]
          default: in
        action:
          description:
            - V(ACCEPT), V(DROP) or V(REJECT), or the security group's name for O(rules[].type=group).
            - Required.
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
            - IP protocol (C(tcp), C(udp), C(icmp), a number, ...). Needed with O(rules[].dport) and O(rules[].sport).
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
            - ICMP type, with O(rules[].proto=icmp) or V(icmpv6).
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
          type: str
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.SECURITY_GROUP
'''

EXAMPLES = r'''
- name: A security group for web servers
  pve.ops.security_group:
    name: webserver
    comment: HTTP, HTTPS and SSH from the office
    rules:
      - {action: ACCEPT, macro: HTTP}
      - {action: ACCEPT, macro: HTTPS}
      - {action: ACCEPT, macro: SSH, source: 192.0.2.0/24, comment: office-ssh}

- name: Remove it
  pve.ops.security_group:
    name: webserver
    state: absent
'''

RETURN = r'''
group:
  description: The group after the run (predicted in check mode); null when absent.
  returned: always
  type: dict
  contains:
    name:
      description: The group's name.
      type: str
    comment:
      description: Its comment (empty when none).
      type: str
    rules:
      description: Its rules in order, each with its position C(pos).
      type: list
      elements: dict
  sample: {name: webserver, comment: web, rules: [{pos: 0, type: in, action: ACCEPT, macro: HTTP, enable: true}]}
diff:
  description: The group before and after.
  returned: always
  type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.firewall.rules import rule_options
from ansible_collections.pve.ops.plugins.module_utils.firewall.security_groups import ensure_security_group
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        name=dict(type='str', required=True, aliases=['group']),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        comment=dict(type='str'),
        rules=dict(type='list', elements='dict', options=rule_options()),
    )


LIMITS = {
    'name': limits.Limit(min_length=2, max_length=18, pattern=r'[A-Za-z][A-Za-z0-9\-\_]+',
                         schema=('POST', '/cluster/firewall/groups', 'group')),
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_security_group(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
