# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stopping a running worker task (DELETE /nodes/{node}/tasks/{upid}) and waiting until it has stopped."""

from __future__ import annotations

import time

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.tasks import parse_upid
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

POLL_INTERVAL = 1.0


def read_status(client, node, upid):
    """The task's status; PVE's parameter errors about the UPID (no such task on the node) name the field."""
    try:
        status = dict(client.get('nodes', node, 'tasks', upid, 'status') or {})
    except errors.ValidationError as err:
        if 'upid' in err.errors:
            raise errors.InvalidArgumentError('upid: {0} on node {1}: {2}'.format(
                upid, node, str(err.errors['upid']).strip()), field='upid') from None
        raise
    status.setdefault('upid', upid)
    return status


def wait_stopped(client, node, upid, timeout, interval=POLL_INTERVAL):
    """Poll the task until its status is stopped (whatever its exit status); TaskTimeoutError otherwise."""
    deadline = time.monotonic() + timeout
    delay = min(0.1, interval)
    while True:
        status = read_status(client, node, upid)
        if status.get('status') == 'stopped':
            return status
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise errors.TaskTimeoutError('task {0} still running {1}s after it was asked to stop'.format(
                upid, timeout), upid=upid, timeout=timeout)
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, interval)


def _view(status):
    view = dict(status=status.get('status'))
    if status.get('exitstatus') is not None and status.get('status') == 'stopped':
        view['exitstatus'] = status['exitstatus']
    return view


def stop_task(pve, upid, wait=True, timeout=60):
    """Stop task ``upid`` if it runs; the result dict (changed, diff of its status, task)."""
    node = parse_upid(upid)['node']
    client = pve.client
    current = read_status(client, node, upid)
    tracker = ChangeTracker(pve.check_mode, before=_view(current))
    if current.get('status') != 'running':
        return tracker.result(after=_view(current), task=current)
    tracker.write(client.delete, 'nodes', node, 'tasks', upid)
    if pve.check_mode:
        return tracker.result(after=dict(status='stopped'), task=current)
    final = wait_stopped(client, node, upid, timeout) if wait else read_status(client, node, upid)
    return tracker.result(after=_view(final) if wait else dict(status='stopped'), task=final)
