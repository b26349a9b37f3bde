# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster-wide reads: status, resources, version. One request per gathered subset."""

from __future__ import annotations

RESOURCE_TYPES = ('vm', 'storage', 'node', 'sdn')
CLUSTER_SUBSETS = ('status', 'resources', 'version')


def cluster_status(client):
    return client.get('cluster', 'status') or []


def cluster_resources(client, resource_type=None):
    return client.get('cluster', 'resources', type=resource_type) or []


def version(client):
    return client.get('version') or {}


def cluster_facts(pve):
    """pve.ops.cluster_info: the subsets of ``gather``: ``cluster`` (name, quorate, nodes) with ``status``,
    ``resources`` (of ``resource_type``), ``version``."""
    client, gather, resource_type = pve.client, pve.params['gather'], pve.params['resource_type']
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
    return facts
