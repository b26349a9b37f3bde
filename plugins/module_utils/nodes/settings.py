# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A node's settings: its config file (description, wake-on-LAN, on-boot delay, ballooning target), DNS,
time zone and /etc/hosts. Only the settings given are compared and written; one write per kind that differs.

- config: GET and PUT /nodes/{node}/config (PUT with the digest read, so a concurrent change is refused);
- DNS: GET and PUT /nodes/{node}/dns (PVE rewrites resolv.conf: the search domain is required, so the current
  one is kept when only name servers are given; name servers not given are kept too);
- time zone: GET and PUT /nodes/{node}/time;
- /etc/hosts: GET and POST /nodes/{node}/hosts with the digest read.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, propstring

# option -> the key of /nodes/{node}/config
CONFIG_OPTIONS = {'description': 'description', 'wakeonlan': 'wakeonlan',
                  'startall_onboot_delay': 'startall-onboot-delay', 'ballooning_target': 'ballooning-target'}
DNS_KEYS = ('search', 'dns1', 'dns2', 'dns3')
SETTINGS = tuple(CONFIG_OPTIONS) + ('dns', 'timezone', 'hosts')


def _wakeonlan_view(value):
    """A wake-on-LAN property string as compared: its keys, the MAC in lower case."""
    props = propstring.parse(value, default_key='mac')
    if props.get('mac'):
        props['mac'] = props['mac'].lower()
    return propstring.format_props(props, default_key='mac') or None


def _config_value(option, value):
    if value is None:
        return None
    if option == 'wakeonlan':
        return _wakeonlan_view(value)
    if option in ('startall_onboot_delay', 'ballooning_target'):
        return int(value)
    return codec.config_text(value)


def wanted(params):
    """The settings given: {option: value}."""
    return dict((name, params[name]) for name in SETTINGS if params.get(name) is not None)


def read(client, node, names):
    """The current view of the settings named (the reads a kind of setting needs, once each)."""
    view = {}
    config_names = [n for n in names if n in CONFIG_OPTIONS]
    if config_names:
        config = client.get('nodes', node, 'config') or {}
        view.update((n, _config_value(n, config.get(CONFIG_OPTIONS[n]))) for n in config_names)
    if 'dns' in names:
        dns = client.get('nodes', node, 'dns') or {}
        view['dns'] = dict((key, dns.get(key)) for key in DNS_KEYS if dns.get(key))
    if 'timezone' in names:
        view['timezone'] = (client.get('nodes', node, 'time') or {}).get('timezone')
    if 'hosts' in names:
        view['hosts'] = (client.get('nodes', node, 'hosts') or {}).get('data')
    return view


def desired(current, given):
    """The wanted view: the current one with the given settings (DNS: the keys given over the current ones)."""
    view = dict(current)
    for name, value in given.items():
        if name == 'dns':
            dns = dict(current.get('dns') or {})
            dns.update((key, value[key]) for key in DNS_KEYS if value.get(key))
            if not dns.get('search'):
                raise errors.InvalidArgumentError('dns.search: PVE needs a search domain and the node has none; '
                                                  'give dns.search', field='dns.search')
            view['dns'] = dns
        else:
            view[name] = _config_value(name, value) if name in CONFIG_OPTIONS else value
    return view


def apply(tracker, client, node, current, want):
    """Write what differs: one request per kind of setting."""
    config = dict((CONFIG_OPTIONS[n], codec.wire(want[n])) for n in CONFIG_OPTIONS
                  if n in want and want[n] != current.get(n))
    if config:
        digest = (client.get('nodes', node, 'config') or {}).get('digest')
        if digest:
            config['digest'] = digest
        tracker.write(client.put, 'nodes', node, 'config', **config)
    if 'dns' in want and want['dns'] != current.get('dns'):
        tracker.write(client.put, 'nodes', node, 'dns', **want['dns'])
    if 'timezone' in want and want['timezone'] != current.get('timezone'):
        tracker.write(client.put, 'nodes', node, 'time', timezone=want['timezone'])
    if 'hosts' in want and want['hosts'] != current.get('hosts'):
        digest = (client.get('nodes', node, 'hosts') or {}).get('digest')
        body = dict(data=want['hosts'])
        if digest:
            body['digest'] = digest
        tracker.write(client.post, 'nodes', node, 'hosts', **body,
                      _confirm=lambda lost: read(client, node, ['hosts'])['hosts'] == want['hosts'])
