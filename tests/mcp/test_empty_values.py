# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Empty values ('', [], {}) mean "not set", as PVE keeps them: a second run changes nothing. Options that do not
apply to a storage type are refused before anything is sent."""

import pytest

from tests.helpers.inproc import quartet, run_module

JOB = dict(schedule='02:00', storage='backup-nfs')


@pytest.mark.parametrize('module, params', [
    ('storage', dict(name='s1', type='dir', path='/srv/s1', retention={}, nodes=[], options={})),
    ('backup_job', dict(JOB, id='j1', vmids=[100], exclude=[], comment='', notes_template='', retention={})),
    ('backup_job', dict(JOB, id='j2', all=True, exclude=[], mailto='')),
])
def test_empty_values_are_idempotent(pvesim, module, params):
    quartet(pvesim, module, params)


def test_an_empty_value_removes_what_is_set(pvesim):
    run_module(pvesim, 'backup_job', dict(JOB, id='j3', vmids=[100], comment='nightly', retention=dict(keep_last=3)))
    cleared = quartet(pvesim, 'backup_job', dict(id='j3', comment='', retention={}))
    assert 'comment' not in cleared[1]['job'] and 'prune-backups' not in cleared[1]['job']
    run_module(pvesim, 'storage', dict(name='s2', type='dir', path='/srv/s2', retention=dict(keep_daily=2)))
    assert 'prune-backups' not in quartet(pvesim, 'storage', dict(name='s2', retention={}))[1]['storage']
    refused = run_module(pvesim, 'backup_job', dict(id='j3', vmids=[]))
    assert refused['failed'] and refused['field'] == 'vmids'


@pytest.mark.parametrize('params, field', [
    (dict(name='s3', type='dir', path='/srv/s3', content=[]), 'content'),
    (dict(name='s4', type='nfs', server='192.0.2.9', export='/x', shared=True), 'shared'),
    (dict(name='s5', type='dir', path='/srv/s5', server='192.0.2.9'), 'server'),
])
def test_storage_options_that_cannot_apply_are_refused(pvesim, params, field):
    before = pvesim.stats()['writes']
    result = run_module(pvesim, 'storage', params)
    assert result['failed'] and result['field'] == field and field in result['msg']
    assert pvesim.stats()['writes'] == before
