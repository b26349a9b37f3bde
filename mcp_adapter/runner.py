# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""In-process execution of the real module: what ansible-playbook would do, without a subprocess.

``run(tool, arguments, connection, check_mode=..., observer=...)`` checks the adapter's argument rules and
hands the module params to ``run_module(module, params, check_mode=..., diff=...)``, the public entry point
that runs a module by name (tests and tools use it directly). The execution itself is the collection's
(``plugins/plugin_utils/inprocess.py``, shared with the action plugin that runs playbook tasks in the
controller): the module's ``main(module_class=...)`` with an AnsibleModule subclass that takes the params handed
in, validates and masks as AnsibleModule does, records the result instead of printing it, and keeps warnings and
deprecations per call. What the adapter adds here:

- ``pveops_task_observer(upid, status)`` progress, the caller's ``observer``;
- a per-thread dict of logged-in sessions (``pveops_session_cache``), so a call does not log in again.

The returned dict is what a playbook task would register, minus ``invocation``.
Every call builds its own module instance and client: calls are independent and thread-safe; only the
login session of the worker thread is reused.
"""

from __future__ import annotations

import copy
import logging
import threading
from typing import Any

from ansible_collections.pve.ops.plugins.plugin_utils import inprocess
from mcp_adapter import catalogue
from mcp_adapter.schema import ADAPTER_ARGS

# Request bodies (passwords, token secrets) must never reach a log.
for _name in ('proxmoxer', 'proxmoxer.core', 'urllib3'):
    logging.getLogger(_name).setLevel(logging.WARNING)

LOG = logging.getLogger('pve_mcp')

# Logged-in proxmoxer sessions, per worker thread (a requests.Session is not shared between threads),
# keyed by endpoint and a digest of the credentials (see ProxmoxClient): a call reuses its thread's
# ticket instead of logging in again.
_THREAD = threading.local()


def _session_cache() -> dict[Any, Any]:
    cache: dict[Any, Any] | None = getattr(_THREAD, 'sessions', None)
    if cache is None:
        cache = _THREAD.sessions = {}
    return cache


def argument_errors(tool: Any, arguments: dict[str, Any]) -> list[str]:
    """Problems with the caller's arguments that the module cannot see (the adapter's own rules)."""
    allowed = set(tool.input_schema['properties'])
    problems: list[str] = []
    for key in sorted(arguments):
        if key in tool.fixed:
            problems.append('{0} is fixed to {1!r} by the tool {2}'.format(key, tool.fixed[key], tool.name))
        elif key not in allowed:
            problems.append('unknown argument {0!r}'.format(key))
        else:
            problems.extend(boolean_for_number(key, arguments[key], tool.input_schema['properties'][key]))
    # The schema's required options: the module's own, and those the catalogue makes required for this tool
    # (get_node_status needs a node, where node_info alone would list every node).
    missing = [key for key in tool.input_schema.get('required', ()) if arguments.get(key) is None]
    if missing:
        problems.append('missing required argument(s): {0}'.format(', '.join(missing)))
    if problems:
        problems.append('{0} takes: {1}'.format(tool.name, ', '.join(sorted(allowed)) or 'no arguments'))
    return problems


def boolean_for_number(key: str, value: object, schema: dict[str, Any]) -> list[str]:
    """A JSON true/false where the schema wants a number (Python's bool is an int, so AnsibleModule would
    take ``vmid: true`` as the VM id 1)."""
    kinds = schema.get('type')
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if isinstance(value, bool) and ('integer' in kinds or 'number' in kinds) and 'boolean' not in kinds:
        return ['{0} must be a number, not {1}'.format(key, 'true' if value else 'false')]
    items = schema.get('items') or {}
    if isinstance(value, list) and items.get('type') in ('integer', 'number') and \
            any(isinstance(item, bool) for item in value):
        return ['{0} must be a list of numbers, not of true/false'.format(key)]
    return []


def module_arguments(tool: Any, arguments: dict[str, Any], connection: dict[str, Any] | None) -> dict[str, Any]:
    """The module params: the adapter's connection, the caller's arguments, the tool's fixed arguments."""
    params = dict((k, v) for k, v in (connection or {}).items() if v is not None)
    params.update((k, v) for k, v in arguments.items() if k not in ADAPTER_ARGS)
    params.update(copy.deepcopy(tool.fixed))
    return params


_MODULES: dict[str, catalogue.ModuleInfo] = {}
_MODULES_LOCK = threading.Lock()


def module_info(name: str) -> catalogue.ModuleInfo:
    """The catalogue.ModuleInfo of pve.ops.<name> (loaded once per process)."""
    with _MODULES_LOCK:
        if name not in _MODULES:
            _MODULES[name] = catalogue.ModuleInfo(name)
        return _MODULES[name]


def run_module(module: str | catalogue.ModuleInfo, params: dict[str, Any], check_mode: bool = False, diff: bool = True,
               observer: inprocess.Observer | None = None) -> dict[str, Any]:
    """Run a pve.ops module once in-process, as ansible-playbook would run the task; returns the result dict
    (``failed: true`` and ``msg`` on failure), without ``invocation``.

    module is a module name (``'vm'``) or a catalogue.ModuleInfo; params are the module's params, the
    connection options included (api_host, api_user, ...). check_mode and diff are Ansible's --check and
    --diff. A module that raises is reported like ansible-playbook's MODULE FAILURE (``msg`` names the
    exception), with secrets masked.
    """
    info = module_info(module) if isinstance(module, str) else module
    result = inprocess.run_main(info.main, info.fqcn, params, argument_spec=info.argument_spec,
                                check_mode=check_mode, diff=diff, observer=observer, session_cache=_session_cache())
    result.pop('invocation', None)
    return result


def run(tool: Any, arguments: dict[str, Any] | None, connection: dict[str, Any] | None = None, check_mode: bool = False,
        diff: bool = True, observer: inprocess.Observer | None = None) -> dict[str, Any]:
    """Run the tool's module once; returns the result dict (``failed: true`` and ``msg`` on failure)."""
    arguments = dict(arguments or {})
    problems = argument_errors(tool, arguments)
    if problems:
        return dict(failed=True, changed=False, msg='bad arguments for {0}: {1}'.format(tool.name, '; '.join(problems)))
    params = module_arguments(tool, arguments, connection)
    return run_module(tool.module, params, check_mode=check_mode, diff=diff, observer=observer)
