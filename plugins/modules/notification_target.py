#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: notification_target
short_description: Manage Proxmox VE notification targets (sendmail, SMTP, Gotify, webhook)
version_added: 0.1.0
description:
  - Creates, updates or removes a notification target (C(/cluster/notifications/endpoints/<type>/<name>)),
    where PVE sends the notifications a matcher (M(pve.ops.notification_matcher)) routes to it.
  - Options left out are left alone on an existing target; an empty string or list removes an option. The type
    of a target cannot change.
  - "Secrets (O(password), O(token), O(secrets)) are never returned by PVE: they are written when the target is
    created and, on an existing target, with O(update_secret=always) only (then on every run). Webhook secrets
    are listed by name, so a secret added or removed by name is written either way."
  - The built-in C(mail-to-root) target can be changed but not removed.
author:
  - pve.ops developers (@pve-ops)
options:
  name:
    description:
      - The target's name (a letter, then letters, digits, V(-) and V(_)).
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the target, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  type:
    description:
      - The kind of target; required with O(state=present).
    type: str
    choices: [sendmail, smtp, gotify, webhook]
  comment:
    description:
      - A comment; an empty string removes it.
    type: str
  enabled:
    description:
      - Whether PVE sends to the target (PVE's C(disable), inverted).
    type: bool
  mailto:
    description:
      - For V(sendmail) and V(smtp), e-mail addresses (or user names) to send to.
      - A mail target needs O(mailto) or O(mailto_user).
    type: list
    elements: str
  mailto_user:
    description:
      - For V(sendmail) and V(smtp), PVE users whose e-mail address receives the mail.
    type: list
    elements: str
  from_address:
    description:
      - For V(sendmail) and V(smtp), the C(From) address; required to create an V(smtp) target.
    type: str
  author:
    description:
      - For V(sendmail) and V(smtp), the author shown in the mail (PVE's default C(Proxmox VE)).
    type: str
  server:
    description:
      - For V(smtp), the mail server's host name or address; for V(gotify), the server's URL. Required to create
        either.
    type: str
  port:
    description:
      - For V(smtp), the server's port (PVE's default 465 with TLS, 25 otherwise).
    type: int
  mode:
    description:
      - For V(smtp), the encryption (PVE's default V(tls)).
    type: str
    choices: [insecure, starttls, tls]
  username:
    description:
      - For V(smtp), the user name to log in with.
    type: str
  password:
    description:
      - For V(smtp), the password to log in with (see O(update_secret)).
    type: str
  token:
    description:
      - For V(gotify), the application token; required to create (see O(update_secret)).
    type: str
  url:
    description:
      - For V(webhook), the URL to call; required to create. PVE expands C({{ secrets.<name> }}) and other
        templates in it.
    type: str
  method:
    description:
      - For V(webhook), the HTTP method; required to create.
    type: str
    choices: [post, put, get]
  headers:
    description:
      - For V(webhook), HTTP headers, name to value (the module encodes them as PVE stores them); an empty dict
        removes them.
    type: dict
  body:
    description:
      - For V(webhook), the body template (the module base64-encodes it); an empty string removes it.
    type: str
  secrets:
    description:
      - For V(webhook), secrets, name to value, that the URL, headers and body use as C({{ secrets.<name> }});
        an empty dict removes them. Their names are compared; their values are written as O(update_secret) says.
    type: dict
  update_secret:
    description:
      - V(on_create) writes O(password), O(token) and the values of O(secrets) only when the target is created
        (and webhook secrets whose names change).
      - V(always) also writes them to an existing target, on every run (PVE never returns them to compare).
    type: str
    choices: [always, on_create]
    default: on_create
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.NOTIFICATION_TARGET
'''

EXAMPLES = r'''
- name: Mail the operators through the company's mail relay
  pve.ops.notification_target:
    name: ops-mail
    type: smtp
    server: mail.example.org
    mode: starttls
    port: 587
    username: pve
    password: "{{ vault_smtp_password }}"
    from_address: pve@example.org
    mailto: [ops@example.org]

- name: Push to a Gotify server
  pve.ops.notification_target:
    name: phone
    type: gotify
    server: https://gotify.example.org
    token: "{{ vault_gotify_token }}"

- name: Post to a chat webhook
  pve.ops.notification_target:
    name: chat
    type: webhook
    method: post
    url: "https://chat.example.org/hooks/{{ '{{ secrets.key }}' }}"
    headers:
      Content-Type: application/json
    body: >-
      {"text": "{{ '{{ title }}' }}"}
    secrets: {key: "{{ vault_chat_key }}"}

- name: Remove a target
  pve.ops.notification_target:
    name: phone
    state: absent
'''

RETURN = r'''
notification_target:
  description: The target after the change (predicted in check mode); null when absent. No secret value is ever
    in it.
  returned: always
  type: dict
  contains:
    name:
      description: The target's name.
      type: str
    type:
      description: V(sendmail), V(smtp), V(gotify) or V(webhook).
      type: str
    origin:
      description: V(user-created), V(builtin) or V(modified-builtin).
      type: str
    enabled:
      description: Whether PVE sends to the target.
      type: bool
    comment:
      description: The comment.
      type: str
    mailto:
      description: The recipients (mail targets).
      type: list
      elements: str
    mailto_user:
      description: The users whose address receives the mail (mail targets).
      type: list
      elements: str
    from_address:
      description: The C(From) address (mail targets).
      type: str
    author:
      description: The author (mail targets).
      type: str
    server:
      description: The server (smtp, gotify).
      type: str
    port:
      description: The port (smtp), null for PVE's default.
      type: int
    mode:
      description: The encryption (smtp), empty for PVE's default.
      type: str
    username:
      description: The user name (smtp).
      type: str
    url:
      description: The URL (webhook).
      type: str
    method:
      description: The HTTP method (webhook).
      type: str
    headers:
      description: The HTTP headers, decoded (webhook).
      type: dict
    body:
      description: The body template, decoded (webhook).
      type: str
    secrets:
      description: The names of the secrets (webhook), sorted.
      type: list
      elements: str
  sample: {name: ops-mail, type: smtp, origin: user-created, enabled: true, comment: '', server: mail.example.org,
           port: 587, mode: starttls, username: pve, mailto: [ops@example.org], mailto_user: [],
           from_address: pve@example.org, author: ''}
diff:
  description:
    - The target before and after, as C(before) and C(after), for C(--diff); secrets as markers.
  returned: always
  type: dict
  contains:
    before:
      description: The state before the task.
      type: dict
    after:
      description: The state after the task (in check mode, as it would be).
      type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.cluster.notifications import (
    TARGET_TYPES,
    ensure_notification_target,
)
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        type=dict(type='str', choices=list(TARGET_TYPES)),
        comment=dict(type='str'),
        enabled=dict(type='bool'),
        mailto=dict(type='list', elements='str'),
        mailto_user=dict(type='list', elements='str'),
        from_address=dict(type='str'),
        author=dict(type='str'),
        server=dict(type='str'),
        port=dict(type='int'),
        mode=dict(type='str', choices=['insecure', 'starttls', 'tls']),
        username=dict(type='str'),
        password=dict(type='str', no_log=True),
        token=dict(type='str', no_log=True),
        url=dict(type='str'),
        method=dict(type='str', choices=['post', 'put', 'get']),
        headers=dict(type='dict'),
        body=dict(type='str'),
        secrets=dict(type='dict', no_log=True),
        update_secret=dict(type='str', choices=['always', 'on_create'], default='on_create', no_log=False),
    )


_SMTP = ('POST', '/cluster/notifications/endpoints/smtp')
LIMITS = {
    'name': limits.Limit(format='pve-configid', schema=_SMTP + ('name',)),
    'port': limits.PORT,
}

MODULE_KWARGS = dict(supports_check_mode=True, required_if=[('state', 'present', ('type',))], limits=LIMITS)


def run(pve):
    return ensure_notification_target(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
