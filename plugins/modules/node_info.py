#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: node_info
short_description: List Proxmox VE nodes, or read one node's status, version, time, DNS and details
version_added: 0.1.0
description:
  - Without O(node), lists the cluster's nodes with their status and usage (one API request).
  - With O(node), reads the subsets in O(gather) of that node (one API request each).
  - The default subsets are V(status), V(version), V(time) and V(dns); V(rrd), V(network), V(disks),
    V(certificates), V(syslog), V(apt_updates), V(config) and V(subscription) are read only when asked for.
author:
  - pve.ops developers (@pve-ops)
options:
  node:
    description:
      - The node to read. Omit to list all nodes.
    type: str
  gather:
    description:
      - The subsets to read for O(node).
    type: list
    elements: str
    choices: [status, version, time, dns, rrd, network, disks, certificates, syslog, apt_updates, config, subscription]
    default: [status, version, time, dns]
  timeframe:
    description:
      - The time frame of the V(rrd) subset (points of 1 minute, 30 minutes, 3 hours, 12 hours and 1 week).
    type: str
    choices: [hour, day, week, month, year]
    default: hour
  cf:
    description:
      - The consolidation function of the V(rrd) subset.
    type: str
    choices: [AVERAGE, MAX]
    default: AVERAGE
  iface_type:
    description:
      - Only list interfaces of this type in the V(network) subset (V(any_bridge) for Linux and OVS bridges).
    type: str
    choices: [bridge, bond, eth, alias, vlan, fabric, OVSBridge, OVSBond, OVSPort, OVSIntPort, vnet, any_bridge,
              any_local_bridge, include_sdn]
  log_lines:
    description:
      - The number of lines of the V(syslog) subset (the first lines PVE returns), at least 1.
    type: int
    default: 50
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.NODE_INFO
'''

EXAMPLES = r'''
- name: List the nodes
  pve.ops.node_info:
  register: nodes

- name: Status and DNS of one node
  pve.ops.node_info:
    node: pve1
    gather: [status, dns]
  register: pve1

- name: The last day of usage, the bridges and the disks of one node
  pve.ops.node_info:
    node: pve1
    gather: [rrd, network, disks]
    timeframe: day
    cf: MAX
    iface_type: any_bridge
  register: pve1_details
'''

RETURN = r'''
nodes:
  description: The nodes (C(GET /nodes)), sorted by name.
  returned: when O(node) is not given
  type: list
  elements: dict
  sample: [{node: pve1, status: online, cpu: 0.03, maxcpu: 16, mem: 4294967296, maxmem: 68719476736, uptime: 86400}]
node:
  description: The node O(node), with one key per gathered subset.
  returned: when O(node) is given
  type: dict
  contains:
    node:
      description: The node name.
      type: str
    status:
      description: C(GET /nodes/{node}/status) (cpu, memory, uptime, pveversion, kversion, ...).
      type: dict
    version:
      description: C(GET /nodes/{node}/version).
      type: dict
    time:
      description: C(GET /nodes/{node}/time) (timezone, localtime, time).
      type: dict
    dns:
      description: C(GET /nodes/{node}/dns) (search, dns1, dns2, dns3).
      type: dict
    rrd:
      description:
        - C(GET /nodes/{node}/rrddata), one point per step of O(timeframe) (time, cpu, maxcpu, iowait, loadavg,
          memused, memtotal, swapused, swaptotal, rootused, roottotal, netin, netout).
      type: list
      elements: dict
    network:
      description: C(GET /nodes/{node}/network), the interfaces (iface, type, method, address, cidr, gateway,
        bridge_ports, active, ...).
      type: list
      elements: dict
    disks:
      description: C(GET /nodes/{node}/disks/list), the disks (devpath, model, serial, size, type, used, health,
        wearout, ...).
      type: list
      elements: dict
    certificates:
      description: C(GET /nodes/{node}/certificates/info) (filename, subject, issuer, notbefore, notafter,
        fingerprint, san, pem, ...).
      type: list
      elements: dict
    syslog:
      description: C(GET /nodes/{node}/syslog), up to O(log_lines) lines as C({n, t}) (line number, text).
      type: list
      elements: dict
    apt_updates:
      description: C(GET /nodes/{node}/apt/update), the pending package updates (Package, OldVersion, Version,
        Origin, ...). Needs C(Sys.Modify) on the node.
      type: list
      elements: dict
    config:
      description: C(GET /nodes/{node}/config), the node configuration (description, wakeonlan, acme, digest, ...).
      type: dict
    subscription:
      description: C(GET /nodes/{node}/subscription) (status, level, productname, nextduedate, serverid, ...).
      type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.cluster.nodes import (
    DEFAULT_SUBSETS,
    IFACE_TYPES,
    NODE_SUBSETS,
    RRD_CFS,
    RRD_TIMEFRAMES,
    node_info,
)
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        node=dict(type='str'),
        gather=dict(type='list', elements='str', choices=list(NODE_SUBSETS), default=list(DEFAULT_SUBSETS)),
        timeframe=dict(type='str', choices=list(RRD_TIMEFRAMES), default='hour'),
        cf=dict(type='str', choices=list(RRD_CFS), default='AVERAGE'),
        iface_type=dict(type='str', choices=list(IFACE_TYPES)),
        log_lines=dict(type='int', default=50),
    )


LIMITS = {
    'node': limits.NODE,
    'log_lines': limits.Limit(minimum=1, schema=('GET', '/nodes/{node}/syslog', 'limit'),
                              source='pve.ops: at least one line (PVE reads 0 as its default)'),
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return node_info(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
