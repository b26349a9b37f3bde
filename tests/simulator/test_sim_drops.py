# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's connection faults: drop_answer (applied, then no answer) and drop_request (not applied, no answer)."""

import pytest
import requests

from tests.simulator.test_hooks import sim_send


def api_session(sim, timeout=10):
    """A logged-in requests session on the simulator (proxmoxer hides the exceptions' kinds)."""
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify
    session.verify = sim.cafile
    login = session.post(sim.url + '/api2/json/access/ticket', timeout=timeout,
                         data={'username': 'root@pam', 'password': sim.root_password}).json()['data']
    session.cookies.set('PVEAuthCookie', login['ticket'])
    session.headers['CSRFPreventionToken'] = login['CSRFPreventionToken']
    return session


def test_drop_answer_applies_then_resets_once(pvesim):
    answer = sim_send(pvesim, 'POST', 'faults', {'drop_answer': {'method': 'POST', 'path': '/nodes/{node}/vzdump',
                                                                 'times': 1}})
    assert answer.status_code == 200 and answer.json()['applied'] == ['drop_answer']
    assert answer.json()['faults']['drops'] == [{'when': 'answer', 'method': 'POST', 'path': '/nodes/{node}/vzdump',
                                                 'times': 1, 'hang_secs': 0.0}]
    session = api_session(pvesim)
    url = pvesim.url + '/api2/json/nodes/pve1/vzdump'
    with pytest.raises(requests.exceptions.ConnectionError):
        session.post(url, data={'vmid': '102', 'storage': 'backup-nfs'}, timeout=10)
    # The backup ran although nobody heard of it.
    tasks = session.get(pvesim.url + '/api2/json/nodes/pve1/tasks', timeout=10).json()['data']
    assert [t['id'] for t in tasks if t['type'] == 'vzdump'] == ['102']
    assert pvesim.stats()['by_status'].get('dropped') == 1
    # Once only: the next answer arrives.
    assert session.post(url, data={'vmid': '102', 'storage': 'backup-nfs'}, timeout=10).json()['data'].startswith('UPID')
    assert sim_send(pvesim, 'GET', 'faults').json()['drops'] == []


def test_drop_answer_can_hang_past_the_read_timeout(pvesim):
    sim_send(pvesim, 'POST', 'faults', {'drop_answer': {'method': 'PUT', 'path': '/nodes/pve1/dns', 'hang_secs': 1}})
    session = api_session(pvesim)
    with pytest.raises(requests.exceptions.ReadTimeout):
        session.put(pvesim.url + '/api2/json/nodes/pve1/dns', data={'search': 'lost.example'}, timeout=0.3)
    assert pvesim.proxmoxer().nodes('pve1').dns.get()['search'] == 'lost.example'


def test_drop_request_applies_nothing(pvesim):
    sim_send(pvesim, 'POST', 'faults', {'drop_request': [
        {'method': 'GET', 'path': '/nodes/{node}/tasks/{upid}/status', 'times': 2},
        {'method': 'PUT', 'path': '/nodes/pve1/dns'}]})
    session = api_session(pvesim)
    upid = session.post(pvesim.url + '/api2/json/nodes/pve1/qemu/102/status/start', timeout=10).json()['data']
    status_url = '{0}/api2/json/nodes/pve1/tasks/{1}/status'.format(pvesim.url, upid)
    for _ in range(2):
        with pytest.raises(requests.exceptions.ConnectionError):
            session.get(status_url, timeout=10)
    assert session.get(status_url, timeout=10).json()['data']['exitstatus'] == 'OK'
    with pytest.raises(requests.exceptions.ConnectionError):
        session.put(pvesim.url + '/api2/json/nodes/pve1/dns', data={'search': 'never.example'}, timeout=10)
    assert sim_send(pvesim, 'DELETE', 'faults').json()['faults']['drops'] == []
    assert pvesim.proxmoxer().nodes('pve1').dns.get()['search'] != 'never.example'


@pytest.mark.parametrize('document', [
    {'drop_answer': {'method': 'POST', 'path': '/x', 'times': 0}},
    {'drop_answer': {'method': 'POST', 'path': '/x', 'hang_secs': -1}},
    {'drop_request': {'method': 'GET'}},
    {'drop_request': {'method': 'GET', 'path': '/x', 'hang_secs': 1}},
])
def test_bad_drop_documents_are_refused(pvesim, document):
    answer = sim_send(pvesim, 'POST', 'faults', document)
    assert answer.status_code == 400
    assert sim_send(pvesim, 'GET', 'faults').json()['drops'] == []
