#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: cluster_info
short_description: Read the status, resources and version of a Proxmox VE cluster
version_added: 0.1.0
description:
  - Returns the cluster's status (name, quorum, nodes), its resources (guests, storages, nodes, SDN zones),
    the API version, and on request the corosync configuration (nodes, totem, join information, QDevice) and
    the datacenter options (datacenter.cfg).
  - Makes one API request per gathered subset (V(config) makes four, one on a node in no cluster; V(stats) one
    more per online node).
author:
  - pve.ops developers (@pve-ops)
options:
  gather:
    description:
      - The subsets to read.
    type: list
    elements: str
    choices: [status, resources, version, config, options, stats]
    default: [status, resources, version]
  resource_type:
    description:
      - Only resources of this type.
    type: str
    choices: [vm, storage, node, sdn]
  timeframe:
    description:
      - The time frame of the series of the V(stats) subset (points of 1 minute, 30 minutes, 3 hours, 12 hours and
        1 week).
    type: str
    choices: [hour, day, week, month, year]
    default: hour
  cf:
    description:
      - The consolidation function of the series of the V(stats) subset.
    type: str
    choices: [AVERAGE, MAX]
    default: AVERAGE
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.CLUSTER_INFO
'''

EXAMPLES = r'''
- name: Read everything about the cluster
  pve.ops.cluster_info:
    api_host: pve1.example.com
    api_user: root@pam
    api_token_id: automation
    api_token_secret: "{{ vault_pve_token_secret }}"
  register: cluster

- name: The corosync configuration and the datacenter options
  pve.ops.cluster_info:
    gather: [config, options]
  register: config

- name: CPU, memory, disk and network of the nodes and the cluster, with a day of series
  pve.ops.cluster_info:
    gather: [stats]
    timeframe: day
  register: stats

- name: Only the guests, credentials from module_defaults
  pve.ops.cluster_info:
    gather: [resources]
    resource_type: vm
  register: guests
'''

RETURN = r'''
cluster:
  description: The cluster's name, quorum and node counts (from the status).
  returned: when status is gathered
  type: dict
  contains:
    name:
      description: The cluster name; null for a single node without a cluster.
      type: str
    quorate:
      description: Whether the cluster has quorum.
      type: bool
    nodes:
      description: The number of nodes.
      type: int
    nodes_online:
      description: The number of nodes online.
      type: int
  sample: {name: prod, quorate: true, nodes: 3, nodes_online: 3}
status:
  description: The entries of C(GET /cluster/status) (one of type C(cluster), one per node).
  returned: when status is gathered
  type: list
  elements: dict
resources:
  description: The entries of C(GET /cluster/resources).
  returned: when resources are gathered
  type: list
  elements: dict
  sample: [{id: qemu/100, type: qemu, vmid: 100, name: web01, node: pve1, status: running}]
version:
  description: The API version (C(GET /version)).
  returned: when version is gathered
  type: dict
  sample: {version: 9.0.10, release: '9.0', repoid: abcdef12}
config:
  description: The corosync configuration.
  returned: when config is gathered
  type: dict
  contains:
    nodes:
      description: The corosync node entries (C(GET /cluster/config/nodes)), sorted by node id; empty outside a cluster.
      type: list
      elements: dict
    totem:
      description: The totem settings (C(GET /cluster/config/totem)); empty outside a cluster.
      type: dict
    join:
      description:
        - What a node needs to join (C(GET /cluster/config/join)), with each node's address and certificate
          fingerprint; null for a node in no cluster.
      type: dict
    qdevice:
      description: The QDevice status (C(GET /cluster/config/qdevice)); empty without one.
      type: dict
  sample: {nodes: [{node: pve1, nodeid: '1', quorum_votes: '1', ring0_addr: 192.0.2.11}], totem: {cluster_name: prod},
           join: null, qdevice: {}}
options:
  description:
    - The datacenter options (C(GET /cluster/options)) as PVE reads datacenter.cfg (property strings such as
      C(migration) as dictionaries).
  returned: when options are gathered
  type: dict
  sample: {keyboard: en-us, mac_prefix: 'BC:24:11', migration: {type: secure}}
stats:
  description:
    - CPU (cores), memory and root disk (bytes) in use and in total, and network (bytes per second in and out),
      now and as series.
    - Now from the node entries of C(GET /cluster/resources) and, for the network, the newest point of each node's
      RRD data; series from C(GET /nodes/{node}/rrddata) of each online node.
  returned: when stats are gathered
  type: dict
  contains:
    cluster:
      description:
        - The sums over the online nodes (C(cpu), C(memory), C(disk) with C(used) and C(total), C(cpu.fraction),
          C(network) with C(inbound) and C(outbound)), and the numbers of nodes and of online nodes.
      type: dict
    nodes:
      description: Per node, its status and the same figures; an offline node's network figures are null.
      type: dict
    series:
      description:
        - Per online node, the RRD points (time, cpu, maxcpu, memused, memtotal, rootused, roottotal, netin,
          netout) of O(timeframe) consolidated with O(cf).
      type: dict
  sample:
    cluster: {nodes: 3, nodes_online: 3, cpu: {used: 1.2, total: 24, fraction: 0.05},
              memory: {used: 9663676416, total: 103079215104}, disk: {used: 9663676416, total: 107374182400},
              network: {inbound: 120000.5, outbound: 98000.1}}
    nodes: {pve1: {status: online, cpu: {used: 0.4, total: 8}, memory: {used: 3221225472, total: 34359738368},
                   disk: {used: 3221225472, total: 35791394133}, network: {inbound: 40000.2, outbound: 33000.0}}}
    series: {pve1: [{time: 1764633600, cpu: 0.05, maxcpu: 8, memused: 3221225472, memtotal: 34359738368}]}
'''

from ansible_collections.pve.ops.plugins.module_utils.cluster.nodes import RRD_CFS, RRD_TIMEFRAMES
from ansible_collections.pve.ops.plugins.module_utils.cluster.status import (
    CLUSTER_SUBSETS,
    DEFAULT_SUBSETS,
    RESOURCE_TYPES,
    cluster_facts,
)
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        gather=dict(type='list', elements='str', choices=list(CLUSTER_SUBSETS), default=list(DEFAULT_SUBSETS)),
        resource_type=dict(type='str', choices=list(RESOURCE_TYPES)),
        timeframe=dict(type='str', choices=list(RRD_TIMEFRAMES), default='hour'),
        cf=dict(type='str', choices=list(RRD_CFS), default='AVERAGE'),
    )


LIMITS = {}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return cluster_facts(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
