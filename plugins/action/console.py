# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs pve.ops.console (in the controller or by normal module execution: plugin_utils/direct.py) and marks a
successful result no_log: the console ticket is a secret.

A module cannot censor its own result (Ansible strips ``_ansible_*`` keys from what a module returns), so
this action plugin does it: callbacks (the screen with -v, log files, AWX job events) see the result
censored, while ``register`` still gets the ticket. A failure is not censored: its message holds no secret.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.plugin_utils.direct import DirectExecutionAction


class ActionModule(DirectExecutionAction):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if 'console' in result:
            result['_ansible_no_log'] = True
        return result
