# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's keep rules (PVE's prune_mark_backup_group) as a table: backups by age, rules, what stays."""

import datetime

import pytest
from fakepve import PveError

from pvesim.backups import mark_backup_group, parse_prune_backups

# 2026-11-25 (a Wednesday) 12:00 UTC.
NOW = int(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC).timestamp())
H, D = 3600, 86400

CASES = [
    # (name, backup ages in seconds, keep rules, indexes kept)
    ('no rule keeps all', [0, D, 2 * D], {}, [0, 1, 2]),
    ('keep-all', [0, D], {'keep-all': 1}, [0, 1]),
    ('keep-last 2', [0, H, 2 * H, 3 * H], {'keep-last': 2}, [0, 1]),
    ('keep-daily keeps the newest of a day', [0, H, D, D + H, 2 * D], {'keep-daily': 2}, [0, 2]),
    ('keep-last then daily skips covered days', [0, H, D, 2 * D], {'keep-last': 1, 'keep-daily': 2}, [0, 2, 3]),
    ('days without backups do not count', [0, 5 * D, 9 * D], {'keep-daily': 2}, [0, 1]),
    ('keep-weekly', [0, D, 7 * D, 8 * D, 14 * D], {'keep-weekly': 2}, [0, 2]),
    ('keep-monthly', [0, 40 * D, 70 * D], {'keep-monthly': 2}, [0, 1]),
    ('keep-yearly', [0, 400 * D, 800 * D], {'keep-yearly': 1}, [0]),
    ('keep-hourly keeps the newest of an hour', [0, 30 * 60, H, 2 * H], {'keep-hourly': 2}, [0, 1]),
    ('more rules than backups', [0], {'keep-last': 5, 'keep-daily': 5}, [0]),
]


@pytest.mark.parametrize('name,ages,keep,kept', CASES, ids=[c[0] for c in CASES])
def test_keep_rules(name, ages, keep, kept):
    entries = [{'ctime': NOW - age, 'n': n} for n, age in enumerate(ages)]
    mark_backup_group(entries, keep)
    assert sorted(e['n'] for e in entries if e['mark'] == 'keep') == kept
    assert all(e['mark'] in ('keep', 'remove') for e in entries)


def test_protected_backups_count_for_no_rule():
    entries = [{'ctime': NOW, 'mark': 'protected'}, {'ctime': NOW - H}, {'ctime': NOW - 2 * H}]
    mark_backup_group(entries, {'keep-last': 1})
    assert [e['mark'] for e in entries] == ['protected', 'keep', 'remove']


def test_periods_follow_the_node_time_zone():
    # 23:30 and 00:30 UTC are the same day in UTC+2 but two days in UTC.
    late = int(datetime.datetime(2026, 11, 24, 23, 30, tzinfo=datetime.UTC).timestamp())
    entries = [{'ctime': late + H}, {'ctime': late}]
    mark_backup_group(entries, {'keep-daily': 2})
    assert [e['mark'] for e in entries] == ['keep', 'keep']
    entries = [{'ctime': late + H}, {'ctime': late}]
    mark_backup_group(entries, {'keep-daily': 2}, datetime.timezone(datetime.timedelta(hours=-2)))
    assert [e['mark'] for e in entries] == ['keep', 'remove']


@pytest.mark.parametrize('text,error', [
    ('keep-last=0', 'positive'), ('keep-lst=3', 'unknown property'), ('keep-all=1,keep-last=2', 'keep-all'),
    ('keep-daily=x', 'positive'),
])
def test_bad_prune_backups(text, error):
    with pytest.raises(PveError) as info:
        parse_prune_backups(text)
    assert info.value.status == 400 and error in info.value.errors['prune-backups']


def test_prune_backups_parse():
    assert parse_prune_backups('keep-last=3, keep-daily=7') == {'keep-last': 3, 'keep-daily': 7}
