# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's guest tags (pvesim/guest_tags.py) through real proxmoxer: stored as PVE's default tag-style stores
them (pve-guest-common's get_unique_tags: lower case, sorted, no duplicates) on every write, and the tag-style
settings the simulator does not model refused."""

import pytest
from proxmoxer.core import ResourceException


def test_tags_are_stored_as_pve_stores_them(pvesim):
    api = pvesim.proxmoxer()
    # A VM's config update (fakepve stored it as given), a running VM's too (tags are hot-plugged).
    guests = api.cluster.resources.get(type='vm')
    stopped = next(g for g in guests if g['type'] == 'qemu' and g['status'] == 'stopped' and not g.get('template'))
    vm = api.nodes(stopped['node']).qemu(stopped['vmid'])
    vm.config.put(tags='Web;prod;web')
    assert vm.config.get()['tags'] == 'prod;web'
    running = next(g for g in guests if g['type'] == 'qemu' and g['status'] == 'running')
    api.nodes(running['node']).qemu(running['vmid']).config.put(tags='B,a')
    assert api.nodes(running['node']).qemu(running['vmid']).config.get()['tags'] == 'a;b'
    # A container's update (fakepve already did).
    ct = next(g for g in guests if g['type'] == 'lxc')
    api.nodes(ct['node']).lxc(ct['vmid']).config.put(tags='Z;y')
    assert api.nodes(ct['node']).lxc(ct['vmid']).config.get()['tags'] == 'y;z'


@pytest.mark.parametrize('style', ['case-sensitive=1', 'ordering=config', 'case-sensitive=0,ordering=config'])
def test_unmodelled_tag_style_is_refused(pvesim, style):
    api = pvesim.proxmoxer()
    with pytest.raises(ResourceException) as refused:
        api.cluster.options.put(**{'tag-style': style})
    assert refused.value.status_code == 501 and 'tag-style' in str(refused.value)
    assert 'tag-style' not in api.cluster.options.get()


def test_modelled_tag_style_is_taken(pvesim):
    api = pvesim.proxmoxer()
    api.cluster.options.put(**{'tag-style': 'case-sensitive=0,ordering=alphabetical,shape=circle'})
    assert 'shape=circle' in api.cluster.options.get()['tag-style']
