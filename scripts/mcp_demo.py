#!/usr/bin/env python3
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A short scripted MCP session: an agent's view of pve.ops, with the official MCP SDK client over stdio.

    python scripts/mcp_demo.py            # against PROXMOX_HOST/PORT/USER/PASSWORD/CA_PATH (a running pvesim)
    python scripts/mcp_demo.py --own-sim  # start a pvesim of its own for the session

It spawns `pveops-mcp --mode full --audit-log <tmp>`, lists the tools, makes a dry run (check_mode) of
create_vm_snapshot with its diff, the real call, the same call again (no change), a destructive call without
confirmation (refused, nothing happens), and prints the audit log lines. The simulator's request counters show
that the dry run and the refused call wrote nothing. Exit status 0 when every step behaved as described.
"""

import argparse
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

import anyio
from mcp import Client, StdioServerParameters

BIN = os.path.dirname(sys.executable)
VMID = 100
# A fresh name, so the session behaves the same when run again against the same simulator.
SNAPNAME = 'mcp_demo_' + time.strftime('%H%M%S')


def say(text=''):
    print(text, flush=True)


def writes(env):
    """The simulator's write counter (None against a real cluster)."""
    url = 'https://{0}:{1}/_sim/stats'.format(env['PROXMOX_HOST'], env.get('PROXMOX_PORT', '8006'))
    try:
        ctx = ssl.create_default_context(cafile=env.get('PROXMOX_CA_PATH'))
        with urllib.request.urlopen(url, context=ctx, timeout=10) as resp:
            return json.loads(resp.read())['writes']
    except Exception:
        return None


def own_simulator(cert_dir):
    proc = subprocess.Popen([sys.executable, '-m', 'pvesim', 'serve', '--port', '0', '--seed', 'demo',
                             '--cert-dir', cert_dir], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith('pvesim listening on '):
            host, port = line.split()[-1].split('://', 1)[1].rsplit(':', 1)
            return proc, dict(PROXMOX_HOST=host, PROXMOX_PORT=port, PROXMOX_USER='root@pam',
                              PROXMOX_PASSWORD='demo-root-secret', PROXMOX_CA_PATH=os.path.join(cert_dir, 'pvesim.crt'))
        if not line and proc.poll() is not None:
            sys.exit('pvesim did not start: ' + proc.stderr.read())
    proc.kill()
    sys.exit('pvesim did not start within 60 s')


def show(result, keys=('changed', 'check_mode', 'msg')):
    data = result.structured_content or {}
    shown = dict((k, data[k]) for k in keys if k in data)
    say('   isError={0} {1}'.format(result.is_error, json.dumps(shown)))
    return data


async def session(env, audit):
    params = StdioServerParameters(command=os.path.join(BIN, 'pveops-mcp'),
                                   args=['--mode', 'full', '--audit-log', audit], env=env)
    ok = True
    async with Client(params) as client:
        tools = (await client.list_tools()).tools
        kinds = {'read-only': 0, 'write': 0, 'destructive': 0}
        for tool in tools:
            a = tool.annotations
            kinds['destructive' if a.destructive_hint else 'read-only' if a.read_only_hint else 'write'] += 1
        say('1. tools/list: {0} tools ({1})'.format(len(tools), ', '.join('{1} {0}'.format(k, v)
                                                                      for k, v in kinds.items())))
        say('   e.g. ' + ', '.join(t.name for t in tools[:3]) + ', start_vm, create_vm_snapshot, delete_vm, ...')
        args = {'vmid': VMID, 'snapname': SNAPNAME, 'description': 'taken by an agent'}

        before = writes(env)
        say('\n2. create_vm_snapshot {0} with check_mode: true (a dry run)'.format(json.dumps(args)))
        dry = show(await client.call_tool('create_vm_snapshot', dict(args, check_mode=True)))
        say('   diff: ' + json.dumps(dry.get('diff')))
        after = writes(env)
        if before is not None:
            say('   write requests the simulator saw: {0}'.format(after - before))
            ok &= after == before
        ok &= dry.get('changed') is True

        say('\n3. the real call')
        real = show(await client.call_tool('create_vm_snapshot', args))
        say('   tasks: {0}'.format(real.get('tasks')))
        ok &= real.get('changed') is True

        say('\n4. the same call again: nothing left to do')
        again = show(await client.call_tool('create_vm_snapshot', args))
        ok &= again.get('changed') is False

        before = writes(env)
        say('\n5. delete_vm_snapshot without confirmation (destructive)')
        refused = await client.call_tool('delete_vm_snapshot', {'vmid': VMID, 'snapname': SNAPNAME})
        say('   ' + refused.content[0].text.replace('\n', '\n   '))
        if before is not None:
            say('   write requests the simulator saw: {0}'.format(writes(env) - before))
            ok &= writes(env) == before
        ok &= refused.is_error and (refused.structured_content or {}).get('confirmation_required') is True
    return ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--own-sim', action='store_true', help='start a pvesim (demo seed) for this session')
    args = parser.parse_args(argv)
    sim = None
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        if args.own_sim or not env.get('PROXMOX_HOST'):
            sim, sim_env = own_simulator(tmp)
            env.update(sim_env)
        audit = os.path.join(tmp, 'audit.jsonl')
        try:
            say('An MCP session against https://{0}:{1} through pveops-mcp (official MCP SDK client, stdio)'.format(
                env['PROXMOX_HOST'], env.get('PROXMOX_PORT', '8006')))
            ok = anyio.run(session, env, audit)
            say('\n6. the audit log ({0}):'.format(audit))
            with open(audit) as fh:
                for line in fh:
                    say('   ' + line.rstrip())
        finally:
            if sim is not None:
                sim.terminate()
                sim.wait(timeout=30)
    say('\nMCP demo: {0}'.format('every step behaved as described' if ok else 'SOMETHING DID NOT BEHAVE'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
