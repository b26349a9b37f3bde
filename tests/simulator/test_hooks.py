# SPDX-License-Identifier: AGPL-3.0-or-later
"""The /_sim hooks: request counters, faults over HTTP, state; and strict mode."""

import proxmoxer
import pytest
import requests

from pvesim.hooks import _is_loopback


def sim_get(sim, path):
    return requests.get(sim.url + '/_sim/' + path, verify=sim.cafile, timeout=10)


def sim_send(sim, method, path, body=None):
    return requests.request(method, sim.url + '/_sim/' + path, json=body, verify=sim.cafile, timeout=10)


def test_stats_count_api_requests_and_reset(pvesim):
    api = pvesim.proxmoxer()
    api.nodes.get()
    api.nodes('pve1').dns.put(search='example.org')
    requests.get(pvesim.url + '/api2/json/nodes', verify=pvesim.cafile, timeout=10)  # refused: counted too
    stats = sim_get(pvesim, 'stats').json()
    assert stats['requests'] == 4
    # The login is not a write; the PUT is.
    assert stats['writes'] == 1
    assert stats['by_method'] == {'GET': 2, 'POST': 1, 'PUT': 1}
    assert stats['by_path'] == {'POST /api2/json/access/ticket': 1, 'GET /api2/json/nodes': 2,
                                'PUT /api2/json/nodes/pve1/dns': 1}
    assert stats['by_status'] == {'200': 3, '401': 1}
    assert stats == pvesim.stats()  # the hooks themselves are never counted
    reset = sim_send(pvesim, 'POST', 'reset').json()
    assert reset['requests'] == 0 and reset['by_path'] == {}
    api.cluster.status.get()
    assert pvesim.stats()['by_path'] == {'GET /api2/json/cluster/status': 1}
    pvesim.reset_stats()
    assert pvesim.stats()['requests'] == 0


def test_generic_answers_are_counted_by_template(pvesim):
    api = pvesim.proxmoxer()
    assert {'name': 'zones'} in api.nodes('pve2').sdn.get()  # a directory index, from the schema
    assert api.cluster.metrics.server.get() == []  # nothing configured
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.nodes('pve2').ceph.mon.get()
    assert info.value.status_code == 501 and "'GET /nodes/{node}/ceph/mon' is not modelled" in str(info.value)
    assert pvesim.stats()['generic'] == {'GET /cluster/metrics/server': 1, 'GET /nodes/{node}/ceph/mon': 1,
                                         'GET /nodes/{node}/sdn': 1}


def test_injected_503_then_cleared(pvesim):
    api = pvesim.proxmoxer()
    answer = sim_send(pvesim, 'POST', 'faults', {'fail': {'method': 'GET', 'path': '/api2/json/nodes',
                                                          'status': 503, 'message': 'proxy busy'}})
    assert answer.status_code == 200 and answer.json()['applied'] == ['fail']
    assert answer.json()['faults']['fail'][0]['status'] == 503
    for _ in range(2):
        with pytest.raises(proxmoxer.ResourceException) as info:
            api.nodes.get()
        assert info.value.status_code == 503 and 'proxy busy' in str(info.value)
    assert api.cluster.status.get()  # other paths are untouched
    cleared = sim_send(pvesim, 'DELETE', 'faults').json()['faults']
    assert cleared['fail'] == [] and cleared['offline_nodes'] == []
    assert len(api.nodes.get()) == 3
    assert pvesim.stats()['by_status']['503'] == 2


def test_fault_times_and_template_paths(pvesim):
    api = pvesim.proxmoxer()
    sim_send(pvesim, 'POST', 'faults', {'fail': [
        {'method': 'GET', 'path': '/nodes/{node}/status', 'status': 500, 'times': 1},
        {'method': 'POST', 'path': '/nodes/{node}/qemu/{vmid}/status/start', 'error': 'no_quorum'}]})
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.nodes('pve3').status.get()
    assert info.value.status_code == 500 and 'Internal Server Error' in str(info.value)
    assert api.nodes('pve3').status.get()['uptime'] > 0  # times: 1 is used up
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.nodes('pve1').qemu(102).status.start.post()
    assert 'no quorum' in str(info.value)


def test_scenario_faults_over_http(pvesim):
    api = pvesim.proxmoxer()
    body = {'set_node_offline': 'pve2', 'lose_quorum': True, 'time_scale': 0.01}
    faults = sim_send(pvesim, 'POST', 'faults', body).json()['faults']
    assert faults['offline_nodes'] == ['pve2'] and faults['quorate'] is False and faults['time_scale'] == 0.01
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.nodes('pve2').status.get()
    assert info.value.status_code == 595
    assert {n['node']: n['status'] for n in api.nodes.get()}['pve2'] == 'offline'
    assert api.cluster.status.get()[0]['quorate'] == 0
    sim_send(pvesim, 'POST', 'faults', {'revoke_tickets': True})
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.nodes.get()
    assert info.value.status_code == 401
    sim_send(pvesim, 'DELETE', 'faults')
    api = pvesim.proxmoxer()
    assert api.cluster.status.get()[0]['quorate'] == 1
    assert pvesim.call(lambda: pvesim.pve.time_scale) == 0.0


def test_network_faults_do_not_reach_the_hooks(pvesim):
    sim_send(pvesim, 'POST', 'faults', {'flaky_network': {'drop_rate': 1.0}})
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(pvesim.url + '/api2/json/version', verify=pvesim.cafile, timeout=10)
    assert sim_get(pvesim, 'faults').json()['network']['drop_rate'] == 1.0
    assert sim_get(pvesim, 'stats').json()['by_status'] == {'dropped': 1}
    sim_send(pvesim, 'DELETE', 'faults')
    assert pvesim.proxmoxer().version.get()


def test_config_lock_fault(pvesim):
    api = pvesim.proxmoxer()
    assert sim_send(pvesim, 'POST', 'faults', {'hold_config_lock': {'vmid': 102}}).json()['faults'][
        'held_locks'] == [102]
    upid = api.nodes('pve1').qemu(102).status.start.post()
    assert 'got timeout' in api.nodes('pve1').tasks(upid).status.get()['exitstatus']
    sim_send(pvesim, 'DELETE', 'faults')
    upid = api.nodes('pve1').qemu(102).status.start.post()
    assert api.nodes('pve1').tasks(upid).status.get()['exitstatus'] == 'OK'


@pytest.mark.parametrize('body, words', [
    ({'explode': True}, "unknown fault 'explode'"),
    ({'fail': {'method': 'GET'}}, "needs 'path'"),
    ({'set_node_offline': 'pve9'}, "no node 'pve9'"),
    ({'slow_network': {'latency': 1, 'colour': 'red'}}, 'colour'),
    ({'time_scale': -1}, 'time_scale'),
    ({'fail': {'method': 'GET', 'path': '/api2/json/nodes', 'error': 'no-such-error'}}, 'no-such-error'),
    ([1, 2], 'JSON object'),
])
def test_bad_fault_documents_are_400(pvesim, body, words):
    answer = sim_send(pvesim, 'POST', 'faults', body)
    assert answer.status_code == 400 and words in answer.json()['error']


def test_bad_fault_document_applies_nothing_when_its_arguments_are_wrong(pvesim):
    answer = sim_send(pvesim, 'POST', 'faults', {'lose_quorum': True, 'explode': 1})
    assert answer.status_code == 400
    assert sim_get(pvesim, 'faults').json()['quorate'] is True


def test_hooks_answer_loopback_clients_only():
    assert _is_loopback('127.0.0.1') and _is_loopback('::1') and _is_loopback('::ffff:127.0.0.1')
    assert not _is_loopback('192.0.2.7') and not _is_loopback(None) and not _is_loopback('fe80::1%eth0')


def test_state_hook(pvesim):
    state = sim_get(pvesim, 'state').json()
    assert state['format'] == 1 and state['cluster']['name'] == 'demo-cluster'
    assert {vm['vmid'] for vm in state['guests']['qemu']} == {9000, 100, 101, 102, 103}


def test_strict_mode_refuses_generic_writes_only(pvesim_factory):
    sim = pvesim_factory(seed='empty', strict=True)
    api = sim.proxmoxer()
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.cluster.metrics.server('influx').post(type='influxdb', server='192.0.2.50', port=8089)
    assert info.value.status_code == 501 and 'not modelled' in str(info.value)
    assert api.nodes('pve1').sdn.get()  # generic reads answer as in normal mode
    api.nodes('pve1').dns.put(search='example.org')  # modelled writes work
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.cluster.metrics.server('influx').post(type='influxdb')  # validation comes first: 400, not 501
    assert info.value.status_code == 400
    # Counted when answered generically: the refused write, not the one that failed validation.
    assert sim.stats()['generic'] == {'GET /nodes/{node}/sdn': 1, 'POST /cluster/metrics/server/{id}': 1}
