# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Worker tasks: parse UPIDs and wait for a task to stop.

proxmoxer 2.x's ``proxmoxer.tools.Tasks`` has three helpers. ``decode_upid`` is used (``parse_upid``).
``blocking_status`` does not fit ``wait_for_task``: it polls through a ``ProxmoxAPI`` object rather than our
client (whose retries, typed errors and lost-answer rules every request goes through), returns None on a
timeout instead of raising TaskTimeoutError, reads no exit status (a failed task is a plain "stopped"), gives
up on the first unanswered poll where a waiter has to tell a lost contact (AnswerLostError) from a failure,
and sleeps a whole interval after the last poll. ``decode_log`` joins a log into one text by its line numbers
(``n``), which needs the log from its first line; a tail (``task_log_tail``) and the module results want the
lines as a list, so ``_log_lines`` keeps them as PVE sends them.
"""

from __future__ import annotations

import time

from ansible_collections.pve.ops.plugins.module_utils import errors

try:
    from proxmoxer.tools import Tasks
except ImportError:  # pragma: no cover - client.py says proxmoxer is required when it is used
    Tasks = None

LOG_TAIL = 20
# Real seconds a waiter keeps polling while the API does not answer (pveproxy restarting, a network blip),
# on top of the client's own retries of each poll; then the task's outcome is unknown (AnswerLostError).
LOST_CONTACT_GRACE = 30.0
# Answers that mean the API (or the task's node) is out of reach for now, not that the task failed.
UNREACHABLE_STATUS = frozenset((502, 503, 504, 595, 596))


def parse_upid(upid):
    """The fields of a UPID (UPID:node:pid:pstart:starttime:type:id:user:), or InvalidArgumentError.

    proxmoxer's ``Tasks.decode_upid`` decodes it; ``user`` stays the whole authid (with a token's name)."""
    try:
        info = Tasks.decode_upid(str(upid))
    except (AssertionError, ValueError, IndexError):
        raise errors.InvalidArgumentError(
            'upid: {0!r} is not a task UPID (expected UPID:node:pid:pstart:starttime:type:id:user:)'.format(upid),
            field='upid') from None
    info['user'] = str(upid).split(':')[7]
    return info


def task_succeeded(status):
    """PVE counts OK and WARNINGS: n as success."""
    exitstatus = str(status.get('exitstatus', ''))
    return exitstatus == 'OK' or exitstatus.startswith('WARNINGS')


def _log_lines(client, node, upid, limit=5000):
    """A task's log from its first line (up to ``limit`` lines), as a list of text."""
    entries = client.get('nodes', node, 'tasks', upid, 'log', start=0, limit=limit) or []
    return [entry.get('t', '') for entry in entries]


def task_log_tail(client, node, upid, lines=LOG_TAIL):
    """The last lines of a task's log, as text."""
    return _log_lines(client, node, upid)[-lines:]


def wait_for_task(client, upid, timeout=600, interval=1.0, observer=None):
    """Poll a task's status until it stops; returns the final status dict.

    Raises TaskFailedError (with the tail of the log) when it stops with an error, and TaskTimeoutError
    when it still runs after ``timeout`` seconds (the task is left running).
    """
    node = parse_upid(upid)['node']
    deadline = time.monotonic() + timeout
    delay = min(0.2, interval)
    lost_since = None
    while True:
        try:
            status = client.get('nodes', node, 'tasks', upid, 'status')
        except (errors.ConnectionFailedError, errors.ApiError) as exc:
            if isinstance(exc, errors.ApiError) and exc.status not in UNREACHABLE_STATUS:
                raise
            now = time.monotonic()
            lost_since = now if lost_since is None else lost_since
            if now - lost_since >= LOST_CONTACT_GRACE or now >= deadline:
                raise errors.AnswerLostError(
                    'contact with the API was lost while task {0} ran ({1})'.format(upid, exc), method='GET',
                    path='nodes/{0}/tasks/{1}/status'.format(node, upid), upid=upid) from None
            time.sleep(min(interval, max(0.0, deadline - now)))
            continue
        lost_since = None
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
        task['log'] = _log_lines(client, node, upid, limit=log_lines or 5000)
    return task


# Seconds a node's clock may run behind ours when looking for the task a lost answer started.
CLOCK_SLACK = 5


def find_started_task(client, node, task_type, since, task_id=None):
    """The UPID of the newest task of ``task_type`` (and ``task_id``, when given) that these credentials
    started on ``node`` at ``since`` (epoch seconds, our clock) or later, running or finished; else None."""
    since = int(since) - CLOCK_SLACK
    entries = client.get('nodes', node, 'tasks', typefilter=task_type, userfilter=client.identity, source='all',
                         since=since, limit=50) or []
    found = [t for t in entries if t.get('type') == task_type and t.get('user') == client.identity
             and int(t.get('starttime') or 0) >= since
             and (task_id is None or str(t.get('id', '')) == str(task_id))]
    if not found:
        return None
    return max(found, key=lambda t: int(t.get('starttime') or 0))['upid']


def task_started(client, node, task_type, task_id=None):
    """A ChangeTracker ``_confirm`` for a write that starts a task: the task it started, if there is one."""
    def confirm(lost):
        return find_started_task(client, node, task_type, lost.sent_at, task_id)
    return confirm


def task_facts(pve):
    """pve.ops.task_info: one task (``upid``) with its log, or the tasks the filters select."""
    p = pve.params
    if p['upid']:
        return dict(changed=False, task=task_details(pve.client, p['upid'], p['log_lines']))
    tasks = list_tasks(pve.client, node=p['node'], vmid=p['vmid'], typefilter=p['type'], userfilter=p['user'],
                       errors=1 if p['errors'] else None, limit=p['limit'])
    return dict(changed=False, tasks=tasks)
