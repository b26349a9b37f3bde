# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A node's power: reboot and shut down (with evacuation first), wake-on-LAN, and waiting for it.

- ``POST /nodes/{node}/status command=reboot|shutdown`` (Sys.PowerMgmt) answers at once; PVE then stops the
  node's guests and goes down. Running guests would be stopped: with a ``target`` they are moved first
  (``POST /nodes/{node}/migrateall``, a task waited on, then checked: PVE's task ends OK even when it skipped
  a guest); without one the power action is refused, unless ``force``.
- After a reboot: wait until the node answers again with a new boot (its uptime shorter than the time since
  the request) and the cluster is quorate. After a shutdown: wait until the cluster sees it offline.
- ``POST /nodes/{node}/wakeonlan`` (answered by the node the request reaches) for a node that is offline; then
  wait until it is online.
Every wait is bounded by ``timeout`` (seconds); running out is TaskTimeoutError, with what was seen last.
"""

from __future__ import annotations

import time

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.cluster.status import cluster_resources, cluster_status

POWER_STATES = ('restarted', 'stopped', 'started')
COMMANDS = {'restarted': 'reboot', 'stopped': 'shutdown'}
# Real seconds between two looks at the node while waiting.
POLL_INTERVAL = 2.0
# Seconds a new boot's uptime may exceed the time since the reboot request (clocks, rounding).
UPTIME_SLACK = 5
# The statuses that mean the node (or the API on it) is out of reach for now.
UNREACHABLE = frozenset((502, 503, 504, 595, 596))


def node_entry(client, node):
    """The node's entry of /cluster/status ({'name', 'online', ...}), or NotFoundError."""
    status = cluster_status(client)
    entry = next((item for item in status if item.get('type') == 'node' and item.get('name') == node), None)
    if entry is None:
        raise errors.NotFoundError("node '{0}' is not a member of the cluster".format(node), status=404)
    return entry, status


def quorate(status):
    entry = next((item for item in status if item.get('type') == 'cluster'), None)
    return True if entry is None else bool(entry.get('quorate'))


def guests_on(client, node):
    """The guests on the node (not templates): their /cluster/resources entries, by vmid."""
    return sorted((g for g in cluster_resources(client, 'vm') if g.get('node') == node and not g.get('template')),
                  key=lambda g: int(g['vmid']))


def running(guests):
    return [int(g['vmid']) for g in guests if g.get('status') == 'running']


def refuse_stranded(node, guests, target, force, action):
    """Refuse before any write when running guests would be stopped and neither a target nor force is given."""
    vmids = running(guests)
    if vmids and not target and not force:
        raise errors.InvalidArgumentError(
            'target: guests {0} run on node {1}; a {2} would stop them. Give target (a node to move them to '
            'first) or force: true (let PVE stop them)'.format(', '.join(str(v) for v in vmids), node, action),
            field='target')


def check_target(client, node, target):
    if target is None:
        return
    if target == node:
        raise errors.InvalidArgumentError('target: the guests must move to another node than {0}'.format(node),
                                          field='target')
    entry, _status = node_entry(client, target)
    if not entry.get('online'):
        raise errors.InvalidArgumentError('target: node {0} is offline'.format(target), field='target')


def check_evacuation(client, node, target, guests, with_local_disks):
    """Refuse before any write what PVE's migrate-all would skip: a running VM with local disks without
    with_local_disks (GET /nodes/{node}/qemu/{vmid}/migrate, the precondition PVE checks)."""
    if with_local_disks:
        return
    local = []
    for guest in guests:
        if guest.get('type') == 'qemu' and guest.get('status') == 'running':
            pre = client.get('nodes', node, 'qemu', guest['vmid'], 'migrate', target=target) or {}
            if pre.get('local_disks'):
                local.append(int(guest['vmid']))
    if local:
        raise errors.InvalidArgumentError(
            'with_local_disks: running VMs {0} have disks on local storage; PVE moves them live only with '
            'with_local_disks: true'.format(', '.join(str(v) for v in local)), field='with_local_disks')


def evacuate(tracker, client, node, target, guests, max_workers, with_local_disks, timeout):
    """migrateall to target and wait; returns the vmids moved. Running guests still on the node: an error."""
    if not guests:
        return []
    body = {'target': target, 'max-workers': max_workers}
    if with_local_disks:
        body['with-local-disks'] = 1
    upid = tracker.write(client.post, 'nodes', node, 'migrateall', **body)
    if tracker.check_mode:
        return [int(g['vmid']) for g in guests]
    if upid:
        client.wait(upid, timeout=timeout)
    left = guests_on(client, node)
    stranded = running(left)
    if stranded:
        raise errors.TaskFailedError(
            'guests {0} still run on node {1} after migrating to {2} (see the task log); the node was not {3}'.format(
                ', '.join(str(v) for v in stranded), node, target, 'touched'), upid=upid)
    stayed = set(int(g['vmid']) for g in left)
    return [int(g['vmid']) for g in guests if int(g['vmid']) not in stayed]


def _look(client, node):
    """(online, uptime, quorate) as the API answers now; (False, None, None) when it does not answer."""
    try:
        entry, status = node_entry(client, node)
    except errors.ConnectionFailedError:
        return False, None, None
    except errors.ApiError as exc:
        if exc.status in UNREACHABLE:
            return False, None, None
        raise
    if not entry.get('online'):
        return False, None, quorate(status)
    try:
        uptime = (client.get('nodes', node, 'status') or {}).get('uptime')
    except errors.ConnectionFailedError:
        return False, None, quorate(status)
    except errors.ApiError as exc:
        if exc.status in UNREACHABLE:
            return False, None, quorate(status)
        raise
    return True, uptime, quorate(status)


def wait_until(client, node, what, done, timeout, interval=POLL_INTERVAL):
    """Poll _look until done(online, uptime, quorate); TaskTimeoutError after timeout seconds."""
    deadline = time.monotonic() + timeout
    seen = None
    while True:
        seen = _look(client, node)
        if done(*seen):
            return seen
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise errors.TaskTimeoutError('node {0}: still not {1} after {2}s (online {3}, uptime {4}, quorate {5})'.format(
                node, what, timeout, *seen), timeout=timeout)
        time.sleep(min(interval, remaining))


def power_command(tracker, client, node, command, wait, timeout):
    """POST status command=...; with wait, wait for the node back (reboot) or offline (shutdown)."""
    sent = time.monotonic()
    tracker.write(client.post, 'nodes', node, 'status', command=command)
    if tracker.check_mode or not wait:
        return
    if command == 'reboot':
        def back(online, uptime, is_quorate):
            return online and uptime is not None and uptime <= time.monotonic() - sent + UPTIME_SLACK and is_quorate
        wait_until(client, node, 'back from its reboot with the cluster quorate', back, timeout)
    else:
        wait_until(client, node, 'offline', lambda online, uptime, is_quorate: not online, timeout)


def wake(tracker, client, node, wait, timeout):
    """POST wakeonlan (the MAC PVE used is returned); with wait, wait until the node is online."""
    mac = tracker.write(client.post, 'nodes', node, 'wakeonlan')
    if not tracker.check_mode and wait:
        wait_until(client, node, 'online', lambda online, uptime, is_quorate: online, timeout)
    return mac
