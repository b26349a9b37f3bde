# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A wrong type for a dict or list option gives Ansible's own validation message naming the option, before any
request (the connection points nowhere: a request would fail differently)."""

import pytest

from mcp_adapter import runner
from tests.helpers.inproc import module_tool

NOWHERE = dict(api_host='127.0.0.1', api_port=9, api_user='root@pam', api_password='x', validate_certs=False)

CASES = [
    ('storage', dict(name='x', type='dir', path='/x', retention=[1]), 'retention'),
    ('storage', dict(name='x', type='dir', path='/x', retention=3.14), 'retention'),
    ('storage', dict(name='x', type='dir', path='/x', options=[1]), 'options'),
    ('storage', dict(name='x', content={'iso': 1}), 'content'),
    ('backup_job', dict(id='j', schedule='daily', all=True, retention=[1]), 'retention'),
    ('backup_prune', dict(storage='local', retention=3.14), 'retention'),
    ('backup', dict(vmids={'a': 1}, storage='local'), 'vmids'),
    ('realm', dict(realm='corp', type='ldap', settings=[1]), 'settings'),
    ('container', dict(vmid=300, node='pve1', rootfs=3.14), 'rootfs'),
    # a string that is neither JSON nor key=value (ansible-core names no option for it)
    ('backup_job', dict(id='nightly', retention='not-a-dict'), 'retention'),
    ('vm', dict(vmid=300, name='x', node='pve1', disks=['scsi0']), 'disks'),
    ('container', dict(vmid=300, node='pve1', rootfs='size'), 'rootfs'),
]

# key=value strings are dicts to Ansible: they pass the type check and reach the sub-options.
PARSED = [
    ('backup_job', dict(id='j', schedule='daily', all=True, retention='keep_last=3,bogus=1'), 'bogus'),
]


@pytest.mark.parametrize('module, params, option', CASES, ids=['{0}-{1}'.format(c[0], i) for i, c in enumerate(CASES)])
def test_wrong_type_names_the_option(module, params, option):
    result = runner.run(module_tool(module), params, NOWHERE)
    assert result['failed'] is True
    assert "'{0}'".format(option) in result['msg'], result['msg']
    assert 'TypeError' not in result['msg'] and 'cannot reach' not in result['msg']


@pytest.mark.parametrize('module, params, word', PARSED)
def test_a_key_value_string_is_a_dict_with_sub_options(module, params, word):
    result = runner.run(module_tool(module), params, NOWHERE)
    assert result['failed'] is True and word in result['msg'], result['msg']
