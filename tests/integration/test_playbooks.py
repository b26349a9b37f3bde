# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped demo playbook and the cloudinit_vm role against the simulator: they work, and a second
run of the demo changes nothing (apart from its deliberate check-mode dry run) and writes nothing."""

import os

from tests.helpers.playbook import ROOT_DIR, run_playbook


def test_demo_playbook_converges(pvesim):
    book = os.path.join(ROOT_DIR, 'playbooks', 'demo.yml')
    first = run_playbook(pvesim, book, extra_env=pvesim.env())
    assert first.rc == 0, first
    provision = 'Provision the VM from the cloud-init template'
    assert first.results[provision]['changed'] is False  # the last record is the role's second, idempotent run
    assert [r['status'] for r in first.records if r['task'] == provision] == ['changed', 'ok']
    assert [r['writes'] for r in first.records if r['task'] == provision][1] == 0
    vm = next(r['result']['vm'] for r in first.records if r['task'] == provision)
    assert vm['name'] == 'app01' and vm['status'] == 'running' and str(vm['config']['cores']) == '2'
    assert first.results['Back up app01 to the NFS backup store unless a backup of today exists']['volids']

    second = run_playbook(pvesim, book, extra_env=pvesim.env())
    assert second.rc == 0, second
    changed = [r['task'] for r in second.records if r['status'] == 'changed']
    assert changed == ['Grow app01 to 4 cores, as a dry run first (check mode, with diff)'], changed
    assert sum(r['writes'] or 0 for r in second.records) == 0


def test_network_playbook_converges(pvesim):
    book = os.path.join(ROOT_DIR, 'playbooks', 'network.yml')
    first = run_playbook(pvesim, book, extra_env=pvesim.env())
    assert first.rc == 0, first
    assert [r['status'] for r in first.records] == ['changed'] * 5, first.records
    api = pvesim.proxmoxer()
    assert next(i for i in api.nodes('pve1').network.get() if i['iface'] == 'vmbr1')['bridge_vlan_aware'] == 1
    assert api.nodes('pve1').sdn.zones.get() == [{'zone': 'lab', 'status': 'available'}]
    assert 'bridge=web' in api.nodes('pve1').qemu(100).config.get()['net0']

    second = run_playbook(pvesim, book, extra_env=pvesim.env())
    assert second.rc == 0, second
    assert [r['task'] for r in second.records if r['status'] == 'changed'] == []
    assert sum(r['writes'] or 0 for r in second.records) == 0
