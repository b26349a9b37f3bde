# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The adapter's settings: flags over environment variables over a config file over defaults.

Connection settings are the modules' own: PROXMOX_HOST, PROXMOX_PORT, PROXMOX_USER, PROXMOX_PASSWORD,
PROXMOX_TOKEN_ID, PROXMOX_TOKEN_SECRET, PROXMOX_VALIDATE_CERTS, PROXMOX_CA_PATH (or a ``connection:``
mapping with api_host, api_port, ... in the config file). Agents never see or set them.

Adapter settings: PVE_MCP_MODE, PVE_MCP_ALLOW, PVE_MCP_DENY (comma-separated patterns),
PVE_MCP_AUDIT_LOG, PVE_MCP_TRANSPORT, PVE_MCP_HOST, PVE_MCP_PORT, PVE_MCP_TOKEN, PVE_MCP_ALLOWED_HOSTS,
PVE_MCP_TLS_CERT, PVE_MCP_TLS_KEY, PVE_MCP_TLS_CLIENT_CA, PVE_MCP_BEHIND_TLS_PROXY, PVE_MCP_TOOLSETS
(comma-separated; all, default), PVE_MCP_DYNAMIC_TOOLSETS, PVE_MCP_STATELESS, PVE_MCP_CONFIG.
The config file (YAML) takes the same names in lower case without the prefix: mode, allow, deny,
audit_log, transport, host, port, token, allowed_hosts, tls_cert, tls_key, tls_client_ca,
behind_tls_proxy, toolsets, dynamic_toolsets, stateless, connection; and, for several clusters, targets (name ->
connection, mode, allow, deny) with default_target (PVE_MCP_DEFAULT_TARGET) instead of connection (see
mcp_adapter/targets.py; the PROXMOX_* variables then do not apply).

HTTP on anything but a loopback address needs TLS: a certificate and key (the adapter serves HTTPS), or
behind_tls_proxy (a TLS-terminating proxy is in front and the adapter serves plain HTTP to it). The check is
made here, before anything listens.
"""

from __future__ import annotations

import ipaddress
import os

import yaml

from mcp_adapter import targets as targets_mod
from mcp_adapter import toolsets as toolsets_mod
from mcp_adapter.policy import READ_ONLY, parse_mode, parse_patterns

CONNECTION_ENV = dict(
    api_host='PROXMOX_HOST', api_port='PROXMOX_PORT', api_user='PROXMOX_USER', api_password='PROXMOX_PASSWORD',
    api_token_id='PROXMOX_TOKEN_ID', api_token_secret='PROXMOX_TOKEN_SECRET',
    validate_certs='PROXMOX_VALIDATE_CERTS', ca_path='PROXMOX_CA_PATH', api_timeout='PROXMOX_TIMEOUT',
)
DEFAULTS = dict(mode=READ_ONLY, allow=[], deny=[], audit_log=None, transport='stdio', host='127.0.0.1',
                port=8765, token=None, allowed_hosts=[], tls_cert=None, tls_key=None, tls_client_ca=None,
                behind_tls_proxy=False, toolsets=None, dynamic_toolsets=False, stateless=False, targets=None,
                default_target=None)
# Settings only the config file can hold (a mapping).
FILE_ONLY = ('targets',)
SETTINGS = tuple(k for k in DEFAULTS if k not in FILE_ONLY)
LIST_SETTINGS = ('allow', 'deny', 'allowed_hosts', 'toolsets')


class Settings:
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
        self.tls_cert = merged['tls_cert']
        self.tls_key = merged['tls_key']
        self.tls_client_ca = merged['tls_client_ca']
        self.behind_tls_proxy = boolean(merged['behind_tls_proxy'], 'behind_tls_proxy')
        self.dynamic_toolsets = boolean(merged['dynamic_toolsets'], 'dynamic_toolsets')
        # Stateless streamable HTTP: no session kept between requests, JSON answers, so that replicas behind a
        # load balancer answer any request alike (dynamic toolsets change per-server state, so they are refused).
        self.stateless = boolean(merged['stateless'], 'stateless')
        if self.stateless and self.dynamic_toolsets:
            raise ValueError('stateless HTTP and dynamic toolsets do not go together: enabling a toolset changes '
                             'one replica only; choose the toolsets with --toolsets instead')
        # Toolsets: the default set when none is given; with dynamic discovery, none (the client enables them).
        given = merged['toolsets']
        if given is None and self.dynamic_toolsets:
            given = []
        self.toolsets = toolsets_mod.parse(given)
        self.connection = dict((k, v) for k, v in (merged.get('connection') or {}).items() if v is not None)
        # Several clusters: named targets, each with its connection and policy (mcp_adapter/targets.py).
        self.targets = None
        if merged['targets'] is not None:
            self.targets = targets_mod.parse(merged['targets'], merged['default_target'], self.mode, self.allow,
                                             self.deny)
            self.connection = self.targets.default_target.connection
        elif merged['default_target'] is not None:
            raise ValueError('default_target names one of the targets: give targets too')
        if self.transport == 'http':
            check_http(self)

    @property
    def tls(self):
        """True when the adapter serves HTTPS itself."""
        return bool(self.tls_cert)


def is_loopback(host):
    """True for 'localhost' and the loopback addresses (127.0.0.0/8, ::1); a name other than localhost is
    not resolved (it could name any interface) and counts as not loopback."""
    if str(host).lower() == 'localhost':
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


def check_http(settings):
    """Refuse HTTP settings that would expose the bearer token: raises ValueError naming the fix."""
    if bool(settings.tls_cert) != bool(settings.tls_key):
        raise ValueError('HTTPS needs both a certificate and its private key: give --tls-cert and --tls-key '
                         '(PVE_MCP_TLS_CERT, PVE_MCP_TLS_KEY)')
    if settings.tls_client_ca and not settings.tls:
        raise ValueError('--tls-client-ca (verify client certificates) needs HTTPS: give --tls-cert and --tls-key')
    if settings.behind_tls_proxy and settings.tls:
        raise ValueError('--behind-tls-proxy means plain HTTP to a TLS-terminating proxy, --tls-cert means '
                         'HTTPS served here: give one or the other')
    if not is_loopback(settings.host) and not settings.tls and not settings.behind_tls_proxy:
        raise ValueError(
            'refusing to serve plain HTTP on {0!r}, a non-loopback address: the bearer token and every tool '
            'call would cross the network in clear. Serve HTTPS with --tls-cert FILE --tls-key FILE, bind '
            '127.0.0.1, or, only when a TLS-terminating proxy is in front of this port, say so with '
            '--behind-tls-proxy'.format(settings.host))


def boolean(value, name):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('1', 'true', 'yes', 'on'):
        return True
    if text in ('0', 'false', 'no', 'off', ''):
        return False
    raise ValueError('{0} must be true or false, got {1!r}'.format(name, value))


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
        if 'targets' in data and 'connection' in data:
            raise ValueError('{0}: give either connection (one cluster) or targets (several), not both'.format(path))
        values.update(data)
    for key in SETTINGS:
        var = 'PVE_MCP_' + key.upper()
        if environ.get(var) not in (None, ''):
            values[key] = environ[var].split(',') if key in LIST_SETTINGS else environ[var]
    values.update(flags)
    connection = dict(values.get('connection') or {})
    connection.update(connection_from_env(environ))
    values['connection'] = connection
    return Settings(**values)
