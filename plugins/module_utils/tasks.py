# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Worker tasks: parse UPIDs and wait for a task to stop."""

from __future__ import annotations

import time

from ansible_collections.pve.ops.plugins.module_utils import errors

LOG_TAIL = 20
UPID_FIELDS = ('node', 'pid', 'pstart', 'starttime', 'type', 'id', 'user')


def parse_upid(upid):
    """The fields of a UPID (UPID:node:pid:pstart:starttime:type:id:user:), or InvalidArgumentError."""
    parts = str(upid).split(':')
    if len(parts) < 8 or parts[0] != 'UPID':
        raise errors.InvalidArgumentError(
            'upid: {0!r} is not a task UPID (expected UPID:node:pid:pstart:starttime:type:id:user:)'.format(upid),
            field='upid')
    info = dict(zip(UPID_FIELDS, parts[1:8]))
    for key in ('pid', 'pstart', 'starttime'):
        info[key] = int(info[key], 16)
    return info


def task_succeeded(status):
    """PVE counts OK and WARNINGS: n as success."""
    exitstatus = str(status.get('exitstatus', ''))
    return exitstatus == 'OK' or exitstatus.startswith('WARNINGS')


def task_log_tail(client, node, upid, lines=LOG_TAIL):
    """The last lines of a task's log, as text."""
    entries = client.get('nodes', node, 'tasks', upid, 'log', start=0, limit=5000) or []
    return [entry.get('t', '') for entry in entries][-lines:]


def wait_for_task(client, upid, timeout=600, interval=1.0, observer=None):
    """Poll a task's status until it stops; returns the final status dict.

    Raises TaskFailedError (with the tail of the log) when it stops with an error, and TaskTimeoutError
    when it still runs after ``timeout`` seconds (the task is left running).
    """
    node = parse_upid(upid)['node']
    deadline = time.monotonic() + timeout
    delay = min(0.2, interval)
    while True:
        status = client.get('nodes', node, 'tasks', upid, 'status')
        if observer is not None:
            observer(upid, status)
        if status.get('status') == 'stopped':
            if task_succeeded(status):
                return status
            log = task_log_tail(client, node, upid)
            raise errors.TaskFailedError('task {0} failed: {1}'.format(upid, status.get('exitstatus')),
                                         upid=upid, exitstatus=status.get('exitstatus'), log=log)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise errors.TaskTimeoutError('task {0} still running after {1}s'.format(upid, timeout),
                                          upid=upid, timeout=timeout)
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, interval)


def list_tasks(client, node=None, **filters):
    """Tasks of one node (GET /nodes/{node}/tasks with its filters) or of the cluster (GET /cluster/tasks)."""
    filters = dict((k, v) for k, v in filters.items() if v is not None)
    if node:
        return client.get('nodes', node, 'tasks', **filters) or []
    tasks = client.get('cluster', 'tasks') or []
    # /cluster/tasks takes no filters: apply the ones PVE's node listing would.
    if filters.get('vmid') is not None:
        tasks = [t for t in tasks if str(t.get('id')) == str(filters['vmid'])]
    if filters.get('typefilter'):
        tasks = [t for t in tasks if t.get('type') == filters['typefilter']]
    if filters.get('userfilter'):
        tasks = [t for t in tasks if filters['userfilter'] in str(t.get('user', ''))]
    if filters.get('errors'):
        tasks = [t for t in tasks if t.get('status') not in (None, 'OK') and 'endtime' in t]
    if filters.get('limit'):
        tasks = tasks[:filters['limit']]
    return tasks


def task_details(client, upid, log_lines=None):
    """One task: its status and (when log_lines is not 0) its log."""
    node = parse_upid(upid)['node']
    task = dict(client.get('nodes', node, 'tasks', upid, 'status') or {})
    task.setdefault('upid', upid)
    if log_lines != 0:
        entries = client.get('nodes', node, 'tasks', upid, 'log', start=0, limit=log_lines or 5000) or []
        task['log'] = [entry.get('t', '') for entry in entries]
    return task
