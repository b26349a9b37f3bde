# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two stateless streamable-HTTP replicas of pveops-mcp behind a round-robin balancer: one SDK client whose
every request goes to the other replica gets the same results as from one server."""

import anyio
import httpx2 as httpx
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.mcp.test_transports import TOKEN, start_http, stop


class RoundRobin(httpx.AsyncBaseTransport):
    """A load balancer in the client: each request to the next upstream (host and port rewritten)."""

    def __init__(self, upstreams):
        self.upstreams = [httpx.URL(u) for u in upstreams]
        self.served = [0] * len(upstreams)
        self.turn = 0
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request):
        index = self.turn % len(self.upstreams)
        self.turn += 1
        self.served[index] += 1
        target = self.upstreams[index]
        request.url = request.url.copy_with(host=target.host, port=target.port)
        request.headers['host'] = '{0}:{1}'.format(target.host, target.port)
        return await self.inner.handle_async_request(request)

    async def aclose(self):
        await self.inner.aclose()


def _session(url, transport=None):
    async def main():
        headers = {'Authorization': 'Bearer ' + TOKEN}
        async with httpx.AsyncClient(headers=headers, transport=transport, timeout=60) as http:
            async with Client(streamable_http_client(url, http_client=http)) as client:
                names = sorted(t.name for t in (await client.list_tools()).tools)
                vms = (await client.call_tool('get_vms', {'fields': ['vmid', 'name', 'node']})).structured_content
                dry = (await client.call_tool('start_vm', {'vmid': 102, 'check_mode': True})).structured_content
                nodes = (await client.call_tool('get_nodes', {'fields': ['node']})).structured_content
                return names, vms, dry, nodes
    return anyio.run(main)


def test_two_stateless_replicas_answer_one_alternating_client_alike(pvesim):
    args = ('--token', TOKEN, '--stateless', '--mode', 'write')
    first, url_a = start_http(pvesim, *args)
    second, url_b = start_http(pvesim, *args)
    try:
        balancer = RoundRobin([url_a, url_b])
        alternating = _session(url_a, transport=balancer)
        single = _session(url_a)
    finally:
        stop(first)
        stop(second)
    assert sum(balancer.served) >= 5 and min(balancer.served) >= 2, balancer.served  # both answered, turn about
    names, vms, dry, nodes = alternating
    assert names == single[0] and 'start_vm' in names
    assert vms['vms'] == single[1]['vms'] and vms['page'] == single[1]['page']
    assert dry['changed'] is True and dry['check_mode'] is True and dry['diff'] == single[2]['diff']
    assert nodes['nodes'] == single[3]['nodes']
