# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The adapter's settings: flags over environment variables over a config file over defaults.

Connection settings are the modules' own: PROXMOX_HOST, PROXMOX_PORT, PROXMOX_USER, PROXMOX_PASSWORD,
PROXMOX_TOKEN_ID, PROXMOX_TOKEN_SECRET, PROXMOX_VALIDATE_CERTS, PROXMOX_CA_PATH (or a ``connection:``
mapping with api_host, api_port, ... in the config file). Agents never see or set them.

Adapter settings: PVE_MCP_MODE, PVE_MCP_ALLOW, PVE_MCP_DENY (comma-separated patterns),
PVE_MCP_AUDIT_LOG, PVE_MCP_TRANSPORT, PVE_MCP_HOST, PVE_MCP_PORT, PVE_MCP_TOKEN, PVE_MCP_CONFIG.
The config file (YAML) takes the same names in lower case without the prefix: mode, allow, deny,
audit_log, transport, host, port, token, allowed_hosts, connection.
"""

from __future__ import annotations

import os

import yaml

from mcp_adapter.policy import READ_ONLY, parse_mode, parse_patterns

CONNECTION_ENV = dict(
    api_host='PROXMOX_HOST', api_port='PROXMOX_PORT', api_user='PROXMOX_USER', api_password='PROXMOX_PASSWORD',
    api_token_id='PROXMOX_TOKEN_ID', api_token_secret='PROXMOX_TOKEN_SECRET',
    validate_certs='PROXMOX_VALIDATE_CERTS', ca_path='PROXMOX_CA_PATH', api_timeout='PROXMOX_TIMEOUT',
)
DEFAULTS = dict(mode=READ_ONLY, allow=[], deny=[], audit_log=None, transport='stdio', host='127.0.0.1',
                port=8765, token=None, allowed_hosts=[])


class Settings(object):
    def __init__(self, **values):
        merged = dict(DEFAULTS)
        merged.update((k, v) for k, v in values.items() if v is not None)
        self.mode = parse_mode(merged['mode'])
        self.allow = parse_patterns(merged['allow'] if isinstance(merged['allow'], list) else [merged['allow']])
        self.deny = parse_patterns(merged['deny'] if isinstance(merged['deny'], list) else [merged['deny']])
        self.audit_log = merged['audit_log']
        self.transport = merged['transport']
        if self.transport not in ('stdio', 'http'):
            raise ValueError('unknown transport {0!r}: use stdio or http'.format(self.transport))
        self.host = merged['host']
        self.port = int(merged['port'])
        self.token = merged['token']
        self.allowed_hosts = list(merged['allowed_hosts'] or [])
        self.connection = dict((k, v) for k, v in (merged.get('connection') or {}).items() if v is not None)


def connection_from_env(environ=None):
    environ = os.environ if environ is None else environ
    out = {}
    for key, var in CONNECTION_ENV.items():
        if environ.get(var) not in (None, ''):
            out[key] = environ[var]
    if 'api_port' in out:
        out['api_port'] = int(out['api_port'])
    if 'api_timeout' in out:
        out['api_timeout'] = int(out['api_timeout'])
    if 'validate_certs' in out:
        out['validate_certs'] = str(out['validate_certs']).strip().lower() not in ('0', 'false', 'no', 'off')
    return out


def load(flags=None, environ=None):
    """Settings from a config file (flags['config'] or PVE_MCP_CONFIG), the environment and flags."""
    environ = os.environ if environ is None else environ
    flags = dict((k, v) for k, v in (flags or {}).items() if v not in (None, [], ''))
    values = {}
    path = flags.pop('config', None) or environ.get('PVE_MCP_CONFIG')
    if path:
        with open(path) as fh:
            data = yaml.safe_load(fh) or {}
        if not isinstance(data, dict):
            raise ValueError('{0}: expected a mapping'.format(path))
        unknown = set(data) - set(DEFAULTS) - {'connection'}
        if unknown:
            raise ValueError('{0}: unknown settings {1}'.format(path, ', '.join(sorted(unknown))))
        values.update(data)
    for key in ('mode', 'allow', 'deny', 'audit_log', 'transport', 'host', 'port', 'token', 'allowed_hosts'):
        var = 'PVE_MCP_' + key.upper()
        if environ.get(var) not in (None, ''):
            values[key] = environ[var].split(',') if key in ('allow', 'deny', 'allowed_hosts') else environ[var]
    values.update(flags)
    connection = dict(values.get('connection') or {})
    connection.update(connection_from_env(environ))
    values['connection'] = connection
    return Settings(**values)
