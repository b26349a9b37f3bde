# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: proxmox
short_description: Proxmox VE guests (VMs and containers) as inventory hosts
version_added: 0.1.0
author:
  - pve.ops developers (@pve-ops)
description:
  - Every guest of a Proxmox VE cluster becomes a host (QEMU virtual machines and LXC containers,
    templates left out unless asked for).
  - One request lists the cluster (C(GET /cluster/resources?type=vm), plus the login with a password);
    guest configs and guest agent addresses are read only when O(want_config) or O(want_agent_ips) asks.
  - Host variables C(proxmox_vmid), C(proxmox_node), C(proxmox_type), C(proxmox_status), C(proxmox_name),
    C(proxmox_tags) (a list), C(proxmox_pool) (null when none), C(proxmox_template), and with O(want_config)
    C(proxmox_config); C(ansible_host) and C(proxmox_ips) when an address is known (see O(want_agent_ips)).
  - The default groups are C(<prefix>all_qemu), C(<prefix>all_lxc), C(<prefix><node>), C(<prefix>pool_<pool>)
    and C(<prefix>status_<status>), where C(<prefix>) is O(group_prefix); characters not valid in group names
    become C(_).
    O(keyed_groups), O(groups) and O(compose) add more.
  - The inventory source is a YAML file whose name ends in C(proxmox.yml) or C(proxmox.yaml).
  - Uses the same client as the pve.ops modules (connection options and E(PROXMOX_*) variables alike).
    Option values may be C(!vault) strings or templates.
  - A source written for community.proxmox's inventory plugin works with its C(plugin) changed to
    C(pve.ops.proxmox) (option names such as C(url), C(user), C(token_id) and E(PROXMOX_URL) are taken);
    its options that have no equivalent here (C(want_facts), C(filters), ...) fail by name unless they have
    their default value.
extends_documentation_fragment:
  - pve.ops.connection.PLUGIN
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin; the file is for it only when it says so.
    type: str
    required: true
    choices: [pve.ops.proxmox]
  guest_types:
    description: The kinds of guest to list.
    type: list
    elements: str
    choices: [qemu, lxc]
    default: [qemu, lxc]
  statuses:
    description:
      - Only guests in one of these states, for example V(running). Empty lists every state.
      - V(unknown) is the state of guests on an unreachable node.
    type: list
    elements: str
    choices: [running, stopped, unknown]
    default: []
  nodes:
    description: Only guests on one of these nodes. Empty lists every node.
    type: list
    elements: str
    default: []
  exclude_nodes:
    description:
      - Leave out the guests on these nodes.
      - community.proxmox's boolean C(exclude_nodes) (leave the nodes out as hosts) is taken and changes nothing, since
        nodes are never hosts of this inventory.
    type: list
    elements: str
    default: []
  pools:
    description: Only guests that are members of one of these resource pools. Empty lists guests in any pool or none.
    type: list
    elements: str
    default: []
  exclude_pools:
    description: Leave out the guests that are members of these pools.
    type: list
    elements: str
    default: []
  tags:
    description: Only guests that carry at least one of these tags. Empty lists guests with any tags or none.
    type: list
    elements: str
    default: []
  exclude_tags:
    description: Leave out the guests that carry any of these tags.
    type: list
    elements: str
    default: []
  include_templates:
    description: List templates as hosts too (they cannot run, so by default they are left out).
    type: bool
    default: false
  want_config:
    description:
      - Read each listed guest's configuration (one request per guest) into C(proxmox_config).
      - Secrets in it are masked as PVE masks them (C(cipassword)).
      - A container's static address (C(net0) C(ip=)), or a VM's cloud-init C(ipconfig0) C(ip=), becomes
        C(ansible_host) unless the guest agent gave one.
    type: bool
    default: false
  want_agent_ips:
    description:
      - Address guests by IP.
      - Running VMs are asked through the QEMU guest agent (one request per running VM, skipped when
        O(want_config) shows the agent disabled); IPv4 before IPv6, loopback and link-local addresses left out.
        A VM without a running agent keeps no address.
      - Containers have no agent; their configuration is read (one request per container) for the static
        address of their network interfaces.
      - The addresses go to C(proxmox_ips), the first to C(ansible_host).
    type: bool
    default: false
  group_prefix:
    description: The prefix of the default groups' names.
    type: str
    default: proxmox_
notes:
  - The cache (O(cache)) holds what the API answered for the listing, configs and addresses, never a credential;
    changing a filter or a C(want_) option refreshes it.
seealso:
  - name: Migrating from community.proxmox
    description: docs/migrating.md in the collection.
    link: https://github.com/pve-ops/pve.ops/blob/main/docs/migrating.md
  - name: pve.ops inventory guide
    description: docs/inventory.md in the collection.
    link: https://github.com/pve-ops/pve.ops/blob/main/docs/inventory.md
'''

EXAMPLES = r'''
# proxmox.yml: every guest, credentials from PROXMOX_HOST, PROXMOX_USER, PROXMOX_PASSWORD (or PROXMOX_TOKEN_*)
plugin: pve.ops.proxmox

---
# prod.proxmox.yml: running guests of two nodes, addressed by IP, grouped by tag
plugin: pve.ops.proxmox
api_host: pve1.example.com
api_token_id: ansible@pve!inventory
api_token_secret: !vault |
  $ANSIBLE_VAULT;1.1;AES256
  ...
ca_path: /etc/ssl/pve-root-ca.pem
statuses: [running]
nodes: [pve1, pve2]
exclude_tags: [no-ansible]
want_agent_ips: true
keyed_groups:
  - key: proxmox_tags
    prefix: tag
groups:
  webservers: "'web' in proxmox_tags"
compose:
  ansible_user: "'debian' if proxmox_type == 'qemu' else 'root'"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/pve-ops-inventory
cache_timeout: 300

---
# configs.proxmox.yml: containers only, with their configuration
plugin: pve.ops.proxmox
api_password: "{{ lookup('ansible.builtin.env', 'PVE_ROOT_PASSWORD') }}"
guest_types: [lxc]
want_config: true
group_prefix: pve_
'''

from ansible.errors import AnsibleParserError
from ansible.inventory.group import to_safe_group_name
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.plugin_utils.connection import as_ansible_error, client_from_plugin
from ansible_collections.pve.ops.plugins.plugin_utils.resources import (
    agent_addresses,
    agent_enabled,
    guest_selected,
    mask_config,
    parse_tags,
    static_addresses,
)

# The options that decide what is fetched: a cached fetch made with other values is not reused.
_FETCH_OPTIONS = ('guest_types', 'statuses', 'nodes', 'exclude_nodes', 'pools', 'exclude_pools', 'tags',
                  'exclude_tags', 'include_templates', 'want_config', 'want_agent_ips')
_CACHE_FORMAT = 1
# community.proxmox's inventory options that pve.ops does not have: (the value that changes nothing, what to use).
_COMMUNITY_ONLY = {
    'want_facts': (False, 'use want_config, which puts the configuration in proxmox_config'),
    'facts_prefix': ('proxmox_', 'the host variables are always named proxmox_*'),
    'qemu_extended_statuses': (False, 'proxmox_status is the status of /cluster/resources'),
    'want_proxmox_nodes_ansible_host': (False, 'nodes are not hosts of this inventory'),
    'filters': ([], 'use statuses, nodes, pools, tags and their exclude_ lists, or groups and a --limit'),
}


def _safe_group_name(name):
    return to_safe_group_name(name, force=True, silent=True)


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = 'pve.ops.proxmox'
    # Host variables hold what the API says (guest names, tags, configs): never trusted as templates.
    # (The source file's own options are trusted by ansible-core when it reads them.)
    trusted_by_default = False
    _sanitize_group_name = staticmethod(_safe_group_name)

    def set_options(self, task_keys=None, var_options=None, direct=None):
        # A source written for community.proxmox's plugin: its options that have no pve.ops meaning fail here,
        # by name, rather than being ignored (a filter ignored would list hosts the source left out).
        if direct:
            direct = dict(direct)
            if isinstance(direct.get('exclude_nodes'), bool):
                # community.proxmox: leave the nodes out as hosts. pve.ops never lists nodes as hosts.
                direct.pop('exclude_nodes')
            refused = ['{0} ({1})'.format(name, hint) for name, (harmless, hint) in sorted(_COMMUNITY_ONLY.items())
                       if name in direct and direct[name] != harmless]
            if refused:
                raise AnsibleParserError('pve.ops.proxmox: community.proxmox options with no pve.ops equivalent: '
                                         '{0}. See docs/migrating.md'.format('; '.join(refused)))
            for name in _COMMUNITY_ONLY:
                direct.pop(name, None)
        super().set_options(task_keys=task_keys, var_options=var_options, direct=direct)

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('proxmox.yml', 'proxmox.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        self._read_config_data(path)
        fetch_options = dict((name, self.get_option(name)) for name in _FETCH_OPTIONS)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        data = None
        if use_cache:
            try:
                data = self._cache[cache_key]
            except KeyError:
                update_cache = True
            else:
                if not isinstance(data, dict) or data.get('format') != _CACHE_FORMAT or \
                        data.get('options') != fetch_options:
                    data, update_cache = None, True
        if data is None:
            data = dict(format=_CACHE_FORMAT, options=fetch_options, guests=self._fetch(fetch_options))
        if update_cache:
            self._cache[cache_key] = data
        self._populate(data['guests'])

    # ---------------------------------------------------------------- reading

    def _fetch(self, opts):
        """The selected guests: their /cluster/resources entry, and config and addresses when asked."""
        client = client_from_plugin(self, self.templar)
        try:
            resources = client.get('cluster', 'resources', type='vm') or []
            guests = []
            for entry in sorted(resources, key=lambda e: int(e.get('vmid') or 0)):
                if not guest_selected(entry, types=opts['guest_types'], statuses=opts['statuses'],
                                      nodes=opts['nodes'], exclude_nodes=opts['exclude_nodes'], pools=opts['pools'],
                                      exclude_pools=opts['exclude_pools'], tags=opts['tags'],
                                      exclude_tags=opts['exclude_tags'],
                                      include_templates=opts['include_templates']):
                    continue
                guests.append(self._details(client, entry, opts))
            return guests
        except errors.PveOpsError as err:
            raise AnsibleParserError(str(as_ansible_error(err, 'pve.ops.proxmox inventory'))) from None

    def _details(self, client, entry, opts):
        guest = dict(resource=entry, config=None, ips=[])
        kind, node, vmid = entry['type'], entry['node'], entry['vmid']
        want_config = opts['want_config'] or (opts['want_agent_ips'] and kind == 'lxc')
        if want_config:
            try:
                guest['config'] = mask_config(client.get('nodes', node, kind, vmid, 'config'))
            except errors.NotFoundError:
                self.display.vvv('pve.ops.proxmox: {0}/{1} vanished while listing'.format(kind, vmid))
        if opts['want_agent_ips'] and kind == 'qemu' and entry.get('status') == 'running' and \
                agent_enabled(guest['config']) is not False:
            guest['ips'] = self._agent_ips(client, node, vmid)
        if not guest['ips'] and guest['config'] is not None:
            guest['ips'] = static_addresses(guest['config'])
        if not opts['want_config']:
            guest['config'] = None
        return guest

    def _agent_ips(self, client, node, vmid):
        try:
            answer = client.get('nodes', node, 'qemu', vmid, 'agent', 'network-get-interfaces') or {}
        except errors.PermissionDeniedError as err:
            self.display.warning('pve.ops.proxmox: no address for VM {0}: {1}'.format(vmid, err))
            return []
        except (errors.ApiError, errors.ConnectionFailedError) as err:
            # PVE answers 500 when the agent is not configured or not running (or does not answer in time).
            self.display.vvv('pve.ops.proxmox: no agent address for VM {0}: {1}'.format(vmid, err))
            return []
        return agent_addresses(answer.get('result') if isinstance(answer, dict) else None)

    # ------------------------------------------------------------- populating

    def _populate(self, guests):
        prefix = self.get_option('group_prefix') or ''
        strict = self.get_option('strict')
        compose, groups, keyed_groups = self.get_option('compose'), self.get_option('groups'), \
            self.get_option('keyed_groups')
        names = {}
        for guest in guests:
            entry = guest['resource']
            names.setdefault(entry.get('name') or str(entry['vmid']), []).append(entry['vmid'])
        for name, vmids in sorted(names.items()):
            if len(vmids) > 1:
                self.display.warning('pve.ops.proxmox: guests {0} share the name {1!r}: they are listed as '
                                     '{1}-<vmid>'.format(', '.join(str(v) for v in vmids), name))
        # Default group names (made safe once each, created on first use).
        made = {}
        for guest in guests:
            entry = guest['resource']
            name = entry.get('name') or str(entry['vmid'])
            host = name if len(names[name]) == 1 else '{0}-{1}'.format(name, entry['vmid'])
            self.inventory.add_host(host)
            hostvars = self._hostvars(guest)
            self._set_host_variables(host, hostvars)
            for raw in self._default_groups(entry, prefix):
                group = made.get(raw)
                if group is None:
                    group = made[raw] = self.inventory.add_group(_safe_group_name(raw))
                self.inventory.add_child(group, host)
            # Ansible's constructed features template per host: only when the source asks for them.
            if compose:
                self._set_composite_vars(compose, hostvars, host, strict=strict)
            if groups:
                self._add_host_to_composed_groups(groups, hostvars, host, strict=strict)
            if keyed_groups:
                self._add_host_to_keyed_groups(keyed_groups, hostvars, host, strict=strict)

    def _set_host_variables(self, host, hostvars):
        """A new host's variables, all at once, on the host itself.

        ansible-core 2.19 hands plugins the inventory behind a proxy whose set_variable inspects every value, one
        variable at a time, to tag it with the source (and trust, for plugins trusted by default): at 5,000 guests
        that was half of this plugin's time. These values are what the API's JSON gave (str, int, bool, None, and
        lists and dicts of them), untrusted as such values are (never templates: trusted_by_default is False), so
        they are set on the Host directly. Templated values (O(compose)) still go through set_variable.
        """
        target = self.inventory.get_host(host)
        for key, value in hostvars.items():
            target.set_variable(key, value)

    @staticmethod
    def _hostvars(guest):
        entry = guest['resource']
        out = dict(
            proxmox_vmid=int(entry['vmid']),
            proxmox_node=entry.get('node'),
            proxmox_type=entry.get('type'),
            proxmox_status=entry.get('status'),
            proxmox_name=entry.get('name'),
            proxmox_tags=parse_tags(entry.get('tags')),
            proxmox_pool=entry.get('pool') or None,
            proxmox_template=codec.is_true(entry.get('template')),
        )
        if guest.get('config') is not None:
            out['proxmox_config'] = guest['config']
        if guest.get('ips'):
            out['proxmox_ips'] = list(guest['ips'])
            out['ansible_host'] = guest['ips'][0]
        return out

    @staticmethod
    def _default_groups(entry, prefix):
        groups = ['{0}all_{1}'.format(prefix, entry['type']), '{0}{1}'.format(prefix, entry['node'])]
        if entry.get('pool'):
            groups.append('{0}pool_{1}'.format(prefix, entry['pool']))
        if entry.get('status'):
            groups.append('{0}status_{1}'.format(prefix, entry['status']))
        return groups
