# SPDX-License-Identifier: AGPL-3.0-or-later
"""A node's APT repositories in pvesim (node_facts.py): PUT adds a standard repository, POST enables or disables
an entry, both with proxmox-apt's digest check and wording; the state is per node and saved."""

import proxmoxer
import pytest

from pvesim import PveSim
from pvesim.seeds import DEMO_USERS
from tests.simulator.test_access import login

ENTERPRISE = '/etc/apt/sources.list.d/pve-enterprise.sources'
PROXMOX = '/etc/apt/sources.list.d/proxmox.sources'


def _status(result):
    return dict((r['handle'], r.get('status')) for r in result['standard-repos'])


def _refused(call, **params):
    with pytest.raises(proxmoxer.core.ResourceException) as err:
        call(**params)
    return err.value


def test_add_and_toggle_with_the_digest(pvesim):
    repos = pvesim.proxmoxer().nodes('pve1').apt.repositories
    first = repos.get()
    assert _status(first) == {'enterprise': 0, 'no-subscription': 1, 'test': None, 'ceph-squid-enterprise': 0,
                              'ceph-squid-no-subscription': None, 'ceph-squid-test': None}
    assert len(first['digest']) == 64 and all(len(f['digest']) == 32 for f in first['files'])

    repos.put(handle='test', digest=first['digest'])
    second = repos.get()
    proxmox = next(f for f in second['files'] if f['path'] == PROXMOX)
    assert [r['Components'] for r in proxmox['repositories']] == [['pve-no-subscription'], ['pve-test']]
    assert proxmox['repositories'][1]['Enabled'] == 1 and _status(second)['test'] == 1
    assert second['digest'] != first['digest']

    err = _refused(repos.post, path=ENTERPRISE, index=0, enabled=1, digest=first['digest'])
    assert 'detected modified configuration - file changed by other user? Try again.' in str(err)
    repos.post(path=ENTERPRISE, index=0, enabled=1, digest=second['digest'])
    third = repos.get()
    entry = next(f for f in third['files'] if f['path'] == ENTERPRISE)['repositories'][0]
    assert entry['Enabled'] == 1 and {'Key': 'Enabled', 'Values': ['no']} not in entry['Options']
    assert _status(third)['enterprise'] == 1

    repos.post(path=PROXMOX, index=1, enabled=0)
    assert _status(repos.get())['test'] == 0
    repos.put(handle='test')  # a configured but disabled entry is enabled, not added again
    again = next(f for f in repos.get()['files'] if f['path'] == PROXMOX)
    assert len(again['repositories']) == 2 and again['repositories'][1]['Enabled'] == 1
    assert _status(pvesim.proxmoxer().nodes('pve2').apt.repositories.get())['test'] is None  # per node


def test_a_new_file_and_the_refusals(pvesim):
    repos = pvesim.proxmoxer().nodes('pve2').apt.repositories
    repos.put(handle='ceph-squid-no-subscription')
    ceph = next(f for f in repos.get()['files'] if f['path'] == '/etc/apt/sources.list.d/ceph.sources')
    assert ceph['repositories'][1]['URIs'] == ['http://download.proxmox.com/debian/ceph-squid']
    assert 'unknown variant `nosuch`' in str(_refused(repos.put, handle='nosuch'))
    assert 'invalid path - /etc/apt/x.sources' in str(_refused(repos.post, path='/etc/apt/x.sources', index=0))
    assert 'invalid index - 5' in str(_refused(repos.post, path=PROXMOX, index=5, enabled=0))
    err = _refused(repos.post, path=PROXMOX, index='first')
    assert err.status_code == 400 and 'index' in str(err)
    err = _refused(repos.put, handle='test', digest='x' * 81)
    assert err.status_code == 400 and 'digest' in str(err)
    assert _status(repos.get())['test'] is None


def test_repositories_are_saved_with_the_state(pvesim, tmp_path):
    pvesim.proxmoxer().nodes('pve3').apt.repositories.put(handle='test')
    doc = pvesim.call(pvesim.pve.dump_state)
    again = PveSim()
    again.load_state(doc)
    files = again.node_conf('pve3')['apt_repositories']
    assert [st['components'] for f in files if f['path'] == PROXMOX for st in f['stanzas']] == [
        ['pve-no-subscription'], ['pve-test']]


def test_an_auditor_reads_but_may_not_change(pvesim):
    bob = login(pvesim, 'bob@pve', DEMO_USERS['bob@pve']).nodes('pve1').apt.repositories
    assert bob.get()['standard-repos']
    for call, params in ((bob.put, {'handle': 'test'}), (bob.post, {'path': PROXMOX, 'index': 0, 'enabled': 0})):
        err = _refused(call, **params)
        assert err.status_code == 403 and 'Sys.Modify' in str(err)
    assert _status(pvesim.proxmoxer().nodes('pve1').apt.repositories.get())['test'] is None
