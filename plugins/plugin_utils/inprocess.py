# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a pve.ops module in the calling process: what ansible-playbook's module round trip does, without a
subprocess. Used by the action plugin ``pve.ops.direct`` (direct execution in the controller) and by the MCP
adapter's runner (``mcp_adapter/runner.py``), so both doors share one implementation that ships with the
collection.

``run_main(main, fqcn, params, ...)`` calls the module's ``main(module_class=...)`` with ``CallModule``, an
AnsibleModule subclass that

- takes the params handed in (no stdin, no ``_ANSIBLE_ARGS`` global), including the internal
  ``_ansible_check_mode`` / ``_ansible_diff`` / ``_ansible_module_name`` ... the controller sends (the action
  plugin hands in the controller's own; by default those of a plain task);
- runs AnsibleModule's own validation (types, choices, required, mutually exclusive, ...) and no_log
  collection unchanged; core's own exit_json / fail_json add ``invocation`` and mask the result;
- records the result of core's own exit_json / fail_json (through the hook ansible.netcommon's in-worker
  execution uses, ``_record_module_result``) instead of printing it, and never writes to stdout; core's
  ``sys.exit`` then unwinds the module;
- keeps warnings and deprecations on the instance, not in ansible's module-global lists (nor the controller's
  display), so concurrent calls cannot see each other's; the validator's own warnings (an option given
  together with its alias) and deprecations are kept there too;
- does no syslog/journal logging and no locale change (process-global state);
- exposes ``pveops_task_observer(upid, status)``, which module_utils/module.py hands to the client, so a
  caller can follow a task while the module waits on it;
- exposes ``pveops_session_cache``, the caller's dict of logged-in sessions (or None), so a call can reuse a
  login of an earlier call instead of logging in again. Sessions live in memory only.

The returned dict is what the module would have printed, ``invocation`` included, ``changed`` defaulting to
false. A module that raises is reported like a module failure (``failed``, ``msg`` naming the exception),
with secrets masked.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.pve.ops.plugins.module_utils.module import connection_argument_spec

LOG = logging.getLogger('pve_ops.inprocess')
Observer = Callable[[str, dict[str, Any]], None]

# The internal arguments a plain task sends (check mode and diff are the caller's).
DEFAULT_INTERNAL: dict[str, Any] = dict(
    _ansible_no_log=False,
    _ansible_verbosity=0,
    _ansible_debug=False,
    _ansible_keep_remote_files=False,
    _ansible_tracebacks_for=[],
)


# The parts of AnsibleModule's private API the runner relies on, and what it does with each; a test
# (tests/unit/test_inprocess_hooks.py) fails when ansible-core changes one of them.
#   _load_params          called by __init__: the params come from the call, not stdin / _ANSIBLE_ARGS
#   _check_locale         called by __init__: setlocale() is process-global, so it is skipped
#   _log_invocation       called by __init__: no syslog / journal line per call
#   validator             set by __init__, then validate(): its warnings and deprecations go to the call
#   _record_module_result called by _return_formatted (exit_json / fail_json): the documented hook for
#                         in-worker execution (ansible.netcommon's): the result is kept, not printed
# exit_json, fail_json, _return_formatted (invocation, the no_log masking) are core's own; warn, deprecate
# and error_as_warning are public methods overridden to keep messages on the instance.
PRIVATE_HOOKS = ('_load_params', '_check_locale', '_log_invocation', 'validator', '_record_module_result')


class Call:
    """The inputs and, afterwards, the outputs of one module execution."""

    def __init__(self, fqcn: str, params: dict[str, Any], check_mode: bool = False, diff: bool = True,
                 observer: Observer | None = None, session_cache: dict[Any, Any] | None = None,
                 internal: dict[str, Any] | None = None) -> None:
        self.fqcn = fqcn
        self.params = params
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)
        self.observer = observer
        self.session_cache = session_cache
        self.internal: dict[str, Any] = dict(DEFAULT_INTERNAL)
        self.internal.update(internal or {})
        self.internal.update(_ansible_check_mode=self.check_mode, _ansible_diff=self.diff, _ansible_module_name=fqcn)
        self.result: dict[str, Any] | None = None
        self.module: CallModule | None = None

    def module_params(self) -> dict[str, Any]:
        params = copy.deepcopy(self.params)
        params.update(self.internal)
        return params


class _QuietValidator:
    """AnsibleModule's validator without its process-global side effects: what it would warn about or deprecate
    goes to the module instance (CallModule.warn / deprecate), with the same words."""

    def __init__(self, validator: Any, module: CallModule) -> None:
        self._validator = validator
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._validator, name)

    def validate(self, parameters: dict[str, Any]) -> Any:
        # ModuleArgumentSpecValidator.validate is ArgumentSpecValidator.validate plus global warn() / deprecate()
        # calls for what the result carries; the base class's validate, then the same messages per call.
        result = ArgumentSpecValidator.validate(self._validator, parameters)
        for entry in result._deprecations:
            self._module.deprecate(entry['msg'], version=entry.get('version'), date=entry.get('date'),
                                   collection_name=entry.get('collection_name'))
        for entry in result._warnings:
            self._module.warn('Both option {option} and its alias {alias} are set.'.format(**entry))
        return result


class CallModule(AnsibleModule):
    """AnsibleModule for one in-process call (see the module docstring and PRIVATE_HOOKS)."""

    def __init__(self, call: Call, **kwargs: Any) -> None:
        self._pveops_call = call
        self._pveops_warnings: list[str] = []
        self._pveops_deprecations: list[dict[str, str]] = []
        call.module = self
        super().__init__(**kwargs)

    # AnsibleModule.__init__ assigns its ModuleArgumentSpecValidator here; wrap it (a data descriptor wins over
    # the instance attribute), so validation warnings stay with this call.
    @property
    def validator(self) -> Any:
        return self._pveops_validator

    @validator.setter
    def validator(self, value: Any) -> None:
        self._pveops_validator = _QuietValidator(value, self)

    # --- input: params handed in, no process-global side effects
    def _load_params(self) -> None:
        self.params = self._pveops_call.module_params()

    def _check_locale(self) -> None:
        pass

    def _log_invocation(self) -> None:
        pass

    # --- warnings and deprecations: per instance
    def warn(self, warning: str, *, help_text: str | None = None) -> None:
        text = str(warning) if not help_text else '{0} {1}'.format(warning, help_text)
        if text not in self._pveops_warnings:
            self._pveops_warnings.append(text)

    def error_as_warning(self, msg: str | None, exception: BaseException, *, help_text: str | None = None) -> None:
        self.warn('{0}: {1}'.format(msg, exception) if msg else str(exception), help_text=help_text)

    def deprecate(self, msg: str, version: str | None = None, date: str | None = None,
                  collection_name: str | None = None, *, deprecator: Any = None, help_text: str | None = None) -> None:
        entry = dict(msg=str(msg))
        if version:
            entry['version'] = version
        if date:
            entry['date'] = str(date)
        if collection_name:
            entry['collection_name'] = collection_name
        if entry not in self._pveops_deprecations:
            self._pveops_deprecations.append(entry)

    # --- logged-in sessions: the caller's (in memory, never on disk)
    @property
    def pveops_session_cache(self) -> dict[Any, Any] | None:
        return self._pveops_call.session_cache

    # --- progress while a task runs
    def pveops_task_observer(self, upid: str, status: dict[str, Any]) -> None:
        observer = self._pveops_call.observer
        if observer is not None:
            try:
                observer(upid, status)
            except Exception as exc:  # progress is best effort; it never fails the operation
                LOG.debug('progress observer failed: %s', exc)

    # --- output: core's exit_json / fail_json / _return_formatted masked it; kept here, never printed
    def _record_module_result(self, o: dict[str, Any]) -> None:
        # core asks a process-global for whether to capture a traceback (without a controller: always); the
        # caller's _ansible_tracebacks_for says (a plain task's: never).
        if 'error' not in (self._pveops_call.internal.get('_ansible_tracebacks_for') or ()):
            o.pop('exception', None)
        # core put the process-global warnings there (other calls' too): this call's own instead.
        o.pop('warnings', None)
        o.pop('deprecations', None)
        if self._pveops_warnings:
            o['warnings'] = remove_values(list(self._pveops_warnings), self.no_log_values)
        if self._pveops_deprecations:
            o['deprecations'] = remove_values(list(self._pveops_deprecations), self.no_log_values)
        self._pveops_call.result = o


def secret_values(argument_spec: dict[str, Any] | None, params: dict[str, Any]) -> set[str]:
    """The values in params of the no_log options of argument_spec and of the connection options (for masking
    outside AnsibleModule's own path)."""
    spec = connection_argument_spec()
    spec.update(argument_spec or {})
    values = set()
    for key, opt in spec.items():
        if opt.get('no_log') and params.get(key) not in (None, ''):
            values.add(str(params[key]))
    return values


def run_main(main: Callable[..., Any], fqcn: str, params: dict[str, Any], argument_spec: dict[str, Any] | None = None,
             check_mode: bool = False, diff: bool = True, observer: Observer | None = None,
             session_cache: dict[Any, Any] | None = None, internal: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run a module's ``main(module_class=...)`` once in-process; returns its result dict (``failed: true`` and
    ``msg`` on failure), ``invocation`` included.

    main: the module's main function; fqcn: its name (``pve.ops.vm``); params: its params, the connection options
    included; argument_spec: the module's argument_spec() (for masking the message of a module that raises);
    check_mode / diff: Ansible's --check and --diff; internal: further ``_ansible_*`` params the controller sends;
    session_cache: a dict of logged-in sessions shared with other calls (None: log in for this call only).
    """
    call = Call(fqcn, params, check_mode=check_mode, diff=diff, observer=observer, session_cache=session_cache,
                internal=internal)
    try:
        def factory(**kwargs: Any) -> CallModule:
            return CallModule(call, **kwargs)
        # The raw params, for the module base's pre-check of dict options (module_utils/module.py _build).
        factory.pveops_params = call.params  # type: ignore[attr-defined]
        main(module_class=factory)
    except SystemExit as exc:
        # core's exit_json / fail_json end in sys.exit() once the result is recorded.
        if call.result is None:
            call.result = dict(failed=True, msg='{0} exited ({1}) without a result'.format(fqcn, exc.code))
    except Exception as exc:
        # A bug in the module: report it like a module failure, with secrets masked.
        masks = secret_values(argument_spec, params) | (call.module.no_log_values if call.module is not None else set())
        call.result = dict(failed=True, msg=remove_values('{0} failed: {1}: {2}'.format(
            fqcn, type(exc).__name__, exc), masks))
    if call.result is None:
        call.result = dict(failed=True, msg='{0} returned no result'.format(fqcn))
    result: dict[str, Any] = call.result
    result.setdefault('changed', False)
    return result
