#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vm_info
short_description: List Proxmox VE virtual machines, with their config, status, snapshots and statistics
version_added: 0.1.0
description:
  - Lists the QEMU VMs (templates included) of the cluster from one C(GET /cluster/resources) request,
    filtered by node, name, vmid, tags, pool and status.
  - For each VM listed, reads the details asked for in O(gather), one request per VM and detail.
author:
  - pve.ops developers (@pve-ops)
options:
  vmid:
    description: Only the VM with this ID.
    type: int
  name:
    description: Only VMs with this name.
    type: str
  node:
    description: Only VMs on this node.
    type: str
  tags:
    description: Only VMs that carry every one of these tags (matched without regard to case).
    type: list
    elements: str
  pool:
    description: Only VMs in this resource pool.
    type: str
  status:
    description: Only VMs in this state.
    type: str
    choices: [running, stopped, paused, suspended, unknown]
  gather:
    description:
      - Details to read for each VM listed.
      - V(config) its current configuration; V(pending) its pending changes; V(status) its live status
        (C(status/current)); V(snapshots) its snapshots; V(rrd) its statistics series (O(timeframe), O(cf));
        V(agent_network) the network interfaces the guest agent reports (null with RV(vms[].agent_error)
        when the agent does not answer).
    type: list
    elements: str
    choices: [config, pending, status, snapshots, rrd, agent_network]
    default: []
  timeframe:
    description: The time frame of the V(rrd) series.
    type: str
    choices: [hour, day, week, month, year]
    default: hour
  cf:
    description: The consolidation function of the V(rrd) series.
    type: str
    choices: [AVERAGE, MAX]
    default: AVERAGE
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.paging
  - pve.ops.attributes
  - pve.ops.attributes.INFO_MODULE
  - pve.ops.privileges.VM_INFO
'''

EXAMPLES = r'''
- name: Every running VM tagged prod
  pve.ops.vm_info:
    tags: [prod]
    status: running
  register: prod

- name: One VM's config, snapshots and last day's peaks
  pve.ops.vm_info:
    name: web01
    gather: [config, snapshots, rrd]
    timeframe: day
    cf: MAX
  register: web01

- name: The addresses the guest agent reports
  pve.ops.vm_info:
    vmid: 100
    gather: [agent_network]
- name: The second page of 50 VMs, three keys of each
  pve.ops.vm_info:
    limit: 50
    offset: 50
    fields: [vmid, name, status]
  register: listed
  # listed.page.total: how many VMs there are; listed.page.next_offset (when listed.page.more): the next page
'''

RETURN = r'''
vms:
  description: The VMs listed, as C(/cluster/resources) shows them, with the details gathered.
  returned: always
  type: list
  elements: dict
  contains:
    vmid:
      description: The VM's ID.
      type: int
    name:
      description: The VM's name.
      type: str
    node:
      description: The node it is on.
      type: str
    status:
      description: C(running), C(stopped), ...
      type: str
    template:
      description: Whether it is a template.
      type: bool
    tags:
      description: Its tags as PVE keeps them (sorted; lower case unless the datacenter's C(tag-style) is case-sensitive).
      type: list
      elements: str
    pool:
      description: Its resource pool, when in one.
      type: str
    config:
      description: Its configuration.
      returned: when V(config) is gathered
      type: dict
    pending:
      description: 'Its pending changes, C({key: {current, pending}}) or C({key: {current, delete}}).'
      returned: when V(pending) is gathered
      type: dict
    status_detail:
      description: C(GET status/current) (qmpstatus, uptime, cpu, mem, ha, ...).
      returned: when V(status) is gathered
      type: dict
    snapshots:
      description: Its snapshots (name, description, snaptime, vmstate, parent).
      returned: when V(snapshots) is gathered
      type: list
      elements: dict
    rrd:
      description: Its statistics, one point per step (time, cpu, mem, maxmem, netin, netout, diskread, ...).
      returned: when V(rrd) is gathered
      type: list
      elements: dict
    agent_network:
      description: The C(result) of the guest agent's network-get-interfaces, or null.
      returned: when V(agent_network) is gathered
      type: list
      elements: dict
    agent_error:
      description: Why the guest agent gave no answer.
      returned: when V(agent_network) is gathered and the agent did not answer
      type: str
  sample:
    - {vmid: 100, name: web01, node: pve1, status: running, template: false, tags: [prod, web], pool: demo,
       maxmem: 4294967296, cpu: 0.02}
page:
  description: Which part of the list RV(vms) is (O(limit), O(offset)).
  returned: always
  type: dict
  contains:
    total:
      description: How many VMs pass the filters.
      type: int
    offset:
      description: The position of the first one returned (O(offset)).
      type: int
    limit:
      description: O(limit) (null without it).
      type: int
    returned:
      description: How many are in RV(vms).
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
from ansible_collections.pve.ops.plugins.module_utils.guests import listing
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        vmid=dict(type='int'),
        name=dict(type='str'),
        node=dict(type='str'),
        tags=dict(type='list', elements='str'),
        pool=dict(type='str'),
        status=dict(type='str', choices=['running', 'stopped', 'paused', 'suspended', 'unknown']),
        gather=dict(type='list', elements='str', choices=list(listing.DETAILS['qemu']), default=[]),
        timeframe=dict(type='str', choices=list(listing.RRD_TIMEFRAMES), default='hour'),
        cf=dict(type='str', choices=list(listing.RRD_CF), default='AVERAGE'),
        **paging.argument_spec()
    )


LIMITS = dict({'vmid': limits.VMID, 'node': limits.NODE, 'pool': limits.POOL_ID, 'tags': limits.TAG},
              **paging.LIMITS)

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    vms, page = listing.guest_listing(pve.client, 'qemu', pve.params)
    return dict(changed=False, vms=vms, page=page)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
