# SPDX-License-Identifier: AGPL-3.0-or-later
"""`python -m pvesim serve` as a process: the one stdout line, the CA file, --state, SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from pvesim import cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start(*args):
    proc = subprocess.Popen([sys.executable, '-m', 'pvesim', 'serve', '--port', '0'] + list(args), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith('pvesim listening on https://127.0.0.1:'), (line, proc.stderr.read())
    return proc, line.split()[-1]


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        out, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc.returncode, out, err


def login(url, cafile, password='demo-root-secret'):
    data = requests.post(url + '/api2/json/access/ticket', data={'username': 'root@pam', 'password': password},
                         verify=cafile, timeout=10).json()['data']
    return {'cookies': {'PVEAuthCookie': data['ticket']}, 'headers': {'CSRFPreventionToken': data['CSRFPreventionToken']},
            'verify': cafile, 'timeout': 10}


def test_serve_state_certificates_and_sigterm(tmp_path):
    certs, state = str(tmp_path / 'certs'), str(tmp_path / 'state.json')
    proc, url = start('--cert-dir', certs, '--state', state, '--root-password', 'pw')
    cafile = os.path.join(certs, 'pvesim.crt')
    auth = login(url, cafile, 'pw')
    assert requests.put(url + '/api2/json/nodes/pve1/dns', data={'search': 'kept.example'}, **auth).ok
    code, out, err = stop(proc)
    assert code == 0 and out == ''  # the one line was read already
    assert 'root@pam password: pw' in err and 'CA certificate: ' + cafile in err
    with open(state) as fh:
        assert json.load(fh)['cluster']['settings']['pve1']['dns'] == {'search': 'kept.example'}
    assert os.path.exists(cafile)  # --cert-dir is the caller's: kept

    # Started again, the state wins over the seed.
    sim = cli.build(cli.parser().parse_args(['serve', '--state', state, '--seed', 'empty']))
    assert sim.node_conf('pve1')['dns'] == {'search': 'kept.example'} and sorted(sim.nodes) == ['pve1', 'pve2', 'pve3']


def test_in_process_serve_with_a_temporary_certificate(capsys):
    """main() itself: the one stdout line, a CA file in a temporary directory removed at exit, SIGTERM."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]

    def terminate_when_listening():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(('127.0.0.1', port), timeout=1).close()
            except OSError:
                time.sleep(0.05)
                continue
            os.kill(os.getpid(), signal.SIGTERM)
            return

    killer = threading.Thread(target=terminate_when_listening, daemon=True)
    killer.start()
    assert cli.main(['serve', '--port', str(port), '--seed', 'empty', '--time-scale', '0.01']) == 0
    killer.join(5)
    out, err = capsys.readouterr()
    assert out == 'pvesim listening on https://127.0.0.1:{0}\n'.format(port)
    cafile = [line.split(': ', 2)[2] for line in err.splitlines() if 'CA certificate' in line][0]
    assert 'pvesim: seed: empty' in err and not os.path.exists(cafile)


@pytest.mark.parametrize('args, words', [
    (['--host', '192.0.2.1'], 'not a loopback address'),
    (['--seed', 'nope'], 'unknown seed'),
    (['--time-scale', '-1'], 'time-scale'),
])
def test_refuses_remote_hosts_and_bad_options(capsys, args, words):
    assert cli.main(['serve', '--port', '0'] + args) == 2
    out, err = capsys.readouterr()
    assert words in err and out == ''
