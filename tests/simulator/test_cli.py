# SPDX-License-Identifier: AGPL-3.0-or-later
"""`python -m pvesim serve` as a process: the one stdout line, the CA file, --state, SIGTERM."""

import json
import os
import signal
import subprocess
import sys

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


def login(url, cafile, password='pvesim'):
    data = requests.post(url + '/api2/json/access/ticket', data={'username': 'root@pam', 'password': password},
                         verify=cafile, timeout=10).json()['data']
    return {'cookies': {'PVEAuthCookie': data['ticket']}, 'headers': {'CSRFPreventionToken': data['CSRFPreventionToken']},
            'verify': cafile, 'timeout': 10}


def ca_from_stderr(proc):
    """The CA file the server names on stderr (it prints that line before it listens)."""
    for line in proc.stderr:
        if line.startswith('pvesim: CA certificate: '):
            return line.split(': ', 2)[2].strip()
    raise AssertionError('no CA certificate line')


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

    # Again from the state (not the seed), with the certificate in a temporary directory removed at exit.
    proc, url = start('--state', state, '--seed', 'empty', '--time-scale', '0.01')
    cafile = ca_from_stderr(proc)
    auth = login(url, cafile)
    assert requests.get(url + '/api2/json/nodes/pve1/dns', **auth).json()['data'] == {'search': 'kept.example'}
    assert len(requests.get(url + '/api2/json/nodes', **auth).json()['data']) == 3
    assert stop(proc)[0] == 0
    assert not os.path.exists(cafile)


@pytest.mark.parametrize('args, words', [
    (['--host', '192.0.2.1'], 'not a loopback address'),
    (['--seed', 'nope'], 'unknown seed'),
    (['--time-scale', '-1'], 'time-scale'),
])
def test_refuses_remote_hosts_and_bad_options(capsys, args, words):
    assert cli.main(['serve', '--port', '0'] + args) == 2
    out, err = capsys.readouterr()
    assert words in err and out == ''
