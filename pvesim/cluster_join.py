# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cluster membership: create, join and remove, as pve-cluster does them (PVE/API2/ClusterConfig.pm,
PVE/Cluster/Setup.pm, PVE/Corosync.pm).

corosync.conf is `sim.corosync`: {'nodes': {name: {'nodeid', 'quorum_votes', 'ring0_addr', ...}},
'links': {number: {'priority'}}, 'version': n} once a write made it; until then it is derived from the
seed's nodes (node ids 1, 2, ... by name, one link on the nodes' 192.0.2.x addresses). /cluster/status,
/cluster/config/{nodes,join,totem} and /nodes follow it.

- POST /cluster/config (task `clustercreate`): on a node outside a cluster (`sim.clustered` false: the
  `empty` seed), the cluster `clustername` with this node (`nodeid`, `votes`, `link0`..`link7`; no link:
  the node's address on link 0). In a cluster: "cluster config '/etc/pve/corosync.conf' already exists".
- POST /cluster/config/nodes/{node} (the API-side add a join calls; answers at once): the node enters the
  node list with the links the cluster has (each one given, no other; a single-link cluster takes
  `new_node_ip`), the next free node id, and is listed in /nodes and /cluster/status as offline until it
  runs (a real join makes it run). Refusals as PVE words them (existing node, address in use, links).
- /cluster/config/nodes/{node} names a node that need not be a member (fakepve's "hostname lookup" of a path's
  node, and its "No route to host" for an offline one, are not what PVE does under /cluster/).
- DELETE /cluster/config/nodes/{node} (by name; PVE also matches a ring address, which the API's pve-node format
  cannot carry): out of corosync.conf, /nodes and
  /cluster/status. Not the node the API runs on ("Cannot delete myself from cluster!"), not without
  quorum. PVE leaves the configs of the node's guests behind in /etc/pve/nodes/<node>; pvesim cannot
  serve guests of a node that is not a member, so it refuses (501) to remove a node that still holds
  guests: move or delete them first.
- POST /cluster/config/join (task `clusterjoin`) on a standalone node, with `hostname` (a member's
  address or name), `fingerprint` (of the member's certificate), `password` (root@pam on the member),
  `link0`..: the checks of PVE's assert_joinable (guests on the joining node, unless `force`), the
  login and certificate check against the member, then the API-side add above, and the node runs as a
  member (online).

The standalone node: PVE joins a separate host, reached on its own address. pvesim gives it its own
listener: `sim.standalone = {name: {'guests': [vmid, ...]}}` (the `join` seed has pve4, without guests,
and pve5, holding guest 300), and start() serves each on 127.0.0.1 on a free port
(`sim.standalone_endpoints[name]`). Requests arriving there run on that node. Until it joins, it answers
as PVE does outside a cluster (GET /nodes and /cluster/status list it alone, join information is 424,
the corosync node list empty), logs in with the simulator's users, shows its own tasks and joins; every
other request is refused (501), since its own guests and storages are not simulated (the guests it
holds only refuse the join). Once joined, the listener serves the cluster, as the node's own API does
after a real join. A second simulator was the other choice: it would need a link between two states
after the join (pmxcfs's shared /etc/pve), which one simulator has by construction.
"""

import contextvars

from aiohttp import web
from fakepve import PveError, TaskError
from fakepve.routing import StatefulRoutes, die
from fakepve.server import API, error
from fakepve.shapes import FINGERPRINT

from .answers import patch_data

CLUSTER_CONF = '/etc/pve/corosync.conf'
NODE_ENTRY = '/cluster/config/nodes/{node}'
# Marks the stand-in entry a request for a node that is not a member puts in sim.nodes while it runs.
_LOOKUP = 'pvesim-lookup'
MAX_LINKS = 8
# The node a request runs on when it arrived on a standalone node's listener.
_LOCAL = contextvars.ContextVar('pvesim_standalone_node', default=None)
# What a standalone node's listener serves before it joins: (method, path below /api2/json, or a prefix).
_STANDALONE_PATHS = {('POST', '/access/ticket'), ('GET', '/version'), ('GET', '/nodes'), ('GET', '/cluster/status'),
                     ('GET', '/cluster/config/join'), ('GET', '/cluster/config/nodes'),
                     ('GET', '/cluster/config/totem'), ('GET', '/cluster/config/qdevice'),
                     ('GET', '/cluster/config/apiversion'), ('POST', '/cluster/config/join'),
                     ('POST', '/cluster/config')}


def _links(v):
    """{number: {'address': ..., 'priority': ...}} from link0..link7 (PVE::Corosync::extract_corosync_link_args)."""
    out = {}
    for n in range(MAX_LINKS):
        text = v.get('link{0}'.format(n))
        if text is None:
            continue
        link = {}
        for i, item in enumerate(x for x in str(text).split(',') if x):
            key, sep, value = item.partition('=')
            if not sep and i == 0:
                key, value = 'address', item
            link[key] = value
        out[n] = link
    return out


class ClusterJoinApi(StatefulRoutes):
    """Mixin of PveSim: cluster create, join and remove; standalone nodes on their own listeners."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.corosync = None
        self.standalone = {}
        self.standalone_endpoints = {}
        self._tls = None

    def _routes_cluster_join(self):
        return [('POST', '/cluster/config', self._cj_create),
                ('POST', '/cluster/config/join', self._cj_join),
                ('POST', '/cluster/config/nodes/{node}', self._cj_add_node),
                ('DELETE', '/cluster/config/nodes/{node}', self._cj_delete_node)]

    def _save_corosync(self):
        conf = self.corosync
        if conf:  # as JSON keeps it: link numbers as text (restored as numbers)
            conf = dict(conf, links=dict((str(k), v) for k, v in conf['links'].items()))
        return {'conf': conf, 'standalone': self.standalone}

    def _restore_corosync(self, data):
        data = data or {}
        conf = data.get('conf')
        if conf:
            conf = dict(conf, links=dict((int(k), v) for k, v in conf['links'].items()))
        self.corosync = conf
        self.standalone = dict((k, dict(v)) for k, v in (data.get('standalone') or {}).items())

    # ------------------------------------------------------------- listeners

    async def start(self, certfile, keyfile):
        self._tls = (certfile, keyfile)
        await super().start(certfile, keyfile)
        for name in sorted(self.standalone):
            await self.start_standalone(name)

    async def start_standalone(self, name):
        """Serve the standalone node `name` on 127.0.0.1, a free port; returns {'host', 'port'}."""
        if name in self.standalone_endpoints:
            return self.standalone_endpoints[name]
        import ssl
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*self._tls)
        site = web.TCPSite(self.runner, '127.0.0.1', 0, ssl_context=ctx)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.standalone_endpoints[name] = {'host': '127.0.0.1', 'port': port}
        return self.standalone_endpoints[name]

    def _listener_node(self, request):
        sockname = request.transport.get_extra_info('sockname') if request.transport else None
        port = sockname[1] if sockname else None
        for name, endpoint in self.standalone_endpoints.items():
            if endpoint['port'] == port:
                return name
        return None

    @web.middleware
    async def _middleware(self, request, handler):
        name = self._listener_node(request)
        if name is None or name not in self.standalone:
            return await super()._middleware(request, handler)
        path = request.path[len(API):] if request.path.startswith(API + '/') else None
        task_path = path is not None and path.startswith('/nodes/{0}/tasks/'.format(name))
        if (request.method, path) not in _STANDALONE_PATHS and not task_path:
            return error(501, 'pvesim: node {0} stands outside the cluster; until it joins, its API serves only '
                              'login, its node and cluster status, the cluster configuration and its tasks'.format(
                                  name))
        token = _LOCAL.set(name)
        try:
            return await super()._middleware(request, handler)
        finally:
            _LOCAL.reset(token)

    async def _answer(self, request, handler, generic, path_node):
        """A node under /cluster/ is not where the request runs (PVE proxies only /nodes/{node}/...): an offline
        node there is no "No route to host"."""
        if request.path.startswith(API + '/cluster/'):
            path_node = None
        return await super()._answer(request, handler, generic, path_node)

    async def answer(self, request, match, params, user, call=None):
        """/cluster/config/nodes/{node} names a node that need not be a member yet (the API-side add) or may be
        unknown (PVE's removal says so itself): fakepve's lookup of a path's node is not PVE's here."""
        name = match.params.get('node') if match is not None and match.template == NODE_ENTRY else None
        if name is None or name in self.nodes:
            return await super().answer(request, match, params, user, call)
        self.nodes[name] = {'online': False, _LOOKUP: True}
        try:
            return await super().answer(request, match, params, user, call)
        finally:
            if self.nodes.get(name, {}).get(_LOOKUP):
                del self.nodes[name]

    # ----------------------------------------------------------- corosync.conf

    def corosync_conf(self):
        """corosync.conf as {'nodes', 'links', 'version'} (derived from the seed until written), or None."""
        if not self.clustered:
            return None
        if self.corosync is None:
            nodes = dict((node, {'name': node, 'nodeid': n, 'quorum_votes': 1, 'ring0_addr': '192.0.2.{0}'.format(
                10 + n)}) for n, node in enumerate(sorted(self.nodes), 1))
            self.corosync = {'nodes': nodes, 'links': {0: {}}, 'version': len(nodes)}
        return self.corosync

    def _corosync_nodes(self):
        conf = self.corosync_conf()
        if conf is None:
            return []
        return [dict((k, str(v)) for k, v in entry.items()) for _name, entry in sorted(conf['nodes'].items())]

    def _totem(self):
        conf = self.corosync_conf()
        interface = dict((str(n), dict({'linknumber': str(n)}, **(
            {'knet_link_priority': str(link['priority'])} if link.get('priority') is not None else {})))
                         for n, link in sorted(conf['links'].items()))
        return {'cluster_name': self.cluster_name, 'config_version': str(conf['version']), 'ip_version': 'ipv4-6',
                'link_mode': 'passive', 'secauth': 'on', 'version': '2', 'interface': interface}

    def node_index(self, node):
        conf = self.corosync_conf()
        if conf and node in conf['nodes']:
            return int(conf['nodes'][node]['nodeid'])
        return super().node_index(node)

    def node_address(self, node):
        conf = self.corosync_conf()
        if conf and node in conf['nodes']:
            return conf['nodes'][node]['ring0_addr']
        if node in self.standalone:
            return self.standalone[node].get('address') or '192.0.2.{0}'.format(40 + sorted(self.standalone).index(
                node))
        return super().node_address(node)

    def _conf_text(self):
        conf = self.corosync_conf()
        lines = ['logging {', '  debug: off', '  to_syslog: yes', '}', '', 'nodelist {']
        for name, entry in sorted(conf['nodes'].items()):
            lines += ['  node {', '    name: {0}'.format(name), '    nodeid: {0}'.format(entry['nodeid']),
                      '    quorum_votes: {0}'.format(entry['quorum_votes'])]
            lines += ['    {0}: {1}'.format(k, v) for k, v in sorted(entry.items()) if k.startswith('ring')]
            lines.append('  }')
        lines += ['}', '', 'quorum {', '  provider: corosync_votequorum', '}', '', 'totem {',
                  '  cluster_name: {0}'.format(self.cluster_name), '  config_version: {0}'.format(conf['version'])]
        for n in sorted(conf['links']):
            lines += ['  interface {', '    linknumber: {0}'.format(n), '  }']
        lines += ['  ip_version: ipv4-6', '  link_mode: passive', '  secauth: on', '  version: 2', '}', '']
        return '\n'.join(lines)

    # -------------------------------------------------------------- views

    def _standalone_node(self, name):
        return {'node': name, 'id': 'node/' + name, 'status': 'online', 'type': 'node', 'level': '',
                'ssl_fingerprint': FINGERPRINT}

    async def _nodes(self, request):
        name = _LOCAL.get()
        if name is None:
            return await super()._nodes(request)
        return patch_data(await super()._nodes(request),
                          lambda data: [dict(self._standalone_node(name), **self.node_usage(name, {}))])

    async def _cluster_status(self, request):
        name = _LOCAL.get()
        if name is None:
            conf = self.corosync_conf()

            def numbered(data):
                for item in data:
                    if item.get('type') == 'node' and conf and item['name'] in conf['nodes']:
                        item.update(nodeid=int(conf['nodes'][item['name']]['nodeid']),
                                    ip=conf['nodes'][item['name']]['ring0_addr'])
                return data
            return patch_data(await super()._cluster_status(request), numbered)
        return patch_data(await super()._cluster_status(request), lambda data: [
            {'type': 'node', 'id': 'node/' + name, 'name': name, 'nodeid': 0, 'ip': self.node_address(name),
             'level': '', 'local': 1, 'online': 1}])

    async def _cc_join(self, v, user):
        if _LOCAL.get():
            raise PveError(424, 'node is not in a cluster, no join info available!')
        return await super()._cc_join(v, user)

    async def _cc_nodes(self, v, user):
        return [] if _LOCAL.get() else await super()._cc_nodes(v, user)

    async def _cc_totem(self, v, user):
        return {} if _LOCAL.get() else await super()._cc_totem(v, user)

    # ------------------------------------------------------------- writes

    def _local_node(self):
        return _LOCAL.get() or sorted(self.nodes)[0]

    async def _cj_create(self, v, user):
        if _LOCAL.get():
            raise PveError(501, 'pvesim serves one cluster: node {0} can join it, not create another'.format(
                _LOCAL.get()))
        if self.clustered:
            raise die("cluster config '{0}' already exists".format(CLUSTER_CONF))
        node = self._local_node()
        links = _links(v) or {0: {'address': self.node_address(node)}}

        async def body():
            entry = {'name': node, 'nodeid': int(v.get('nodeid') or 1), 'quorum_votes': int(v.get('votes') or 1)}
            entry.update(('ring{0}_addr'.format(n), link['address']) for n, link in links.items())
            self.cluster_name, self.clustered = v['clustername'], True
            self.corosync = {'nodes': {node: entry}, 'version': 1,
                             'links': dict((n, {'priority': link.get('priority')} if link.get('priority') else {})
                                           for n, link in links.items())}
            return 'Writing corosync config to {0}'.format(CLUSTER_CONF)
        return await self.task(node, 'clustercreate', v['clustername'], user, body)

    def _add_node(self, name, v, online):
        """PVE::API2::ClusterConfig addnode's checks and effect; returns its answer."""
        self.need_quorum()
        conf = self.corosync_conf()
        if conf is None:
            raise die("cannot add node: no cluster configuration (is this node in a cluster?)")
        links = _links(v)
        for link in links.values():
            for other, entry in conf['nodes'].items():
                for key, addr in entry.items():
                    if other != name and key.startswith('ring') and addr == link.get('address'):
                        raise die("corosync: address '{0}' already used on link {1} by node '{2}'".format(
                            link['address'], key, other))
        if links:
            for n in range(MAX_LINKS):
                if n in conf['links'] and n not in links:
                    raise die("corosync: link {0} exists in cluster config but wasn't specified for new node".format(n))
                if n in links and n not in conf['links']:
                    raise die("corosync: link {0} specified for new node doesn't exist in cluster config".format(n))
        elif not v.get('new_node_ip'):
            raise die('no links and no fallback ip (new_node_ip) given, cannot join cluster')
        elif len(conf['links']) == 1:
            links = {next(iter(conf['links'])): {'address': v['new_node_ip']}}
        else:
            raise die('no links given but multiple links found on other nodes, fallback only supported on '
                      'single-link clusters')
        existing = conf['nodes'].get(name)
        nodeid, votes = v.get('nodeid'), v.get('votes')
        if existing is not None:
            nodeid = nodeid or existing['nodeid']
            votes = existing['quorum_votes'] if votes is None else votes
            if not (int(existing['quorum_votes']) == int(votes) and int(existing['nodeid']) == int(nodeid)
                    and v.get('force')):
                raise die("can't add existing node '{0}'".format(name))
        elif not nodeid:
            used = set(int(e['nodeid']) for e in conf['nodes'].values())
            nodeid = next(n for n in range(1, len(used) + 2) if n not in used)
        entry = {'name': name, 'nodeid': int(nodeid), 'quorum_votes': 1 if votes is None else int(votes)}
        entry.update(('ring{0}_addr'.format(n), link['address']) for n, link in links.items())
        conf['nodes'][name] = entry
        conf['version'] += 1
        self.nodes[name] = dict(((k, x) for k, x in (self.nodes.get(name) or {}).items() if k != _LOOKUP),
                                online=online)
        self.node_conf(name)
        return {'corosync_authkey': 'pvesim corosync authkey of {0}'.format(self.cluster_name),
                'corosync_conf': self._conf_text(), 'warnings': []}

    async def _cj_add_node(self, v, user):
        if _LOCAL.get():
            raise die('cannot add node: no cluster configuration (is this node in a cluster?)')
        state = self.nodes.get(v['node'], {})
        return self._add_node(v['node'], v, online=not state.get(_LOOKUP) and state.get('online', True))

    async def _cj_delete_node(self, v, user):
        if v['node'] == self._local_node():
            raise die('Cannot delete myself from cluster!')
        self.need_quorum()
        conf = self.corosync_conf() or {'nodes': {}}
        found = next((name for name, entry in sorted(conf['nodes'].items())
                      if v['node'] in (name, entry.get('ring0_addr'), entry.get('ring1_addr'))), None)
        if found is None:
            raise die('Node/IP: {0} is not a known host of the cluster.'.format(v['node']))
        held = sorted(g.vmid for g in self._guests() if g.node == found)
        if held:
            raise PveError(501, 'pvesim cannot serve the guests a removed node leaves behind ({0} on {1}): migrate '
                                'or remove them first'.format(', '.join(str(x) for x in held), found))
        del conf['nodes'][found]
        conf['version'] += 1
        self.nodes.pop(found, None)
        return None

    async def _cj_join(self, v, user):
        name = _LOCAL.get()
        if name is None:
            raise die("cluster config '{0}' already exists".format(CLUSTER_CONF))
        standalone = self.standalone[name]
        host = v['hostname']
        conf = self.corosync_conf()
        member = None
        if conf:
            member = next((node for node, entry in conf['nodes'].items()
                           if host in (node, entry.get('ring0_addr'), entry.get('ring1_addr'))
                           and self.nodes.get(node, {}).get('online', True)), None)
        links = _links(v)

        async def body():
            if standalone.get('guests') and not v.get('force'):
                raise TaskError('detected the following error(s):\n* this host already contains virtual guests\n'
                                'Check if node may join a cluster failed!')
            if member is None:
                raise TaskError("500 Can't connect to {0}:8006 (No route to host)".format(host))
            if v.get('fingerprint', '').upper() != FINGERPRINT:
                raise TaskError('500 Can\'t connect to {0}:8006 (fingerprint mismatch: {1})'.format(
                    host, v.get('fingerprint')))
            if v['password'] != self.password:
                raise TaskError('401 Authentication failure')
            args = dict((k, x) for k, x in v.items() if k in ('force', 'nodeid', 'votes') or k.startswith('link'))
            if not links:
                args['new_node_ip'] = self.node_address(name)
            try:
                self._add_node(name, args, online=True)
            except PveError as exc:
                raise TaskError('An error occured on the cluster node: {0}\nCluster join aborted!'.format(
                    exc.message)) from None
            del self.standalone[name]
            return "successfully added node '{0}' to cluster.".format(name)
        return await self.task(name, 'clusterjoin', '', user, body)
