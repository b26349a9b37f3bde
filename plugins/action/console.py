# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs pve.ops.console and marks a successful result no_log: the console ticket is a secret.

A module cannot censor its own result (Ansible strips ``_ansible_*`` keys from what a module returns), so
this action plugin does it: callbacks (the screen with -v, log files, AWX job events) see the result
censored, while ``register`` still gets the ticket. A failure is not censored: its message holds no secret.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset()

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        result.update(self._execute_module(module_name='pve.ops.console', module_args=self._task.args,
                                           task_vars=task_vars))
        if 'console' in result:
            result['_ansible_no_log'] = True
        return result
