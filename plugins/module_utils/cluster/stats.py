# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster statistics: CPU, memory, disk and network, totals and in use, per node and for the cluster.

Now: the node entries of ``GET /cluster/resources?type=node`` (CPU as a fraction of ``maxcpu`` cores, memory and
root disk in bytes) and the newest point of each online node's RRD data for the network (bytes per second in
and out). Series: ``GET /nodes/{node}/rrddata`` per online node (timeframe and consolidation function as asked).
One request for the resources and one per online node; an offline node has no usage and no series.
"""

from __future__ import annotations

SERIES_KEYS = ('time', 'cpu', 'maxcpu', 'memused', 'memtotal', 'rootused', 'roottotal', 'netin', 'netout')


def _pair(used, total):
    return dict(used=used, total=total)


def _number(value, kind=float):
    try:
        return kind(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _newest(points, key):
    for point in reversed(points):
        if point.get(key) is not None:
            return _number(point[key])
    return None


def _node_now(entry, points):
    cores = _number(entry.get('maxcpu'), int) or 0
    return dict(
        status=entry.get('status'),
        cpu=_pair(round((_number(entry.get('cpu')) or 0.0) * cores, 4), cores),
        memory=_pair(_number(entry.get('mem'), int), _number(entry.get('maxmem'), int)),
        disk=_pair(_number(entry.get('disk'), int), _number(entry.get('maxdisk'), int)),
        network=dict(inbound=_newest(points, 'netin'), outbound=_newest(points, 'netout')),
    )


def _total(nodes, part, key):
    values = [n[part][key] for n in nodes.values() if n['status'] == 'online' and n[part][key] is not None]
    return round(sum(values), 4) if values else 0


def cluster_stats(client, timeframe='hour', cf='AVERAGE'):
    """{cluster: totals, nodes: {node: now}, series: {node: [points]}}; CPU in cores, memory and disk in bytes,
    network in bytes per second."""
    entries = sorted((e for e in client.get('cluster', 'resources', type='node') or [] if e.get('type') == 'node'),
                     key=lambda e: e.get('node') or '')
    nodes, series = {}, {}
    for entry in entries:
        name = entry.get('node')
        points = []
        if entry.get('status') == 'online':
            points = [dict((k, p[k]) for k in SERIES_KEYS if k in p)
                      for p in client.get('nodes', name, 'rrddata', timeframe=timeframe, cf=cf) or []]
            series[name] = points
        nodes[name] = _node_now(entry, points)
    cluster = dict(nodes=len(nodes), nodes_online=sum(1 for n in nodes.values() if n['status'] == 'online'))
    for part in ('cpu', 'memory', 'disk'):
        cluster[part] = _pair(_total(nodes, part, 'used'), _total(nodes, part, 'total'))
    cluster['network'] = dict(inbound=_total(nodes, 'network', 'inbound'),
                              outbound=_total(nodes, 'network', 'outbound'))
    if cluster['cpu']['total']:
        cluster['cpu']['fraction'] = round(cluster['cpu']['used'] / cluster['cpu']['total'], 4)
    return dict(cluster=cluster, nodes=nodes, series=series)
