# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cluster-wide views fakepve answers generically or only in part.

- GET /cluster/tasks: the tasks of every node from the task log, newest first, as PVE lists
  them (pve-manager PVE/API2/Cluster.pm: all tasks with Sys.Audit on /, else the user's own).
- /cluster/resources: node entries carry the same usage as /nodes; storage entries the space of
  the storage; without a type filter, one entry per pool the user may audit (PVE 8.1+).
- /cluster/status: a node that is not in a cluster (`sim.clustered = False`) lists itself only; the
  cluster entry has no `online` (fakepve counts the online nodes there).
- /version: a hexadecimal repoid, as the schema's pattern wants.
"""

from fakepve.routing import StatefulRoutes

from .answers import patch_data, request_user


class ClusterViews(StatefulRoutes):
    """Mixin of PveSim: cluster tasks and refinements of fakepve's cluster views."""

    def _routes_cluster_tasks(self):
        return [('GET', '/cluster/tasks', self._cluster_tasks)]

    async def _cluster_tasks(self, v, user):
        everything = self.allowed(user, '/', 'Sys.Audit')
        tasks = [task for task in reversed(self.tasklog) if everything or task['user'] == user]
        # Newest first; the sort is stable, so tasks started in the same second stay newest first too.
        tasks.sort(key=lambda task: -task['starttime'])
        return [self._task_view(task, True) for task in tasks]

    async def _resources(self, request):
        kind = request.query.get('type')
        user = request_user(request)
        running = self._running_memory()

        def refine(data):
            for item in data:
                if item.get('type') == 'node' and item.get('status') == 'online':
                    item.update(self.node_usage(item['node'], running))
            if kind is None:
                data.extend({'id': 'pool/' + name, 'type': 'pool', 'pool': name} for name in sorted(self.pools)
                            if user is None or self.allowed(user, '/pool/' + name, 'Pool.Audit'))
            return data
        return patch_data(await super()._resources(request), refine)

    def _storage_resource(self, node, name):
        item = super()._storage_resource(node, name)
        if item is not None and item['status'] == 'available':
            total, used, _avail = self._space(self.storages[name])
            item.update(disk=used, maxdisk=total)
        return item

    async def _cluster_status(self, request):
        if self.clustered:
            # PVE's cluster entry has no `online` (pve-manager PVE/API2/Cluster.pm get_status).
            return patch_data(await super()._cluster_status(request), lambda data: [
                dict((k, v) for k, v in item.items() if not (item.get('type') == 'cluster' and k == 'online'))
                for item in data])

        def standalone(data):
            # PVE without a cluster: the node alone, node id 0.
            return [dict(item, nodeid=0) for item in data if item.get('type') == 'node']
        return patch_data(await super()._cluster_status(request), standalone)

    async def _version(self, request):
        return patch_data(await super()._version(request), lambda data: dict(data, repoid=self.repoid))
