# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Direct execution: runs a pve.ops module inside the controller, without a module subprocess.

Every pve.ops module has an action plugin of its own name (``plugins/action/<module>.py``), a subclass of
``DirectExecutionAction`` here: ansible-core runs a module through the action plugin of the same name, and the
strategy loads those classes in the main process, so what they import (this file, the runner, the client,
requests) is loaded once and inherited by every forked worker instead of imported per task.

A pve.ops module only talks HTTP to the Proxmox VE API, so building an AnsiballZ payload, starting a Python
process, importing ansible-core and logging in again for every task (every loop item) buys nothing when the
module would run on the controller anyway. This plugin runs the module's ``main()`` in the
worker process with the in-process runner the MCP adapter uses (``plugin_utils/inprocess.py``):

- the params are the task's args with the controller's internal ``_ansible_*`` args (check mode, diff, no_log,
  verbosity, ...), passed through the same JSON profile an AnsiballZ module gets them through, and AnsibleModule
  validates them as usual (types, choices, required, aliases, no_log values);
- the task's ``environment:`` is set in ``os.environ`` while the module runs (the PROXMOX_* fallbacks, proxy
  variables) and restored exactly afterwards;
- logged-in sessions are shared by the loop items of one task (at most one login per task) and live in the
  worker's memory only, never on disk;
- stdout is diverted while the module runs (nothing is printed), and the result goes through the module-to-
  controller JSON profile and the same clean-up ``_execute_module`` applies, so the task registers what the
  normal path registers; a failure is the module's fail_json result.

It falls back to normal module execution (``ansible.builtin.normal``'s path: AnsiballZ, a subprocess) by itself
for what it cannot serve faithfully: async tasks, a connection other than ``local`` (``delegate_to`` a remote
host, a task on a remote host), privilege escalation (``become``: the module would run as another user), a
module that is not a pve.ops module with an injectable module class, a controller Python without proxmoxer, an
``environment:`` whose names the process environment cannot take, and ansible-core releases without the module
JSON profiles (before 2.19).

It is on by default. Off: ``pveops_direct_execution: false`` as a variable (task, block, play, host, group or
extra vars), ``PVEOPS_DIRECT_EXECUTION=false`` in the controller's environment, or in ansible.cfg::

    [pve_ops]
    direct_execution = false

``-vvv`` shows per task which path ran and why.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import io
import json
import os
import re

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.plugins.action.normal import ActionModule as NormalActionModule
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash
from ansible.vars.clean import remove_internal_keys

try:  # loaded here, in the main process: forked workers inherit it with the client, proxmoxer and requests
    from ansible_collections.pve.ops.plugins.module_utils.client import HAS_PROXMOXER
    from ansible_collections.pve.ops.plugins.plugin_utils import inprocess
    IMPORT_ERROR = None
except ImportError as exc:  # normal execution reports what is missing, from the module's own process
    inprocess, HAS_PROXMOXER, IMPORT_ERROR = None, False, str(exc)

display = Display()

COLLECTION = 'pve.ops'
MODULES_PACKAGE = 'ansible_collections.pve.ops.plugins.modules'
PLUGIN_NAME = 'pve.ops.direct_execution'
OPTION = 'direct_execution'
VARIABLE = 'pveops_direct_execution'
ENV = 'PVEOPS_DIRECT_EXECUTION'
# The configuration of direct execution, in ansible-core's own terms (precedence: variable, environment,
# ansible.cfg, default). Action plugins have no documented options, so the definition is registered here.
OPTION_DEFINITION = {
    OPTION: dict(
        description='Run pve.ops modules inside the controller (direct execution) instead of a module subprocess.',
        type='raw',  # converted strictly below: ansible-core's boolean type takes any unknown word as false
        default=True,
        ini=[dict(section='pve_ops', key='direct_execution')],
        env=[dict(name=ENV)],
        vars=[dict(name=VARIABLE)],
    ),
}
# The JSON profile of modules that declare none (pve.ops modules do not), as ansible-core's module builder uses:
# (encoder, decoder) of the params (controller to module) and of the result (module to controller).
PROFILE = 'legacy'
try:  # ansible-core 2.19+
    from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
    CODECS = dict((way, (get_module_encoder(PROFILE, direction), get_module_decoder(PROFILE, direction))) for way, direction
                  in (('params', Direction.CONTROLLER_TO_MODULE), ('result', Direction.MODULE_TO_CONTROLLER)))
except ImportError:  # older ansible-core: direct execution falls back to normal execution
    CODECS = None
# What os.environ can take as a variable name (the shell's names; '=' and NUL never).
ENV_NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
PREFIX = 'pve.ops direct execution:'

# Logged-in sessions of the current task, in this worker process's memory: {(task uuid, host): {key: session}}.
# A worker runs one task (all its loop items) for one host, so this holds one entry; older ones are dropped.
_SESSIONS = {}


def option_enabled(variables=None):
    """Whether direct execution is on: the variable (already templated) in ``variables``, else the environment,
    else ansible.cfg, else on. An invalid value raises AnsibleError naming where it came from."""
    if not C.config.has_configuration_definition('action', PLUGIN_NAME):
        C.config.initialize_plugin_configuration_definitions('action', PLUGIN_NAME, copy.deepcopy(OPTION_DEFINITION))
    try:
        value, origin = C.config.get_config_value_and_origin(OPTION, plugin_type='action', plugin_name=PLUGIN_NAME,
                                                             variables=variables)
    except AnsibleError as exc:
        raise AnsibleError('{0} invalid setting ({1} or {2} or [pve_ops] direct_execution in ansible.cfg): {3}'.format(
            PREFIX, VARIABLE, ENV, exc)) from None
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise AnsibleError('{0} {1} (from {2}) must be a boolean, got {3!r}'.format(
            PREFIX, OPTION, origin, value)) from None


@contextlib.contextmanager
def task_environment(environment):
    """os.environ with the task's ``environment:`` set while the block runs, restored exactly afterwards (what a
    module subprocess would have seen: the controller's environment plus the task's, values as text)."""
    saved = dict((name, os.environ.get(name)) for name in environment)
    try:
        for name, value in environment.items():
            os.environ[name] = str(value)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class DirectExecutionAction(NormalActionModule):
    """Runs the task's pve.ops module in-process, or hands it to ansible.builtin.normal's path."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars if task_vars is not None else {}
        host = task_vars.get('inventory_hostname')
        try:
            module, reason = self._direct_module(task_vars)
        except AnsibleError as exc:
            return dict(failed=True, changed=False, msg=str(exc))
        if module is None:
            display.vvv('{0} off for {1} ({2}); normal module execution'.format(PREFIX, self._task.action, reason),
                        host=host)
            return super().run(tmp, task_vars)
        display.vvv('{0} running {1} in the controller process'.format(PREFIX, module.__name__), host=host)
        result = ActionBase.run(self, tmp, task_vars)
        return merge_hash(result, self._run_direct(module, task_vars))

    # ------------------------------------------------------------------ may it run here?

    def _direct_module(self, task_vars):
        """(the module's Python module, None) when direct execution serves this task, else (None, why not)."""
        variables = {}
        if VARIABLE in task_vars:
            variables[VARIABLE] = self._templar.template(task_vars[VARIABLE])
        if not option_enabled(variables):
            return None, 'turned off'
        if self._task.async_val:
            return None, 'an async task'
        transport = getattr(self._connection, 'transport', None)
        if transport != 'local':
            return None, 'connection {0!r}: the module runs on the target host'.format(transport)
        if self._play_context.become:
            return None, 'become: the module runs as another user'
        if CODECS is None:
            return None, 'ansible-core before 2.19 has no module JSON profiles'
        name = self._resolved_module()
        if not name or not name.startswith(COLLECTION + '.'):
            return None, 'not a {0} module'.format(COLLECTION)
        if IMPORT_ERROR is not None:
            return None, 'cannot import the in-process runner: {0}'.format(IMPORT_ERROR)
        if not HAS_PROXMOXER:
            return None, "proxmoxer is not importable in the controller's Python"
        try:
            module = importlib.import_module('{0}.{1}'.format(MODULES_PACKAGE, name[len(COLLECTION) + 1:]))
        except ImportError as exc:
            return None, 'cannot import {0}: {1}'.format(name, exc)
        if not callable(getattr(module, 'main', None)) or not callable(getattr(module, 'argument_spec', None)):
            return None, '{0} has no main(module_class) and argument_spec()'.format(name)
        self._pveops_environment = {}
        self._compute_environment_string(self._pveops_environment)
        bad = [key for key in self._pveops_environment if not ENV_NAME.match(str(key))]
        if bad:
            return None, 'environment names the process environment cannot take: {0}'.format(', '.join(map(repr, bad)))
        return module, None

    def _resolved_module(self):
        """The task's module, fully qualified (resolved by ansible-core when it validated the task's args)."""
        name = getattr(self._task, '_resolved_action', None)
        if name:
            return name
        context = self._shared_loader_obj.module_loader.find_plugin_with_context(
            self._task.action, collection_list=self._task.collections)
        return context.resolved_fqcn if context.resolved else None

    # ------------------------------------------------------------------ the in-process run

    def _run_direct(self, module, task_vars):
        """The module's result, as the normal path would return it from _execute_module."""
        fqcn = '{0}.{1}'.format(COLLECTION, module.__name__.rsplit('.', 1)[1])
        args = copy.deepcopy(self._task.args)
        self._update_module_args(fqcn, args, task_vars)
        # The params as the module process would decode them (tags dropped, types as JSON has them).
        encoder, decoder = CODECS['params']
        params = json.loads(json.dumps(args, cls=encoder), cls=decoder)
        internal = dict((key, params.pop(key)) for key in list(params) if key.startswith('_ansible_'))
        stray = io.StringIO()
        with task_environment(self._pveops_environment), contextlib.redirect_stdout(stray):
            result = inprocess.run_main(
                module.main, fqcn, params, argument_spec=module.argument_spec(),
                check_mode=internal.get('_ansible_check_mode', False), diff=internal.get('_ansible_diff', False),
                internal=internal, session_cache=self._sessions(task_vars))
        if stray.getvalue():
            display.vvv('{0} {1} wrote {2} characters to stdout; dropped'.format(PREFIX, fqcn, len(stray.getvalue())))
        try:
            encoder, decoder = CODECS['result']
            data = json.loads(json.dumps(result, cls=encoder), cls=decoder)
        except (TypeError, ValueError) as exc:
            data = dict(failed=True, changed=result.get('changed', False),
                        msg='{0} returned a result that is not JSON: {1}'.format(fqcn, exc))
        data['_ansible_parsed'] = True
        remove_internal_keys(data)
        return data

    def _sessions(self, task_vars):
        key = (getattr(self._task, '_uuid', None), task_vars.get('inventory_hostname'))
        for other in [k for k in _SESSIONS if k != key]:
            del _SESSIONS[other]
        return _SESSIONS.setdefault(key, {})
