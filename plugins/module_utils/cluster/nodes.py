# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Node reads: the node list, and one node's status, version, time, DNS and the opt-in details."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors

# Read by default.
DEFAULT_SUBSETS = ('status', 'version', 'time', 'dns')
# subset -> the API path under /nodes/{node} (one GET each).
SUBSET_PATHS = dict(
    status=('status',), version=('version',), time=('time',), dns=('dns',),
    rrd=('rrddata',), network=('network',), disks=('disks', 'list'), certificates=('certificates', 'info'),
    syslog=('syslog',), apt_updates=('apt', 'update'), config=('config',), subscription=('subscription',),
)
NODE_SUBSETS = tuple(SUBSET_PATHS)
RRD_TIMEFRAMES = ('hour', 'day', 'week', 'month', 'year')
RRD_CFS = ('AVERAGE', 'MAX')
IFACE_TYPES = ('bridge', 'bond', 'eth', 'alias', 'vlan', 'fabric', 'OVSBridge', 'OVSBond', 'OVSPort', 'OVSIntPort',
               'vnet', 'any_bridge', 'any_local_bridge', 'include_sdn')


def list_nodes(client):
    return sorted(client.get('nodes') or [], key=lambda item: item.get('node', ''))


def subset_params(subset, timeframe='hour', cf='AVERAGE', iface_type=None, log_lines=50):
    """The query parameters of one subset's request."""
    if subset == 'rrd':
        return dict(timeframe=timeframe, cf=cf)
    if subset == 'network' and iface_type:
        return dict(type=iface_type)
    if subset == 'syslog':
        return dict(limit=log_lines)
    return {}


def node_facts(client, node, gather, **options):
    """One node: {'node': name, <subset>: data} with one request per subset (options: see subset_params)."""
    facts = dict(node=node)
    for subset in NODE_SUBSETS:
        if subset in gather:
            facts[subset] = client.get('nodes', node, *SUBSET_PATHS[subset], **subset_params(subset, **options))
    return facts


# ---------------------------------------------------------------------- info


def node_info(pve):
    """pve.ops.node_info: the result dict."""
    params = pve.params
    if params['log_lines'] < 1:
        raise errors.InvalidArgumentError('log_lines must be at least 1, not {0}'.format(params['log_lines']),
                                          field='log_lines')
    if params['node']:
        return dict(changed=False, node=node_facts(
            pve.client, params['node'], params['gather'], timeframe=params['timeframe'], cf=params['cf'],
            iface_type=params['iface_type'], log_lines=params['log_lines']))
    return dict(changed=False, nodes=list_nodes(pve.client))
