# SPDX-License-Identifier: AGPL-3.0-or-later
"""Conditions behind the findings of an alert check, made by faults (pvesim/faults.py names them):

- ``fill_storage``: {"storage": "local", "percent": 90}: a volume (``iso/pvesim-fill-<n>.iso``) is added so
  the storage is that full (its status, /cluster/resources and its content show it);
- ``failed_task``: {"node": "pve1", "type": "vzdump", "id": "100", "message": "..."}: a worker task of
  root@pam that ended with that error (the task log, /cluster/tasks);
- ``disk_failing``: {"node": "pve1", "devpath": "/dev/sda"}: the disk's SMART health is FAILED in the
  node's disk list;
- ``ha_error``: "vm:100": the HA resource's CRM state is ``error`` (as after failed recoveries).

clear_faults() (DELETE /_sim/faults) heals the disks and the HA resources; a filled storage and a failed task
stay, as they would on PVE.
"""

from fakepve import TaskError

FILL_NAME = 'pvesim-fill-{0}.iso'


class AlertFaultsApi:
    """Mixin of PveSim: the faults behind alert findings (failing disks, HA errors, full storages, failed tasks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.failing_disks = set()  # (node, devpath)
        self.ha_errors = set()  # sid

    def node_disks(self, node):
        disks = super().node_disks(node)
        for disk in disks:
            if (node, disk['devpath']) in self.failing_disks:
                disk['health'] = 'FAILED'
        return disks

    def _ha_service(self, sid):
        conf, guest, crm = super()._ha_service(sid)
        if sid in self.ha_errors and crm != 'ignored':
            crm = 'error'
        return conf, guest, crm

    def fill_storage(self, storage, percent):
        store = self.storages[storage]
        total, used, _avail = self._space(store)
        wanted = int(total * float(percent) / 100)
        if wanted > used:
            n = sum(1 for key in store.get('volumes', {}) if key.startswith('iso/pvesim-fill-'))
            self.store_file(storage, FILL_NAME.format(n), wanted - used, content='iso')

    async def failed_task(self, node, type='vzdump', id='', message='job failed'):
        async def body():
            raise TaskError(message)
        return await self.task(node, type, id, 'root@pam', body, lock=False)

    def clear_faults(self):
        super().clear_faults()
        self.failing_disks.clear()
        self.ha_errors.clear()
