# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options of every pve.ops module (module_utils/module.py connection_argument_spec).
    DOCUMENTATION = r'''
options:
  api_host:
    description:
      - The Proxmox VE node or cluster address to connect to.
      - Falls back to the E(PROXMOX_HOST) environment variable.
    type: str
    required: true
  api_port:
    description:
      - The API port.
      - Falls back to the E(PROXMOX_PORT) environment variable.
    type: int
    default: 8006
  api_user:
    description:
      - The realm-qualified user to authenticate as, for example C(root@pam).
      - Not needed when O(api_token_id) is given as C(user@realm!tokenid).
      - Falls back to the E(PROXMOX_USER) environment variable.
    type: str
  api_password:
    description:
      - The password of O(api_user) (ticket authentication).
      - Falls back to the E(PROXMOX_PASSWORD) environment variable.
      - Either O(api_password) or O(api_token_id) with O(api_token_secret) is required.
    type: str
  api_token_id:
    description:
      - The API token ID, either the token name (with O(api_user)) or C(user@realm!tokenid).
      - Falls back to the E(PROXMOX_TOKEN_ID) environment variable.
    type: str
  api_token_secret:
    description:
      - The API token secret.
      - Falls back to the E(PROXMOX_TOKEN_SECRET) environment variable.
    type: str
  validate_certs:
    description:
      - Verify the API's TLS certificate.
      - Falls back to the E(PROXMOX_VALIDATE_CERTS) environment variable.
    type: bool
    default: true
  ca_path:
    description:
      - A CA certificate (PEM) to verify the API's certificate with, for example a copy of
        C(/etc/pve/pve-root-ca.pem).
      - Falls back to the E(PROXMOX_CA_PATH) environment variable.
    type: path
  api_timeout:
    description:
      - Seconds to wait for each API response.
    type: int
    default: 30
notes:
  - Requires C(proxmoxer) 2.x and C(requests) on the host the module runs on.
  - Reads are retried with backoff on transient failures (connection reset, HTTP 502, 503, 504, 596);
    creates are never retried.
requirements:
  - proxmoxer >= 2.0
  - requests
'''

    # The same options for the inventory plugin and the lookups (plugin_utils/connection.py): plugin options
    # take their environment fallbacks from `env:` entries.
    PLUGIN = r'''
options:
  api_host:
    description:
      - The Proxmox VE node or cluster address to connect to.
      - Required unless O(url) gives it.
    type: str
    env:
      - name: PROXMOX_HOST
  url:
    description:
      - The API's address as a URL, C(https://<host>[:<port>]), instead of O(api_host) and O(api_port)
        (community.proxmox's inventory option; without a port, the URL's 443).
      - O(api_host) wins when both are given at the same level (both in the source, or both in the environment);
        an option in the source wins over the environment.
      - Only C(https) URLs with no path are taken (the API is served over HTTPS, under C(/api2/json)).
    type: str
    env:
      - name: PROXMOX_URL
  api_port:
    description:
      - The API port.
    type: int
    default: 8006
    env:
      - name: PROXMOX_PORT
  api_user:
    description:
      - The realm-qualified user to authenticate as, for example C(root@pam).
      - Not needed when O(api_token_id) is given as C(user@realm!tokenid).
    type: str
    aliases: [user]
    env:
      - name: PROXMOX_USER
  api_password:
    description:
      - The password of O(api_user) (ticket authentication).
      - Either O(api_password) or O(api_token_id) with O(api_token_secret) is required.
      - Keep it out of plain files; use the environment, C(!vault), or in an inventory source a template
        that reads it with the P(ansible.builtin.env#lookup) lookup.
    type: str
    aliases: [password]
    env:
      - name: PROXMOX_PASSWORD
  api_token_id:
    description:
      - The API token ID, either the token name (with O(api_user)) or C(user@realm!tokenid).
    type: str
    aliases: [token_id]
    env:
      - name: PROXMOX_TOKEN_ID
  api_token_secret:
    description:
      - The API token secret. Like O(api_password), it may come from the environment, C(!vault) or a template.
    type: str
    aliases: [token_secret]
    env:
      - name: PROXMOX_TOKEN_SECRET
  validate_certs:
    description:
      - Verify the API's TLS certificate.
    type: bool
    default: true
    env:
      - name: PROXMOX_VALIDATE_CERTS
  ca_path:
    description:
      - A CA certificate (PEM) to verify the API's certificate with, for example a copy of
        C(/etc/pve/pve-root-ca.pem).
    type: path
    env:
      - name: PROXMOX_CA_PATH
  api_timeout:
    description:
      - Seconds to wait for each API response.
    type: int
    default: 30
notes:
  - The connection options are the ones of the pve.ops modules, with the same E(PROXMOX_*) environment variables.
  - community.proxmox's inventory option names are aliases (O(api_user=user), O(api_password=password),
    O(api_token_id=token_id), O(api_token_secret=token_secret); O(validate_certs) is the same), and O(url)
    with E(PROXMOX_URL) takes its address; see docs/migrating.md.
  - Requires C(proxmoxer) 2.x and C(requests) on the controller.
  - Reads are retried with backoff on transient failures (connection reset, HTTP 502, 503, 504, 596).
  - Secrets are never put into host variables, results or error messages.
requirements:
  - proxmoxer >= 2.0
  - requests
'''
