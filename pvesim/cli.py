# SPDX-License-Identifier: AGPL-3.0-or-later
"""The pvesim command: serve a simulated Proxmox VE cluster over HTTPS.

    pvesim serve [--host 127.0.0.1] [--port 8006] [--seed demo|empty|large:NODES:GUESTS]
                 [--state FILE] [--root-password PW] [--time-scale X] [--cert-dir DIR]
                 [--allow-remote] [--strict]

stdout carries exactly one line, `pvesim listening on https://HOST:PORT`, once the server
answers; everything else (the root password, the CA certificate's path, each node's SSH endpoint and host key
fingerprint, also answered by GET /_sim/ssh) goes to stderr.
SIGTERM or SIGINT stops it (saving --state first).
"""

import argparse
import asyncio
import contextlib
import ipaddress
import json
import os
import shutil
import signal
import socket
import sys
import tempfile

from . import __version__
from .seeds import resolve
from .server import DEFAULT_ROOT_PASSWORD, PveSim

CERT_NAME = 'pvesim'


def is_loopback(host):
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _say(*parts):
    print('pvesim:', *parts, file=sys.stderr, flush=True)


def _cert_hosts(host):
    """The names the certificate is valid for, besides localhost and 127.0.0.1."""
    if host in ('0.0.0.0', '::', ''):
        names = {socket.gethostname(), socket.getfqdn()}
        return tuple(sorted(n for n in names if n))
    return (host,)


def make_certificate(directory, host):
    """(certfile, keyfile): a self-signed certificate for host in directory."""
    from fakepve.certs import make_cert
    certfile, keyfile, _der = make_cert(directory, name=CERT_NAME, hosts=_cert_hosts(host))
    return certfile, keyfile


def build(args):
    """The PveSim the arguments ask for: loaded from --state if the file exists, else seeded."""
    sim = PveSim(host=args.host, port=args.port, root_password=args.root_password, time_scale=args.time_scale,
                 strict=args.strict)
    if args.state and os.path.exists(args.state):
        with open(args.state, encoding='utf-8') as fh:
            sim.load_state(json.load(fh))
        sim.seed_name = 'state:' + args.state
        _say('state loaded from', args.state)
    else:
        resolve(args.seed)(sim)
    return sim


async def serve(sim, certfile, keyfile, state=None):
    """Serve until SIGTERM or SIGINT, then save the state (if given) and stop."""
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on this platform
            loop.add_signal_handler(signum, stopping.set)
    await sim.start(certfile, keyfile)
    try:
        for node, endpoint in sorted(sim.ssh_endpoints.items()):
            _say('ssh {0}: {1}:{2} host key {3}'.format(node, endpoint['host'], endpoint['port'], endpoint['fingerprint']))
        print('pvesim listening on {0}'.format(sim.url), flush=True)
        for name, endpoint in sorted(sim.standalone_endpoints.items()):
            _say('standalone node {0} (outside the cluster) on https://{1}:{2}'.format(
                name, endpoint['host'], endpoint['port']))
        await stopping.wait()
        _say('stopping')
    finally:
        try:
            if state:
                sim.save_state(state)
                _say('state saved to', state)
        finally:
            await sim.stop()


def parser():
    top = argparse.ArgumentParser(prog='pvesim', description='A simulated Proxmox VE API (built on fakepve).')
    top.add_argument('--version', action='version', version='pvesim ' + __version__)
    sub = top.add_subparsers(dest='command', required=True)
    run = sub.add_parser('serve', help='serve the simulated cluster over HTTPS')
    run.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    run.add_argument('--port', type=int, default=8006, help='port (default 8006; 0 picks a free one)')
    run.add_argument('--seed', default='demo', help='demo (default), empty or large:NODES:GUESTS')
    run.add_argument('--state', metavar='FILE',
                     help='load the state from FILE if it exists (instead of the seed); save it there on exit')
    run.add_argument('--root-password', default=DEFAULT_ROOT_PASSWORD,
                     help='password of root@pam (default {0})'.format(DEFAULT_ROOT_PASSWORD))
    run.add_argument('--time-scale', type=float, default=0.0,
                     help='real seconds per simulated second; 0 (default) finishes tasks at once')
    run.add_argument('--cert-dir', metavar='DIR',
                     help='where to write the self-signed certificate (pvesim.crt, the CA file) and key; '
                          'default a temporary directory removed on exit')
    run.add_argument('--allow-remote', action='store_true',
                     help='allow listening on a non-loopback address (the simulator has no real security)')
    run.add_argument('--strict', action='store_true',
                     help='refuse (501) writes the simulator does not model instead of pretending they worked')
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    if args.time_scale < 0:
        _say('--time-scale must be 0 or more')
        return 2
    if not is_loopback(args.host) and not args.allow_remote:
        _say("refusing to listen on '{0}', which is not a loopback address: pvesim has no real security. "
             'Use --allow-remote if you mean it.'.format(args.host))
        return 2
    try:
        resolve(args.seed)
    except ValueError as exc:
        _say(exc)
        return 2
    if not is_loopback(args.host) and args.root_password == DEFAULT_ROOT_PASSWORD:
        _say('WARNING: listening on {0} with the public default password; set --root-password'.format(args.host))
    try:
        sim = build(args)
    except (OSError, ValueError, KeyError) as exc:
        _say('cannot load the state from {0}: {1}'.format(args.state, exc))
        return 1
    made_dir = args.cert_dir is None
    cert_dir = tempfile.mkdtemp(prefix='pvesim-') if made_dir else args.cert_dir
    try:
        os.makedirs(cert_dir, exist_ok=True)
        try:
            certfile, keyfile = make_certificate(cert_dir, args.host)
        except ModuleNotFoundError as exc:
            _say("needs the cryptography package: pip install 'fakepve[crypto]' ({0})".format(exc))
            return 1
        _say('seed:', sim.seed_name)
        _say('root@pam password:', sim.root_password)
        _say('CA certificate:', certfile)
        try:
            asyncio.run(serve(sim, certfile, keyfile, args.state))
        except OSError as exc:
            _say('cannot listen on {0}:{1}: {2}'.format(args.host, args.port, exc))
            return 1
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        if made_dir:
            shutil.rmtree(cert_dir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
