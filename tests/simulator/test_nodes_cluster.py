# SPDX-License-Identifier: AGPL-3.0-or-later
"""The node and cluster state pvesim adds to fakepve, through proxmoxer over HTTPS."""

import re
import time

import proxmoxer
import pytest

from pvesim.seeds import DEMO_USERS


def test_node_status_is_complete_and_agrees_with_the_node_list(pvesim):
    api = pvesim.proxmoxer()
    status = api.nodes('pve1').status.get()
    assert set(status) >= {'uptime', 'cpu', 'cpuinfo', 'memory', 'swap', 'rootfs', 'loadavg', 'kversion',
                           'current-kernel', 'boot-info', 'pveversion'}
    assert status['pveversion'].startswith('pve-manager/9.2.0/')
    assert status['kversion'].startswith('Linux ') and status['current-kernel']['sysname'] == 'Linux'
    assert status['cpuinfo']['cpus'] == 32 and status['cpuinfo']['sockets'] == 1
    memory = status['memory']
    assert memory['used'] + memory['free'] == memory['total'] and memory['used'] > 0
    assert status['uptime'] > 86400
    listed = dict((n['node'], n) for n in api.nodes.get())['pve1']
    assert (listed['mem'], listed['maxmem'], listed['maxcpu']) == (memory['used'], memory['total'], 32)
    resources = [r for r in api.cluster.resources.get(type='node') if r['node'] == 'pve1']
    assert resources[0]['mem'] == memory['used']


def test_node_memory_follows_the_running_guests(pvesim):
    api = pvesim.proxmoxer()
    before = api.nodes('pve1').status.get()['memory']['used']
    api.nodes('pve1').qemu(102).status.start.post()
    after = api.nodes('pve1').status.get()['memory']['used']
    assert after > before


def test_node_version(pvesim):
    api = pvesim.proxmoxer()
    version = api.nodes('pve3').version.get()
    assert version == api.version.get()
    assert re.fullmatch(r'[0-9a-f]{8,64}', version['repoid'])
    assert version['release'] == '9.2' and version['version'].startswith('9.2.')


def test_node_time_and_timezone(pvesim):
    api = pvesim.proxmoxer()
    now = api.nodes('pve1').time.get()
    assert now['timezone'] == 'Europe/Vienna'
    assert abs(now['time'] - time.time()) < 5
    assert now['localtime'] - now['time'] in (3600, 7200)
    api.nodes('pve1').time.put(timezone='America/New_York')
    now = api.nodes('pve1').time.get()
    assert now['timezone'] == 'America/New_York' and now['localtime'] - now['time'] in (-18000, -14400)
    assert api.nodes('pve2').time.get()['timezone'] == 'Europe/Vienna'
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.nodes('pve1').time.put(timezone='Mars/Olympus_Mons')
    assert info.value.status_code == 400 and info.value.errors == {'timezone': 'No such timezone'}


def test_node_dns(pvesim):
    api = pvesim.proxmoxer()
    assert api.nodes('pve2').dns.get() == {'search': 'pvesim.lan', 'dns1': '192.0.2.1'}
    api.nodes('pve2').dns.put(search='corp.example', dns1='192.0.2.53', dns2='192.0.2.53', dns3='198.51.100.53')
    # resolv.conf is rewritten: repeated servers once, numbered in order.
    assert api.nodes('pve2').dns.get() == {'search': 'corp.example', 'dns1': '192.0.2.53', 'dns2': '198.51.100.53'}
    api.nodes('pve2').dns.put(search='corp.example')
    assert api.nodes('pve2').dns.get() == {'search': 'corp.example'}
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.nodes('pve2').dns.put(search='corp.example', dns1='not-an-ip')
    assert info.value.status_code == 400 and 'dns1' in info.value.errors
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.nodes('pve2').dns.put(dns1='192.0.2.1')
    assert info.value.status_code == 400 and 'search' in info.value.errors


def test_unknown_and_offline_nodes(pvesim):
    api = pvesim.proxmoxer()
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.nodes('pve9').status.get()
    assert info.value.status_code == 500 and 'hostname lookup' in str(info.value)
    pvesim.call(pvesim.pve.set_node_offline, 'pve3')
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.nodes('pve3').dns.get()
    assert info.value.status_code == 595


def test_cluster_tasks_lists_every_node_newest_first(pvesim):
    api = pvesim.proxmoxer()
    first = api.nodes('pve1').qemu(102).status.start.post()
    second = api.nodes('pve3').lxc(201).status.start.post()
    tasks = api.cluster.tasks.get()
    assert [t['upid'] for t in tasks] == [second, first]
    assert tasks[0]['node'] == 'pve3' and tasks[0]['status'] == 'OK' and tasks[0]['type'] == 'vzstart'
    assert set(tasks[1]) >= {'upid', 'node', 'pid', 'pstart', 'starttime', 'endtime', 'type', 'id', 'user', 'status'}
    status = api.nodes('pve1').tasks(first).status.get()
    assert status['status'] == 'stopped' and status['exitstatus'] == 'OK'
    assert api.nodes('pve1').tasks(first).log.get()[-1]['t'] == 'TASK OK'
    assert [t['upid'] for t in api.nodes('pve1').tasks.get(vmid=102)] == [first]


def test_cluster_tasks_are_filtered_by_privilege(pvesim):
    root = pvesim.proxmoxer()
    root.nodes('pve1').qemu(102).status.start.post()
    bob = pvesim.proxmoxer(user='bob@pve', password=DEMO_USERS['bob@pve'])
    alice = pvesim.proxmoxer(user='alice@pve', password=DEMO_USERS['alice@pve'])
    assert len(bob.cluster.tasks.get()) == 1  # Sys.Audit on /
    assert alice.cluster.tasks.get() == []  # only her own


def test_running_tasks_have_no_exit_status_yet(pvesim_factory):
    sim = pvesim_factory(time_scale=0.05)
    api = sim.proxmoxer()
    sim.call(lambda: setattr(sim.pve.vm(102), 'start_secs', 20))
    upid = api.nodes('pve1').qemu(102).status.start.post()
    listed = api.cluster.tasks.get()[0]
    assert listed['upid'] == upid and 'status' not in listed and 'endtime' not in listed
    assert api.nodes('pve1').tasks(upid).status.get()['status'] == 'running'


def test_cluster_resources_pools_storages_and_filters(pvesim):
    api = pvesim.proxmoxer()
    resources = api.cluster.resources.get()
    assert {'id': 'pool/demo', 'type': 'pool', 'pool': 'demo'} in resources
    types = set(r['type'] for r in resources)
    assert types == {'qemu', 'lxc', 'node', 'storage', 'pool'}
    lvm = [r for r in resources if r['id'] == 'storage/pve1/local-lvm'][0]
    status = api.nodes('pve1').storage('local-lvm').status.get()
    assert (lvm['disk'], lvm['maxdisk']) == (status['used'], status['total']) and lvm['disk'] > 0
    assert set(r['type'] for r in api.cluster.resources.get(type='vm')) == {'qemu', 'lxc'}
    assert all(r['type'] == 'storage' for r in api.cluster.resources.get(type='storage'))
    alice = pvesim.proxmoxer(user='alice@pve', password=DEMO_USERS['alice@pve'])
    assert not [r for r in alice.cluster.resources.get() if r['type'] == 'pool']


def test_cluster_status_clustered_and_standalone(pvesim, pvesim_factory):
    status = pvesim.proxmoxer().cluster.status.get()
    assert status[0] == dict(status[0], type='cluster', name='demo-cluster', nodes=3, quorate=1)
    assert [s['name'] for s in status[1:]] == ['pve1', 'pve2', 'pve3']
    alone = pvesim_factory(seed='empty').proxmoxer().cluster.status.get()
    assert [(s['type'], s['name'], s['nodeid'], s['local']) for s in alone] == [('node', 'pve1', 0, 1)]


def test_nextid(pvesim):
    api = pvesim.proxmoxer()
    assert api.cluster.nextid.get() == '104'
    assert api.cluster.nextid.get(vmid=150) == '150'
    with pytest.raises(proxmoxer.ResourceException) as info:
        api.cluster.nextid.get(vmid=9000)
    assert info.value.status_code == 400 and info.value.errors == {'vmid': 'VM 9000 already exists'}
    assert str(info.value.content).startswith('Parameter verification failed')
