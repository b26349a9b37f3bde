# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pool views and member resolution as data: however PVE orders or repeats members, the view is the same."""

import pytest

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.cluster.pools import (
    check_poolid,
    pool_view,
    resolve_storage,
    resolve_vms,
)

RESOURCES = [
    {'type': 'qemu', 'vmid': 100, 'name': 'web01', 'node': 'pve1', 'pool': 'demo'},
    {'type': 'lxc', 'vmid': '200', 'name': 'proxy01', 'node': 'pve2'},
    {'type': 'qemu', 'vmid': 300, 'name': 'twin', 'node': 'pve1'},
    {'type': 'qemu', 'vmid': 301, 'name': 'twin', 'node': 'pve2'},
    {'type': 'storage', 'storage': 'local', 'node': 'pve1'},
    {'type': 'storage', 'storage': 'local', 'node': 'pve2'},
]

VIEW_CASES = [
    # PVE lists a storage once per node; members come in any order; vmid may be a string
    ({'poolid': 'p', 'members': [
        {'type': 'storage', 'storage': 'local', 'node': 'pve2', 'shared': 0},
        {'type': 'lxc', 'vmid': '200', 'node': 'pve2', 'template': 0},
        {'type': 'storage', 'storage': 'local', 'node': 'pve1', 'shared': '0'},
        {'type': 'qemu', 'vmid': 100, 'node': 'pve1'}]},
     {'vms': [100, 200], 'storage': ['local'], 'comment': '',
      'order': ['qemu', 'lxc', 'storage', 'storage'], 'nodes': ['pve1', 'pve2', 'pve1', 'pve2']}),
    ({'poolid': 'empty', 'comment': 'c'}, {'vms': [], 'storage': [], 'comment': 'c', 'order': [], 'nodes': []}),
]


@pytest.mark.parametrize('entry,want', VIEW_CASES)
def test_pool_view(entry, want):
    view = pool_view(entry)
    assert view['vms'] == want['vms'] and view['storage'] == want['storage'] and view['comment'] == want['comment']
    assert [m['type'] for m in view['members']] == want['order']
    assert [m['node'] for m in view['members']] == want['nodes']
    assert all(isinstance(m.get('vmid', 0), int) for m in view['members'])
    assert all(isinstance(m[k], bool) for m in view['members'] for k in ('shared', 'template') if k in m)


@pytest.mark.parametrize('items,want', [
    (['100', 'proxy01'], [100, 200]),
    (['web01', '100'], [100]),
    (['301'], [301]),
    ([], []),
])
def test_resolve_vms(items, want):
    assert sorted(resolve_vms(items, RESOURCES)) == want


@pytest.mark.parametrize('items,text', [
    (['999'], 'no guest with vmid 999'),
    (['nosuch'], "no guest named 'nosuch'"),
    (['twin'], 'matches several guests'),
])
def test_resolve_vms_errors(items, text):
    with pytest.raises(errors.InvalidArgumentError) as err:
        resolve_vms(items, RESOURCES)
    assert text in str(err.value) and err.value.field == 'vms'


def test_resolve_storage():
    assert resolve_storage(['local', 'local'], RESOURCES) == ['local']
    with pytest.raises(errors.InvalidArgumentError) as err:
        resolve_storage(['nfs'], RESOURCES)
    assert err.value.field == 'storage' and 'known: local' in str(err.value)


@pytest.mark.parametrize('poolid,ok', [('demo', True), ('a/b/c', True), ('a/b/c/d', False), ('a b', False),
                                       ('', False), ('team_1.x-y', True), ('/a', False)])
def test_check_poolid(poolid, ok):
    if ok:
        assert check_poolid(poolid) == poolid
    else:
        with pytest.raises(errors.InvalidArgumentError):
            check_poolid(poolid)
