#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: container_info
short_description: List Proxmox VE LXC containers, with their config, status, snapshots and statistics
version_added: 0.1.0
description:
  - Lists the cluster's containers from one request (C(GET /cluster/resources)), filtered by node, name,
    vmid, tags, pool and status.
  - For each container listed, reads what O(gather) asks for, one request per item and container.
author:
  - pve.ops developers (@pve-ops)
options:
  vmid:
    description: Only the container with this id.
    type: int
  name:
    description: Only containers with this name (hostname).
    type: str
    aliases: [hostname]
  node:
    description: Only containers on this node.
    type: str
  tags:
    description: Only containers that carry every one of these tags (matched without regard to case).
    type: list
    elements: str
  pool:
    description: Only containers in this pool.
    type: str
  status:
    description: Only containers in this state.
    type: str
    choices: [running, stopped]
  gather:
    description:
      - What to read for each container listed.
      - V(config) the configuration (pending values applied), V(pending) the changes waiting for the next
        start, V(status) the current status (C(status/current)), V(snapshots) the snapshots, V(rrd) the
        statistics series of O(timeframe), V(interfaces) the network interfaces of a running container.
    type: list
    elements: str
    choices: [config, pending, status, snapshots, rrd, interfaces]
    default: []
  timeframe:
    description: The time frame of the V(rrd) statistics.
    type: str
    choices: [hour, day, week, month, year]
    default: hour
  cf:
    description: The consolidation function of the V(rrd) statistics.
    type: str
    choices: [AVERAGE, MAX]
    default: AVERAGE
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.paging
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.CONTAINER_INFO
'''

EXAMPLES = r'''
- name: Every container
  pve.ops.container_info:
  register: cts

- name: Running production containers on pve2 with their config
  pve.ops.container_info:
    node: pve2
    tags: [prod]
    status: running
    gather: [config]

- name: One container's statistics over the last day
  pve.ops.container_info:
    name: proxy01
    gather: [status, rrd]
    timeframe: day
    cf: MAX
- name: Names and nodes of the first 100 containers
  pve.ops.container_info:
    limit: 100
    fields: [vmid, name, node]
'''

RETURN = r'''
containers:
  description: The containers that pass the filters, by vmid, each its cluster resource entry plus what was gathered.
  returned: always
  type: list
  elements: dict
  contains:
    vmid:
      description: The container's id.
      type: int
    name:
      description: Its name (hostname).
      type: str
    node:
      description: Its node.
      type: str
    status:
      description: V(running), V(stopped) (or V(unknown) on an offline node).
      type: str
    tags:
      description: Its tags as PVE keeps them (sorted; lower case unless the datacenter's C(tag-style) is case-sensitive).
      type: list
      elements: str
    pool:
      description: Its pool, if any.
      type: str
    template:
      description: Whether it is a template.
      type: bool
    maxmem:
      description: Its memory in bytes.
      type: int
    maxdisk:
      description: Its root disk size in bytes.
      type: int
    config:
      description: Its configuration.
      type: dict
      returned: when gathered
    pending:
      description: Changes waiting for the next start, key to C({current, pending}) or C({current, delete}).
      type: dict
      returned: when gathered
    status_detail:
      description: The answer of C(status/current) (cpu, mem, uptime, pid, ...).
      type: dict
      returned: when status is gathered
    snapshots:
      description: Its snapshots (name, description, snaptime, parent).
      type: list
      elements: dict
      returned: when gathered
    rrd:
      description: The statistics series (time, cpu, mem, maxmem, disk, netin, netout, diskread, diskwrite, ...).
      type: list
      elements: dict
      returned: when gathered
    interfaces:
      description: The network interfaces of a running container (null when it is stopped).
      type: list
      elements: dict
      returned: when gathered
  sample:
    - {vmid: 200, name: proxy01, node: pve2, status: running, tags: [prod, proxy], pool: demo, template: false}
page:
  description: Which part of the list RV(containers) is (O(limit), O(offset)).
  returned: always
  type: dict
  contains:
    total:
      description: How many containers pass the filters.
      type: int
    offset:
      description: The position of the first one returned (O(offset)).
      type: int
    limit:
      description: O(limit) (null without it).
      type: int
    returned:
      description: How many are in RV(containers).
      type: int
    more:
      description: Whether more follow this page.
      type: bool
    next_offset:
      description: The O(offset) of the next page.
      returned: when RV(page.more) is true
      type: int
  sample: {total: 250, offset: 0, limit: 100, returned: 100, more: true, next_offset: 100}
'''

from ansible_collections.pve.ops.plugins.module_utils import limits, paging
from ansible_collections.pve.ops.plugins.module_utils.guests.listing import (
    DETAILS,
    RRD_CF,
    RRD_TIMEFRAMES,
    guest_listing,
)
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        vmid=dict(type='int'),
        name=dict(type='str', aliases=['hostname']),
        node=dict(type='str'),
        tags=dict(type='list', elements='str'),
        pool=dict(type='str'),
        status=dict(type='str', choices=['running', 'stopped']),
        gather=dict(type='list', elements='str', choices=list(DETAILS['lxc']), default=[]),
        timeframe=dict(type='str', choices=list(RRD_TIMEFRAMES), default='hour'),
        cf=dict(type='str', choices=list(RRD_CF), default='AVERAGE'),
        **paging.argument_spec()
    )


LIMITS = dict({'vmid': limits.VMID, 'node': limits.NODE, 'pool': limits.POOL_ID, 'tags': limits.TAG},
              **paging.LIMITS)

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    containers, page = guest_listing(pve.client, 'lxc', pve.params)
    return dict(changed=False, containers=containers, page=page)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
