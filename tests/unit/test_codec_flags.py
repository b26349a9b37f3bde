# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two flag readers of codec: ``is_true`` for PVE's answers (never fails), ``bool_option`` for a user's
value (PVE's boolean words or a clear error)."""

import pytest

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.storage.definitions import desired_storage

# PVE::JSONSchema::parse_boolean: 1|on|yes|true and 0|off|no|false, any case.
PVE_WORDS = [('1', True), ('on', True), ('yes', True), ('true', True), ('TRUE', True), ('On', True),
             ('0', False), ('off', False), ('no', False), ('false', False), ('FALSE', False), ('Off', False)]


@pytest.mark.parametrize('value, expected', PVE_WORDS + [
    (1, True), (0, False), (True, True), (False, False),
    ('', False), (' 1 ', True),
    ('1700000000', True),   # the cluster firewall's `enable`: a time stamp when on
    ('00', False),          # an integer by its value
    ('enabled', True),      # other text: set, as PVE's own code reads it; an answer is never refused
])
def test_is_true_reads_pve_answers(value, expected):
    assert codec.is_true(value) is expected


def test_is_true_default_only_for_none():
    assert codec.is_true(None) is False
    assert codec.is_true(None, True) is True
    assert codec.is_true('0', True) is False


@pytest.mark.parametrize('value, expected', PVE_WORDS + [(True, True), (False, False), (1, True), (0, False),
                                                          (' yes ', True)])
def test_bool_option_takes_pve_words(value, expected):
    assert codec.bool_option(value, 'options.enable') is expected


@pytest.mark.parametrize('value', ['maybe', 'enabled', '', '2', 2, -1, None, 1.5, [1]])
def test_bool_option_refuses_other_values(value):
    with pytest.raises(errors.InvalidArgumentError) as raised:
        codec.bool_option(value, 'options.ebtables')
    assert raised.value.field == 'options.ebtables'
    assert 'options.ebtables' in str(raised.value) and 'not a boolean' in str(raised.value)



@pytest.mark.parametrize('text, expected', [('no', False), ('OFF', False), ('yes', True), ('1', True)])
def test_storage_shared_flag_in_options_is_read_as_pve_does(text, expected):
    # options: {shared: 'no'} was read as true (any non-empty text), so a shared storage stayed shared.
    assert desired_storage({'options': {'shared': text}})['shared'] is expected


def test_storage_shared_flag_in_options_refuses_other_text():
    with pytest.raises(errors.InvalidArgumentError) as raised:
        desired_storage({'options': {'shared': 'maybe'}})
    assert raised.value.field == 'options.shared'
