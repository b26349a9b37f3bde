# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alerts: PVE has no alerts endpoint, so findings are derived from what the API shows.

Each finding: ``severity`` (critical, warning or info), ``kind``, ``object`` (the PVE id concerned: ``node/pve2``,
``storage/pve1/local``, a UPID, ``qemu/100``), ``message`` and ``hint`` (what to look at or do). The checks and
their reads:

- ``quorum``: the cluster entry of ``GET /cluster/status`` is not quorate (critical);
- ``nodes``: a node of ``GET /cluster/status`` is offline (critical);
- ``ha``: an HA service of ``GET /cluster/ha/status/current`` in state ``error`` (critical);
- ``storage``: an active storage of ``GET /cluster/resources?type=storage`` above the threshold (warning;
  critical from 95%);
- ``tasks``: a task of ``GET /cluster/tasks`` that ended with an error in the last hours (warning);
- ``backups``: a guest no backup job covers (``GET /cluster/backup-info/not-backed-up``, warning);
- ``smart``: a disk of an online node whose SMART health is not PASSED or OK (``GET /nodes/{node}/disks/list``,
  critical);
- ``agents``: a running VM with the guest agent enabled whose agent does not answer (its config, then
  ``GET .../agent/info``; warning);
- ``subscription``: an online node without an active subscription (``GET /nodes/{node}/subscription``; info
  when it has none, warning when it is expired, invalid or suspended).

A check whose reads are refused (permissions) is listed in ``not_checked`` with the reason, never taken as "no
finding".
"""

from __future__ import annotations

import time

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, propstring

CHECKS = ('quorum', 'nodes', 'ha', 'storage', 'tasks', 'backups', 'smart', 'agents', 'subscription')
SEVERITIES = ('critical', 'warning', 'info')
HEALTHY_DISK = ('PASSED', 'OK')
CRITICAL_STORAGE = 95.0


def _finding(severity, kind, obj, message, hint):
    return dict(severity=severity, kind=kind, object=obj, message=message, hint=hint)


def _status(client, cache):
    if 'status' not in cache:
        cache['status'] = client.get('cluster', 'status') or []
    return cache['status']


def _online_nodes(client, cache):
    return sorted(e['name'] for e in _status(client, cache) if e.get('type') == 'node' and e.get('online'))


def _quorum(client, p, cache):
    entry = next((e for e in _status(client, cache) if e.get('type') == 'cluster'), None)
    if entry is not None and not codec.is_true(entry.get('quorate'), default=True):
        yield _finding('critical', 'quorum_lost', 'cluster/{0}'.format(entry.get('name')),
                       'the cluster {0} has no quorum'.format(entry.get('name')),
                       'bring the offline nodes back or check corosync (pvecm status); without quorum '
                       'no configuration can change and HA does not recover guests')


def _nodes(client, p, cache):
    for entry in _status(client, cache):
        if entry.get('type') == 'node' and not entry.get('online'):
            yield _finding('critical', 'node_offline', 'node/{0}'.format(entry.get('name')),
                           'node {0} is offline'.format(entry.get('name')),
                           'check the node power, network and corosync links; its guests are not reachable')


def _ha(client, p, cache):
    for entry in client.get('cluster', 'ha', 'status', 'current') or []:
        if entry.get('type') == 'service' and (entry.get('state') == 'error' or entry.get('crm_state') == 'error'):
            yield _finding('critical', 'ha_error', entry.get('sid'),
                           'HA resource {0} is in error state on {1}'.format(entry.get('sid'), entry.get('node')),
                           'read the task log of its last start or migration, fix the cause, then set its '
                           'requested state to disabled and back to started (ha-manager)')


def _storage(client, p, cache):
    threshold = float(p['storage_threshold'])
    for entry in client.get('cluster', 'resources', type='storage') or []:
        total, used = entry.get('maxdisk') or 0, entry.get('disk') or 0
        if entry.get('status') != 'available' or not total:
            continue
        percent = round(100.0 * used / total, 1)
        if percent >= threshold:
            yield _finding('critical' if percent >= max(threshold, CRITICAL_STORAGE) else 'warning',
                           'storage_full', entry.get('id'),
                           'storage {0} on {1} is {2}% full ({3} of {4})'.format(
                               entry.get('storage'), entry.get('node'), percent, codec.size_text(used),
                               codec.size_text(total)),
                           'prune old backups (pve.ops.backup_prune), remove unused volumes or grow the storage')


def _tasks(client, p, cache):
    since = time.time() - 3600 * float(p['task_hours'])
    for task in client.get('cluster', 'tasks') or []:
        status = task.get('status')
        if task.get('endtime') is None and status in (None, 'running'):
            continue
        if (task.get('endtime') or task.get('starttime') or 0) < since:
            continue
        if status in (None, 'OK') or str(status).startswith('WARNINGS'):
            continue
        yield _finding('warning', 'task_failed', task.get('upid'),
                       '{0} task {1} on {2} failed: {3}'.format(task.get('type'), task.get('id') or '',
                                                                task.get('node'), status),
                       'read its log (pve.ops.task_info upid=...)')


def _backups(client, p, cache):
    for guest in client.get('cluster', 'backup-info', 'not-backed-up') or []:
        kind = guest.get('type') or 'qemu'
        yield _finding('warning', 'not_backed_up', '{0}/{1}'.format(kind, guest.get('vmid')),
                       'guest {0} ({1}) is in no backup job'.format(guest.get('vmid'), guest.get('name')),
                       'add it to a backup job (pve.ops.backup_job) or exclude it on purpose')


def _smart(client, p, cache):
    for node in _online_nodes(client, cache):
        for disk in client.get('nodes', node, 'disks', 'list') or []:
            health = disk.get('health')
            if health is None or str(health).upper() in HEALTHY_DISK or str(health).upper() == 'UNKNOWN':
                continue
            yield _finding('critical', 'smart_failed', 'node/{0}/disk/{1}'.format(node, disk.get('devpath')),
                           'disk {0} ({1}) on {2}: SMART health {3}'.format(
                               disk.get('devpath'), disk.get('model'), node, health),
                           'replace the disk; read its SMART data (GET /nodes/{node}/disks/smart)')


def _agent_enabled(config):
    value = config.get('agent')
    if value is None:
        return False
    props = propstring.parse(value, default_key='enabled')
    return codec.is_true(props.get('enabled'))


def _agents(client, p, cache):
    for guest in client.get('cluster', 'resources', type='vm') or []:
        if guest.get('type') != 'qemu' or guest.get('status') != 'running' or guest.get('template'):
            continue
        node, vmid = guest.get('node'), guest.get('vmid')
        config = client.get('nodes', node, 'qemu', vmid, 'config') or {}
        if not _agent_enabled(config):
            continue
        try:
            client.get('nodes', node, 'qemu', vmid, 'agent', 'info')
        except errors.PermissionDeniedError:
            raise
        except errors.ApiError as exc:
            yield _finding('warning', 'agent_not_answering', 'qemu/{0}'.format(vmid),
                           'the guest agent of VM {0} ({1}) does not answer: {2}'.format(vmid, guest.get('name'),
                                                                                         exc),
                           'start qemu-guest-agent in the guest, or disable the agent option of the VM')


def _subscription(client, p, cache):
    for node in _online_nodes(client, cache):
        sub = client.get('nodes', node, 'subscription') or {}
        status = str(sub.get('status') or '').lower()
        if status == 'active':
            continue
        if status in ('notfound', 'new', ''):
            yield _finding('info', 'no_subscription', 'node/{0}'.format(node),
                           'node {0} has no subscription'.format(node),
                           'use the no-subscription repository, or add a subscription key')
        else:
            yield _finding('warning', 'subscription_problem', 'node/{0}'.format(node),
                           'the subscription of node {0} is {1}{2}'.format(
                               node, status, ': ' + sub['message'] if sub.get('message') else ''),
                           'renew or check the subscription key (GET /nodes/{node}/subscription)')


_RUN = {'quorum': _quorum, 'nodes': _nodes, 'ha': _ha, 'storage': _storage, 'tasks': _tasks, 'backups': _backups,
        'smart': _smart, 'agents': _agents, 'subscription': _subscription}


def alerts(client, params):
    """{alerts: [...] (by severity, then kind and object), counts: {severity: n}, skipped: [...]}."""
    cache, found, skipped = {}, [], []
    for check in params.get('checks') or CHECKS:
        try:
            found.extend(_RUN[check](client, params, cache))
        except errors.PermissionDeniedError as exc:
            skipped.append(dict(check=check, reason=str(exc)))
    found.sort(key=lambda f: (SEVERITIES.index(f['severity']), f['kind'], str(f['object'])))
    counts = dict((s, sum(1 for f in found if f['severity'] == s)) for s in SEVERITIES)
    return dict(alerts=found, counts=counts, not_checked=skipped)
