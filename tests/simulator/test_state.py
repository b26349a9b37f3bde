# SPDX-License-Identifier: AGPL-3.0-or-later
"""The JSON state of --state: what a restart keeps."""

import json

import pytest

from pvesim import PveSim, seeds


def test_state_round_trip(pvesim, tmp_path):
    api = pvesim.proxmoxer()
    api.nodes('pve1').qemu(102).status.start.post()
    api.nodes('pve1').qemu(9000).clone.post(newid=130, name='clone01', pool='demo')
    api.nodes('pve2').dns.put(search='corp.example', dns1='192.0.2.53')
    api.pools.post(poolid='ops', comment='Operations')
    path = str(tmp_path / 'state.json')
    pvesim.call(pvesim.pve.save_state, path)
    with open(path) as fh:
        doc = json.load(fh)
    again = PveSim()
    again.load_state(doc)
    assert again.dump_state() == doc
    assert again.vm(102).status == 'running' and again.vm(130).name == 'clone01'
    assert again.vm(130).pool == 'demo' and again.pool_info['ops']['comment'] == 'Operations'
    assert again.node_conf('pve2')['dns'] == {'search': 'corp.example', 'dns1': '192.0.2.53'}
    assert again.cluster_name == 'demo-cluster' and sorted(again.nodes) == ['pve1', 'pve2', 'pve3']
    assert again.storages['local-lvm']['volumes']['vm-130-disk-0']['vmid'] == 130
    assert again.users == seeds.DEMO_USERS and again.apitokens[seeds.DEMO_TOKEN[0]] == seeds.DEMO_TOKEN[1]
    assert again.ct(200).config['hostname'] == 'proxy01' and again.ct(200).status == 'running'


def test_state_served_after_loading(pvesim_factory, tmp_path):
    first = seeds.build('demo')
    first.vm(100).config['description'] = 'kept'
    doc = first.dump_state()

    def from_state(sim):
        sim.load_state(doc)
    api = pvesim_factory(seed=from_state).proxmoxer()
    assert api.nodes('pve1').qemu(100).config.get()['description'] == 'kept'
    assert len(api.cluster.resources.get(type='vm')) == 7


def test_unknown_state_format_is_refused():
    with pytest.raises(ValueError):
        PveSim().load_state({'format': 99})


def test_rollback_restores_the_checkpoint_in_place(pvesim):
    pvesim.checkpoint()
    before = pvesim.call(pvesim.pve.dump_state)
    api = pvesim.proxmoxer()
    api.nodes('pve1').qemu(102).status.start.post()
    api.nodes('pve1').qemu(100).config.put(memory=8192)
    api.access.users.post(userid='carol@pve')
    api.access.groups.post(groupid='ops')
    api.cluster.firewall.rules.post(type='in', action='ACCEPT', macro='SSH')
    api.cluster.ha.resources.post(sid='vm:103')
    api.pools.post(poolid='ops')
    pvesim.rollback()
    assert pvesim.call(pvesim.pve.dump_state) == before
    assert pvesim.stats()['requests'] == 0
    # The same login goes on working; the firewall (not in the state document) is back too.
    assert api.cluster.firewall.rules.get() == []
    assert [g['groupid'] for g in api.access.groups.get()] == []
    assert api.nodes('pve1').qemu(102).status.current.get()['status'] == 'stopped'
    # A second rollback goes back to the same checkpoint.
    api.access.users.post(userid='dave@pve')
    pvesim.rollback()
    assert 'dave@pve' not in [u['userid'] for u in api.access.users.get()]


def test_rollback_needs_a_checkpoint():
    with pytest.raises(RuntimeError, match='checkpoint'):
        PveSim().rollback()
