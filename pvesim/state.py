# SPDX-License-Identifier: AGPL-3.0-or-later
"""The simulator's state as JSON: what `pvesim serve --state FILE` loads and saves.

The document is {"format": 1, "<area>": ..., ...}. Each area is a pair of methods on PveSim,
`_save_<area>(self) -> JSON value` and `_restore_<area>(self, value)`, found by name like the
route tables, so an area mixin adds its own state by defining the pair. Restoring runs the areas
in alphabetical order on a PveSim made without a seed, then lets pools and guests agree.

Kept: the cluster (name, nodes, node settings), storages with their volumes, guests (VMs and
containers: config, pending changes, snapshots, power state), pools, and the logins fakepve
knows (passwords of other users, API tokens, granted privileges). Not kept: tasks, tickets,
faults, counters, the root password (a command-line option).

checkpoint() / rollback() are the in-memory, in-place counterpart for tests: rollback() puts every
attribute of the model (guests, storages, access, firewall, HA, backups, tasks, faults) back as it was at
the checkpoint in a few milliseconds, while the server goes on serving and logins stay valid. A
generated test resets the seed this way before each example instead of starting a simulator.
"""

import copy
import json
import os
import tempfile

from fakepve import FakeCt, FakeVm

FORMAT = 1
VM_FIELDS = ('vmid', 'name', 'node', 'status', 'qmpstatus', 'config', 'pending', 'template', 'lock', 'snapshots',
             'agent')
CT_FIELDS = ('vmid', 'node', 'status', 'config', 'pending', 'snapshots')


def _jsonable(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, dict):
        return dict((k, _jsonable(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


# Attributes of the serving machinery, not of the cluster: a rollback leaves them alone.
# node_power's boots (asyncio tasks) and node_ssh's servers live with the process, not with the state.
NOT_CHECKPOINTED = frozenset(('runner', 'host', 'port', 'stats', 'tickets', '_task_runners', '_checkpoint', '_node_boots',
                              '_ssh_servers', 'ssh_endpoints', '_dump_root'))


class SimState:
    """Mixin of PveSim: dump_state / load_state, checkpoint / rollback, and the core areas."""

    def checkpoint(self):
        """Remember the whole state in memory (a deep copy), for rollback(). Call it on the serving loop,
        with no task running."""
        self._checkpoint = self._copy_state(self.__dict__)

    def rollback(self):
        """Put the state back to the last checkpoint(), in place; attributes made since then go away."""
        saved = self.__dict__.get('_checkpoint')
        if saved is None:
            raise RuntimeError('rollback() needs a checkpoint() first')
        for name in [k for k in self.__dict__ if k not in NOT_CHECKPOINTED and k not in saved]:
            del self.__dict__[name]
        self.__dict__.update(self._copy_state(saved))

    def _copy_state(self, attributes):
        # The memo keeps references to the simulator itself (bound methods in the access model) pointing here.
        return dict((k, copy.deepcopy(v, {id(self): self})) for k, v in attributes.items()
                    if k not in NOT_CHECKPOINTED)

    def dump_state(self):
        """The state document (JSON-serialisable)."""
        doc = {'format': FORMAT}
        for name in sorted(dir(self)):
            if name.startswith('_save_'):
                doc[name[len('_save_'):]] = _jsonable(getattr(self, name)())
        return doc

    def load_state(self, doc):
        """Replace the state with a document from dump_state()."""
        if doc.get('format') != FORMAT:
            raise ValueError('unsupported pvesim state format {0!r}'.format(doc.get('format')))
        for name in sorted(dir(self)):
            if name.startswith('_restore_') and name[len('_restore_'):] in doc:
                getattr(self, name)(doc[name[len('_restore_'):]])
        self._sync_pools()

    def save_state(self, path):
        """Write the state document to path, atomically."""
        folder = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(prefix='.pvesim-state-', dir=folder)
        try:
            with os.fdopen(fd, 'w') as out:
                json.dump(self.dump_state(), out, indent=1, sort_keys=True)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

    # ---------------------------------------------------------------- cluster

    def _save_cluster(self):
        return {'name': self.cluster_name, 'clustered': self.clustered, 'nodes': self.nodes,
                'settings': self.node_settings}

    def _restore_cluster(self, data):
        self.cluster_name = data['name']
        self.clustered = data.get('clustered', True)
        self.nodes = dict((name, dict(state)) for name, state in data['nodes'].items())
        self.node_settings = dict(data.get('settings') or {})

    # --------------------------------------------------------------- storages

    def _save_storages(self):
        return self.storages

    def _restore_storages(self, data):
        self.storages = {}
        for name, store in data.items():
            store = dict(store)
            store['files'] = set(store.get('files') or ())
            self.storages[name] = store

    # ----------------------------------------------------------------- guests

    def _save_guests(self):
        return {'qemu': [dict((k, getattr(vm, k)) for k in VM_FIELDS) for vm in self.vms],
                'lxc': [dict((k, getattr(ct, k)) for k in CT_FIELDS) for ct in self.cts]}

    def _restore_guests(self, data):
        self.vms, self.cts = [], []
        for item in data.get('qemu', []):
            vm = FakeVm(item['vmid'], item['name'], node=item['node'], status=item['status'],
                        qmpstatus=item.get('qmpstatus'), config=item.get('config'), pending=item.get('pending'),
                        template=item.get('template', False), lock=item.get('lock'))
            vm.snapshots = item.get('snapshots') or {}
            vm.agent = item.get('agent')
            self.vms.append(vm)
        for item in data.get('lxc', []):
            ct = FakeCt(item['vmid'], node=item['node'], status=item['status'], config=item.get('config'),
                        pending=item.get('pending'), defaults=False)
            ct.snapshots = item.get('snapshots') or {}
            if ct.status == 'running':
                ct.pid = 2000 + ct.vmid
            self.cts.append(ct)

    # ------------------------------------------------------------------ pools

    def _save_pools(self):
        return dict((name, {'members': sorted(ids), 'comment': self._pool_meta(name)['comment'],
                            'storage': sorted(self._pool_meta(name)['storage'])})
                    for name, ids in sorted(self.pools.items()))

    def _restore_pools(self, data):
        self.pools = dict((name, set(pool['members'])) for name, pool in data.items())
        self.pool_info = dict((name, {'comment': pool.get('comment'), 'storage': set(pool.get('storage') or ())})
                              for name, pool in data.items())

    # ----------------------------------------------------------------- logins

    def _save_logins(self):
        acl = None if self.acl is None else dict((user, [[path, sorted(privs)] for path, privs in entries])
                                                 for user, entries in self.acl.items())
        return {'users': self.users, 'apitokens': self.apitokens, 'acl': acl}

    def _restore_logins(self, data):
        self.users = dict(data.get('users') or {})
        self.apitokens = dict(data.get('apitokens') or {})
        acl = data.get('acl')
        self.acl = None if acl is None else dict((user, [(path, set(privs)) for path, privs in entries])
                                                 for user, entries in acl.items())
