# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Selecting cluster resources (GET /cluster/resources entries) and addressing guests; shared by the plugins.

Pure functions on the API's data, no I/O: the inventory and the lookups fetch, these decide.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.pve.ops.plugins.module_utils import codec, propstring

GUEST_TYPES = ('qemu', 'lxc')
GUEST_STATUSES = ('running', 'stopped', 'unknown')
# Lookup terms -> the entry types they select. `vm` is PVE's word for both kinds of guest.
TERM_TYPES = {
    'vm': ('qemu', 'lxc'),
    'qemu': ('qemu',),
    'lxc': ('lxc',),
    'node': ('node',),
    'storage': ('storage',),
    'pool': ('pool',),
    'sdn': ('sdn',),
}
# The `type` filter GET /cluster/resources takes for each entry type (pools have none: PVE lists them unfiltered).
_API_TYPE = {'qemu': 'vm', 'lxc': 'vm', 'node': 'node', 'storage': 'storage', 'sdn': 'sdn', 'pool': None}
# PVE accepts ; , and whitespace between tags and stores them with ;.
_TAG_SPLIT = re.compile(r'[;,\s]+')
# Config keys whose values are secrets: PVE itself answers cipassword as asterisks.
SECRET_CONFIG_KEYS = ('cipassword',)
MASK = '**********'


def parse_tags(text):
    """A guest's tags as a list (PVE stores `web;prod`), empty when there are none."""
    if not text:
        return []
    if isinstance(text, (list, tuple)):
        return [str(t) for t in text if str(t)]
    out = []
    for tag in _TAG_SPLIT.split(str(text)):
        if tag and tag not in out:
            out.append(tag)
    return out


def api_type_for(terms):
    """The one `type` filter of GET /cluster/resources that covers every term, or None (list everything)."""
    kinds = set(_API_TYPE[t] for term in terms for t in TERM_TYPES[term])
    return kinds.pop() if len(kinds) == 1 else None


def _any_of(value, wanted):
    """True when no values are wanted, or the value (compared as text) is one of them."""
    if not wanted:
        return True
    return value is not None and str(value) in set(str(w) for w in wanted)


def guest_selected(guest, types=GUEST_TYPES, statuses=None, nodes=None, exclude_nodes=None, pools=None,
                   exclude_pools=None, tags=None, exclude_tags=None, include_templates=False):
    """Whether the inventory keeps this guest (a /cluster/resources entry of type qemu or lxc).

    Include lists are any-of (empty means all); ``tags`` keeps a guest with at least one of them;
    an exclude list drops a guest matching any of its items; templates only with ``include_templates``.
    """
    if guest.get('type') not in GUEST_TYPES or guest.get('type') not in (types or GUEST_TYPES):
        return False
    if not include_templates and codec.is_true(guest.get('template')):
        return False
    if not _any_of(guest.get('status'), statuses) or not _any_of(guest.get('node'), nodes):
        return False
    if exclude_nodes and _any_of(guest.get('node'), exclude_nodes):
        return False
    if not _any_of(guest.get('pool'), pools):
        return False
    if exclude_pools and _any_of(guest.get('pool'), exclude_pools):
        return False
    guest_tags = set(parse_tags(guest.get('tags')))
    if tags and not guest_tags & set(tags):
        return False
    return not (exclude_tags and guest_tags & set(exclude_tags))


def resource_selected(item, types, node=None, status=None, pool=None, name=None, vmid=None, tags=None,
                      template=None, fields=None):
    """Whether a lookup keeps this /cluster/resources entry.

    ``types`` are entry types; each other filter given is any-of its values (compared as text), all
    given filters must hold; ``tags`` keeps an entry with at least one of them; ``template`` is a bool
    (unset: both); ``fields`` maps any other field of the entry to a value or a list of values.
    """
    if item.get('type') not in types:
        return False
    for key, wanted in (('node', node), ('status', status), ('pool', pool), ('name', name), ('vmid', vmid)):
        if not _any_of(item.get(key), wanted):
            return False
    if tags and not set(parse_tags(item.get('tags'))) & set(str(t) for t in tags):
        return False
    if template is not None and codec.is_true(item.get('template')) != bool(template):
        return False
    for key, wanted in (fields or {}).items():
        if not _any_of(item.get(key), wanted if isinstance(wanted, (list, tuple)) else [wanted]):
            return False
    return True


def mask_config(config):
    """A guest config with its secrets masked the way PVE masks them (a copy)."""
    out = dict(config or {})
    for key in SECRET_CONFIG_KEYS:
        if out.get(key):
            out[key] = MASK
    return out


def agent_enabled(config):
    """Whether a VM config enables the guest agent (`agent: 1` or `agent: enabled=1,...`); None without config."""
    if config is None:
        return None
    value = propstring.parse(config.get('agent'), default_key='enabled').get('enabled', '0')
    return codec.flag(value) == '1'


def _usable(address):
    try:
        ip = ipaddress.ip_address(address.split('%', 1)[0])
    except ValueError:
        return None
    if ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast:
        return None
    return ip


def agent_addresses(interfaces):
    """The guest's addresses from the agent's network-get-interfaces result: IPv4 first, loopback and link-local left out."""
    found = []
    for iface in interfaces or []:
        if not isinstance(iface, dict) or iface.get('name') == 'lo':
            continue
        for addr in iface.get('ip-addresses') or []:
            ip = _usable(str(addr.get('ip-address', '')))
            if ip is not None and str(ip) not in [str(f) for f in found]:
                found.append(ip)
    return [str(ip) for ip in sorted(found, key=lambda ip: ip.version)]


def static_addresses(config):
    """The static addresses a guest config sets: containers' netN `ip=`/`ip6=`, VMs' cloud-init ipconfigN.

    DHCP, SLAAC (`auto`) and `manual` give no address. IPv4 first, by interface number.
    """
    found = []
    keys = sorted((k for k in (config or {}) if re.match(r'^(net|ipconfig)\d+$', k)), key=lambda k: (
        0 if k.startswith('net') else 1, int(re.sub(r'\D', '', k))))
    for key in keys:
        props = propstring.parse(config[key])
        for field in ('ip', 'ip6'):
            value = props.get(field)
            if not value or value in ('dhcp', 'auto', 'manual'):
                continue
            ip = _usable(value.split('/', 1)[0])
            if ip is not None and ip not in found:
                found.append(ip)
    return [str(ip) for ip in sorted(found, key=lambda ip: ip.version)]
