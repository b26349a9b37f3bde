# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settings precedence (flags > environment > config file) and the pveops-mcp command line."""

import os
import subprocess
import sys

import pytest

from mcp_adapter import config, toolsets

PVE_MCP = os.path.join(os.path.dirname(sys.executable), 'pveops-mcp')


def test_precedence(tmp_path):
    path = tmp_path / 'pveops-mcp.yml'
    path.write_text('mode: full\ndeny: ["delete_*"]\naudit_log: /tmp/a.jsonl\n'
                    'connection: {api_host: file.example.com, api_user: a@pve, api_port: 8006}\n')
    env = {'PVE_MCP_CONFIG': str(path), 'PVE_MCP_MODE': 'write', 'PROXMOX_HOST': 'env.example.com',
           'PROXMOX_PORT': '8443', 'PROXMOX_VALIDATE_CERTS': 'false'}
    settings = config.load({'allow': ['get_*,list_*']}, environ=env)
    assert settings.mode == 'write'
    assert settings.deny == ['delete_*'] and settings.allow == ['get_*', 'list_*']
    assert settings.audit_log == '/tmp/a.jsonl'
    assert settings.connection == dict(api_host='env.example.com', api_user='a@pve', api_port=8443,
                                       validate_certs=False)
    assert config.load({'mode': 'read-only'}, environ=env).mode == 'read-only'
    assert config.load({}, environ={}).mode == 'read-only'


def test_bad_settings_are_named(tmp_path):
    with pytest.raises(ValueError, match='unknown mode'):
        config.load({'mode': 'yolo'}, environ={})
    path = tmp_path / 'bad.yml'
    path.write_text('mode: full\npasword: x\n')
    with pytest.raises(ValueError, match='unknown settings pasword'):
        config.load({'config': str(path)}, environ={})


def test_version_and_command_name():
    out = subprocess.run([PVE_MCP, '--version'], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.startswith('pveops-mcp 0.1.0 (pve.ops collection, mcp SDK '), out
    # pve-mcp is an unrelated server on PyPI: this package does not install a command of that name.
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, 'pyproject.toml')) as fh:
        scripts = fh.read().split('[project.scripts]')[1].split('[')[0]
    assert 'pveops-mcp = "mcp_adapter.cli:main"' in scripts and 'pve-mcp' not in scripts


def test_list_tools_command():
    env = dict(os.environ, PVE_MCP_MODE='read-only')
    out = subprocess.run([PVE_MCP, '--list-tools', '--deny', 'get_task_*'], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = [line.split('\t') for line in out.stdout.splitlines()]
    assert rows and all(kind == 'read' for _, kind, _, _ in rows)
    assert ['get_nodes', 'read', 'nodes', 'pve.ops.node_info'] in rows
    assert not any(name.startswith('get_task_') for name, _, _, _ in rows)
    # The default toolsets only.
    assert set(toolset for _, _, toolset, _ in rows) == set(toolsets.DEFAULT)


NOT_LOOPBACK = ['0.0.0.0', '::', '192.0.2.10', '2001:db8::10', 'pveops-mcp.example.com', '::ffff:127.0.0.1']


@pytest.mark.parametrize('host', NOT_LOOPBACK)
def test_plain_http_off_loopback_is_refused(host):
    with pytest.raises(ValueError, match=r'refusing to serve plain HTTP on .*--tls-cert FILE --tls-key FILE.*'
                                         r'--behind-tls-proxy'):
        config.load({'transport': 'http', 'host': host}, environ={})
    https = config.load({'transport': 'http', 'host': host, 'tls_cert': 'c.pem', 'tls_key': 'k.pem'}, environ={})
    assert https.tls and https.host == host
    proxied = config.load({'transport': 'http', 'host': host}, environ={'PVE_MCP_BEHIND_TLS_PROXY': 'yes'})
    assert proxied.behind_tls_proxy and not proxied.tls
    assert config.load({'host': host}, environ={}).transport == 'stdio'  # the host only matters for HTTP


@pytest.mark.parametrize('host', ['127.0.0.1', '127.0.0.53', '::1', 'localhost'])
def test_plain_http_on_loopback_is_allowed(host):
    settings = config.load({'transport': 'http', 'host': host}, environ={})
    assert not settings.tls and not settings.behind_tls_proxy


def test_tls_settings(tmp_path):
    path = tmp_path / 'pveops-mcp.yml'
    path.write_text('transport: http\nhost: 0.0.0.0\ntls_cert: /etc/pveops-mcp/cert.pem\n')
    settings = config.load({'tls_key': '/etc/pveops-mcp/key.pem'},
                           environ={'PVE_MCP_CONFIG': str(path), 'PVE_MCP_TLS_CLIENT_CA': '/etc/pveops-mcp/ca.pem'})
    assert (settings.tls_cert, settings.tls_key, settings.tls_client_ca) == (
        '/etc/pveops-mcp/cert.pem', '/etc/pveops-mcp/key.pem', '/etc/pveops-mcp/ca.pem')
    http = {'transport': 'http'}
    with pytest.raises(ValueError, match='both a certificate and its private key'):
        config.load(dict(http, tls_cert='c.pem'), environ={})
    with pytest.raises(ValueError, match='both a certificate and its private key'):
        config.load(dict(http, tls_key='k.pem'), environ={})
    with pytest.raises(ValueError, match='--tls-client-ca .* needs HTTPS'):
        config.load(dict(http, tls_client_ca='ca.pem'), environ={})
    with pytest.raises(ValueError, match='give one or the other'):
        config.load(dict(http, tls_cert='c.pem', tls_key='k.pem', behind_tls_proxy=True), environ={})
    with pytest.raises(ValueError, match='behind_tls_proxy must be true or false'):
        config.load(http, environ={'PVE_MCP_BEHIND_TLS_PROXY': 'maybe'})
