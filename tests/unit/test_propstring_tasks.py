# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, propstring
from ansible_collections.pve.ops.plugins.module_utils.tasks import parse_upid, task_succeeded


@pytest.mark.parametrize('text, default_key, expected', [
    ('virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1', None,
     {'virtio': 'BC:24:11:00:00:01', 'bridge': 'vmbr0', 'firewall': '1'}),
    ('local-lvm:vm-100-disk-0,size=32G', 'file', {'file': 'local-lvm:vm-100-disk-0', 'size': '32G'}),
    ('', None, {}),
    (None, 'file', {}),
])
def test_parse(text, default_key, expected):
    assert propstring.parse(text, default_key) == expected


def test_format_round_trip():
    props = {'file': 'local-lvm:vm-100-disk-0', 'size': '32G', 'discard': 'on'}
    text = propstring.format_props(props, default_key='file')
    assert text == 'local-lvm:vm-100-disk-0,discard=on,size=32G'
    assert propstring.parse(text, 'file') == props


@pytest.mark.parametrize('value, nbytes', [('32G', 32 * 1024 ** 3), ('512M', 512 * 1024 ** 2), ('1.5T', int(1.5 * 1024 ** 4)),
                                           (1024, 1024), ('4096', 4096), ('10GB', 10 * 1024 ** 3)])
def test_size_bytes(value, nbytes):
    assert codec.size_bytes(value) == nbytes


def test_size_text_and_errors():
    assert codec.size_text(32 * 1024 ** 3) == '32G'
    assert codec.size_text(1536 * 1024 ** 2) == '1536M'
    with pytest.raises(ValueError):
        codec.size_bytes('lots')


def test_parse_upid():
    info = parse_upid('UPID:pve1:000003E8:00001B58:6744A1C0:qmstart:100:root@pam:')
    assert info['node'] == 'pve1' and info['type'] == 'qmstart' and info['id'] == '100' and info['pid'] == 1000
    with pytest.raises(errors.InvalidArgumentError):
        parse_upid('nonsense')


@pytest.mark.parametrize('exitstatus, ok', [('OK', True), ('WARNINGS: 2', True), ('command failed', False), ('', False)])
def test_task_succeeded(exitstatus, ok):
    assert task_succeeded({'exitstatus': exitstatus}) is ok


@pytest.mark.parametrize('given, text, listed, key', [
    (['b', 'A'], 'A;b', ['b', 'A'], ['a', 'b']),
    ('Web;prod;web', 'prod;Web;web', ['Web', 'prod', 'web'], ['prod', 'web']),
    ('a,b c', 'a;b;c', ['a', 'b', 'c'], ['a', 'b', 'c']),
    ([], '', [], []),
    (None, '', [], []),
])
def test_tags_one_case_rule(given, text, listed, key):
    # Written as given (PVE applies its case rule), listed as PVE sends them, compared without regard to case.
    assert codec.tag_text(given) == text
    assert codec.tag_list(given) == listed
    assert codec.tags(given) == key


def test_has_tags_matches_without_regard_to_case():
    assert codec.has_tags('prod;web', ['Prod'])
    assert codec.has_tags('Prod;web', 'prod;WEB')
    assert not codec.has_tags('prod', ['prod', 'db'])
    assert codec.has_tags('prod', [])
