# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve-mcp as a real subprocess: stdio with the SDK client, and streamable HTTP with bearer auth and
DNS-rebinding protection."""

import json
import os
import subprocess
import sys
import time

import anyio
import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

PVE_MCP = os.path.join(os.path.dirname(sys.executable), 'pve-mcp')
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


def start_http(sim, *args):
    proc = subprocess.Popen([PVE_MCP, '--transport', 'http', '--port', '0', *args], env=env_for(sim),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if 'listening on' in line:
            return proc, line.split()[-1]
        if not line and proc.poll() is not None:
            raise AssertionError('pve-mcp did not start: ' + proc.stderr.read())
    proc.kill()
    raise AssertionError('pve-mcp did not start in time')


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
        proc.terminate()
        proc.wait(timeout=30)
