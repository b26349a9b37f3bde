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
  collection unchanged, and masks the result with ``remove_values(result, no_log_values)`` as
  ``exit_json`` does, ``invocation`` included;
- records the result of exit_json / fail_json (a private exception unwinds the module) instead of
  printing it, and never writes to stdout;
- keeps warnings and deprecations on the instance, not in ansible's module-global lists (nor the controller's
  display), so concurrent calls cannot see each other's; the validator's own warnings (an option given
  together with its alias) and deprecations are kept there too;
- does no syslog/journal logging, no locale or working-directory changes (process-global state);
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

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.pve.ops.plugins.module_utils.module import connection_argument_spec

LOG = logging.getLogger('pve_ops.inprocess')

# The internal arguments a plain task sends (check mode and diff are the caller's).
DEFAULT_INTERNAL = dict(
    _ansible_no_log=False,
    _ansible_verbosity=0,
    _ansible_debug=False,
    _ansible_keep_remote_files=False,
)


class _ModuleExit(BaseException):
    """Unwinds the module after exit_json / fail_json recorded the result (a BaseException, like SystemExit,
    so a module's ``except Exception`` cannot swallow it)."""


class Call:
    """The inputs and, afterwards, the outputs of one module execution."""

    def __init__(self, fqcn, params, check_mode=False, diff=True, observer=None, session_cache=None, internal=None):
        self.fqcn = fqcn
        self.params = params
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)
        self.observer = observer
        self.session_cache = session_cache
        self.internal = dict(DEFAULT_INTERNAL)
        self.internal.update(internal or {})
        self.internal.update(_ansible_check_mode=self.check_mode, _ansible_diff=self.diff, _ansible_module_name=fqcn)
        self.result = None
        self.module = None

    def module_params(self):
        params = copy.deepcopy(self.params)
        params.update(self.internal)
        return params


class _QuietValidator:
    """AnsibleModule's validator without its process-global side effects: what it would warn about or deprecate
    goes to the module instance (CallModule.warn / deprecate), with the same words."""

    def __init__(self, validator, module):
        self._validator = validator
        self._module = module

    def __getattr__(self, name):
        return getattr(self._validator, name)

    def validate(self, parameters):
        result = ArgumentSpecValidator.validate(self._validator, parameters)
        for entry in result._deprecations:
            self._module.deprecate(entry['msg'], version=entry.get('version'), date=entry.get('date'),
                                   collection_name=entry.get('collection_name'))
        for entry in result._warnings:
            self._module.warn('Both option {option} and its alias {alias} are set.'.format(**entry))
        return result


class CallModule(AnsibleModule):
    """AnsibleModule for one in-process call (see the module docstring)."""

    def __init__(self, call, **kwargs):
        self._pveops_call = call
        self._pveops_warnings = []
        self._pveops_deprecations = []
        call.module = self
        super().__init__(**kwargs)

    # AnsibleModule.__init__ assigns its ModuleArgumentSpecValidator here; wrap it (a data descriptor wins over
    # the instance attribute), so validation warnings stay with this call.
    @property
    def validator(self):
        return self._pveops_validator

    @validator.setter
    def validator(self, value):
        self._pveops_validator = _QuietValidator(value, self)

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

    # --- logged-in sessions: the caller's (in memory, never on disk)
    @property
    def pveops_session_cache(self):
        return self._pveops_call.session_cache

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
        if 'invocation' not in kwargs:
            kwargs['invocation'] = {'module_args': self.params}
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


def secret_values(argument_spec, params):
    """The values in params of the no_log options of argument_spec and of the connection options (for masking
    outside AnsibleModule's own path)."""
    spec = connection_argument_spec()
    spec.update(argument_spec or {})
    values = set()
    for key, opt in spec.items():
        if opt.get('no_log') and params.get(key) not in (None, ''):
            values.add(str(params[key]))
    return values


def run_main(main, fqcn, params, argument_spec=None, check_mode=False, diff=True, observer=None, session_cache=None,
             internal=None):
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
        def factory(**kwargs):
            return CallModule(call, **kwargs)
        # The raw params, for the module base's pre-check of dict options (module_utils/module.py _build).
        factory.pveops_params = call.params
        main(module_class=factory)
    except _ModuleExit:
        pass
    except SystemExit as exc:
        if call.result is None:
            call.result = dict(failed=True, msg='{0} exited ({1}) without a result'.format(fqcn, exc.code))
    except Exception as exc:
        # A bug in the module: report it like a module failure, with secrets masked.
        masks = secret_values(argument_spec, params) | (call.module.no_log_values if call.module is not None else set())
        call.result = dict(failed=True, msg=remove_values('{0} failed: {1}: {2}'.format(
            fqcn, type(exc).__name__, exc), masks))
    if call.result is None:
        call.result = dict(failed=True, msg='{0} returned no result'.format(fqcn))
    result = call.result
    result.setdefault('changed', False)
    return result
