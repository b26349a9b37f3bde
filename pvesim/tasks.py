# SPDX-License-Identifier: AGPL-3.0-or-later
"""Stopping worker tasks: DELETE /nodes/{node}/tasks/{upid}, as pve-manager's PVE/API2/Tasks.pm stop_task.

PVE decodes the UPID (a 400 parameter error `upid: unable to parse worker upid` if it cannot), looks
for the task's log file on the node the request is for (`upid: no such task` otherwise; a task of
another node is not there), lets the task's owner (or the owner of the token that started it) stop
it, and everyone else with Sys.Modify on /nodes/{node}; then it sends SIGTERM to the worker if it
still runs and answers null at once. A task that has already stopped is not an error: nothing
happens. The worker dies of the signal: fork_worker's handler dies with `received interrupt`;
workers that trap signals to clean up (vzdump, restores, clones, disk moves) die with
`interrupted by signal`. Either way the log ends with `TASK ERROR: <that message>`.

Here a task is fakepve's task record (FakePve.task); with time_scale > 0 its body runs as an
asyncio task, which this mixin remembers per UPID so that a stop cancels it: the cancellation runs
the body's own cleanups (`finally` blocks: guest locks, `lock: backup`), becomes a TaskError, and
fakepve's task runner then releases the config lock and writes the exit status and log as for any
failed task. With time_scale 0 tasks finish inside the request that starts them, so there is never
one to stop. The GET status and log routes answer unknown UPIDs with PVE's parameter errors too.
"""

import asyncio
import re

from fakepve.model import TaskError
from fakepve.routing import StatefulRoutes, param_error

# PVE::Tools::upid_decode's pattern.
UPID_RE = re.compile(r'^UPID:([a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):'
                     r'([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$')
# Worker types whose code traps SIGTERM to clean up and dies with "interrupted by signal".
TRAPPING_TYPES = frozenset(('vzdump', 'qmrestore', 'vzrestore', 'qmclone', 'vzclone', 'qmmove', 'move_volume',
                            'imgcopy', 'qmigrate', 'vzmigrate'))
SIGNAL_EXIT = 'interrupted by signal'
INTERRUPT_EXIT = 'received interrupt'


def interrupt_status(ttype):
    """The exit status of a worker of this type stopped with SIGTERM."""
    return SIGNAL_EXIT if ttype in TRAPPING_TYPES else INTERRUPT_EXIT


class TasksApi(StatefulRoutes):
    """Mixin of PveSim: stopping running tasks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # UPID -> the asyncio task running the body of a worker task (time_scale > 0 only).
        self._task_runners = {}
        # UPIDs a stop was asked for (one still waiting for a config lock stops when its body would start).
        self._task_stops = set()

    def _routes_task_stop(self):
        return [('DELETE', '/nodes/{node}/tasks/{upid}', self._stop_task)]

    async def task(self, node, ttype, tid, user, body, vm=None, lock=True, log=()):
        """fakepve's task(), with the body's asyncio task kept per UPID so that a stop can cancel it."""
        cell = {}

        async def tracked():
            upid = cell.get('upid')
            if upid is None:
                # time_scale 0: the body runs inside this request and cannot be stopped.
                return await body()
            if upid in self._task_stops:
                raise TaskError(interrupt_status(ttype))
            self._task_runners[upid] = asyncio.current_task()
            try:
                return await body()
            except asyncio.CancelledError:
                if upid not in self._task_stops:
                    raise
                raise TaskError(interrupt_status(ttype)) from None
            finally:
                self._task_runners.pop(upid, None)

        upid = await super().task(node, ttype, tid, user, tracked, vm=vm, lock=lock, log=log)
        # With time_scale > 0 the runner was only scheduled: it has not looked at the cell yet.
        cell['upid'] = upid
        return upid

    def _find_task(self, node, upid):
        """The task record, or PVE's parameter errors (stop_task, read_task_status, read_task_log)."""
        if not UPID_RE.match(upid or ''):
            raise param_error(upid='unable to parse worker upid')
        task = self.tasks.get(upid)
        if task is None or task['node'] != node:
            raise param_error(upid='no such task')
        return task

    def _get_task(self, request):
        self._find_task(request.match_info['node'], request.match_info['upid'])
        return super()._get_task(request)

    async def _stop_task(self, v, user):
        task = self._find_task(v['node'], v['upid'])
        if not self._task_owner(user, task):
            self.require(user, '/nodes/' + v['node'], 'Sys.Modify')
        self.stop_task(task['upid'])
        return None

    def stop_task(self, upid):
        """SIGTERM to a running task (nothing if it has stopped); the 400 `no such task` if unknown."""
        task = self.tasks.get(upid)
        if task is None:
            raise param_error(upid='no such task')
        if task['status'] == 'running':
            self._task_stops.add(upid)
            runner = self._task_runners.get(upid)
            if runner is not None and not runner.done():
                runner.cancel()
