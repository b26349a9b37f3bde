# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: resources
short_description: Proxmox VE cluster resources (guests, nodes, storages, pools), filtered
version_added: 0.1.0
author:
  - pve.ops developers (@pve-ops)
description:
  - The entries of C(GET /cluster/resources) of the given types, as the API lists them, kept when every filter given holds.
  - One request per call (plus the login with a password), whatever the number of terms.
  - Uses the same client as the pve.ops modules (connection options and E(PROXMOX_*) variables alike).
    C(module_defaults) do not reach lookups; give the connection as keywords or through the environment.
extends_documentation_fragment:
  - pve.ops.connection.PLUGIN
options:
  _terms:
    description:
      - The resource types. V(vm) is both kinds of guest; V(qemu) VMs, V(lxc) containers; V(node), V(storage),
        V(pool), V(sdn).
    type: list
    elements: str
    required: true
  node:
    description: Only entries of one of these nodes.
    type: list
    elements: str
  status:
    description:
      - Only entries in one of these states (guests V(running), V(stopped); nodes V(online), V(offline);
        storages V(available)).
    type: list
    elements: str
  pool:
    description: Only guests in one of these pools (or, for the V(pool) type, these pools).
    type: list
    elements: str
  name:
    description: Only entries with one of these names (guests' names).
    type: list
    elements: str
  vmid:
    description: Only guests with one of these IDs.
    type: list
    elements: int
  tags:
    description: Only guests that carry at least one of these tags.
    type: list
    elements: str
  template:
    description: Only templates (V(true)) or only guests that are not templates (V(false)). Unset keeps both.
    type: bool
  filters:
    description:
      - Any other field of the entries, mapped to a value or a list of values (any of them), compared as text,
        for example the key C(storage) with the value C(local), or C(plugintype) with C([dir, nfs]).
    type: dict
    default: {}
notes:
  - Use C(query()), or C(wantlist=true), to always get a list.
  - The API lists only what the user may audit (C(VM.Audit), C(Sys.Audit), C(Datastore.Audit), C(Pool.Audit)).
'''

EXAMPLES = r'''
- name: The running guests on pve1
  ansible.builtin.debug:
    msg: "{{ query('pve.ops.resources', 'vm', node='pve1', status='running') | map(attribute='name') }}"
  # PROXMOX_HOST, PROXMOX_USER and PROXMOX_PASSWORD (or PROXMOX_TOKEN_ID / PROXMOX_TOKEN_SECRET) in the environment

- name: Containers tagged prod, with the connection given explicitly
  ansible.builtin.set_fact:
    prod_cts: >-
      {{ query('pve.ops.resources', 'lxc', tags=['prod'],
               api_host='pve1.example.com', api_token_id='ansible@pve!ro', api_token_secret=pve_token_secret,
               ca_path='/etc/ssl/pve-root-ca.pem') }}

- name: The NFS storages of pve1
  ansible.builtin.debug:
    msg: "{{ query('pve.ops.resources', 'storage', node='pve1', filters={'plugintype': 'nfs'}) }}"

- name: Templates to clone from
  ansible.builtin.debug:
    msg: "{{ query('pve.ops.resources', 'qemu', template=true) | map(attribute='vmid') }}"
'''

RETURN = r'''
_raw:
  description:
    - The matching entries of C(GET /cluster/resources), unchanged, in the order the API lists them.
  type: list
  elements: dict
  contains:
    id:
      description: The resource ID, for example C(qemu/100), C(node/pve1), C(storage/pve1/local), C(pool/demo).
      type: str
    type:
      description: V(qemu), V(lxc), V(node), V(storage), V(pool) or V(sdn).
      type: str
    node:
      description: The node (guests, nodes, storages).
      type: str
    status:
      description: The type's status (guests V(running)/V(stopped), nodes V(online)/V(offline), ...).
      type: str
    vmid:
      description: The guest's ID.
      type: int
    name:
      description: The guest's name.
      type: str
    tags:
      description: The guest's tags as PVE stores them, separated by C(;).
      type: str
    pool:
      description: The pool (guests in a pool, and pool entries).
      type: str
    template:
      description: 1 for templates.
      type: int
'''

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.plugin_utils.connection import (
    CONNECTION_OPTIONS,
    as_ansible_error,
    client_from_plugin,
)
from ansible_collections.pve.ops.plugins.plugin_utils.resources import TERM_TYPES, api_type_for, resource_selected

FILTER_OPTIONS = ('node', 'status', 'pool', 'name', 'vmid', 'tags', 'template', 'filters')


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        unknown = sorted(set(kwargs) - set(CONNECTION_OPTIONS) - set(FILTER_OPTIONS))
        if unknown:
            raise AnsibleError('pve.ops.resources: unknown option {0}; the filters are {1}'.format(
                ', '.join(unknown), ', '.join(FILTER_OPTIONS)))
        self.set_options(var_options=variables, direct=kwargs)
        terms = [str(term).strip() for term in (terms or [])]
        if not terms:
            raise AnsibleError('pve.ops.resources: give at least one resource type ({0})'.format(
                ', '.join(sorted(TERM_TYPES))))
        unknown = [term for term in terms if term not in TERM_TYPES]
        if unknown:
            raise AnsibleError('pve.ops.resources: unknown resource type {0}: use {1}'.format(
                ', '.join(repr(t) for t in unknown), ', '.join(sorted(TERM_TYPES))))
        types = set(kind for term in terms for kind in TERM_TYPES[term])
        filters = self.get_option('filters') or {}
        if not isinstance(filters, dict):
            raise AnsibleError('pve.ops.resources: filters must be a dict of field: value(s)')
        vmids = []
        for vmid in self.get_option('vmid') or []:
            try:
                vmids.append(int(vmid))
            except (TypeError, ValueError):
                raise AnsibleError('pve.ops.resources: vmid must be integers, got {0!r}'.format(vmid)) from None
        client = client_from_plugin(self)
        try:
            items = client.get('cluster', 'resources', type=api_type_for(terms)) or []
        except errors.PveOpsError as err:
            raise as_ansible_error(err, 'pve.ops.resources') from None
        return [item for item in items if resource_selected(
            item, types, node=self.get_option('node'), status=self.get_option('status'),
            pool=self.get_option('pool'), name=self.get_option('name'), vmid=vmids,
            tags=self.get_option('tags'), template=self.get_option('template'), fields=filters)]
