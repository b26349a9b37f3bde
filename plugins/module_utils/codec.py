# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values to and from PVE's wire format: one function for each meaning, used by every area.

- Flags. PVE's boolean format (``PVE::JSONSchema::parse_boolean``) takes 1/0, yes/no, on/off and true/false in
  any case; PVE answers with 0/1 (a number or text; the cluster firewall's ``enable`` is a time stamp when on).
  Two readers, by where the value comes from. ``is_true`` reads PVE's answers and never fails: the words by
  their meaning, a number by its value, and any other text as true, as PVE's own code reads a set value (an
  answer is never refused for its spelling). ``bool_option`` reads a value a user gave (a free-form dict's
  value, a ``raw`` option): a bool, 0/1 or one of those words, else InvalidArgumentError naming the field
  (module options of ``type: bool`` are already read by Ansible). ``flag`` writes one as PVE's text
  ``'1'``/``'0'``.
- Config text. ``config_text`` is how a config value (or a property-string value) is compared: booleans
  and the words true/yes/false/no as ``'1'``/``'0'``, anything else as stripped text (``discard=on``
  stays ``on``: only ``flag`` reads on/off as a flag).
- Wire values. ``wire`` is a value as the API takes it: booleans as 1/0, whole floats as ints, lists
  joined with commas, a ``Repeated`` list (an array parameter) as its items.
- Sizes. ``size_bytes`` reads ``32G``, ``512M``, ``1.5T`` or a number of bytes (ansible-core's
  ``human_to_bytes``); ``size_text`` writes bytes as PVE does (the largest unit that divides exactly);
  ``gib`` reads a size where a bare number means GiB (PVE's ``STORAGE:SIZE``) and ``gib_text`` writes one.
- Tags. One case rule, PVE's (pve-guest-common's ``get_unique_tags``, applied to every tags PVE is given):
  PVE drops duplicates and sorts the tags, and with the datacenter's ``tag-style`` ``case-sensitive`` off (its
  default) it stores them in lower case; with it on it keeps their case. pve.ops writes the tags as given
  (``tag_text``: PVE applies its rule), lists them as PVE sends them (``tag_list``) and compares and filters
  them as PVE's default matches them, without regard to case (``tags``, ``has_tags``); tags that differ only
  in case are a change where the datacenter's ``tag-style`` is case-sensitive (the guest reconciler asks).
"""

from __future__ import annotations

import re

from ansible.module_utils.common.text.formatters import human_to_bytes

from ansible_collections.pve.ops.plugins.module_utils import errors

FALSE_WORDS = ('', '0', 'false', 'no', 'off')
TRUE_WORDS = ('1', 'true', 'yes', 'on')
_INTEGER = re.compile(r'^[+-]?\d+$')
GIB = 1024 ** 3
_UNITS = {'K': 1024, 'M': 1024 ** 2, 'G': 1024 ** 3, 'T': 1024 ** 4, 'P': 1024 ** 5}
_PLAIN_NUMBER = re.compile(r'^\d+(\.\d+)?$')
_SIZE = re.compile(r'^(\d+(?:\.\d+)?)([KMGTP]?B?)$')


# ---------------------------------------------------------------------------------------------- flags


def is_true(value, default=False):
    """A flag PVE answered, as a bool; never fails. None is ``default``; text: FALSE_WORDS and TRUE_WORDS (any
    case) by meaning, an integer by its value (``'0'``, a time stamp), any other text true (set)."""
    if value is None:
        return default
    if isinstance(value, str):
        text = value.strip().lower()
        if text in FALSE_WORDS or text in TRUE_WORDS:
            return text in TRUE_WORDS
        return int(text) != 0 if _INTEGER.match(text) else True
    return bool(value)


def bool_option(value, field):
    """A flag a user gave, as a bool: True/False, 0/1 or PVE's words (1/0, yes/no, on/off, true/false, any
    case); anything else is InvalidArgumentError naming ``field``, before anything is sent."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = value.strip().lower() if isinstance(value, str) else None
    if text and (text in TRUE_WORDS or text in FALSE_WORDS):
        return text in TRUE_WORDS
    raise errors.InvalidArgumentError('{0}: {1!r} is not a boolean (expected true/false, yes/no, on/off or '
                                      '1/0)'.format(field, value), field=field)


def flag(value):
    """A flag as PVE's text '1' or '0' (True, 'yes', 'on', 1 -> '1'); text that is no flag word, as it is."""
    if isinstance(value, bool):
        return '1' if value else '0'
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return '1'
    if text in FALSE_WORDS:
        return '0'
    return str(value)


def config_text(value):
    """A config value as compared: booleans and true/yes/false/no as '1'/'0'; anything else as stripped text."""
    if isinstance(value, bool):
        return '1' if value else '0'
    text = str(value).strip()
    low = text.lower()
    if low in ('true', 'yes'):
        return '1'
    if low in ('false', 'no'):
        return '0'
    return text


# ---------------------------------------------------------------------------------------------- wire


class Repeated(list):
    """A list the API takes as an array parameter (``type: array``): the name repeated once per item (PVE reads
    repeated names as the array), never joined, since an item may hold a comma."""


def wire(value):
    """A value as the API takes it: booleans as 1/0, whole floats as ints, lists joined with commas (a
    ``Repeated`` list item by item)."""
    if isinstance(value, Repeated):
        return [wire_text(v) for v in value]
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)):
        return ','.join(str(wire(v)) for v in value)
    return value


def wire_text(value):
    """``wire(value)`` as text (how PVE shows it back)."""
    return str(wire(value))


# ---------------------------------------------------------------------------------------------- sizes


def size_bytes(value):
    """``32G``, ``512M``, ``1.5T`` or a number of bytes -> bytes (int); None for None. ValueError if malformed."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    text = re.sub(r'\s+', '', str(value)).upper()
    if not _SIZE.match(text):
        raise ValueError('not a size: {0!r} (expected a number with an optional K, M, G, T or P suffix)'.format(value))
    return int(human_to_bytes(text))


def size_text(nbytes):
    """Bytes as PVE writes sizes: the largest unit that divides exactly (``34359738368`` -> ``32G``)."""
    for unit in ('P', 'T', 'G', 'M', 'K'):
        if nbytes and nbytes % _UNITS[unit] == 0:
            return '{0}{1}'.format(nbytes // _UNITS[unit], unit)
    return str(nbytes)


def gib(value):
    """A size where a bare number is GiB (as PVE's STORAGE:SIZE), else as ``size_bytes``; None for None."""
    if value is None:
        return None
    text = str(value).strip()
    if _PLAIN_NUMBER.match(text):
        return int(float(text) * GIB)
    return size_bytes(text)


def gib_text(nbytes, places=6):
    """Bytes as the GiB number of STORAGE:SIZE (``8``, ``0.5``), to ``places`` decimals."""
    value = nbytes / float(GIB)
    if value.is_integer():
        return str(int(value))
    return ('%.*f' % (places, value)).rstrip('0').rstrip('.')


# ---------------------------------------------------------------------------------------------- tags


def split_list(value):
    """PVE's lists (comma, semicolon or space separated) as a list of text; lists pass through."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if str(v)]
    return [item for item in re.split(r'[\s,;]+', str(value)) if item]


def tags(value):
    """Tags (``a;b``, older releases' commas or spaces, or a list) as PVE's default matches them: in lower case,
    sorted, without duplicates. For comparing; never for what is shown or written."""
    return sorted(set(t.lower() for t in split_list(value) if t))


def has_tags(have, want):
    """True when every tag of ``want`` is among ``have`` (matched as ``tags`` matches)."""
    return set(tags(want)) <= set(tags(have))


def tag_list(value):
    """Tags as PVE sends them (``a;b``) as a list, in its order and case."""
    return split_list(value)


def tag_text(value):
    """Tags as the API takes them (``a;b``): in the case given, without repeats, sorted as PVE sorts them by
    default; PVE applies its case rule."""
    return ';'.join(sorted(set(split_list(value)), key=lambda t: (t.lower(), t)))
