# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's guest tags (pvesim/guest_tags.py) through real proxmoxer: stored as pve-guest-common's
get_unique_tags stores them under the datacenter's tag-style, on VM and container creation and config updates."""

import time

import pytest

TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst'


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


def wait_ok(api, upid):
    node = upid.split(':')[1]
    for _ in range(200):
        status = api.nodes(node).tasks(upid).status.get()
        if status['status'] == 'stopped':
            assert status['exitstatus'] == 'OK', api.nodes(node).tasks(upid).log.get()
            return
        time.sleep(0.05)
    raise AssertionError('task {0} still running'.format(upid))


@pytest.mark.parametrize('style, stored', [
    (None, 'a;b;web'),
    ('case-sensitive=1', 'A;B;a;web'),
    ('ordering=config', 'web;b;a'),
    ('case-sensitive=1,ordering=config', 'web;B;a;A'),
])
def test_tag_style(pvesim, style, stored):
    api = pvesim.proxmoxer()
    if style:
        api.cluster.options.put(**{'tag-style': style})
    given = 'web;B;a;A;web'
    wait_ok(api, api.nodes('pve1').qemu.post(vmid=300, name='tags01', tags=given))
    assert api.nodes('pve1').qemu(300).config.get()['tags'] == stored
    api.nodes('pve1').qemu(300).config.put(tags=given + ';x')
    assert api.nodes('pve1').qemu(300).config.get()['tags'] == unique(stored, style, 'x')
    wait_ok(api, api.nodes('pve1').lxc.post(vmid=301, hostname='tags02', tags=given, storage='local-lvm',
                                            ostemplate=TEMPLATE))
    assert api.nodes('pve1').lxc(301).config.get()['tags'] == stored
    api.nodes('pve1').lxc(301).config.put(tags=given + ';x')
    assert api.nodes('pve1').lxc(301).config.get()['tags'] == unique(stored, style, 'x')


def unique(stored, style, extra):
    """What the update stores: the tags with one more, as the style orders them."""
    tags = stored.split(';') + [extra]
    if 'ordering=config' not in (style or ''):
        tags.sort(key=(lambda t: t) if 'case-sensitive=1' in (style or '') else str.lower)
    return ';'.join(tags)
