#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How many of pve.ops' permission refusals name the privilege and the path.

Every MCP tool runs its example arguments (tests/mcp/test_tools.py EXAMPLES, prepared as root) in-process
on a fresh demo simulator, as alice@pve (holds nothing) and as bob@pve (PVEAuditor on /: reads, no
writes). A refusal is a failed call that PVE answered 403, or a module that refuses for want of a privilege
(a result with ``privilege``, such as "cannot tell whether user bob@pve exists: ... needs User.Modify or
Sys.Audit on /access/groups"); it names the privilege and the path when its message holds a PVE privilege
(VM.Allocate, ...) and an ACL path (on /vms/100, ...). Prints each refusal that does not, then the totals.

    .venv/bin/python bench/refusals.py [--verbose]

Bounded: one simulator per tool and user (about a minute in all), no load loop.
"""

import argparse
import os
import re
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from fakepve.certs import make_cert  # noqa: E402

from mcp_adapter import catalogue, runner  # noqa: E402
from pvesim.seeds import DEMO_USERS  # noqa: E402
from pvesim.testing import serve  # noqa: E402
from tests.mcp.test_tools import EXAMPLES  # noqa: E402

PRIVILEGE = re.compile(r'\b(?:VM|Datastore|Sys|User|Group|Realm|Permissions|Pool|SDN|Mapping)\.[A-Za-z.]+')
ACL_PATH = re.compile(r'\bon (?:a group \S+ is a member of|/[\w/.@!-]*)')
REFUSAL = re.compile(r'permission denied', re.I)


def is_refusal(result):
    return bool(result.get('failed')) and (result.get('status') == 403 or 'privilege' in result
                                           or bool(REFUSAL.search(result.get('msg', ''))))


def names_both(message):
    return bool(PRIVILEGE.search(message)) and bool(ACL_PATH.search(message))


def measure(cert, key, user, tools, verbose=False):
    refusals = named = 0
    for name in sorted(n for n in EXAMPLES if n in tools):
        sim = serve(cert, key)
        try:
            example = EXAMPLES[name]
            arguments = example(sim) if callable(example) else dict(example)
            arguments.pop('confirm', None)
            connection = dict(api_host=sim.host, api_port=sim.port, api_user=user, api_password=DEMO_USERS[user],
                              ca_path=sim.cafile)
            result = runner.run(tools[name], arguments, connection)
        finally:
            sim.stop()
        if not is_refusal(result):
            if verbose and result.get('failed'):
                print('  {0:28} {1} (not a refusal): {2}'.format(user, name, result['msg'][:160]))
            continue
        refusals += 1
        if names_both(result['msg']):
            named += 1
            if verbose:
                print('  {0:28} {1}: {2}'.format(user, name, result['msg'][:160]))
        else:
            print('  {0:28} {1} NAMES NEITHER: {2}'.format(user, name, result['msg'][:200]))
    return refusals, named


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--verbose', action='store_true', help='print every refusal and other failure')
    args = parser.parse_args(argv)
    tools = catalogue.load()
    with tempfile.TemporaryDirectory() as tmp:
        cert, key, _der = make_cert(tmp, name='pvesim', hosts=('127.0.0.1',))
        totals = [(user, measure(cert, key, user, tools, args.verbose)) for user in ('alice@pve', 'bob@pve')]
    print('{0:12} {1:>9} {2:>26}'.format('user', 'refusals', 'naming privilege and path'))
    for user, (refusals, named) in totals:
        print('{0:12} {1:>9} {2:>26}'.format(user, refusals, named))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
