#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: realm
short_description: Manage Proxmox VE authentication realms (LDAP, AD, OpenID)
version_added: 0.1.0
description:
  - Creates, updates and removes authentication domains (C(/access/domains)) and can run a user and group
    sync for LDAP and AD realms.
  - The built-in C(pam) and C(pve) realms can be updated (comment, default) but not created or removed.
  - Settings are PVE's own option names (C(server1), C(base_dn), C(user_attr), C(issuer-url), ...); only the
    settings given are compared and changed.
author:
  - pve.ops developers (@pve-ops)
options:
  realm:
    description:
      - The realm id.
    type: str
    required: true
    aliases: [name]
  type:
    description:
      - The realm type. PVE cannot change the type of an existing realm.
    type: str
    choices: [pam, pve, ldap, ad, openid]
    required: true
  state:
    description:
      - V(present) creates or updates the realm, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  comment:
    description:
      - The comment shown on the login form.
    type: str
  default:
    description:
      - Make this the default realm of the login form.
    type: bool
  settings:
    description:
      - Other settings by PVE's option name, for example C(server1), C(base_dn), C(user_attr), C(mode) for LDAP,
        or C(issuer-url) and C(client-id) for OpenID.
      - Give secrets as O(bind_password) or O(client_key), never here.
    type: dict
  bind_password:
    description:
      - The bind password of an LDAP or AD realm; set on creation, and on update only with
        O(update_secret=always). PVE never returns it.
    type: str
  client_key:
    description:
      - The client key of an OpenID realm; set like O(bind_password).
    type: str
  update_secret:
    description:
      - V(always) sends O(bind_password) or O(client_key) on every run (a change each time, as PVE cannot tell
        whether it differs); V(on_create) only when the realm is created.
    type: str
    choices: [always, on_create]
    default: on_create
  sync:
    description:
      - After the realm is in place, sync its users and groups from the directory (LDAP and AD only; a task).
      - Always reports a change (not in check mode, where it is skipped).
    type: bool
    default: false
  sync_scope:
    description:
      - What to sync.
    type: str
    choices: [users, groups, both]
    default: both
  timeout:
    description:
      - Seconds to wait for the sync task.
    type: int
    default: 600
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.REALM
'''

EXAMPLES = r'''
- name: Company LDAP
  pve.ops.realm:
    realm: corp
    type: ldap
    comment: Corporate directory
    settings:
      server1: ldap.example.com
      base_dn: dc=example,dc=com
      user_attr: uid
      mode: ldaps
    bind_password: "{{ vault_ldap_bind_password }}"

- name: Make the pve realm the default on the login form
  pve.ops.realm:
    realm: pve
    type: pve
    default: true
'''

RETURN = r'''
realm:
  description: The realm after the change (predicted in check mode); null when absent. Never holds a secret.
  returned: always
  type: dict
  contains:
    realm:
      description: The realm id.
      type: str
    type:
      description: The realm type.
      type: str
    settings:
      description: The realm's settings as PVE returns them.
      type: dict
  sample: {realm: corp, type: ldap, settings: {server1: ldap.example.com, base_dn: "dc=example,dc=com", user_attr: uid}}
secret_updated:
  description: Whether the bind password or client key was sent (O(update_secret=always)).
  returned: when a secret was sent to an existing realm
  type: bool
diff:
  description:
    - The realm before and after, as C(before) and C(after), for C(--diff).
  returned: always
  type: dict
  contains:
    before:
      description: The state before the task.
      type: dict
    after:
      description: The state after the task (in check mode, as it would be).
      type: dict
tasks:
  description: The UPIDs of the PVE tasks the module waited for, in order.
  returned: when a task ran
  type: list
  elements: str
  sample: ['UPID:pve1:0000A1B2:00C3D4E5:65A1B2C3:vzdump:100:root@pam:']
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.access.realms import ensure_realm, sync_realm
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        realm=dict(type='str', required=True, aliases=['name']),
        type=dict(type='str', required=True, choices=['pam', 'pve', 'ldap', 'ad', 'openid']),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        comment=dict(type='str'),
        default=dict(type='bool'),
        settings=dict(type='dict'),
        bind_password=dict(type='str', no_log=True),
        client_key=dict(type='str', no_log=True),
        update_secret=dict(type='str', choices=['always', 'on_create'], default='on_create', no_log=False),
        sync=dict(type='bool', default=False),
        sync_scope=dict(type='str', choices=['users', 'groups', 'both'], default='both'),
        timeout=dict(type='int', default=600),
    )


LIMITS = {
    'realm': limits.REALM,
    'comment': limits.Limit(max_length=4096, schema=('POST', '/access/domains', 'comment')),
    'timeout': limits.TIMEOUT,
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    result = ensure_realm(pve)
    p = pve.params
    if p['state'] == 'present' and p['sync']:
        result['changed'] = True
        sync_realm(pve, p['realm'], scope=p['sync_scope'], timeout=p['timeout'])
    return result


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
