#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MCP ``get_vms`` at scale: one page through the adapter next to one bare proxmoxer ``/cluster/resources``.

For each size (default 100, 1,000 and 5,000 guests; pvesim's seed ``large:8:N``), the official SDK client
in memory calls ``get_vms`` for its default page (100 guests, with ``page.total``) and for a page of three
fields, and proxmoxer with a reused session makes the request the module makes, ``GET
/cluster/resources?type=vm``. Median milliseconds per call and the ratio adapter / bare.

    .venv/bin/python bench/mcp_scale.py [--sizes 100,1000,5000] [--calls 10]

Target (issue 12): one page within 1.5x of the bare call at 5,000 guests. Bounded: a fixed number of calls
per size, one simulator at a time.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import anyio  # noqa: E402
from fakepve.certs import make_cert  # noqa: E402
from mcp import Client  # noqa: E402

from mcp_adapter import catalogue  # noqa: E402
from mcp_adapter.policy import Policy  # noqa: E402
from mcp_adapter.server import Adapter  # noqa: E402
from pvesim.testing import serve  # noqa: E402

TARGET = 1.5
PAGES = [('get_vms (page of 100)', {}), ('get_vms (3 fields)', {'fields': ['vmid', 'name', 'status']})]


def median_ms(samples):
    return statistics.median(samples) * 1000


async def adapter_ms(adapter, arguments, calls):
    async with Client(adapter.server()) as client:
        first = await client.call_tool('get_vms', arguments)
        assert not first.is_error, first.content[0].text
        page = first.structured_content['page']
        samples = []
        for _ in range(calls):
            start = time.perf_counter()
            await client.call_tool('get_vms', arguments)
            samples.append(time.perf_counter() - start)
    return median_ms(samples), page


def measure(size, calls, tools, tmp):
    cert, key, _ = make_cert(tmp, name='pvesim', hosts=('127.0.0.1',))
    sim = serve(cert, key, seed='large:8:{0}'.format(size))
    try:
        connection = dict(api_host=sim.host, api_port=sim.port, api_user='root@pam',
                          api_password=sim.root_password, ca_path=sim.cafile)
        adapter = Adapter(connection, Policy('read-only'), tools=tools)
        api = sim.proxmoxer()
        api.cluster.resources.get(type='vm')
        samples = []
        for _ in range(calls):
            start = time.perf_counter()
            api.cluster.resources.get(type='vm')
            samples.append(time.perf_counter() - start)
        bare = median_ms(samples)
        rows = []
        for label, arguments in PAGES:
            ms, page = anyio.run(adapter_ms, adapter, arguments, calls)
            rows.append((label, ms, page))
        return bare, rows
    finally:
        sim.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', default='100,1000,5000')
    parser.add_argument('--calls', type=int, default=10)
    args = parser.parse_args(argv)
    tools = catalogue.load()
    sizes = [int(s) for s in args.sizes.split(',') if s.strip()]
    print('get_vms through the adapter (SDK client in memory) vs one bare GET /cluster/resources?type=vm '
          '(proxmoxer, session reused); median ms of {0} calls'.format(args.calls))
    print('{0:>7}  {1:<24}{2:>10}{3:>10}{4:>8}  {5}'.format('guests', 'call', 'adapter', 'bare', 'ratio', 'page'))
    worst = 0.0
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            bare, rows = measure(size, args.calls, tools, tmp)
        for label, ms, page in rows:
            ratio = ms / bare
            worst = max(worst, ratio) if size == max(sizes) else worst
            print('{0:>7}  {1:<24}{2:>10.1f}{3:>10.1f}{4:>7.2f}x  {5} of {6}{7}'.format(
                size, label, ms, bare, ratio, page['returned'], page['total'], ', more' if page['more'] else ''))
    print('\ntarget: one page within {0}x of the bare call at {1} guests: {2}'.format(
        TARGET, max(sizes), 'met' if worst <= TARGET else 'NOT met ({0:.2f}x)'.format(worst)))
    return 0 if worst <= TARGET else 1


if __name__ == '__main__':
    sys.exit(main())
