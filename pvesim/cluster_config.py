# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cluster configuration fakepve answers only generically, derived from the simulated cluster.

Follows pve-cluster (PVE/API2/ClusterConfig.pm, PVE/Corosync.pm), pve-manager (PVE/API2/Cluster.pm,
ClusterConfig, ACME, BackupInfo.pm) and pve-access-control (TFA):

- /cluster/options (GET and PUT, with `delete`): datacenter.cfg, kept in `sim.cluster_options` as written
  (saved by --state) and shown as PVE reads it (property strings parsed, tag lists split, description and
  mac_prefix always present); a next-id range whose lower bound is above its upper one is refused.
- GET /cluster/config/{join,nodes,totem,qdevice,apiversion}: corosync.conf of the cluster the seed
  made (one ring on the nodes' 192.0.2.x addresses; values as text, as PVE's parser leaves them);
  a node outside a cluster has no join information (424, as PVE says).
- GET /cluster/log: the cluster log's task lines, newest first (`max`).
- GET /cluster/backup-info/not-backed-up: the guests no backup job selects; GET
  /cluster/backup/{id}/included_volumes: the guests a job selects and which of their volumes it backs up.
- GET /cluster/acme/directories and /cluster/acme/plugins: PVE's known ACME directories and its
  built-in `standalone` plugin.
- GET /cluster/sdn/fabrics/all (none; the IPAM is in sdn.py).
- GET /access/ticket (PVE's dummy: null), GET /access/users/{userid}/tfa (no TFA configured).
"""

from fakepve import FakeCt, PveError
from fakepve.qemu import drives_of
from fakepve.routing import StatefulRoutes, die, split_list
from fakepve.shapes import FINGERPRINT

from .node_details import _digest

ACME_DIRECTORIES = [{'name': "Let's Encrypt V2", 'url': 'https://acme-v02.api.letsencrypt.org/directory'},
                    {'name': "Let's Encrypt V2 Staging",
                     'url': 'https://acme-staging-v02.api.letsencrypt.org/directory'}]
DEFAULT_OPTIONS = {'keyboard': 'en-us'}
# datacenter.cfg's property strings PVE parses when it reads the file (PVE/DataCenterConfig.pm
# parse_datacenter_config); the others (bwlimit, replication, location, ...) are shown as stored.
PARSED_OPTIONS = {'crs': None, 'migration': 'type', 'next-id': None, 'ha': 'shutdown_policy', 'notify': None,
                  'u2f': 'appid', 'webauthn': None, 'tag-style': None, 'user-tag-access': None}
MAC_PREFIX = 'BC:24:11'


def _parse_props(text, default_key):
    out = {}
    for n, item in enumerate(x for x in str(text).split(',') if x):
        key, sep, value = item.partition('=')
        if not sep and n == 0 and default_key:
            key, value = default_key, item
        out[key] = value
    return out


def options_view(stored):
    """GET /cluster/options: datacenter.cfg as PVE reads it (property strings parsed, tag lists split, the
    description and the default MAC prefix always there)."""
    out = dict(stored)
    for key, default_key in PARSED_OPTIONS.items():
        if out.get(key):
            out[key] = _parse_props(out[key], default_key)
    access = out.get('user-tag-access')
    if isinstance(access, dict) and access.get('user-allow-list'):
        access['user-allow-list'] = access['user-allow-list'].split(';')
    if out.get('registered-tags'):
        out['registered-tags'] = out['registered-tags'].split(';')
    # The description is kept as comment lines, read back one line each with its newline.
    text = out.get('description') or ''
    out['description'] = ''.join(line + '\n' for line in text.rstrip('\n').split('\n')) if text else ''
    out.setdefault('mac_prefix', MAC_PREFIX)
    if out.get('console') == 'applet':
        out['console'] = 'html5'
    return out


class ClusterConfigApi(StatefulRoutes):
    """Mixin of PveSim: datacenter.cfg, corosync.conf views, cluster log, ACME, TFA."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # datacenter.cfg: option -> value, as checked and typed by the schema.
        self.cluster_options = dict(DEFAULT_OPTIONS)

    def _routes_cluster_config(self):
        return [
            ('GET', '/cluster/options', self._cc_options), ('PUT', '/cluster/options', self._cc_set_options),
            ('GET', '/cluster/config/join', self._cc_join), ('GET', '/cluster/config/nodes', self._cc_nodes),
            ('GET', '/cluster/config/totem', self._cc_totem), ('GET', '/cluster/config/qdevice', self._cc_qdevice),
            ('GET', '/cluster/config/apiversion', self._cc_apiversion),
            ('GET', '/cluster/log', self._cc_log),
            ('GET', '/cluster/backup-info/not-backed-up', self._cc_not_backed_up),
            ('GET', '/cluster/backup/{id}/included_volumes', self._cc_included_volumes),
            ('GET', '/cluster/acme/directories', self._cc_acme_directories),
            ('GET', '/cluster/acme/plugins', self._cc_acme_plugins),
            ('GET', '/cluster/acme/plugins/{id}', self._cc_acme_plugin),
            ('GET', '/cluster/sdn/fabrics/all', self._cc_fabrics),
            ('GET', '/access/ticket', self._cc_ticket_dummy),
            ('GET', '/access/users/{userid}/tfa', self._cc_user_tfa),
        ]

    def _save_cluster_options(self):
        return self.cluster_options

    def _restore_cluster_options(self, data):
        self.cluster_options = dict(data or DEFAULT_OPTIONS)

    # ---------------------------------------------------------- datacenter.cfg

    async def _cc_options(self, v, user):
        return options_view(self.cluster_options)

    async def _cc_set_options(self, v, user):
        deletes = split_list(v.get('delete'))
        values = dict((k, x) for k, x in v.items() if k != 'delete')
        for key in deletes:
            if key in values:
                raise PveError(400, 'Parameter verification failed.',
                               {'delete': "cannot set and delete property '{0}' at the same time!".format(key)})
        after = dict((k, x) for k, x in self.cluster_options.items() if k not in deletes)
        after.update(values)
        if after.get('next-id'):
            # PVE/DataCenterConfig.pm write_datacenter_config
            bounds = _parse_props(after['next-id'], None)
            lower, upper = int(bounds.get('lower', 100)), int(bounds.get('upper', 1000000))
            if lower > upper:
                raise PveError(500, 'lower ({0}) <= upper ({1}) boundary rule broken'.format(lower, upper))
        if str(after.get('mac_prefix', '')).upper() == MAC_PREFIX:
            after.pop('mac_prefix')  # PVE does not write the default prefix out
        self.cluster_options = after
        return None

    # ------------------------------------------------------------ corosync.conf

    def _corosync_nodes(self):
        if not self.clustered:
            return []
        return [{'name': node, 'nodeid': str(self.node_index(node)), 'quorum_votes': '1',
                 'ring0_addr': self.node_address(node)} for node in sorted(self.nodes)]

    def _totem(self):
        return {'cluster_name': self.cluster_name, 'config_version': str(len(self.nodes)), 'ip_version': 'ipv4-6',
                'link_mode': 'passive', 'secauth': 'on', 'version': '2', 'interface': {'0': {'linknumber': '0'}}}

    async def _cc_join(self, v, user):
        if not self.clustered:
            raise PveError(424, 'node is not in a cluster, no join info available!')
        node = v.get('node') or sorted(self.nodes)[0]
        if node not in self.nodes:
            raise die("unknown node '{0}'".format(node))
        nodelist = [dict(item, pve_addr=item['ring0_addr'], pve_fp=FINGERPRINT) for item in self._corosync_nodes()]
        return {'nodelist': nodelist, 'preferred_node': node, 'totem': self._totem(),
                'config_digest': _digest('corosync.conf', self.cluster_name, *sorted(self.nodes))}

    async def _cc_nodes(self, v, user):
        return [dict(item, node=item['name']) for item in self._corosync_nodes()]

    async def _cc_totem(self, v, user):
        return self._totem() if self.clustered else {}

    async def _cc_qdevice(self, v, user):
        return {}

    async def _cc_apiversion(self, v, user):
        return 1

    # -------------------------------------------------------------- cluster log

    async def _cc_log(self, v, user):
        everything = self.allowed(user, '/', 'Sys.Syslog')
        lines = []
        for n, task in enumerate(self.tasklog):
            if not (everything or task['user'] == user):
                continue
            lines.append({'uid': n + 1, 'time': task['starttime'], 'pri': 6, 'tag': 'pvedaemon',
                          'pid': int(task.get('pid') or 0), 'node': task['node'], 'user': task['user'],
                          'msg': 'starting task {0}'.format(task['upid'])})
        lines.reverse()
        return lines[:v['max']] if v.get('max') else lines[:50]

    # ----------------------------------------------------------------- backups

    def _job_vmids(self, job):
        """The vmids a backup job selects (PVE::VZDump::get_included_guests)."""
        if job.get('all'):
            excluded = set(int(x) for x in split_list(job.get('exclude')))
            return set(g.vmid for g in self._guests() if g.vmid not in excluded)
        if job.get('pool'):
            return set(self.pools.get(job['pool'], ()))
        return set(int(x) for x in split_list(job.get('vmid')))

    async def _cc_included_volumes(self, v, user):
        job = getattr(self, 'backup_jobs', {}).get(v['id'])
        if job is None:
            raise PveError(400, 'Parameter verification failed.', {'id': "No such job '{0}'".format(v['id'])})
        children = []
        for vmid in sorted(self._job_vmids(job)):
            if not self.allowed(user, '/vms/{0}'.format(vmid), 'VM.Audit'):
                continue
            guest = self.guest(vmid)
            if guest is None:
                children.append({'id': vmid, 'type': 'unknown', 'leaf': 1})
                continue
            volumes = []
            if isinstance(guest, FakeCt):
                for key, mount in guest.volumes():
                    if key.startswith('unused'):
                        continue
                    included = key == 'rootfs' or str(mount.get('backup', '0')) == '1'
                    volumes.append({'id': key, 'name': mount['volume'], 'included': 1 if included else 0,
                                    'reason': 'rootfs' if key == 'rootfs' else 'enabled' if included else 'disabled',
                                    'leaf': 1})
            else:
                for key, volume, props in drives_of(guest.config, skip_cdrom=True):
                    included = str(props.get('backup', '1')) not in ('0', 'off', 'no', 'false')
                    volumes.append({'id': key, 'name': volume, 'included': 1 if included else 0,
                                    'reason': 'enabled' if included else 'disabled', 'leaf': 1})
            children.append({'id': vmid, 'name': guest.name, 'type': 'lxc' if isinstance(guest, FakeCt) else 'qemu',
                             'children': volumes, 'leaf': 0})
        return {'children': children}

    async def _cc_not_backed_up(self, v, user):
        chosen = set()
        for job in getattr(self, 'backup_jobs', {}).values():
            chosen |= self._job_vmids(job)
        return [{'vmid': g.vmid, 'name': g.name, 'type': 'lxc' if isinstance(g, FakeCt) else 'qemu'}
                for g in sorted(self._guests(), key=lambda g: g.vmid)
                if g.vmid not in chosen and not g.template and self.allowed(user, '/vms/{0}'.format(g.vmid),
                                                                           'VM.Audit')]

    # -------------------------------------------------------------------- ACME

    async def _cc_acme_directories(self, v, user):
        return [dict(d) for d in ACME_DIRECTORIES]

    async def _cc_acme_plugins(self, v, user):
        if v.get('type') not in (None, 'standalone'):
            return []
        return [{'plugin': 'standalone', 'type': 'standalone'}]

    async def _cc_acme_plugin(self, v, user):
        if v['id'] != 'standalone':
            raise die("ACME plugin '{0}' not defined".format(v['id']))
        return {'plugin': 'standalone', 'type': 'standalone', 'digest': _digest('acme-plugins')}

    # --------------------------------------------------------------------- SDN

    async def _cc_fabrics(self, v, user):
        return {'fabrics': [], 'nodes': []}

    # ------------------------------------------------------------------ access

    async def _cc_ticket_dummy(self, v, user):
        return None

    async def _cc_user_tfa(self, v, user):
        self._user(v['userid'])
        return {'types': []} if v.get('multiple') else {}
