# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared module base: connection options, the client, and the one place errors become fail_json.

A module shell is a dozen lines::

    LIMITS = {'vmid': limits.VMID}      # ranges and formats, checked before run (see limits.py)
    MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)

    def main(module_class=None):
        run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)

``module_class`` is injectable (as kubernetes.core's AnsibleK8SModule is): ansible-playbook uses
AnsibleModule, the MCP adapter hands in its own subclass that takes params directly and records the
result instead of printing it.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from ansible.module_utils.basic import AnsibleModule, env_fallback
from ansible.module_utils.basic import _load_params as basic_load_params
from ansible.module_utils.common.validation import check_type_dict, check_type_list

from ansible_collections.pve.ops.plugins.module_utils import errors, limits
from ansible_collections.pve.ops.plugins.module_utils.client import ProxmoxClient

# An argument_spec: option name -> its Ansible option dict.
Spec = dict[str, dict[str, Any]]


def connection_argument_spec() -> dict[str, dict[str, Any]]:
    """The connection options every module takes (documented in doc_fragments/connection.py)."""
    return dict(
        api_host=dict(type='str', required=True, fallback=(env_fallback, ['PROXMOX_HOST'])),
        api_port=dict(type='int', default=8006, fallback=(env_fallback, ['PROXMOX_PORT'])),
        api_user=dict(type='str', fallback=(env_fallback, ['PROXMOX_USER'])),
        api_password=dict(type='str', no_log=True, fallback=(env_fallback, ['PROXMOX_PASSWORD'])),
        api_token_id=dict(type='str', no_log=False, fallback=(env_fallback, ['PROXMOX_TOKEN_ID'])),
        api_token_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['PROXMOX_TOKEN_SECRET'])),
        validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['PROXMOX_VALIDATE_CERTS'])),
        ca_path=dict(type='path', fallback=(env_fallback, ['PROXMOX_CA_PATH'])),
        api_timeout=dict(type='int', default=30),
    )


CONNECTION_OPTIONS = frozenset(connection_argument_spec())


def _build(module_class: type[Any], spec: Spec, **kwargs: Any) -> Any:
    """The module instance; a dict option with sub-options (or a list of them) given a value that is not a dict
    fails with Ansible's own type message naming the option.

    ansible-core looks into such a value before its type check of the option: a number or a boolean raises a
    bare TypeError in set_fallbacks() ("argument of type 'int' is not iterable", ansible/ansible#81631), and a
    string that is neither JSON nor key=value fails with "dictionary requested, could not parse JSON or
    key=value", naming no option. Built without the sub-options, Ansible's type check of the option itself
    fails first, with its ordinary message. Where the raw params are known (``_raw_params``), that happens
    before the first build; otherwise the TypeError is caught.
    """
    if _not_a_dict(spec, _raw_params(module_class)):
        return _fail_without_suboptions(module_class, spec, **kwargs)
    try:
        return module_class(argument_spec=spec, **kwargs)
    except TypeError as exc:
        if not any(frame.f_code.co_name == 'set_fallbacks' for frame, _line in traceback.walk_tb(exc.__traceback__)):
            raise
    return _fail_without_suboptions(module_class, spec, **kwargs)


def _fail_without_suboptions(module_class: type[Any], spec: Spec, **kwargs: Any) -> Any:
    module = module_class(argument_spec=_without_suboptions(spec), **kwargs)
    module.fail_json(msg='a dict option (or a list of dicts) was given a value of another type')
    return module


def _raw_params(module_class: type[Any] | None) -> Any:
    """The params as the task or the caller gave them, before validation: the MCP runner's module factory
    carries them as ``pveops_params``; for AnsibleModule they are ansible-core's _load_params() (its cached
    module arguments). None where they cannot be had."""
    if module_class is not None and module_class is not AnsibleModule:
        return getattr(module_class, 'pveops_params', None)
    try:
        return basic_load_params()
    except Exception:
        return None


def _not_a_dict(spec: Spec, params: Any) -> bool:
    """True when a dict option with sub-options (or a list of dicts) has a value Ansible cannot take as a dict."""
    if not isinstance(params, dict):
        return False
    for name, option in spec.items():
        if not option.get('options') or not (option.get('type') == 'dict' or option.get('elements') == 'dict'):
            continue
        value = next((params[key] for key in [name] + list(option.get('aliases') or ()) if params.get(key) is not None),
                     None)
        if value is None:
            continue
        try:
            if option.get('type') == 'dict':
                items = [check_type_dict(value)]
            else:
                items = [check_type_dict(item) for item in check_type_list(value)]
        except TypeError:
            return True
        if any(_not_a_dict(option['options'], item) for item in items):
            return True
    return False


def _without_suboptions(spec: Spec) -> Spec:
    out = {}
    for name, option in spec.items():
        option = dict(option)
        if option.get('type') == 'dict' or option.get('elements') == 'dict':
            option.pop('options', None)
            option.pop('apply_defaults', None)
        out[name] = option
    return out


class PveModule:
    """An AnsibleModule (or the injected class) with the connection options and a lazy client."""

    def __init__(self, argument_spec: Spec, module_class: type[Any] | None = None, **kwargs: Any) -> None:
        spec = connection_argument_spec()
        spec.update(argument_spec)
        required_together = list(kwargs.pop('required_together', None) or [])
        required_together.append(('api_token_id', 'api_token_secret'))
        self.limits = kwargs.pop('limits', None) or {}
        self.module = _build(module_class or AnsibleModule, spec, required_together=required_together, **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self._client = None

    @property
    def diff_mode(self) -> bool:
        return bool(getattr(self.module, '_diff', False))

    @property
    def client(self) -> ProxmoxClient:
        if self._client is None:
            # The MCP runner's module class may watch tasks (progress notifications) and share logged-in
            # sessions between calls (a dict it owns, handed to the client).
            observer = getattr(self.module, 'pveops_task_observer', None)
            sessions = getattr(self.module, 'pveops_session_cache', None)
            self._client = ProxmoxClient.from_params(self.params, task_observer=observer, session_cache=sessions)
        return self._client

    def warn(self, message: str) -> None:
        self.module.warn(message)

    def fail(self, err: errors.PveOpsError) -> None:
        """fail_json from a typed error, with its details (never a secret: errors carry none).

        A failure after a write PVE accepted (or whose answer was lost) says ``changed: true``: something may
        have changed. An unknown outcome always does, with the tasks waited on."""
        details = dict((k, v) for k, v in getattr(err, 'details', {}).items() if v not in (None, {}, []))
        client = self._client
        if isinstance(err, errors.OutcomeUnknownError) or (client is not None and (
                client.writes or any(lost.applied for lost in client.lost_answers))):
            details['changed'] = True
        if client is not None and client.tasks:
            details.setdefault('tasks', list(client.tasks))
        self.module.fail_json(msg=str(err), **details)


def run_module(argument_spec: Spec, run: Callable[[PveModule], dict[str, Any]], module_class: type[Any] | None = None,
               **kwargs: Any) -> None:
    """Build the module, call ``run(pve_module)`` for the result dict, exit or fail."""
    pve = PveModule(argument_spec, module_class=module_class, **kwargs)
    try:
        limits.check(pve.limits, pve.params)
        result = run(pve)
    except errors.AnswerLostError as lost:
        # Not settled by a ChangeTracker (a wait outside it, a write without _confirm): unknown, never "no change".
        pve.fail(errors.outcome_unknown(lost))
        return
    except errors.PveOpsError as err:
        pve.fail(err)
        return
    for warning in result.pop('warnings', None) or []:
        pve.warn(warning)
    if pve._client is not None and pve._client.tasks and 'tasks' not in result:
        result['tasks'] = list(pve._client.tasks)
    pve.module.exit_json(**result)
