# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/migrating.md (written by scripts/gen_migrating.py) names only pve.ops modules and options that exist."""

import os
import re

import pytest

from scripts.gen_migrating import MODULES, has_option, pve_options

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = os.path.join(ROOT, 'docs', 'migrating.md')


def _sections():
    with open(PAGE) as handle:
        text = handle.read()
    out = {}
    for block in re.split(r'^### ', text, flags=re.M)[1:]:
        head, _, body = block.partition('\n')
        match = re.match(r'community\.proxmox\.(\w+) -> (pve\.ops\.(\w+)|missing)$', head.strip())
        assert match, head
        out[match.group(1)] = (match.group(3), body)
    return out


def test_every_mapped_community_module_has_a_section():
    assert sorted(_sections()) == sorted(MODULES)
    for name, (target, _body) in _sections().items():
        assert target == MODULES[name][0]


@pytest.mark.parametrize('name', sorted(MODULES))
def test_the_options_a_section_names_exist(name):
    target, body = _sections()[name]
    if target is None:
        return
    spec = pve_options(target)
    for option in re.findall(r'^- `\w+` -> `([\w.]+)`', body, flags=re.M):
        assert has_option(spec, option), 'pve.ops.{0} has no option {1}'.format(target, option)
    same = re.search(r'^Options with the same name: (.*)\.$', body, flags=re.M)
    for option in re.findall(r'`(\w+)`', same.group(1)) if same else []:
        assert option in spec, 'pve.ops.{0} has no option {1}'.format(target, option)
