#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: cluster_options
short_description: Manage the datacenter options of a Proxmox VE cluster (datacenter.cfg)
version_added: 0.1.0
description:
  - Sets the datacenter options (C(/cluster/options), datacenter.cfg) given and removes the ones named in
    O(absent); options left out are left alone.
  - "Options that PVE keeps as property strings (O(migration), O(ha), O(bwlimit), O(tag_style), O(next_id))
    are given as dictionaries: the keys given are set, the other keys of the current value are kept. Use
    O(absent) to remove a whole option."
author:
  - pve.ops developers (@pve-ops)
options:
  keyboard:
    description:
      - The default keyboard layout of the VNC console.
    type: str
    choices: [de, de-ch, da, en-gb, en-us, es, fi, fr, fr-be, fr-ca, fr-ch, hu, is, it, ja, lt, mk, nl, 'no', pl, pt,
              pt-br, sv, sl, tr]
  language:
    description:
      - The default language of the web interface.
    type: str
    choices: [ar, ca, da, de, en, es, eu, fa, fr, hr, he, it, ja, ka, kr, nb, nl, nn, pl, pt_BR, ru, sl, sv, tr, ukr,
              zh_CN, zh_TW]
  console:
    description:
      - The default console viewer (PVE reads V(applet) as V(html5)).
    type: str
    choices: [applet, vv, html5, xtermjs]
  email_from:
    description:
      - The address notifications are sent from.
    type: str
  http_proxy:
    description:
      - The proxy for downloads (V(http://host:port)).
    type: str
  mac_prefix:
    description:
      - The prefix of generated MAC addresses (PVE's default V(BC:24:11) is compared without regard to case).
    type: str
  max_workers:
    description:
      - How many workers a node starts at most for bulk actions and HA tasks.
    type: int
  fencing:
    description:
      - The HA fencing mode.
    type: str
    choices: [watchdog, hardware, both]
  description:
    description:
      - The datacenter notes; an empty string removes them.
    type: str
  migration:
    description:
      - Migration settings.
    type: dict
    suboptions:
      type:
        description:
          - V(secure) tunnels migration traffic through SSH, V(insecure) sends it in the clear.
          - PVE requires it; when neither given nor set, V(secure) (PVE's default) is written.
        type: str
        choices: [secure, insecure]
      network:
        description:
          - The CIDR of the network used for migration.
        type: str
  ha:
    description:
      - Cluster-wide HA settings.
    type: dict
    suboptions:
      shutdown_policy:
        description:
          - What happens to HA resources when their node shuts down.
        type: str
        choices: [freeze, failover, conditional, migrate]
  bwlimit:
    description:
      - Bandwidth limits in KiB/s.
    type: dict
    suboptions:
      default:
        description:
          - The default limit.
        type: float
      clone:
        description:
          - The limit for cloning disks.
        type: float
      migration:
        description:
          - The limit for migrating guests.
        type: float
      move:
        description:
          - The limit for moving disks.
        type: float
      restore:
        description:
          - The limit for restoring guests from backups.
        type: float
  tag_style:
    description:
      - How the web interface shows tags.
    type: dict
    suboptions:
      shape:
        description:
          - The tag shape in the tree.
        type: str
        choices: [full, circle, dense, none]
      ordering:
        description:
          - The order tags are shown in.
        type: str
        choices: [config, alphabetical]
      color_map:
        description:
          - Colours per tag, V(tag:RRGGBB[:RRGGBB]) separated by semicolons.
        type: str
      case_sensitive:
        description:
          - Whether unique tags are told apart by case.
        type: bool
  next_id:
    description:
      - The range the next free vmid is taken from.
    type: dict
    suboptions:
      lower:
        description:
          - The lower, inclusive bound.
        type: int
      upper:
        description:
          - The upper, exclusive bound.
        type: int
  registered_tags:
    description:
      - Tags that need C(Sys.Modify) on C(/) to set and remove; an empty list removes the option.
    type: list
    elements: str
  absent:
    description:
      - Options to remove (back to PVE's defaults). V(mac_prefix) shows its default V(BC:24:11) once removed, so removing it when it shows that is no change.
    type: list
    elements: str
    choices: [keyboard, language, console, email_from, http_proxy, mac_prefix, max_workers, fencing, description,
              migration, ha, bwlimit, tag_style, next_id, registered_tags]
    default: []
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.CLUSTER_OPTIONS
'''

EXAMPLES = r'''
- name: Migrate over the storage network, without the SSH tunnel
  pve.ops.cluster_options:
    migration:
      type: insecure
      network: 10.10.10.0/24

- name: Migrate HA guests away on shutdown, and limit restores
  pve.ops.cluster_options:
    ha:
      shutdown_policy: migrate
    bwlimit:
      restore: 102400

- name: Take new vmids from 1000 on, and drop the proxy
  pve.ops.cluster_options:
    next_id:
      lower: 1000
    absent: [http_proxy]
'''

RETURN = r'''
options:
  description:
    - The managed options after the change (predicted in check mode); options not set are left out;
      property-string options as dictionaries of text values.
  returned: always
  type: dict
  sample: {keyboard: en-us, mac_prefix: 'BC:24:11', migration: {type: insecure, network: 10.10.10.0/24}}
diff:
  description:
    - The options before and after, as C(before) and C(after), for C(--diff).
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
from ansible_collections.pve.ops.plugins.module_utils.cluster.options import OPTIONS, ensure_cluster_options
from ansible_collections.pve.ops.plugins.module_utils.module import run_module

_PUT = ('PUT', '/cluster/options')
_KEYBOARDS = ['de', 'de-ch', 'da', 'en-gb', 'en-us', 'es', 'fi', 'fr', 'fr-be', 'fr-ca', 'fr-ch', 'hu', 'is', 'it',
              'ja', 'lt', 'mk', 'nl', 'no', 'pl', 'pt', 'pt-br', 'sv', 'sl', 'tr']
_LANGUAGES = ['ar', 'ca', 'da', 'de', 'en', 'es', 'eu', 'fa', 'fr', 'hr', 'he', 'it', 'ja', 'ka', 'kr', 'nb', 'nl',
              'nn', 'pl', 'pt_BR', 'ru', 'sl', 'sv', 'tr', 'ukr', 'zh_CN', 'zh_TW']


def argument_spec():
    limit = dict(type='float')
    return dict(
        keyboard=dict(type='str', choices=_KEYBOARDS),
        language=dict(type='str', choices=_LANGUAGES),
        console=dict(type='str', choices=['applet', 'vv', 'html5', 'xtermjs']),
        email_from=dict(type='str'),
        http_proxy=dict(type='str'),
        mac_prefix=dict(type='str'),
        max_workers=dict(type='int'),
        fencing=dict(type='str', choices=['watchdog', 'hardware', 'both']),
        description=dict(type='str'),
        migration=dict(type='dict', options=dict(type=dict(type='str', choices=['secure', 'insecure']),
                                                 network=dict(type='str'))),
        ha=dict(type='dict', options=dict(shutdown_policy=dict(
            type='str', choices=['freeze', 'failover', 'conditional', 'migrate']))),
        bwlimit=dict(type='dict', options=dict(default=limit, clone=limit, migration=limit, move=limit,
                                               restore=limit)),
        tag_style=dict(type='dict', options=dict(
            shape=dict(type='str', choices=['full', 'circle', 'dense', 'none']),
            ordering=dict(type='str', choices=['config', 'alphabetical']),
            color_map=dict(type='str'), case_sensitive=dict(type='bool'))),
        next_id=dict(type='dict', options=dict(lower=dict(type='int'), upper=dict(type='int'))),
        registered_tags=dict(type='list', elements='str'),
        absent=dict(type='list', elements='str', choices=list(OPTIONS), default=[]),
    )


_BWLIMIT = limits.Limit(minimum=0, source="PVE's bwlimit format (limits in KiB/s, at least 0)")
_NEXT_ID = "PVE's next-id format (its min and max)"
LIMITS = {
    'max_workers': limits.Limit(minimum=1, schema=_PUT + ('max_workers',)),
    'description': limits.Limit(max_length=65536, schema=_PUT + ('description',)),
    'http_proxy': limits.Limit(pattern=r'http://.*', schema=_PUT + ('http_proxy',)),
    'bwlimit.default': _BWLIMIT, 'bwlimit.clone': _BWLIMIT, 'bwlimit.migration': _BWLIMIT,
    'bwlimit.move': _BWLIMIT, 'bwlimit.restore': _BWLIMIT,
    'next_id.lower': limits.Limit(minimum=100, maximum=999999999, schema=_PUT + ('next-id', 'lower'),
                                  source=_NEXT_ID),
    'next_id.upper': limits.Limit(minimum=100, maximum=1000000000, schema=_PUT + ('next-id', 'upper'),
                                  source=_NEXT_ID),
    'registered_tags': limits.TAG,
}

MODULE_KWARGS = dict(supports_check_mode=True, limits=LIMITS)


def run(pve):
    return ensure_cluster_options(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
