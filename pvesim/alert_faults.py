# SPDX-License-Identifier: AGPL-3.0-or-later
"""Conditions behind the findings of an alert check, made by faults (pvesim/faults.py names them):

- ``fill_storage``: {"storage": "local", "percent": 90}: a volume (``iso/pvesim-fill-<n>.iso``) is added so
  the storage is that full (its status, /cluster/resources and its content show it);
- ``failed_task``: {"node": "pve1", "type": "vzdump", "id": "100", "message": "..."}: a worker task of
  root@pam that ended with that error (the task log, /cluster/tasks);
- ``disk_failing``: {"node": "pve1", "devpath": "/dev/sda"}: the disk's SMART health is FAILED in the
  node's disk list;
- ``ha_error``: "vm:100": the HA resource's CRM state is ``error`` (as after failed recoveries);
- ``subscription``: {"node": "pve1", "status": "expired"}: the node has a subscription key whose status is
  ``invalid``, ``expired`` or ``suspended`` (GET /nodes/{node}/subscription, with PVE's message).

clear_faults() (DELETE /_sim/faults) heals the disks, the HA resources and the subscriptions; a filled storage and a failed task
stay, as they would on PVE.
"""

import time

from fakepve import TaskError

FILL_NAME = 'pvesim-fill-{0}.iso'
# A subscription status the subscription check answers with, and its message (PVE::API2::Subscription).
SUBSCRIPTION_MESSAGES = {'invalid': 'Invalid subscription key', 'expired': 'subscription has expired',
                         'suspended': 'subscription is suspended'}


class AlertFaultsApi:
    """Mixin of PveSim: the faults behind alert findings (failing disks, HA errors, full storages, failed tasks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.failing_disks = set()  # (node, devpath)
        self.ha_errors = set()  # sid
        self.subscription_faults = {}  # node -> status

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

    async def _node_subscription(self, v, user):
        answer = await super()._node_subscription(v, user)
        status = self.subscription_faults.get(v['node'])
        if status is None:
            return answer
        answer = dict(answer, status=status, message=SUBSCRIPTION_MESSAGES[status], level='c',
                      key='pve{0}c-{1}'.format(answer.get('sockets', 1), answer['serverid'][:10].lower()),
                      productname='Proxmox VE Community Subscription {0} CPU/year'.format(answer.get('sockets', 1)),
                      checktime=int(time.time()))
        answer.pop('url', None)
        return answer

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
        self.subscription_faults.clear()
