# SPDX-License-Identifier: AGPL-3.0-or-later
"""Logging in to the simulator over real HTTPS: tickets, CSRF, API tokens, refusals."""

import proxmoxer
import pytest
import requests

from pvesim.seeds import DEMO_TOKEN, DEMO_USERS


def test_ticket_login_and_authenticated_read(pvesim):
    api = pvesim.proxmoxer()
    assert api.version.get()['release'] == '9.2'
    ticket, csrf = api.get_tokens()
    assert ticket.startswith('PVE:root@pam:') and csrf


def test_write_needs_the_csrf_token(pvesim):
    url = pvesim.url + '/api2/json'
    login = requests.post(url + '/access/ticket', data={'username': 'root@pam', 'password': pvesim.root_password},
                          verify=pvesim.cafile, timeout=10).json()['data']
    cookies = {'PVEAuthCookie': login['ticket']}
    put = dict(url=url + '/nodes/pve1/dns', data={'search': 'example.org'}, cookies=cookies, verify=pvesim.cafile,
               timeout=10)
    refused = requests.put(**put)
    assert refused.status_code == 401 and 'csrf' in refused.json()['message'].lower()
    accepted = requests.put(headers={'CSRFPreventionToken': login['CSRFPreventionToken']}, **put)
    assert accepted.status_code == 200
    assert requests.get(url + '/nodes/pve1/dns', cookies=cookies, verify=pvesim.cafile,
                        timeout=10).json()['data'] == {'search': 'example.org'}


def test_api_token_auth(pvesim):
    user, _, name = DEMO_TOKEN[0].partition('!')
    api = pvesim.proxmoxer(user=user, token_name=name, token_value=DEMO_TOKEN[1])
    assert [n['node'] for n in api.nodes.get()] == ['pve1', 'pve2', 'pve3']
    pvesim.call(pvesim.pve.apitokens.__setitem__, 'root@pam!ci', 'ci-secret')
    assert pvesim.proxmoxer(token_name='ci', token_value='ci-secret').cluster.status.get()
    # A token needs no login: no POST /access/ticket was made.
    assert 'POST /api2/json/access/ticket' not in pvesim.stats()['by_path']


def test_wrong_password_is_401(pvesim):
    answer = requests.post(pvesim.url + '/api2/json/access/ticket', data={'username': 'root@pam', 'password': 'no'},
                           verify=pvesim.cafile, timeout=10)
    assert answer.status_code == 401
    with pytest.raises(proxmoxer.AuthenticationError):
        pvesim.proxmoxer(password='wrong')


def test_wrong_token_secret_and_no_credentials_are_401(pvesim):
    with pytest.raises(proxmoxer.ResourceException) as info:
        pvesim.proxmoxer(token_name='automation', token_value='not-it').nodes.get()
    assert info.value.status_code == 401
    assert requests.get(pvesim.url + '/api2/json/nodes', verify=pvesim.cafile, timeout=10).status_code == 401


def test_demo_users_log_in_and_root_password_is_configurable(pvesim_factory):
    sim = pvesim_factory(seed='empty', root_password='s3cret')
    assert sim.proxmoxer().nodes.get()
    with pytest.raises(proxmoxer.AuthenticationError):
        sim.proxmoxer(password='demo-root-secret')
    demo = pvesim_factory()
    for user, password in DEMO_USERS.items():
        assert demo.proxmoxer(user=user, password=password).version.get()


def test_auditor_reads_but_may_not_write(pvesim):
    bob = pvesim.proxmoxer(user='bob@pve', password=DEMO_USERS['bob@pve'])
    assert bob.nodes('pve1').dns.get()
    with pytest.raises(proxmoxer.ResourceException) as info:
        bob.nodes('pve1').dns.put(search='example.org')
    assert info.value.status_code == 403 and 'Sys.Modify' in str(info.value)


def test_tls_is_verified_against_the_ca_file(pvesim):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(pvesim.url + '/api2/json/version', timeout=10)
    assert requests.get(pvesim.url + '/api2/json/version', verify=pvesim.cafile, timeout=10).status_code == 401
