#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: cluster
short_description: Create a Proxmox VE cluster, join nodes to it and remove them
version_added: 0.1.0
description:
  - "Without O(node): the connected node is in the cluster O(name); if it is in no cluster, the cluster is
    created on it (C(POST /cluster/config), a task). A node already in another cluster is refused."
  - "With O(node) and O(state=present): the node is a member of the cluster the connection reaches. If it is not,
    the module reads the join information of the connected member (its address and certificate fingerprint,
    checked against O(fingerprint) when given) and asks the joining node, through its own API at O(node_api_host)
    as C(root@pam), to join (C(POST /cluster/config/join), a task on that node). PVE refuses a joining node that
    holds guests unless O(force)."
  - "With O(node) and O(state=absent): the node is removed from the cluster configuration
    (C(DELETE /cluster/config/nodes/{node})). The module refuses while the node is online or still holds guests,
    unless O(force), and always for the node the connection reaches (PVE removes a node from another member only).
    A node that is not a member is no change."
author:
  - pve.ops developers (@pve-ops)
options:
  state:
    description:
      - Whether O(node) is a member (V(present)) or not (V(absent)).
    type: str
    choices: [present, absent]
    default: present
  name:
    description:
      - The cluster's name; required to create one, checked against the cluster's otherwise.
    type: str
  node:
    description:
      - The node to join or to remove; left out, the module creates or checks the cluster of the connected node.
      - V(state=absent) requires it.
    type: str
  links:
    description:
      - The corosync links of the node created on or joining, in order (link0, link1, ...), each
        V(address[,priority=N]).
      - Left out, PVE takes the node's own address on a cluster with one link.
    type: list
    elements: str
  nodeid:
    description:
      - The corosync node id of the node created on or joining (PVE takes the next free one when left out).
    type: int
  votes:
    description:
      - The quorum votes of the node created on or joining (PVE's default 1).
    type: int
  node_api_host:
    description:
      - The address of the joining node's API (it is not a member yet, so the cluster cannot reach it for you).
    type: str
  node_api_port:
    description:
      - The port of the joining node's API.
    type: int
    default: 8006
  node_password:
    description:
      - The C(root@pam) password of the joining node (PVE runs the join as C(root@pam) there).
    type: str
  password:
    description:
      - The C(root@pam) password of the connected member, which the joining node logs in with.
      - Left out, O(api_password) when O(api_user) is C(root@pam).
    type: str
  fingerprint:
    description:
      - The SHA-256 fingerprint the connected member's certificate must have (a pin); the join refuses another.
      - Left out, the fingerprint the member's join information shows is used.
    type: str
  force:
    description:
      - Joining, let PVE join a node that holds guests; removing, remove a node that is online or holds guests.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for the create or join task.
    type: int
    default: 600
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.CLUSTER
'''

EXAMPLES = r'''
- name: Create the cluster on the first node
  pve.ops.cluster:
    api_host: pve1.example.org
    name: prod
    links: [10.10.10.1]

- name: Join pve4, pinning the member's certificate
  pve.ops.cluster:
    api_host: pve1.example.org
    node: pve4
    node_api_host: pve4.example.org
    node_password: "{{ pve4_root_password }}"
    password: "{{ pve1_root_password }}"
    fingerprint: "AB:CD:..."
    links: [10.10.10.4]

- name: Remove pve3, shut down and emptied
  pve.ops.cluster:
    node: pve3
    state: absent
'''

RETURN = r'''
cluster:
  description:
    - The cluster after the change (predicted in check mode), its name and member nodes.
  returned: always
  type: dict
  sample: {name: prod, nodes: [{name: pve1, nodeid: 1, online: true, address: 10.10.10.1}]}
tasks:
  description:
    - The UPIDs of the tasks waited on (the create, or the join on the joining node).
  returned: when a task ran
  type: list
  elements: str
diff:
  description:
    - The cluster's name and member nodes before and after, as C(before) and C(after), for C(--diff).
  returned: always
  type: dict
  contains:
    before:
      description: The state before the task.
      type: dict
    after:
      description: The state after the task (in check mode, as it would be).
      type: dict
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.cluster.membership import ensure_cluster
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        name=dict(type='str'),
        node=dict(type='str'),
        links=dict(type='list', elements='str'),
        nodeid=dict(type='int'),
        votes=dict(type='int'),
        node_api_host=dict(type='str'),
        node_api_port=dict(type='int', default=8006),
        node_password=dict(type='str', no_log=True),
        password=dict(type='str', no_log=True),
        fingerprint=dict(type='str'),
        force=dict(type='bool', default=False),
        timeout=dict(type='int', default=600),
    )


_CREATE = ('POST', '/cluster/config')
_JOIN = ('POST', '/cluster/config/join')
LIMITS = {
    'name': limits.Limit(format='pve-node', max_length=15, schema=_CREATE + ('clustername',)),
    'node': limits.NODE,
    'nodeid': limits.Limit(minimum=1, schema=_CREATE + ('nodeid',)),
    'votes': limits.Limit(minimum=1, schema=_CREATE + ('votes',)),
    'password': limits.Limit(max_length=128, schema=_JOIN + ('password',)),
    'fingerprint': limits.Limit(pattern=r'([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}', schema=_JOIN + ('fingerprint',)),
    'node_api_port': limits.PORT,
    'timeout': limits.TIMEOUT,
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS, required_if=[('state', 'absent', ['node'])],
                     required_by={'node_api_host': ['node'], 'node_password': ['node_api_host']})


def run(pve):
    return ensure_cluster(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
