# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.cluster: create a cluster, join a node to it, remove a node (pve-cluster's ClusterConfig API).

The connection is the cluster (a member), or the standalone node a cluster is created on. A join reads the
join information of the connected member (its address and certificate fingerprint; the user may pin the
fingerprint), then asks the joining node, through its own API (``node_api_host``, root@pam), to join
(``POST /cluster/config/join``, a task on that node), as PVE's web interface does with the join information.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors, tasks
from ansible_collections.pve.ops.plugins.module_utils.client import ProxmoxClient
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource


def _norm_fp(text):
    return str(text or '').strip().upper()


def read_membership(client):
    """{'name': cluster name or None, 'nodes': {name: {'nodeid', 'online', 'address'}}} of the connected node."""
    status = client.get('cluster', 'status') or []
    cluster = next((item for item in status if item.get('type') == 'cluster'), None)
    nodes = {}
    if cluster is not None:
        online = dict((item.get('name'), bool(item.get('online'))) for item in status if item.get('type') == 'node')
        for entry in client.get('cluster', 'config', 'nodes') or []:
            name = entry.get('node') or entry.get('name')
            nodes[name] = {'nodeid': int(entry['nodeid']) if entry.get('nodeid') is not None else None,
                           'address': entry.get('ring0_addr'), 'online': online.get(name, False)}
    local = next((item.get('name') for item in status if item.get('type') == 'node' and item.get('local')), None)
    return {'name': cluster.get('name') if cluster else None, 'nodes': nodes, 'local': local}


def _link_args(links):
    return dict(('link{0}'.format(n), link) for n, link in enumerate(links or []))


class Cluster(Resource):
    noun = 'cluster'

    def read(self):
        return read_membership(self.client)

    def diff_view(self, view):
        if not view:
            return {}
        return {'name': view['name'], 'nodes': sorted(view['nodes'])}

    def wants_absent(self):
        return False

    def desired(self, current):
        p = self.params
        if p['state'] == 'absent' or p['node']:
            if current['name'] is None:
                raise errors.InvalidArgumentError('the connected node is in no cluster: connect to a member of the '
                                                  'cluster', field='api_host')
            if p['name'] and p['name'] != current['name']:
                raise errors.InvalidArgumentError("the connected node is in cluster '{0}', not '{1}'".format(
                    current['name'], p['name']), field='name')
        elif current['name'] is not None and p['name'] not in (None, current['name']):
            raise errors.InvalidArgumentError("the connected node is already in cluster '{0}'".format(
                current['name']), field='name')
        elif current['name'] is None and not p['name']:
            raise errors.InvalidArgumentError('name is required to create a cluster', field='name')
        return p

    def create(self, tracker, desired):  # read() always answers: never called
        raise NotImplementedError

    def update(self, tracker, current, desired):
        p = self.params
        after = {'name': current['name'], 'nodes': dict(current['nodes']), 'local': current['local']}
        if p['state'] == 'absent':
            if p['node'] in current['nodes']:
                self._remove(tracker, current)
                after['nodes'].pop(p['node'])
        elif p['node']:
            if p['node'] not in current['nodes']:
                after['nodes'][p['node']] = self._join(tracker)
        elif current['name'] is None:
            self._create(tracker, current)
            after['name'] = p['name']
            after['nodes'] = {current['local']: {'nodeid': p['nodeid'] or 1, 'online': True,
                                                 'address': (p['links'] or [None])[0]}}
        if tracker.changed and not self.check_mode:
            after = read_membership(self.client)
        return after

    def result(self, tracker, after):
        shown = {'name': after['name'], 'nodes': [dict(entry, name=name) for name, entry in sorted(
            after['nodes'].items())]}
        return tracker.result(after=self.diff_view(after), cluster=shown)

    # ---------------------------------------------------------------- create

    def _create(self, tracker, current):
        p = self.params
        args = dict(clustername=p['name'], **_link_args(p['links']))
        args.update((k, p[k]) for k in ('nodeid', 'votes') if p[k] is not None)
        node = current['local']
        upid = tracker.write(self.client.post, 'cluster', 'config', **args,
                             _confirm=tasks.task_started(self.client, node, 'clustercreate', p['name']))
        if upid:
            self.client.wait(upid, timeout=p['timeout'])

    # ------------------------------------------------------------------ join

    def _member(self):
        """The connected member's address and fingerprint, from its join information."""
        info = self.client.get('cluster', 'config', 'join')
        preferred = info.get('preferred_node')
        member = next((n for n in info.get('nodelist') or [] if n.get('name') == preferred), None)
        if member is None or not member.get('pve_fp'):
            raise errors.PveOpsError('the join information of {0} names no address and fingerprint for it'.format(
                preferred))
        pinned = self.params['fingerprint']
        if pinned and _norm_fp(pinned) != _norm_fp(member['pve_fp']):
            raise errors.InvalidArgumentError(
                "the certificate fingerprint of {0} is {1}, not the pinned one".format(preferred, member['pve_fp']),
                field='fingerprint')
        return member.get('pve_addr') or member.get('ring0_addr'), member['pve_fp']

    def _joining_client(self):
        p = self.params
        for field in ('node_api_host', 'node_password'):
            if not p[field]:
                raise errors.InvalidArgumentError('{0} is required to join node {1}'.format(field, p['node']),
                                                  field=field)
        return ProxmoxClient(host=p['node_api_host'], port=p['node_api_port'], user='root@pam',
                             password=p['node_password'], validate_certs=p.get('validate_certs', True),
                             ca_path=p.get('ca_path'), timeout=p.get('api_timeout'))

    def _join(self, tracker):
        p = self.params
        password = p['password'] or (p.get('api_password') if p.get('api_user') == 'root@pam' else None)
        if not password:
            raise errors.InvalidArgumentError("password (root@pam's on the member) is required to join a node",
                                              field='password')
        address, fingerprint = self._member()
        joiner = self._joining_client()
        there = read_membership(joiner)
        if there['name'] is not None:
            raise errors.PveOpsError("node {0} is already in cluster '{1}'".format(there['local'], there['name']))
        if there['local'] != p['node']:
            raise errors.InvalidArgumentError('node_api_host {0} is node {1}, not {2}'.format(
                p['node_api_host'], there['local'], p['node']), field='node')
        args = dict(hostname=address, fingerprint=fingerprint, password=password, **_link_args(p['links']))
        args.update((k, p[k]) for k in ('nodeid', 'votes') if p[k] is not None)
        if p['force']:
            args['force'] = 1
        try:
            upid = tracker.write(joiner.post, 'cluster', 'config', 'join', **args,
                                 _confirm=tasks.task_started(joiner, p['node'], 'clusterjoin', ''))
            if upid:
                joiner.wait(upid, timeout=p['timeout'])
        finally:
            # The result's tasks, and "changed" on a failure after PVE took the join, come from the module's client.
            self.client.tasks.extend(joiner.tasks)
            self.client.writes += joiner.writes
        return {'nodeid': p['nodeid'], 'online': True, 'address': (p['links'] or [None])[0]}

    # ---------------------------------------------------------------- remove

    def _remove(self, tracker, current):
        p = self.params
        node = p['node']
        if node == current['local']:
            raise errors.InvalidArgumentError('node {0} is the node the connection reaches: PVE does not remove a node '
                                              'from itself; connect to another member'.format(node), field='node')
        if not p['force']:
            if current['nodes'][node]['online']:
                raise errors.InvalidArgumentError('node {0} is online: shut it down first, or set force'.format(node),
                                                  field='node')
            held = sorted(item['vmid'] for item in self.client.get('cluster', 'resources', type='vm') or []
                          if item.get('node') == node)
            if held:
                raise errors.InvalidArgumentError('node {0} still holds guests {1}: migrate or remove them first, '
                                                  'or set force'.format(node, ', '.join(str(x) for x in held)),
                                                  field='node')
        tracker.write(self.client.delete, 'cluster', 'config', 'nodes', node,
                      _confirm=lambda lost: node not in read_membership(self.client)['nodes'])


def ensure_cluster(pve):
    return Cluster(pve).run()
