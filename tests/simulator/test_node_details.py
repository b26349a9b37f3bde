# SPDX-License-Identifier: AGPL-3.0-or-later
"""The node details pvesim serves (node_details.py), through proxmoxer over HTTPS."""

import proxmoxer
import pytest


def test_node_rrddata_is_seeded_and_max_tops_average(pvesim):
    api = pvesim.proxmoxer()
    avg = api.nodes('pve1').rrddata.get(timeframe='hour')
    peak = api.nodes('pve1').rrddata.get(timeframe='hour', cf='MAX')
    assert len(avg) == 70 and all(p['maxcpu'] == 32 for p in avg)
    steps = {b['time'] - a['time'] for a, b in zip(avg, avg[1:], strict=False)}
    assert steps == {60}
    assert all(0 < p['cpu'] <= 0.95 and 0 < p['memused'] <= p['memtotal'] for p in avg)
    assert all(m['cpu'] >= a['cpu'] and m['netin'] >= a['netin'] for a, m in zip(avg, peak, strict=True) if a['time'] == m['time'])
    assert api.nodes('pve1').rrddata.get(timeframe='hour') == avg  # repeatable
    assert api.nodes('pve2').rrddata.get(timeframe='hour') != avg
    year = api.nodes('pve1').rrddata.get(timeframe='year')
    assert year[1]['time'] - year[0]['time'] == 604800 and 'cpu' not in year[0]  # before the node booted
    with pytest.raises(proxmoxer.core.ResourceException) as err:
        api.nodes('pve1').rrddata.get(timeframe='minute')
    assert err.value.status_code == 400 and 'timeframe' in str(err.value)


def test_node_network_has_the_bridge_with_the_cluster_address(pvesim):
    api = pvesim.proxmoxer()
    ifaces = {i['iface']: i for i in api.nodes('pve2').network.get()}
    assert set(ifaces) == {'eno1', 'eno2', 'vmbr0'}
    vmbr0 = ifaces['vmbr0']
    ip = [n['ip'] for n in api.cluster.status.get() if n.get('name') == 'pve2'][0]
    assert vmbr0['type'] == 'bridge' and vmbr0['bridge_ports'] == 'eno1' and vmbr0['address'] == ip
    assert vmbr0['cidr'] == ip + '/24' and vmbr0['gateway'] == '192.0.2.1' and vmbr0['active'] == 1
    assert ifaces['eno1']['type'] == 'eth' and 'active' not in ifaces['eno2']
    assert [i['iface'] for i in api.nodes('pve2').network.get(type='any_bridge')] == ['vmbr0']
    assert sorted(i['iface'] for i in api.nodes('pve2').network.get(type='eth')) == ['eno1', 'eno2']
    assert api.nodes('pve2').network.get(type='bond') == []


def test_node_disks_certificates_and_subscription(pvesim):
    api = pvesim.proxmoxer()
    disks = api.nodes('pve1').disks.list.get()
    assert [d['devpath'] for d in disks] == ['/dev/nvme0n1', '/dev/sda']
    assert disks[0]['used'] == 'partitions' and disks[0]['health'] == 'PASSED' and disks[0]['size'] > 10 ** 12 - 10 ** 10
    assert [d['devpath'] for d in api.nodes('pve1').disks.list.get(type='unused')] == ['/dev/sda']
    assert 'health' not in api.nodes('pve1').disks.list.get(skipsmart=1)[0]
    parts = api.nodes('pve1').disks.list.get(**{'include-partitions': 1})
    assert [p['devpath'] for p in parts if p.get('parent') == '/dev/nvme0n1'] == [
        '/dev/nvme0n1p1', '/dev/nvme0n1p2', '/dev/nvme0n1p3']
    assert api.nodes('pve2').disks.list.get()[0]['serial'] != disks[0]['serial']

    certs = api.nodes('pve1').certificates.info.get()
    with open(pvesim.cafile) as fh:
        served = fh.read()
    assert [c['filename'] for c in certs] == ['pve-ssl.pem'] and certs[0]['pem'] == served
    cert = certs[0]
    assert cert['subject'] == '/CN=pvesim' and cert['notbefore'] < cert['notafter']
    assert len(cert['fingerprint'].split(':')) == 32 and '127.0.0.1' in cert['san']

    sub = api.nodes('pve3').subscription.get()
    assert sub['status'] == 'notfound' and len(sub['serverid']) == 32 and 'key' not in sub


def test_node_syslog_apt_and_config(pvesim):
    api = pvesim.proxmoxer()
    log = api.nodes('pve1').syslog.get()
    assert [entry['n'] for entry in log] == list(range(1, len(log) + 1)) and len(log) >= 10
    assert all(' pve1 ' in entry['t'] for entry in log)
    assert api.nodes('pve1').syslog.get(limit=3) == log[:3]
    assert [e['n'] for e in api.nodes('pve1').syslog.get(start=2, limit=2)] == [3, 4]
    proxy = api.nodes('pve1').syslog.get(service='pveproxy')
    assert proxy and all('pveproxy' in e['t'] for e in proxy)

    updates = api.nodes('pve1').apt.update.get()
    assert {u['Package'] for u in updates} == {'pve-manager', 'tzdata'}
    assert all(u['OldVersion'] != u['Version'] for u in updates)
    pvesim.pve.node_conf('pve2')['apt_updates'] = []
    assert api.nodes('pve2').apt.update.get() == []

    config = api.nodes('pve3').config.get()
    assert config['description'] == 'Node pve3 of the simulated cluster' and len(config['digest']) == 40
    assert api.nodes('pve3').config.get(property='description') == {'description': 'Node pve3 of the simulated cluster'}
    assert api.nodes('pve3').config.get(property='location') == {}


def test_node_details_need_the_privileges_pve_asks(pvesim):
    pvesim.pve.apitokens['alice@pve!nd'] = 'tok'
    pvesim.pve.grant('alice@pve', '/nodes/pve1', 'Sys.Audit')
    api = proxmoxer.ProxmoxAPI(pvesim.host, port=pvesim.port, user='alice@pve', token_name='nd',
                               token_value='tok', verify_ssl=pvesim.cafile)
    assert api.nodes('pve1').network.get()
    assert api.nodes('pve1').rrddata.get(timeframe='day')
    for call in (lambda: api.nodes('pve1').syslog.get(), lambda: api.nodes('pve1').apt.update.get()):
        with pytest.raises(proxmoxer.core.ResourceException) as err:
            call()
        assert err.value.status_code == 403
