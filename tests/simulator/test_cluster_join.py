# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim.cluster_join over HTTP: create on a standalone simulator, join a standalone node through its own
listener, the API-side add's and the removal's refusals, answers as the official schema's returns, rollback."""

import json
import os

import proxmoxer
import pytest

from tests.simulator.returns_check import problems
from tests.simulator.test_returns_conformance import DEVIATIONS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.path.join(ROOT, '..', 'shared', 'pve-api', 'pve-9.2-api.json')


def _node_api(sim, name):
    endpoint = sim.pve.standalone_endpoints[name]
    return proxmoxer.ProxmoxAPI(endpoint['host'], port=endpoint['port'], user='root@pam', password=sim.root_password,
                                verify_ssl=sim.cafile, timeout=10)


def _refused(call, status, text):
    with pytest.raises(proxmoxer.ResourceException) as exc:
        call()
    assert exc.value.status_code == status and text in str(exc.value), str(exc.value)


def _conforms(api, path):
    if not os.path.exists(SCHEMA):
        return
    with open(SCHEMA) as fh:
        returns = json.load(fh)['paths'][path]['GET'].get('returns')
    value = api.get(path.lstrip('/'))
    assert problems(returns, value, DEVIATIONS.get(path)) == [], (path, value)


def test_standalone_node_answers_as_outside_a_cluster(pvesim_factory):
    sim = pvesim_factory('join')
    node = _node_api(sim, 'pve4')
    assert [n['node'] for n in node.nodes.get()] == ['pve4']
    assert node.cluster.status.get() == [{'type': 'node', 'id': 'node/pve4', 'name': 'pve4', 'nodeid': 0,
                                          'ip': '192.0.2.40', 'level': '', 'local': 1, 'online': 1}]
    assert node.cluster.config.nodes.get() == []
    _refused(node.cluster.config.join.get, 424, 'no join info available')
    _refused(node.cluster.resources.get, 501, 'stands outside the cluster')
    _refused(lambda: node.cluster.config.post(clustername='other'), 501, 'serves one cluster')
    assert 'pve4' not in [n['node'] for n in sim.proxmoxer().nodes.get()]


def test_join_makes_a_member_and_rollback_undoes_it(pvesim_factory):
    sim = pvesim_factory('join')
    sim.checkpoint()
    api, node = sim.proxmoxer(), _node_api(sim, 'pve4')
    fingerprint = api.cluster.config.join.get()['nodelist'][0]['pve_fp']
    bad = node.cluster.config.join.post(hostname='192.0.2.11', fingerprint=':'.join(['AB'] * 32),
                                        password=sim.root_password)
    assert 'fingerprint' in node.nodes('pve4').tasks(bad).status.get()['exitstatus']
    nowhere = node.cluster.config.join.post(hostname='192.0.2.99', fingerprint=fingerprint, password='x')
    assert 'No route to host' in node.nodes('pve4').tasks(nowhere).status.get()['exitstatus']
    upid = node.cluster.config.join.post(hostname='pve2', fingerprint=fingerprint.lower(),
                                         password=sim.root_password, link0='192.0.2.44')
    assert node.nodes('pve4').tasks(upid).status.get()['exitstatus'] == 'OK'
    for view in (api, node):  # the joined node's own API serves the cluster now
        assert [n['node'] for n in view.nodes.get()] == ['pve1', 'pve2', 'pve3', 'pve4']
    entry = [n for n in api.cluster.status.get() if n.get('name') == 'pve4'][0]
    assert (entry['nodeid'], entry['ip'], entry['online']) == (4, '192.0.2.44', 1)
    for path in ('/cluster/config/join', '/cluster/config/nodes', '/cluster/config/totem', '/cluster/status'):
        _conforms(api, path)
    # a second join of the same node, and its address, are refused by the API-side add
    _refused(lambda: api.cluster.config.nodes('pve4').post(link0='192.0.2.45'), 500, "can't add existing node 'pve4'")
    _refused(lambda: api.cluster.config.nodes('pve3').post(link0='192.0.2.44', force=1), 500,
             "address '192.0.2.44' already used")
    _refused(lambda: api.cluster.config.nodes('pve3').post(link1='192.0.2.46', force=1), 500,
             'link 0 exists in cluster config')
    sim.rollback()
    assert [n['node'] for n in api.nodes.get()] == ['pve1', 'pve2', 'pve3']
    assert [n['node'] for n in node.nodes.get()] == ['pve4']


def test_create_and_remove(pvesim_factory):
    sim = pvesim_factory('empty')
    api = sim.proxmoxer()
    _refused(api.cluster.config.join.get, 424, 'no join info available')
    upid = api.cluster.config.post(clustername='lab', link0='10.0.0.1,priority=5', nodeid=7)
    assert upid.split(':')[5:7] == ['clustercreate', 'lab']
    assert api.cluster.config.nodes.get() == [{'name': 'pve1', 'node': 'pve1', 'nodeid': '7', 'quorum_votes': '1',
                                               'ring0_addr': '10.0.0.1'}]
    assert api.cluster.config.totem.get()['interface'] == {'0': {'linknumber': '0', 'knet_link_priority': '5'}}
    assert [i['name'] for i in api.cluster.status.get() if i['type'] == 'cluster'] == ['lab']
    _refused(lambda: api.cluster.config.post(clustername='again'), 500, "cluster config '/etc/pve/corosync.conf' "
                                                                        'already exists')
    _refused(lambda: api.cluster.config.nodes('pve1').delete(), 500, 'Cannot delete myself from cluster!')
    _refused(lambda: api.cluster.config.nodes('pve9').delete(), 500, 'Node/IP: pve9 is not a known host of the '
                                                                     'cluster.')
    assert [n['node'] for n in api.nodes.get()] == ['pve1']
    # the API-side add: the node is listed, offline, until it runs; then it can be removed
    answer = api.cluster.config.nodes('pve2').post(link0='10.0.0.2')
    assert 'name: pve2' in answer['corosync_conf'] and answer['warnings'] == []
    assert [(n['node'], n['status']) for n in api.nodes.get()] == [('pve1', 'online'), ('pve2', 'offline')]
    assert [n['nodeid'] for n in api.cluster.config.nodes.get()] == ['7', '1']
    assert api.cluster.config.nodes('pve2').delete() is None
    assert [n['node'] for n in api.nodes.get()] == ['pve1']
    demo = pvesim_factory('demo').proxmoxer()
    _refused(lambda: demo.cluster.config.nodes('pve3').delete(), 501, '103, 201 on pve3')
