# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes every task result, and the simulator's write count after it, to a JSON file."""

from __future__ import annotations

DOCUMENTATION = r'''
name: pveops_record
type: aggregate
short_description: Record task results for pve.ops tests
description: Writes each task's result and the simulator's request counters to E(PVEOPS_RECORD_FILE).
requirements:
  - enable in configuration
'''

import json
import os
import ssl
import urllib.request

from ansible.plugins.callback import CallbackBase


def _stats():
    url = os.environ.get('PVEOPS_STATS_URL')
    if not url:
        return None
    ctx = ssl.create_default_context(cafile=os.environ.get('PVEOPS_STATS_CA'))
    with urllib.request.urlopen(url, context=ctx, timeout=10) as resp:
        return json.loads(resp.read())


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'pveops_record'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.records = []
        self._last = _stats()

    def _add(self, result, status):
        stats = _stats()
        before = self._last or {}
        self._last = stats
        writes = requests = None
        if stats is not None:
            writes = stats.get('writes', 0) - before.get('writes', 0)
            requests = stats.get('requests', 0) - before.get('requests', 0)
        recorded = self._clean(result._result)
        if status == 'failed':
            # As the registered variable has it (callbacks see the result without the key).
            recorded['failed'] = True
        self.records.append(dict(task=result.task_name or result._task.get_name(), status=status,
                                 result=recorded, writes=writes, requests=requests))
        self._flush()

    @staticmethod
    def _clean(res):
        return json.loads(json.dumps(res, default=str))

    def _flush(self):
        path = os.environ.get('PVEOPS_RECORD_FILE')
        if path:
            with open(path, 'w') as fh:
                json.dump(self.records, fh)

    def v2_runner_on_ok(self, result):
        self._add(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._add(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._add(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._add(result, 'unreachable')
