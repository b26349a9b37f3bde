# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task-starting actions VMs and containers share: power (start, stop, shutdown, reboot), migrate, delete.

The paths are the same for qemu and lxc; what differs (a live migration of a VM, a restart migration of a
container) is decided here from the guest's resource entry. Each returns the task's UPID.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import path

DEFAULT_TIMEOUT = 300
# The task types of a graceful shutdown (qemu-server's qmshutdown, pve-container's vzshutdown).
SHUTDOWN_TASKS = ('qmshutdown', 'vzshutdown')


def wait_task(client, upid, wait=True, timeout=DEFAULT_TIMEOUT):
    """Wait for a task (unless ``wait`` is false or there is no UPID); returns the UPID."""
    if upid and wait:
        client.wait(upid, timeout=timeout)
    return upid


def current_status(client, guest):
    """GET status/current of a guest."""
    return client.get(*path(guest, 'status', 'current')) or {}


def power(client, guest, action, timeout=None, force_stop=False, wait=True, task_timeout=DEFAULT_TIMEOUT):
    """POST status/{action} (start, stop, shutdown, reboot) and wait; returns the UPID.

    ``timeout`` is the guest's time to shut down (shutdown, reboot); PVE ends the task with an error when
    it runs out, unless ``force_stop`` (shutdown only) tells it to stop the guest hard then. The task wait
    allows that time plus a margin.
    """
    params = {}
    if action in ('shutdown', 'reboot') and timeout is not None:
        params['timeout'] = int(timeout)
    if action == 'shutdown' and force_stop:
        params['forceStop'] = True
    upid = client.post(*path(guest, 'status', action), **params)
    margin = int(timeout or 0) + 30 if action in ('shutdown', 'reboot') else 0
    return wait_task(client, upid, wait, max(task_timeout, margin))


def migrate(client, guest, target, wait=True, timeout=DEFAULT_TIMEOUT, **options):
    """POST migrate to ``target``: online for a running VM, restart mode for a running container.

    Returns the UPID. ``options`` are passed on (e.g. targetstorage, with-local-disks).
    """
    params = dict(target=target)
    if guest.get('status') == 'running':
        if guest['type'] == 'qemu':
            # Live migration; disks on local storage go along (PVE refuses a live migration without it).
            params['online'] = True
            params['with-local-disks'] = True
        else:
            params['restart'] = True
    params.update((k, v) for k, v in options.items() if v is not None)
    upid = client.post(*path(guest, 'migrate'), **params)
    return wait_task(client, upid, wait, timeout)


def delete(client, guest, purge=False, destroy_unreferenced_disks=None, wait=True, timeout=DEFAULT_TIMEOUT):
    """DELETE the guest (``purge`` also removes it from backup jobs, replication and HA); returns the UPID."""
    params = {}
    if purge:
        params['purge'] = True
    if destroy_unreferenced_disks is not None:
        params['destroy-unreferenced-disks'] = destroy_unreferenced_disks
    upid = client.delete(*path(guest), **params)
    return wait_task(client, upid, wait, timeout)
