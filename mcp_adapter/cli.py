# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``pveops-mcp``: serve the pve.ops modules as MCP tools over stdio (default) or streamable HTTP.

    pveops-mcp                                   # stdio, read-only, connection from PROXMOX_*
    pveops-mcp --mode write --deny 'delete_*'    # changes allowed, deletions not
    pveops-mcp --transport http --port 8765 --token "$PVE_MCP_TOKEN"   # HTTP on 127.0.0.1, bearer token
    pveops-mcp --transport http --host 0.0.0.0 --tls-cert mcp.crt --tls-key mcp.key   # HTTPS on all interfaces

Plain HTTP is served on loopback only, unless --behind-tls-proxy says a TLS-terminating proxy is in front.

Logs go to stderr; stdout belongs to the stdio transport.
"""

from __future__ import annotations

import argparse
import gc
import hmac
import logging
import ssl
import sys

from mcp_adapter import config as config_mod
from mcp_adapter import toolsets
from mcp_adapter.audit import AuditLog
from mcp_adapter.policy import MODES, Policy

LOG = logging.getLogger('pve_mcp')


COMMAND = 'pveops-mcp'
DISTRIBUTION = 'pve-ops'


def version_text():
    """'pveops-mcp 0.1.0 (pve.ops collection 0.1.0, mcp 2.x)': the installed distribution's version, else the
    server's own (a checkout that is not installed)."""
    from importlib import metadata

    from mcp_adapter.server import VERSION

    def installed(name, default):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return default
    return '{0} {1} (pve.ops collection, mcp SDK {2})'.format(COMMAND, installed(DISTRIBUTION, VERSION),
                                                             installed('mcp', 'unknown'))


def parser():
    p = argparse.ArgumentParser(prog=COMMAND, description='Proxmox VE tools for MCP clients, backed by the '
                                'pve.ops Ansible modules. Connection from PROXMOX_HOST, PROXMOX_USER, '
                                'PROXMOX_PASSWORD or PROXMOX_TOKEN_ID/PROXMOX_TOKEN_SECRET, PROXMOX_CA_PATH, ...')
    p.add_argument('--version', action='version', version=version_text())
    p.add_argument('--transport', choices=['stdio', 'http'], help='stdio (default) or http (streamable HTTP)')
    p.add_argument('--host', help='HTTP: address to bind (default 127.0.0.1)')
    p.add_argument('--port', type=int, help='HTTP: port (default 8765; 0 picks a free one)')
    p.add_argument('--token', help='HTTP: the bearer token clients must send (or PVE_MCP_TOKEN); required for HTTP')
    p.add_argument('--allowed-host', action='append', dest='allowed_hosts',
                   help='HTTP: a Host header value to accept besides the bind address (DNS-rebinding protection)')
    p.add_argument('--tls-cert', help='HTTP: serve HTTPS with this certificate (PEM, chain after the leaf); '
                   'needed for a non-loopback --host')
    p.add_argument('--tls-key', help='HTTP: the private key (PEM) of --tls-cert')
    p.add_argument('--tls-client-ca', help='HTTPS: require client certificates signed by this CA (PEM); '
                   'the bearer token is still needed')
    p.add_argument('--behind-tls-proxy', action='store_true', default=None,
                   help='HTTP: serve plain HTTP on a non-loopback --host because a TLS-terminating proxy is in '
                   'front (the token crosses the proxy-to-adapter path in clear: trust that path)')
    p.add_argument('--mode', choices=MODES, help='read-only (default), write (no destructive tools) or full')
    p.add_argument('--allow', action='append', help='only tools matching these patterns (globs, comma-separated)')
    p.add_argument('--deny', action='append', help='never tools matching these patterns (globs, comma-separated)')
    p.add_argument('--toolsets', action='append', help='the toolsets to offer, comma-separated (default: {0}; '
                   'all for every one; default stands for the default set): {1}'.format(
                       ','.join(toolsets.DEFAULT), ', '.join(toolsets.names())))
    p.add_argument('--dynamic-toolsets', action='store_true', default=None,
                   help='offer list_toolsets and enable_toolset, starting with the --toolsets given (none when '
                   'none is given); enabling one sends notifications/tools/list_changed')
    p.add_argument('--stateless', action='store_true', default=None,
                   help='HTTP: keep no session between requests and answer in JSON, so that replicas behind a load '
                   'balancer answer any request alike')
    p.add_argument('--audit-log', help='one JSON line per tool call: to this file (appended), stderr, or syslog '
                   '(syslog:FACILITY, default local0)')
    p.add_argument('--config', help='a YAML file with these settings (see docs/mcp.md)')
    p.add_argument('--list-tools', action='store_true', help='print the tools the policy allows and exit')
    p.add_argument('--log-level', default='WARNING', help='stderr log level (default WARNING)')
    return p


def build(settings):
    from mcp_adapter.server import Adapter
    return Adapter(connection=settings.connection,
                   policy=Policy(settings.mode, settings.allow, settings.deny, toolsets=settings.toolsets),
                   audit=AuditLog(settings.audit_log), dynamic=settings.dynamic_toolsets, targets=settings.targets)


def settle_heap():
    """Move what start-up built (the catalogue, its schemas, the imported modules) out of the garbage collector's
    reach: those objects live as long as the server, and a full collection that walks them all again holds a
    tools/call up for about 100 ms every few hundred calls (bench/mcp_latency.py measures the medians). Objects
    made later, per call, are collected as usual. Only the command does this: a process that embeds the Adapter
    owns its own collector."""
    gc.collect()
    gc.freeze()


def main(argv=None):
    args = parser().parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=args.log_level.upper(),
                        format='%(asctime)s pveops-mcp %(levelname)s %(message)s')
    flags = dict(vars(args))
    for key in ('list_tools', 'log_level'):
        flags.pop(key)
    try:
        settings = config_mod.load(flags)
    except (OSError, ValueError) as exc:
        print('pveops-mcp: {0}'.format(exc), file=sys.stderr)
        return 2
    adapter = build(settings)
    if args.list_tools:
        for tool in adapter.visible_tools():
            print('{0}\t{1}\t{2}\t{3}'.format(tool.name, tool.kind, toolsets.of(tool), tool.module.fqcn))
        return 0
    if settings.targets is None and not settings.connection.get('api_host'):
        LOG.warning('PROXMOX_HOST is not set: every tool call will fail until a connection is configured')
    LOG.info('serving %d tools (%s) over %s', len(adapter.visible_tools()), adapter.policy.describe(),
             settings.transport)
    if settings.transport == 'http':
        if not settings.token:
            print('pveops-mcp: HTTP needs a bearer token: give --token or PVE_MCP_TOKEN (clients send '
                  '"Authorization: Bearer <token>")', file=sys.stderr)
            return 2
        try:
            tls_context(settings)
        except (OSError, ssl.SSLError, ValueError) as exc:
            print('pveops-mcp: cannot load the TLS files ({0}, {1}{2}): {3}'.format(
                settings.tls_cert, settings.tls_key,
                ', ' + settings.tls_client_ca if settings.tls_client_ca else '', exc), file=sys.stderr)
            return 2
        if settings.behind_tls_proxy and not config_mod.is_loopback(settings.host):
            LOG.warning('serving plain HTTP on %s because --behind-tls-proxy says a TLS-terminating proxy is in '
                        'front: the bearer token and every call cross the proxy-to-adapter path in clear, and '
                        'anyone who reaches this port directly bypasses the proxy', settings.host)
        settle_heap()
        return serve_http(adapter, settings)
    settle_heap()
    return serve_stdio(adapter)


def serve_stdio(adapter):
    import anyio
    from mcp.server.stdio import stdio_server

    server = adapter.server()

    async def run():
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())
    anyio.run(run)
    return 0


class BearerAuth:
    """ASGI middleware: every request needs ``Authorization: Bearer <token>`` (constant-time compare)."""

    def __init__(self, app, token):
        self.app = app
        self.expected = ('Bearer ' + token).encode()

    async def __call__(self, scope, receive, send):
        if scope['type'] != 'http':
            return await self.app(scope, receive, send)
        given = dict(scope.get('headers') or []).get(b'authorization', b'')
        if not hmac.compare_digest(given, self.expected):
            body = b'{"error": "unauthorized", "error_description": "a valid bearer token is required"}'
            await send({'type': 'http.response.start', 'status': 401, 'headers': [
                (b'content-type', b'application/json'), (b'www-authenticate', b'Bearer realm="pveops-mcp"'),
                (b'content-length', str(len(body)).encode())]})
            await send({'type': 'http.response.body', 'body': body})
            return
        return await self.app(scope, receive, send)


def http_app(adapter, settings):
    from mcp.server.transport_security import TransportSecuritySettings

    hosts = ['127.0.0.1:*', 'localhost:*', '[::1]:*']
    if settings.host not in ('127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'):
        hosts.append(('[{0}]:*' if ':' in settings.host else '{0}:*').format(settings.host))
    hosts.extend(h if ':' in h else h + ':*' for h in settings.allowed_hosts)
    origins = ['http://' + h for h in hosts] + ['https://' + h for h in hosts]
    security = TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts,
                                         allowed_origins=origins)
    app = adapter.server().streamable_http_app(transport_security=security, host=settings.host,
                                               stateless_http=settings.stateless, json_response=settings.stateless)
    return BearerAuth(app, settings.token)


def tls_context(settings):
    """Load the certificate, key and client CA the way uvicorn will, so that a bad file is a clear error
    before anything listens (None without TLS)."""
    if not settings.tls:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(settings.tls_cert, settings.tls_key, password=_encrypted_key)
    if settings.tls_client_ca:
        context.load_verify_locations(settings.tls_client_ca)
    return context


def _encrypted_key():
    # Without this, OpenSSL would prompt on the terminal for the key's passphrase.
    raise ValueError('the private key is encrypted: give an unencrypted key, readable only by pveops-mcp\'s user')


def tls_options(settings):
    """uvicorn's TLS options: HTTPS with the certificate and key; client certificates required when a client
    CA is given."""
    if not settings.tls:
        return {}
    options = dict(ssl_certfile=settings.tls_cert, ssl_keyfile=settings.tls_key)
    if settings.tls_client_ca:
        options.update(ssl_ca_certs=settings.tls_client_ca, ssl_cert_reqs=ssl.CERT_REQUIRED)
    return options


def serve_http(adapter, settings):
    import uvicorn

    app = http_app(adapter, settings)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level='warning', lifespan='on',
                            **tls_options(settings))
    server = uvicorn.Server(config)
    scheme = 'https' if settings.tls else 'http'

    # Say where we listen (on stderr), also when the port was 0.
    original_startup = server.startup

    async def startup(sockets=None):
        await original_startup(sockets=sockets)
        for srv in getattr(server, 'servers', []) or []:
            for sock in srv.sockets:
                host, port = sock.getsockname()[:2]
                host = '[{0}]'.format(host) if ':' in host else host
                print('pveops-mcp listening on {0}://{1}:{2}/mcp'.format(scheme, host, port), file=sys.stderr,
                      flush=True)
    server.startup = startup
    server.run()
    return 0


if __name__ == '__main__':
    sys.exit(main())
