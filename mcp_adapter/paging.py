# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pages of list results: a list tool answers one bounded page, with the total and where the next page starts.

A list tool (``PAGED``: tool -> the result key holding its list) takes three paging arguments besides the
module's options: ``limit`` (items per page, default ``DEFAULT_LIMIT``, at most ``MAX_LIMIT``), ``offset``
(the first item, default 0) and ``fields`` (the keys to keep of each item). A module that pages itself (it has
these options: vm_info, container_info, see the collection's module_utils/paging.py) gets them as its own
options, so it reads and shapes only the page, and its result is what a playbook task with the same options
registers. For any other list tool the module runs as always and the adapter then cuts its list with the same
helper. Either way the result carries ``page``: ``{total, offset, limit, returned, more, next_offset}``.
Nothing is cut silently: ``more`` says there is more, ``next_offset`` is the offset of the next page, and the
text summary says so too. A field that no item has is an error naming the keys there are.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils import paging as module_paging
from ansible_collections.pve.ops.plugins.module_utils.paging import FIELDS, LIMIT, OFFSET

PAGING_ARGS = module_paging.OPTIONS
DEFAULT_LIMIT = 100
MIN_LIMIT, MAX_LIMIT = 1, 1000

PAGED = dict(
    [(name, 'vms') for name in ('get_vms', 'get_vm_status', 'get_vm_config', 'get_vm_stats', 'list_vm_snapshots')]
    + [(name, 'containers') for name in ('get_containers', 'get_container_status', 'get_container_config',
                                          'get_container_stats', 'list_container_snapshots')]
    + [('get_cluster_resources', 'resources'), ('get_nodes', 'nodes'), ('list_users', 'users'),
       ('list_groups', 'groups'), ('list_roles', 'roles'), ('list_acl', 'acl'), ('list_api_tokens', 'tokens'),
       ('get_storage', 'storages'), ('get_node_storage', 'status'), ('get_storage_content', 'content'),
       ('list_backups', 'content'), ('list_pools', 'pools'), ('get_security_groups', 'groups')])


def key_of(tool):
    """The result key a tool pages (None when it is no list tool)."""
    return PAGED.get(tool.name)


def pages_itself(tool):
    """Whether the tool's module takes the paging options itself."""
    return set(PAGING_ARGS) <= set(tool.module.argument_spec)


def schema_properties():
    """The paging arguments' schemas (the server's instructions say what they do and limit's default, once)."""
    return {
        LIMIT: {'type': 'integer', 'minimum': MIN_LIMIT, 'maximum': MAX_LIMIT},
        OFFSET: {'type': 'integer', 'minimum': 0},
        FIELDS: {'type': 'array', 'items': {'type': 'string'}},
    }


def split(tool, arguments):
    """(module arguments, paging arguments, problems) of a call; paging arguments only for a list tool."""
    if key_of(tool) is None:
        return arguments, None, []
    rest = dict((k, v) for k, v in arguments.items() if k not in PAGING_ARGS)
    if pages_itself(tool):
        rest.update((k, arguments[k]) for k in PAGING_ARGS if arguments.get(k) is not None)
        rest.setdefault(LIMIT, DEFAULT_LIMIT)
    problems = []
    page = dict(limit=arguments.get(LIMIT, DEFAULT_LIMIT), offset=arguments.get(OFFSET, 0),
                fields=arguments.get(FIELDS))
    for key, low, high in ((LIMIT, MIN_LIMIT, MAX_LIMIT), (OFFSET, 0, None)):
        value = page[key]
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append('{0} must be a whole number, not {1!r}'.format(key, value))
        elif value < low or (high is not None and value > high):
            problems.append('{0} must be {1}{2}, not {3}'.format(
                key, 'at least {0}'.format(low), ' and at most {0}'.format(high) if high else '', value))
    fields = page[FIELDS]
    if fields is not None and (not isinstance(fields, list) or not all(isinstance(f, str) and f for f in fields)):
        problems.append('{0} must be a list of key names, not {1!r}'.format(FIELDS, fields))
    return rest, None if pages_itself(tool) else page, problems


def apply(tool, result, page):
    """Cut the tool's list in result to the page (in place) when the module did not; returns a problem text or
    None."""
    key = key_of(tool)
    items = result.get(key)
    if page is None or result.get('failed') or not isinstance(items, list):
        return None
    try:
        result[key], result['page'] = module_paging.cut(items, page[OFFSET], page[LIMIT], page[FIELDS])
    except errors.InvalidArgumentError as exc:
        return str(exc)
    return None


def summary(tool, result):
    """A sentence on the page for the text summary ('' when there is none)."""
    page, key = result.get('page'), key_of(tool)
    if not isinstance(page, dict) or key is None:
        return ''
    if not page['returned']:
        return ' - {0}: none of {1} at offset {2}'.format(key, page['total'], page['offset'])
    text = ' - {0} {1}-{2} of {3}'.format(key, page['offset'] + 1, page['offset'] + page['returned'],
                                          page['total'])
    if page['more']:
        text += '; more: call again with offset {0}'.format(page['next_offset'])
    return text
