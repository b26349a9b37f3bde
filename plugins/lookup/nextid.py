# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: nextid
short_description: The next free guest ID (vmid) of a Proxmox VE cluster
version_added: 0.1.0
author:
  - pve.ops developers (@pve-ops)
description:
  - The ID C(GET /cluster/nextid) answers; PVE honours the cluster's C(next-id) range.
  - The ID is free when asked, not reserved; a create with it may still race another one.
  - Uses the same client as the pve.ops modules (connection options and E(PROXMOX_*) variables alike).
extends_documentation_fragment:
  - pve.ops.connection.PLUGIN
options:
  _terms:
    description: Takes no terms.
    type: list
    elements: str
'''

EXAMPLES = r'''
- name: Create a VM with the next free ID
  pve.ops.vm:
    vmid: "{{ lookup('pve.ops.nextid') }}"
    name: new01
    node: pve1
'''

RETURN = r'''
_raw:
  description: The next free vmid, one element.
  type: list
  elements: int
'''

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.plugin_utils.connection import (
    CONNECTION_OPTIONS,
    as_ansible_error,
    client_from_plugin,
)


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        unknown = sorted(set(kwargs) - set(CONNECTION_OPTIONS))
        if unknown:
            raise AnsibleError('pve.ops.nextid: unknown option {0}; it takes the connection options only'.format(
                ', '.join(unknown)))
        self.set_options(var_options=variables, direct=kwargs)
        if terms:
            raise AnsibleError('pve.ops.nextid takes no terms (got {0})'.format(', '.join(repr(t) for t in terms)))
        client = client_from_plugin(self)
        try:
            return [int(client.get('cluster', 'nextid'))]
        except errors.PveOpsError as err:
            raise as_ansible_error(err, 'pve.ops.nextid') from None
