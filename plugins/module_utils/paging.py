# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pages of a listing: ``limit`` items from ``offset``, each cut to ``fields``, with ``page`` saying the total.

The options (``argument_spec()``, documented by the doc fragment ``pve.ops.paging``) are a module's own, so a
playbook pages as the MCP adapter does; the adapter hands its paging arguments to a module that takes them and
cuts the result of any other list tool with ``page`` too, so both doors answer the same shape:
``page = {total, offset, limit, returned, more[, next_offset]}``. Nothing is cut silently: ``more`` says there
is more and ``next_offset`` is where the next page starts. Without ``limit`` the page is the whole rest of the
list (``limit: null``).
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors, limits

LIMIT, OFFSET, FIELDS = 'limit', 'offset', 'fields'
OPTIONS = (LIMIT, OFFSET, FIELDS)
LIMITS = {
    LIMIT: limits.Limit(minimum=1, source='pve.ops: items per page', expected='a positive number of items'),
    OFFSET: limits.Limit(minimum=0, source='pve.ops: the first item of the page', expected='0 or more'),
}


def argument_spec():
    """The paging options of a listing module (see the doc fragment pve.ops.paging)."""
    return dict(
        limit=dict(type='int'),
        offset=dict(type='int', default=0),
        fields=dict(type='list', elements='str'),
    )


def window(total, offset, limit):
    """(start, stop) of the page in a list of ``total`` items."""
    stop = total if limit is None else min(total, offset + limit)
    return min(offset, total), stop


def info(total, offset, limit, returned):
    """The ``page`` of a result."""
    more = offset + returned < total
    page = dict(total=total, offset=offset, limit=limit, returned=returned, more=more)
    if more:
        page['next_offset'] = offset + returned
    return page


def check_fields(fields, present, any_items=True):
    """Refuse fields that no item has (naming the keys there are); nothing to check without items."""
    unknown = [f for f in fields or () if f not in present]
    if unknown and any_items:
        raise errors.InvalidArgumentError('{0}: no item has {1} (the items have: {2})'.format(
            FIELDS, ', '.join(unknown), ', '.join(sorted(present))), field=FIELDS)


def select(item, fields):
    """An item cut to ``fields`` (all of it without fields)."""
    if fields is None or not isinstance(item, dict):
        return item
    return dict((f, item[f]) for f in fields if f in item)


def cut(items, offset=0, limit=None, fields=None):
    """(the page of ``items``, its ``page``): the list cut to the page, each item to ``fields``; raises
    InvalidArgumentError for a field that no item of the list has."""
    if fields is not None:
        check_fields(fields, set(k for item in items if isinstance(item, dict) for k in item), bool(items))
    start, stop = window(len(items), offset, limit)
    chosen = [select(item, fields) for item in items[start:stop]]
    return chosen, info(len(items), offset, limit, len(chosen))
