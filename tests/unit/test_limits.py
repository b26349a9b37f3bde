# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The limits every module declares (LIMITS beside its argument_spec): checked against the official PVE schema
(../shared/pve-api/pve-9.2-api.json), their formats against pvesim's (fakepve's) implementation of PVE's named
formats, and a value outside a limit fails naming the option before anything is sent."""

import importlib
import json
import os
import re

import pytest
from fakepve import formats as pve_formats

from ansible_collections.pve.ops.plugins.module_utils import limits
from mcp_adapter import runner
from tests.helpers.inproc import module_tool
from tests.unit.test_module_docs import MODULES, ROOT

SCHEMA_FILE = os.environ.get('PVE_API_SCHEMA') or os.path.join(ROOT, '..', 'shared', 'pve-api', 'pve-9.2-api.json')
NOWHERE = dict(api_host='127.0.0.1', api_port=9, api_user='root@pam', api_password='not-sent-anywhere',
               validate_certs=False)
_SCHEMA = {}


def schema_param(method, path, name, key=None):
    if not _SCHEMA:
        with open(SCHEMA_FILE) as fh:
            _SCHEMA.update(json.load(fh)['paths'])
    param = _SCHEMA[path][method]['parameters']['properties'][name]
    if key is not None:
        param = param['format'][key]
    return param


def declared():
    for name in MODULES:
        mod = importlib.import_module('ansible_collections.pve.ops.plugins.modules.' + name)
        for option, limit in sorted(mod.LIMITS.items()):
            yield name, mod, option, limit


def spec_of(spec, option):
    head, _, rest = option.partition('.')
    entry = spec[head]
    return spec_of(entry['options'], rest) if rest else entry


def test_every_module_declares_limits_and_hands_them_to_the_base():
    for name in MODULES:
        mod = importlib.import_module('ansible_collections.pve.ops.plugins.modules.' + name)
        assert mod.MODULE_KWARGS.get('limits') is mod.LIMITS, name


@pytest.mark.parametrize('module, mod, option, limit', list(declared()),
                         ids=['{0}.{1}'.format(d[0], d[2]) for d in declared()])
def test_limit_fits_the_option_and_the_pve_schema(module, mod, option, limit):
    entry = spec_of(mod.argument_spec(), option)
    kind = entry.get('elements') if entry.get('type') == 'list' else entry.get('type', 'str')
    if limit.minimum is not None or limit.maximum is not None:
        assert kind in ('int', 'float'), '{0}: a range on a {1} option'.format(option, kind)
    # pve-vmid is an integer in the schema (a vmid given as text is checked by its range after conversion).
    if limit.pattern or limit.max_length or limit.min_length or limit.format not in (None, 'pve-vmid'):
        assert kind in ('str', 'path'), '{0}: a format on a {1} option'.format(option, kind)
    if limit.format:
        assert limit.format in limits.FORMATS
    if limit.schema is None:
        assert limit.source, '{0}: a limit of our own says so in source'.format(option)
        return
    param = schema_param(*limit.schema)
    # Never looser than PVE: where we are stricter (or PVE's schema says nothing), source says why.
    for ours, theirs, stricter in ((limit.minimum, param.get('minimum'), lambda a, b: a > b),
                                   (limit.maximum, param.get('maximum'), lambda a, b: a < b),
                                   (limit.min_length, param.get('minLength'), lambda a, b: a > b),
                                   (limit.max_length, param.get('maxLength'), lambda a, b: a < b)):
        if theirs is not None:
            assert ours is not None, '{0}: PVE has a limit {1} we do not check'.format(option, theirs)
            assert ours == theirs or (stricter(ours, theirs) and limit.source), (option, ours, theirs)
        elif ours is not None:
            assert limit.source, '{0}: {1} is not in the schema: say where it comes from'.format(option, ours)
    if param.get('pattern'):
        assert limit.pattern == re.sub(r'^\(\?\^:(.*)\)$', r'\1', param['pattern']), option
    if isinstance(param.get('format'), str):
        # A list format (pve-vmid-list) is checked element by element; formats FORMATS lacks are PVE's alone.
        wanted = param['format'][:-len('-list')] if param['format'].endswith('-list') else param['format']
        if wanted in limits.FORMATS:
            assert limit.format == wanted, option


GOOD = {
    'pve-vmid': ['100', '999999999'], 'pve-node': ['pve1', 'node-2', 'a'],
    'pve-storage-id': ['local', 'backup-nfs', 'a.b_c'], 'pve-poolid': ['demo', 'team-a/dev', 'a/b/c'],
    'pve-userid': ['alice@pve', 'root@pam', 'a.b@corp-ad'], 'pve-groupid': ['ops', 'a.b-c_d'],
    'pve-roleid': ['PVEAdmin', 'Ops.2'], 'pve-realm': ['pve', 'corp-ad'], 'pve-configid': ['nightly', 'snap_1'],
    'pve-tag': ['prod', 'a+b', '_x.y'], 'dns-name': ['web01', 'a.example.com', 'x-1'],
    'pve-iface': ['vmbr0', 'eno1.20', 'bond_0', 'eth0:1'],
}
BAD = {
    'pve-vmid': ['99', '0100', '1000000000'], 'pve-node': ['-pve', 'pve_1', 'pve.1'],
    'pve-storage-id': ['1local', 'local-', 'lo cal'], 'pve-poolid': ['a/b/c/d', 'a b', ''],
    'pve-userid': ['alice', 'alice@', 'a:b@pve', 'a@1realm'], 'pve-groupid': ['a b', 'a/b'],
    'pve-roleid': ['a b', 'a:b'], 'pve-realm': ['1pve', 'p', 'a b'], 'pve-configid': ['1st', 'a', 'a.b'],
    'pve-tag': ['-x', 'a b', 'a;b'], 'dns-name': ['-web', 'web_01', 'a..b', 'web01-'],
    'pve-iface': ['1eth', 'a', 'vmbr-0', 'eno1.x'],
}


@pytest.mark.parametrize('name', sorted(GOOD))
def test_formats_agree_with_the_simulators(name):
    pattern, _what, longest = limits.FORMATS[name]
    for value in GOOD[name]:
        assert re.fullmatch(pattern, value) and pve_formats.check(name, value) is None, value
    for value in BAD[name]:
        assert not re.fullmatch(pattern, value) or (longest and len(value) > longest), value
        assert pve_formats.check(name, value) is not None, value


@pytest.mark.parametrize('module, params, option', [
    ('vm', dict(vmid=150, name='big', node='pve1', memory=10 ** 30), 'memory'),
    ('vm', dict(vmid=99, name='small', node='pve1'), 'vmid'),
    ('vm', dict(vmid=150, name='VM 150', node='pve1'), 'name'),
    ('container', dict(vmid=250, node='pve1', cores=9000), 'cores'),
    ('storage', dict(name='extra', type='pbs', port=70000), 'port'),
    ('storage', dict(name='-x', type='dir', path='/x'), 'name'),
    ('storage', dict(name='extra', type='dir', path='/x', retention=dict(keep_last=0)), 'retention'),
    ('backup', dict(vmids=[100, 42], storage='local'), 'vmids'),
    ('backup_job', dict(id='nightly', schedule='x' * 200, all=True, storage='local'), 'schedule'),
    ('user', dict(userid='carol@pve', password='short'), 'password'),
    ('token', dict(userid='alice@pve', tokenid='ci', expire=-1), 'expire'),
    ('ha_resource', dict(vmid=100, max_restart=-1), 'max_restart'),
    ('network_interface', dict(node='pve1', type='vlan', vlan_raw_device='eno1', vlan_id=4095), 'vlan_id'),
    ('network_interface', dict(node='pve1', iface='vmbr-1', type='bridge'), 'iface'),
])
def test_a_value_outside_its_limit_names_the_option_and_sends_nothing(module, params, option):
    result = runner.run(module_tool(module), params, NOWHERE)
    assert result['failed'] is True and result['field'] == option, result
    assert result['msg'].startswith(option) and 'expected' in result['msg'], result['msg']
    assert 'cannot reach' not in result['msg']


def test_the_message_says_what_was_expected():
    with pytest.raises(Exception) as info:
        limits.check({'memory': limits.Limit(minimum=16, maximum=limits.MAX_MEM, unit='MiB'),
                      'retention.keep_last': limits.KEEP['retention.keep_last'], 'vmids': limits.VMID},
                     dict(memory=10 ** 30, retention=dict(keep_last=0), vmids=[100, 5]))
    assert str(info.value) == ('memory: 1e+30 is above the maximum; expected a number from 16 to 4194304 MiB; '
                               'retention.keep_last: 0 is below the minimum; expected a positive number of backups; '
                               'vmids[1]: 5 is below the minimum; expected a vmid from 100 to 999999999')
    assert info.value.field == 'memory'
