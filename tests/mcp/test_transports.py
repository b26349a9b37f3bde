# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pveops-mcp as a real subprocess: stdio with the SDK client; streamable HTTP with bearer auth and
DNS-rebinding protection; HTTPS (and client certificates); plain HTTP refused off loopback.

Tests that give a non-loopback address run pveops-mcp in a private network namespace (`unshare -rn`: only its
own loopback), so even a regression binds nothing and sends nothing outside."""

import datetime
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time

import anyio
import httpx2
import pytest
from fakepve.certs import make_cert
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from mcp_adapter import cli

PVE_MCP = os.path.join(os.path.dirname(sys.executable), 'pveops-mcp')
TOKEN = 'test-token-0123456789abcdef'


def env_for(sim, **extra):
    env = dict(os.environ)
    env.update(sim.env())
    env.update(extra)
    return env


def test_stdio_session(pvesim, tmp_path):
    audit = tmp_path / 'audit.jsonl'
    params = StdioServerParameters(command=PVE_MCP, args=['--mode', 'write', '--audit-log', str(audit)],
                                   env=env_for(pvesim))

    async def main():
        async with Client(params, mode='legacy') as client:
            names = [t.name for t in (await client.list_tools()).tools]
            dry = await client.call_tool('start_vm', {'vmid': 102, 'check_mode': True})
            real = await client.call_tool('start_vm', {'vmid': 102})
            again = await client.call_tool('start_vm', {'vmid': 102})
            return names, dry, real, again
    names, dry, real, again = anyio.run(main)
    assert 'start_vm' in names and 'delete_vm' not in names
    assert dry.structured_content['changed'] is True and dry.structured_content['check_mode'] is True
    assert real.structured_content['changed'] is True and not real.is_error
    assert again.structured_content['changed'] is False
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [(line['tool'], line['check_mode'], line['changed']) for line in lines] == [
        ('start_vm', True, True), ('start_vm', False, True), ('start_vm', False, False)]


def start_http(sim, *args, prefix=(), logged=None):
    """Start pveops-mcp over HTTP on a free port; returns (process, url). Stderr lines before the 'listening on'
    line are appended to logged."""
    env = env_for(sim) if sim is not None else dict(os.environ)
    proc = subprocess.Popen([*prefix, PVE_MCP, '--transport', 'http', '--port', '0', *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if 'listening on' in line:
            return proc, line.split()[-1]
        if logged is not None:
            logged.append(line)
        if not line and proc.poll() is not None:
            raise AssertionError('pveops-mcp did not start: ' + proc.stderr.read())
    proc.kill()
    raise AssertionError('pveops-mcp did not start in time')


def stop(proc):
    proc.terminate()
    proc.wait(timeout=30)


def test_http_needs_a_token_to_start(pvesim):
    proc = subprocess.run([PVE_MCP, '--transport', 'http', '--port', '0'], env=env_for(pvesim),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and 'bearer token' in proc.stderr


def test_http_bearer_token_and_dns_rebinding(pvesim):
    proc, url = start_http(pvesim, '--token', TOKEN, '--mode', 'read-only')
    try:
        body = {'jsonrpc': '2.0', 'id': 1, 'method': 'tools/list', 'params': {}}
        headers = {'Accept': 'application/json, text/event-stream', 'Content-Type': 'application/json'}
        with httpx2.Client(timeout=30) as http:
            assert http.post(url, json=body, headers=headers).status_code == 401
            bad = http.post(url, json=body, headers=dict(headers, Authorization='Bearer wrong'))
            assert bad.status_code == 401 and 'Bearer' in bad.headers['www-authenticate']
            rebound = http.post(url, json=body, headers=dict(headers, Authorization='Bearer ' + TOKEN,
                                                            Host='evil.example.com'))
            assert rebound.status_code in (403, 421), rebound.status_code
            origin = http.post(url, json=body, headers=dict(headers, Authorization='Bearer ' + TOKEN,
                                                           Origin='http://evil.example.com'))
            assert origin.status_code == 403, origin.status_code

        async def main():
            async with httpx2.AsyncClient(headers={'Authorization': 'Bearer ' + TOKEN}, timeout=30) as http:
                async with Client(streamable_http_client(url, http_client=http)) as client:
                    tools = (await client.list_tools()).tools
                    nodes = await client.call_tool('get_nodes', {})
                    refused = await client.call_tool('start_vm', {'vmid': 102})
                    return tools, nodes, refused
        tools, nodes, refused = anyio.run(main)
        assert tools and all(t.annotations.read_only_hint for t in tools)
        assert [n['node'] for n in nodes.structured_content['nodes']] == ['pve1', 'pve2', 'pve3']
        assert refused.is_error and 'read-only mode' in refused.content[0].text
        assert pvesim.stats()['writes'] == 0
    finally:
        stop(proc)


def get_nodes_over(url, verify, cert=None):
    """The node names, read with the SDK client through get_nodes over HTTPS."""
    context = ssl.create_default_context(cafile=verify)
    if cert:
        context.load_cert_chain(*cert)

    async def main():
        async with httpx2.AsyncClient(headers={'Authorization': 'Bearer ' + TOKEN}, verify=context,
                                      timeout=30) as http:
            async with Client(streamable_http_client(url, http_client=http)) as client:
                return await client.call_tool('get_nodes', {})
    result = anyio.run(main)
    assert not result.is_error, result.content
    return [n['node'] for n in result.structured_content['nodes']]


def test_https_with_certificate_and_key(pvesim, tmp_path):
    cert, key, _ = make_cert(str(tmp_path), name='pveops-mcp')
    proc, url = start_http(pvesim, '--token', TOKEN, '--tls-cert', cert, '--tls-key', key)
    try:
        assert url.startswith('https://127.0.0.1:')
        assert get_nodes_over(url, verify=cert) == ['pve1', 'pve2', 'pve3']
        with httpx2.Client(timeout=30) as http:  # no plain HTTP on that port
            with pytest.raises(httpx2.TransportError):
                http.post('http://' + url[len('https://'):], json={}, headers={'Authorization': 'Bearer ' + TOKEN})
    finally:
        stop(proc)


def client_pki(directory):
    """A CA and a client certificate it signed: (ca.crt, (client.crt, client.key))."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)

    def certificate(subject, issuer, public_key, signing_key, ca):
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
                   .public_key(public_key).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        return builder.sign(signing_key, hashes.SHA256())

    ca_key, client_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    files = {}
    for name, data in (
            ('ca.crt', certificate('pveops-mcp test CA', 'pveops-mcp test CA', ca_key.public_key(), ca_key, True)),
            ('client.crt', certificate('agent', 'pveops-mcp test CA', client_key.public_key(), ca_key, False))):
        files[name] = os.path.join(directory, name)
        with open(files[name], 'wb') as fh:
            fh.write(data.public_bytes(serialization.Encoding.PEM))
    files['client.key'] = os.path.join(directory, 'client.key')
    with open(files['client.key'], 'wb') as fh:
        fh.write(client_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return files['ca.crt'], (files['client.crt'], files['client.key'])


def test_https_requires_client_certificates_from_the_client_ca(pvesim, tmp_path):
    cert, key, _ = make_cert(str(tmp_path), name='pveops-mcp')
    client_ca, client_cert = client_pki(str(tmp_path))
    proc, url = start_http(pvesim, '--token', TOKEN, '--tls-cert', cert, '--tls-key', key,
                           '--tls-client-ca', client_ca)
    try:
        with httpx2.Client(verify=ssl.create_default_context(cafile=cert), timeout=30) as http:
            with pytest.raises(httpx2.TransportError):  # no answer without a client certificate
                http.post(url, json={}, headers={'Authorization': 'Bearer ' + TOKEN})
        assert get_nodes_over(url, verify=cert, cert=client_cert) == ['pve1', 'pve2', 'pve3']
    finally:
        stop(proc)


def _netns_works():
    try:
        return shutil.which('unshare') is not None and subprocess.run(
            ['unshare', '-rn', 'true'], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


NETNS = ['unshare', '-rn']
needs_netns = pytest.mark.skipif(not _netns_works(), reason='needs unshare -rn (a private network namespace)')


@needs_netns
@pytest.mark.parametrize('host', ['0.0.0.0', '::', '192.0.2.10'])
def test_plain_http_off_loopback_is_refused(host):
    proc = subprocess.run([*NETNS, PVE_MCP, '--transport', 'http', '--host', host, '--port', '0', '--token', TOKEN],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ''
    assert 'refusing to serve plain HTTP on {0!r}'.format(host) in proc.stderr
    assert '--tls-cert' in proc.stderr and '--behind-tls-proxy' in proc.stderr


def test_refusal_comes_before_any_socket(monkeypatch, capsys):
    def opened(*args, **kwargs):
        raise AssertionError('a socket was bound or connected')
    monkeypatch.setattr(socket.socket, 'bind', opened)
    monkeypatch.setattr(socket.socket, 'connect', opened)
    assert cli.main(['--transport', 'http', '--host', '0.0.0.0', '--token', TOKEN]) == 2
    assert "refusing to serve plain HTTP on '0.0.0.0'" in capsys.readouterr().err


@needs_netns
def test_behind_tls_proxy_lets_a_non_loopback_bind_start():
    logged = []
    proc, url = start_http(None, '--host', '0.0.0.0', '--token', TOKEN, '--behind-tls-proxy', prefix=NETNS,
                           logged=logged)
    try:
        assert url.startswith('http://0.0.0.0:')
        assert any('--behind-tls-proxy' in line and 'in clear' in line for line in logged), logged
    finally:
        stop(proc)


def test_the_command_serves_with_its_start_up_heap_frozen(pvesim, monkeypatch):
    """What start-up built is out of the collector's reach by the time the command serves (cli.settle_heap);
    the refusals before serving leave the caller's collector alone."""
    import gc
    seen = []
    monkeypatch.setattr(cli, 'serve_stdio', lambda adapter: seen.append(gc.get_freeze_count()) or 0)
    for key, value in pvesim.env().items():
        monkeypatch.setenv(key, value)
    before = gc.get_freeze_count()
    try:
        assert cli.main(['--transport', 'http', '--token', '']) == 2
        assert gc.get_freeze_count() == before
        assert cli.main([]) == 0
        assert seen and seen[0] > before
    finally:
        gc.unfreeze()
