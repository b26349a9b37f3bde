# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""In-process execution of the real module: what ansible-playbook would do, without a subprocess.

``run(tool, arguments, connection, check_mode=..., observer=...)`` checks the adapter's argument rules and
hands the module params to ``run_module(module, params, check_mode=..., diff=...)``, the public entry point
that runs a module by name (tests and tools use it directly). It calls the module's
``main(module_class=...)`` with ``CallModule``, an AnsibleModule subclass that

- takes the params handed in (no stdin, no ``_ANSIBLE_ARGS`` global), including the internal
  ``_ansible_check_mode`` / ``_ansible_diff`` / ``_ansible_module_name`` the controller would send;
- runs AnsibleModule's own validation (types, choices, required, mutually exclusive, ...) and no_log
  collection unchanged, and masks the result with ``remove_values(result, no_log_values)`` as
  ``exit_json`` does;
- records the result of exit_json / fail_json (a private exception unwinds the module) instead of
  printing it, and never writes to stdout;
- keeps warnings and deprecations on the instance, not in ansible's module-global lists, so concurrent
  calls cannot see each other's;
- does no syslog/journal logging, no locale or working-directory changes (process-global state);
- exposes ``pveops_task_observer(upid, status)``, which module_utils/module.py hands to the client, so the
  adapter can send progress while the module waits on a task;
- exposes ``pveops_session_cache``, a per-thread dict of logged-in sessions, so a call does not log in again.

The returned dict is what a playbook task would register, minus ``invocation``.
Every call builds its own module instance and client: calls are independent and thread-safe; only the
login session of the worker thread is reused.
"""

from __future__ import annotations

import copy
import logging
import threading

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.parameters import remove_values

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


def _session_cache():
    cache = getattr(_THREAD, 'sessions', None)
    if cache is None:
        cache = _THREAD.sessions = {}
    return cache


class _ModuleExit(BaseException):
    """Unwinds the module after exit_json / fail_json recorded the result (a BaseException, like SystemExit,
    so a module's ``except Exception`` cannot swallow it)."""


class Call:
    """The inputs and, afterwards, the outputs of one module execution (module: a catalogue.ModuleInfo)."""

    def __init__(self, module, params, check_mode=False, diff=True, observer=None):
        self.module_info = module
        self.params = params
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)
        self.observer = observer
        self.result = None
        self.module = None

    def module_params(self):
        params = copy.deepcopy(self.params)
        params.update(
            _ansible_check_mode=self.check_mode,
            _ansible_diff=self.diff,
            _ansible_module_name=self.module_info.fqcn,
            _ansible_no_log=False,
            _ansible_verbosity=0,
            _ansible_debug=False,
            _ansible_keep_remote_files=False,
        )
        return params


class CallModule(AnsibleModule):
    """AnsibleModule for one in-process call (see the module docstring)."""

    def __init__(self, call, **kwargs):
        self._pveops_call = call
        self._pveops_warnings = []
        self._pveops_deprecations = []
        call.module = self
        super().__init__(**kwargs)

    # --- input: params handed in, no process-global side effects
    def _load_params(self):
        self.params = self._pveops_call.module_params()

    def _check_locale(self):
        pass

    def _set_cwd(self):
        return None

    def _log_invocation(self):
        pass

    def log(self, msg, log_args=None):
        pass

    # --- warnings and deprecations: per instance
    def warn(self, warning, *, help_text=None):
        text = str(warning) if not help_text else '{0} {1}'.format(warning, help_text)
        if text not in self._pveops_warnings:
            self._pveops_warnings.append(text)

    def error_as_warning(self, msg, exception, *, help_text=None):
        self.warn('{0}: {1}'.format(msg, exception) if msg else str(exception), help_text=help_text)

    def deprecate(self, msg, version=None, date=None, collection_name=None, *, deprecator=None, help_text=None):
        entry = dict(msg=str(msg))
        if version:
            entry['version'] = version
        if date:
            entry['date'] = str(date)
        if collection_name:
            entry['collection_name'] = collection_name
        if entry not in self._pveops_deprecations:
            self._pveops_deprecations.append(entry)

    # --- logged-in sessions shared by the calls of one worker thread
    @property
    def pveops_session_cache(self):
        return _session_cache()

    # --- progress while a task runs
    def pveops_task_observer(self, upid, status):
        observer = self._pveops_call.observer
        if observer is not None:
            try:
                observer(upid, status)
            except Exception as exc:  # progress is best effort; it never fails the operation
                LOG.debug('progress observer failed: %s', exc)

    # --- output: recorded, masked as exit_json masks it, never printed
    def _return_formatted(self, kwargs):
        self.add_path_info(kwargs)
        for key in ('warnings', 'deprecations'):
            passed = kwargs.pop(key, None)
            if passed:
                for item in passed if isinstance(passed, list) else [passed]:
                    self.warn(item) if key == 'warnings' else self.deprecate(str(item))
        if self._pveops_warnings:
            kwargs['warnings'] = list(self._pveops_warnings)
        if self._pveops_deprecations:
            kwargs['deprecations'] = list(self._pveops_deprecations)
        preserved = dict((k, v) for k, v in kwargs.items() if v is None or isinstance(v, bool))
        kwargs = remove_values(kwargs, self.no_log_values)
        kwargs.update(preserved)
        self._pveops_call.result = kwargs

    def _record_module_result(self, o):
        self._pveops_call.result = o

    def exit_json(self, **kwargs):
        self.do_cleanup_files()
        self._return_formatted(kwargs)
        raise _ModuleExit()

    def fail_json(self, msg, *, exception=None, **kwargs):
        kwargs.update(failed=True, msg=str(msg))
        self.do_cleanup_files()
        self._return_formatted(kwargs)
        raise _ModuleExit()


def argument_errors(tool, arguments):
    """Problems with the caller's arguments that the module cannot see (the adapter's own rules)."""
    allowed = set(tool.input_schema['properties'])
    problems = []
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


def boolean_for_number(key, value, schema):
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


def module_arguments(tool, arguments, connection):
    """The module params: the adapter's connection, the caller's arguments, the tool's fixed arguments."""
    params = dict((k, v) for k, v in (connection or {}).items() if v is not None)
    params.update((k, v) for k, v in arguments.items() if k not in ADAPTER_ARGS)
    params.update(copy.deepcopy(tool.fixed))
    return params


def secret_values(module, params):
    """The values of no_log options of the module (a catalogue.ModuleInfo) in params (for masking outside
    AnsibleModule's own path)."""
    values = set()
    spec = module.argument_spec
    for key, opt in spec.items():
        if opt.get('no_log') and params.get(key) not in (None, ''):
            values.add(str(params[key]))
    return values


_MODULES = {}
_MODULES_LOCK = threading.Lock()


def module_info(name):
    """The catalogue.ModuleInfo of pve.ops.<name> (loaded once per process)."""
    with _MODULES_LOCK:
        if name not in _MODULES:
            _MODULES[name] = catalogue.ModuleInfo(name)
        return _MODULES[name]


def run_module(module, params, check_mode=False, diff=True, observer=None):
    """Run a pve.ops module once in-process, as ansible-playbook would run the task; returns the result dict
    (``failed: true`` and ``msg`` on failure), without ``invocation``.

    module is a module name (``'vm'``) or a catalogue.ModuleInfo; params are the module's params, the
    connection options included (api_host, api_user, ...). check_mode and diff are Ansible's --check and
    --diff. A module that raises is reported like ansible-playbook's MODULE FAILURE (``msg`` names the
    exception), with secrets masked.
    """
    info = module_info(module) if isinstance(module, str) else module
    call = Call(info, params, check_mode=check_mode, diff=diff, observer=observer)
    try:
        def factory(**kwargs):
            return CallModule(call, **kwargs)
        # The raw params, for the module base's pre-check of dict options (module_utils/module.py _build).
        factory.pveops_params = call.params
        info.main(factory)
    except _ModuleExit:
        pass
    except SystemExit as exc:
        if call.result is None:
            call.result = dict(failed=True, msg='{0} exited ({1}) without a result'.format(info.fqcn, exc.code))
    except Exception as exc:
        # A bug in the module: report it like ansible-playbook's MODULE FAILURE, with secrets masked.
        masks = secret_values(info, params) | (call.module.no_log_values if call.module is not None else set())
        call.result = dict(failed=True, msg=remove_values('{0} failed: {1}: {2}'.format(
            info.fqcn, type(exc).__name__, exc), masks))
    if call.result is None:
        call.result = dict(failed=True, msg='{0} returned no result'.format(info.fqcn))
    result = call.result
    result.pop('invocation', None)
    result.setdefault('changed', False)
    return result


def run(tool, arguments, connection=None, check_mode=False, diff=True, observer=None):
    """Run the tool's module once; returns the result dict (``failed: true`` and ``msg`` on failure)."""
    arguments = dict(arguments or {})
    problems = argument_errors(tool, arguments)
    if problems:
        return dict(failed=True, changed=False, msg='bad arguments for {0}: {1}'.format(tool.name, '; '.join(problems)))
    params = module_arguments(tool, arguments, connection)
    return run_module(tool.module, params, check_mode=check_mode, diff=diff, observer=observer)
