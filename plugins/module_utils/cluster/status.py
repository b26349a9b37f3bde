# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster-wide reads: status, resources, version, the corosync configuration and the datacenter options.

One request per gathered subset; ``stats`` makes one more per online node (its RRD data); ``config`` makes four
(nodes, totem, join information, QDevice). A node outside a cluster has no join information (PVE answers 424):
``join`` is then null.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.cluster.stats import cluster_stats

RESOURCE_TYPES = ('vm', 'storage', 'node', 'sdn')
CLUSTER_SUBSETS = ('status', 'resources', 'version', 'config', 'options', 'stats')
DEFAULT_SUBSETS = ('status', 'resources', 'version')
# PVE's answer to GET /cluster/config/join on a node that is in no cluster.
NOT_IN_CLUSTER = 424


def cluster_status(client):
    return client.get('cluster', 'status') or []


def cluster_resources(client, resource_type=None):
    return client.get('cluster', 'resources', type=resource_type) or []


def version(client):
    return client.get('version') or {}


def join_info(client, node=None):
    """``GET /cluster/config/join`` (from ``node``, default the node connected to); None outside a cluster."""
    try:
        return client.get('cluster', 'config', 'join', node=node)
    except errors.ApiError as exc:
        if exc.status == NOT_IN_CLUSTER:
            return None
        raise


def cluster_config(client):
    """The corosync configuration: ``nodes`` (sorted by node id), ``totem``, ``join`` and ``qdevice``."""
    join = join_info(client)
    nodes = client.get('cluster', 'config', 'nodes') or [] if join is not None else []
    return dict(
        nodes=sorted(nodes, key=lambda n: (int(n.get('nodeid') or 0), n.get('node') or n.get('name') or '')),
        totem=client.get('cluster', 'config', 'totem') or {} if join is not None else {},
        join=join,
        qdevice=client.get('cluster', 'config', 'qdevice') or {},
    )


def cluster_facts(pve):
    """pve.ops.cluster_info: the subsets of ``gather``: ``cluster`` (name, quorate, nodes) with ``status``,
    ``resources`` (of ``resource_type``), ``version``, ``config``, ``options`` and ``stats`` (over ``timeframe``
    with ``cf``)."""
    client, gather, resource_type = pve.client, pve.params['gather'], pve.params['resource_type']
    timeframe, cf = pve.params['timeframe'], pve.params['cf']
    facts = dict(changed=False)
    if 'status' in gather:
        status = cluster_status(client)
        facts['status'] = status
        entry = next((item for item in status if item.get('type') == 'cluster'), None)
        nodes = [item for item in status if item.get('type') == 'node']
        facts['cluster'] = dict(
            name=entry.get('name') if entry else None,
            quorate=bool(entry.get('quorate')) if entry else True,
            nodes=len(nodes),
            nodes_online=sum(1 for item in nodes if item.get('online')),
        )
    if 'resources' in gather:
        facts['resources'] = cluster_resources(client, resource_type)
    if 'version' in gather:
        facts['version'] = version(client)
    if 'config' in gather:
        facts['config'] = cluster_config(client)
    if 'options' in gather:
        facts['options'] = client.get('cluster', 'options') or {}
    if 'stats' in gather:
        facts['stats'] = cluster_stats(client, timeframe=timeframe, cf=cf)
    return facts
