# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/paging.py: the page of a list and what it says about the rest."""

import pytest

from ansible_collections.pve.ops.plugins.module_utils import errors, paging

ITEMS = [dict(vmid=100 + i, name='g{0}'.format(i)) for i in range(7)]


@pytest.mark.parametrize('offset,limit,vmids,page', [
    (0, None, list(range(100, 107)), dict(total=7, offset=0, limit=None, returned=7, more=False)),
    (0, 3, [100, 101, 102], dict(total=7, offset=0, limit=3, returned=3, more=True, next_offset=3)),
    (5, 3, [105, 106], dict(total=7, offset=5, limit=3, returned=2, more=False)),
    (4, 3, [104, 105, 106], dict(total=7, offset=4, limit=3, returned=3, more=False)),
    (9, 3, [], dict(total=7, offset=9, limit=3, returned=0, more=False)),
])
def test_cut(offset, limit, vmids, page):
    chosen, info = paging.cut(ITEMS, offset, limit)
    assert [i['vmid'] for i in chosen] == vmids and info == page


def test_fields():
    chosen, _ = paging.cut(ITEMS, 0, 2, ['name'])
    assert chosen == [{'name': 'g0'}, {'name': 'g1'}]
    with pytest.raises(errors.InvalidArgumentError, match=r'fields: no item has bogus \(the items have: name, vmid\)'):
        paging.cut(ITEMS, 0, 2, ['name', 'bogus'])
    assert paging.cut([], 0, 2, ['bogus']) == ([], dict(total=0, offset=0, limit=2, returned=0, more=False))


def test_options_are_documented_by_the_fragment():
    import yaml

    from ansible_collections.pve.ops.plugins.doc_fragments.paging import ModuleDocFragment
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    spec = paging.argument_spec()
    assert set(options) == set(spec) == set(paging.OPTIONS)
    for name, opt in spec.items():
        assert options[name]['type'] == opt['type'] and options[name].get('default') == opt.get('default')
