#!/usr/bin/env python3
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write docs/migrating.md: community.proxmox's modules and options, and what each becomes in pve.ops.

    python3 scripts/gen_migrating.py --community-docs community.json   # then review the diff of docs/migrating.md

community.json is ``ansible-doc -t module --json community.proxmox.<every module>`` of an installation with
community.proxmox (the `ansible` package from PyPI carries it, for example ansible 12.3.0 with community.proxmox
1.4.0; install it in a separate venv). The hand-written part is below: for each community module the pve.ops
module, and for options whose name or meaning differ, the pve.ops option and how. Every other community option
is listed as having a pve.ops option of the same name, or as missing. The script fails when a pve.ops option it
names does not exist; tests/unit/test_migrating_doc.py checks the written page against the modules.
"""

import argparse
import importlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

CONNECTION = ('api_host', 'api_port', 'api_user', 'api_password', 'api_token_id', 'api_token_secret',
              'validate_certs', 'ca_path')

# PVE config keys of a VM that pve.ops.vm takes through its `config` dict (any key the API accepts).
KVM_CONFIG_KEYS = ('acpi', 'args', 'audio', 'autostart', 'bios', 'bootdisk', 'cicustom', 'citype', 'ciupgrade',
                   'cpulimit', 'cpuunits', 'efidisk0', 'freeze', 'hookscript', 'hostpci', 'hotplug', 'hugepages',
                   'keyboard', 'kvm', 'localtime', 'machine', 'numa', 'parallel', 'protection', 'reboot', 'rng0',
                   'scsihw', 'serial', 'shares', 'smbios', 'startdate', 'tablet', 'tdf', 'tpmstate0', 'usb',
                   'vcpus', 'vga', 'watchdog')
LXC_CONFIG_KEYS = ('hookscript', 'timezone')
# Keys of a disk's PVE property string that pve.ops.vm takes in `disks[].options`.
DISK_KEYS = ('aio', 'backup', 'bps_max_length', 'bps_rd_max_length', 'bps_wr_max_length', 'cache', 'cyls',
             'detect_zeroes', 'discard', 'heads', 'iops', 'iops_max', 'iops_max_length', 'iops_rd', 'iops_rd_max',
             'iops_rd_max_length', 'iops_wr', 'iops_wr_max', 'iops_wr_max_length', 'iothread', 'mbps', 'mbps_max',
             'mbps_rd', 'mbps_rd_max', 'mbps_wr', 'mbps_wr_max', 'queues', 'replicate', 'rerror', 'ro', 'scsiblock',
             'secs', 'serial', 'shared', 'snapshot', 'ssd', 'trans', 'werror', 'wwn')

# community module -> (pve.ops module or None, what to say about the module)
MODULES = {
    'proxmox': ('container', 'LXC containers: create (from an `ostemplate` or a clone), converge, power state, '
                'templates, delete.'),
    'proxmox_kvm': ('vm', 'VMs: create (empty or a clone), converge, power state, templates, migrate, delete.'),
    'proxmox_disk': ('vm', 'Disks are part of the VM: `disks` of pve.ops.vm (by slot, allocated or grown, never '
                     'shrunk; disks not listed are left alone). Moving, detaching and deleting a disk, and '
                     'CD-ROM media, are not modelled: use `config` (`ideN: none,media=cdrom`, or a null value '
                     'to delete a key).'),
    'proxmox_nic': ('vm', 'NICs are part of the VM: `nets` of pve.ops.vm (each entry the whole interface; '
                    'a generated MAC address is kept). Removing a NIC: `config: {netN: null}`.'),
    'proxmox_snap': ('snapshot', 'Snapshots of VMs and containers, rollback included.'),
    'proxmox_template': ('storage_content', 'Any storage content (ISO images, container templates, imports, '
                         'snippets, backups): uploads from the controller, downloads by the node from a URL, '
                         'deletes.'),
    'proxmox_backup': ('backup', 'On-demand vzdump backups, waited on.'),
    'proxmox_backup_info': ('backup_job', 'Backup jobs are read with pve.ops.backup_job in check mode, or with '
                            'pve.ops.cluster_info; the backups themselves with pve.ops.storage_info '
                            '(`gather: [content]`, `content: backup`).'),
    'proxmox_backup_schedule': ('backup_job', 'Backup jobs as objects: schedule, selection, storage, retention. '
                                'community adds or removes a guest from an existing job; pve.ops converges the '
                                'whole job (its `vmids`).'),
    'proxmox_access_acl': ('acl', 'ACL entries; pve.ops takes several roles and users, groups or tokens at once.'),
    'proxmox_user': ('user', 'Users.'),
    'proxmox_user_info': ('user_info', 'Users.'),
    'proxmox_group': ('group', 'Groups, with their members.'),
    'proxmox_group_info': ('group_info', 'Groups.'),
    'proxmox_domain_info': ('realm', 'Realms are managed (and read in check mode) by pve.ops.realm; there is no '
                            'realm _info module.'),
    'proxmox_pool': ('pool', 'Resource pools, with their members.'),
    'proxmox_pool_member': ('pool', 'Members are part of the pool: `vms` and `storage` of pve.ops.pool, with '
                            '`append: true` to add without removing the others.'),
    'proxmox_storage': ('storage', 'Storage definitions.'),
    'proxmox_storage_info': ('storage_info', 'Storage definitions and status.'),
    'proxmox_storage_contents_info': ('storage_info', 'Storage content: pve.ops.storage_info with '
                                      '`gather: [content]`.'),
    'proxmox_tasks_info': ('task_info', 'Tasks and their logs.'),
    'proxmox_vm_info': ('vm_info', 'VMs; containers are read by pve.ops.container_info.'),
    'proxmox_node_info': ('node_info', 'Nodes, with many more details (`gather`).'),
    'proxmox_cluster_ha_resources': ('ha_resource', 'HA resources.'),
    'proxmox_firewall': ('firewall_rule', 'Firewall rules one by one (pve.ops.firewall_rule), security groups '
                         '(pve.ops.security_group), firewall options (pve.ops.firewall_options), aliases '
                         '(pve.ops.firewall_alias) and IP sets (pve.ops.firewall_ipset).'),
    'proxmox_firewall_info': ('firewall_info', 'Firewall rules, options, groups, aliases and IP sets.'),
    'proxmox_cluster': ('cluster', 'Creating a cluster, joining a node (its fingerprint checked) and removing one. '
                        'The connection goes to a member (to the node itself for a create); the joining node is '
                        '`node`, reached at `node_api_host`.'),
    'proxmox_cluster_join_info': ('cluster_info', 'The join information is `gather: [config]` (`config.join`), '
                                  'with the nodes, totem and QDevice.'),
    'proxmox_cluster_ha_groups': (None, 'HA groups are not in pve.ops (PVE 9 replaces them with HA rules).'),
    'proxmox_cluster_ha_rules': ('ha_rule', 'HA rules: node affinity and resource affinity.'),
    'proxmox_node': ('node', 'A node\'s settings (description, DNS, time zone, hosts file, wake-on-LAN) and power '
                     '(reboot and shutdown with evacuation first, wake-on-LAN); certificates and the subscription '
                     'are read by pve.ops.node_info, not managed.'),
    'proxmox_ipam_info': ('sdn_info', 'The PVE IPAM\'s entries are `gather: [ipam]` of pve.ops.sdn_info.'),
    'proxmox_subnet': ('sdn_subnet', 'Subnets of a vnet (gateway, SNAT, DHCP ranges), written as pending '
                       'configuration; pve.ops.sdn_apply applies it.'),
    'proxmox_vnet': ('sdn_vnet', 'Vnets (zone, tag, alias, VLAN-aware), written as pending configuration; '
                     'pve.ops.sdn_apply applies it.'),
    'proxmox_vnet_info': ('sdn_info', 'Vnets are `gather: [vnets]` of pve.ops.sdn_info, with their pending state.'),
    'proxmox_zone': ('sdn_zone', 'SDN zones (simple, vlan, qinq, vxlan, evpn), written as pending configuration; '
                     'pve.ops.sdn_apply applies it.'),
    'proxmox_zone_info': ('sdn_info', 'Zones are `gather: [zones]` of pve.ops.sdn_info, with their pending state and '
                          '(`gather: [status]`) their status on each node.'),
}

# (community module, option) -> (pve.ops option or None, how it differs). A pve.ops option may be dotted
# (`disks.size`); its first part must be an option of the module.
_VMREF = 'the VM by `vmid` or `name`'
OPTIONS = {
    'proxmox': {
        'hostname': ('name', '`hostname` is an alias of `name`.'),
        'cpus': ('cpulimit', 'PVE\'s `cpulimit`.'),
        'disk': ('rootfs.size', '`rootfs: {storage: local-lvm, size: 8G}` instead of `disk: local-lvm:8`.'),
        'disk_volume': ('rootfs', 'A dict `{storage, size, volume, options}`.'),
        'mounts': ('mounts', 'A list of dicts `{index, storage, size, path, options}` instead of `mp0: "..."` '
                   'strings.'),
        'mount_volumes': ('mounts', 'The same list of dicts.'),
        'netif': ('nets', 'A list of dicts `{index, bridge, ip, gw, tag, firewall, ...}` instead of `net0: "..."` '
                  'strings; interfaces not listed are left alone.'),
        'pubkey': ('ssh_public_keys', 'Set at creation.'),
        'password': ('password', 'Set at creation only (PVE cannot change it later); no_log.'),
        'clone_type': ('full', '`full: true` (a full clone) or `false` (linked); PVE chooses when unset.'),
        'update': ('update', 'pve.ops defaults to `update: true` (converge an existing container); community\'s '
                   'default `false` is `update: false` here.'),
        'delete': ('config', 'A key with a null value in `config` is deleted.'),
        'ip_address': (None, 'OpenVZ only; use `nets[].ip`.'),
        'state': ('state', 'The same words; `template` converts the container into a template.'),
        'storage': ('storage', 'The default storage of new volumes (`rootfs.storage`, `mounts[].storage` win).'),
        'timeout': ('timeout', 'Seconds for each task; `wait: false` returns without waiting.'),
        'purge': ('purge', 'With `state: absent`, also remove it from backup jobs, replication and HA.'),
        'force': ('force', 'Stop hard (or delete a running container) instead of a clean shutdown.'),
        'description': ('description', 'The same.'),
        'features': ('features', 'A dict or a list of names; the features given replace the current ones.'),
        'tags': ('tags', 'A list; compared as a set.'),
    },
    'proxmox_kvm': {
        'net': ('nets', 'A list of dicts `{slot, model, bridge, tag, firewall, macaddr, options}` instead of '
                '`net0: "virtio,bridge=vmbr0"` strings; interfaces not listed are left alone, and they are '
                'converged without `update_unsafe`.'),
        'scsi': ('disks', 'A list of dicts `{slot: scsi0, storage, size, format, volume, options}` instead of '
                 '`scsi: {scsi0: "local-lvm:8"}`; existing disks grow to a larger size, never shrink.'),
        'sata': ('disks', 'As `scsi` (`slot: sata0`).'),
        'ide': ('disks', 'As `scsi` (`slot: ide0`); a CD-ROM drive through `config: {ide2: "none,media=cdrom"}`.'),
        'virtio': ('disks', 'As `scsi` (`slot: virtio0`).'),
        'update': ('update', 'pve.ops defaults to `update: true` (converge an existing VM to the task); community\'s '
                   'default `false` (create if absent, never touch an existing VM) is `update: false` here.'),
        'update_unsafe': (None, 'pve.ops converges disks and NICs without it (disks grow, never shrink).'),
        'clone': ('clone', 'The template or VM to clone (a name or a vmid); the new VM is `name` / `vmid`.'),
        'newid': ('vmid', 'The vmid of the clone (the next free one when unset).'),
        'full': ('full', 'Unset lets PVE choose (linked for a template, full for a VM); community defaults to full.'),
        'format': ('disks.format', 'Per disk; not for clones.'),
        'target': ('node', 'The node of the new clone.'),
        'snapname': (None, 'Cloning from a snapshot is not supported.'),
        'template': ('state', '`state: template` converts the VM into a template.'),
        'state': ('state', '`present`, `absent`, `started`, `stopped`, `restarted`, `template`; community\'s '
                  '`current` is pve.ops.vm_info.'),
        'nameservers': ('nameserver', 'Cloud-init DNS servers.'),
        'searchdomains': ('searchdomain', 'Cloud-init search domains.'),
        'ipconfig': ('ipconfig', 'A dict by interface number (`{0: "ip=dhcp"}`) or a list.'),
        'sshkeys': ('sshkeys', 'The same.'),
        'cipassword': ('cipassword', 'no_log.'),
        'delete': ('config', 'A key with a null value in `config` is deleted.'),
        'revert': (None, 'Pending changes are applied by `restart_to_apply: true`, not reverted.'),
        'digest': (None, 'pve.ops re-reads the config before each write.'),
        'skiplock': (None, 'Not offered.'),
        'lock': (None, 'Not offered.'),
        'archive': (None, 'Restores are pve.ops.restore (`archive`).'),
        'migrate': ('migrate', 'Migrate to `node` when the VM is elsewhere (online when running).'),
        'migrate_downtime': (None, 'Not offered.'),
        'migrate_speed': (None, 'Not offered.'),
        'force': ('force', 'Stop hard instead of an ACPI shutdown; delete a running VM.'),
        'timeout': ('timeout', 'Seconds for each task.'),
        'numa_enabled': ('config', '`config: {numa: 1}`.'),
        'boot': ('boot', 'PVE\'s `boot` string (`order=scsi0;net0`).'),
        'agent': ('agent', 'PVE\'s `agent` property string or a boolean.'),
        'tags': ('tags', 'A list; compared as a set.'),
        'balloon': ('balloon', 'The same.'),
    },
    'proxmox_disk': {
        'vmid': ('vmid', _VMREF + '.'),
        'name': ('name', 'The VM\'s name.'),
        'disk': ('disks.slot', 'The slot (`scsi1`).'),
        'size': ('disks.size', 'The size; a larger one grows the disk (community\'s `state: resized`).'),
        'storage': ('disks.storage', 'Where a new disk is allocated.'),
        'format': ('disks.format', 'The same.'),
        'state': (None, '`present` is a `disks` entry; `resized` a larger `disks[].size`; `detached`, `moved` and '
                  '`absent` are not modelled (`config: {scsi1: null}` detaches).'),
        'import_from': ('disks.options', '`import-from=<volume>` in the disk\'s options, at creation.'),
        'create': (None, 'A `disks` entry with `storage` and `size` allocates a missing disk (`regular`); '
                   'replacing an existing one (`forced`) is not offered. pve.ops.vm\'s own `create` is about '
                   'the VM.'),
        'iso_image': (None, 'A CD-ROM: `config: {ide2: "local:iso/x.iso,media=cdrom"}`.'),
        'media': (None, 'See `iso_image`.'),
    },
    'proxmox_nic': {
        'vmid': ('vmid', _VMREF + '.'),
        'name': ('name', 'The VM\'s name.'),
        'interface': ('nets.slot', '`net0` (or `nets[].index`).'),
        'model': ('nets.model', 'The same.'),
        'bridge': ('nets.bridge', 'The same.'),
        'tag': ('nets.tag', 'The same.'),
        'firewall': ('nets.firewall', 'The same.'),
        'mac': ('nets.macaddr', 'Kept as generated unless given.'),
        'state': (None, '`present` is a `nets` entry; `absent` is `config: {net1: null}`.'),
        'link_down': ('nets.options', '`link_down=1` in the interface\'s options.'),
        'mtu': ('nets.options', '`mtu=<n>`.'),
        'queues': ('nets.options', '`queues=<n>`.'),
        'rate': ('nets.options', '`rate=<MB/s>`.'),
        'trunks': ('nets.options', '`trunks=<vlan;vlan>`.'),
    },
    'proxmox_snap': {
        'hostname': ('name', 'The guest\'s name.'),
        'retention': (None, 'Keeping the newest N snapshots is not offered.'),
        'force': (None, 'Not offered.'),
        'unbind': (None, 'Not offered.'),
        'timeout': ('timeout', 'The same.'),
    },
    'proxmox_template': {
        'template': ('filename', 'The file name on the storage (`volume` gives the whole volid).'),
        'content_type': ('content', 'The same words.'),
        'src': ('src', 'A file on the controller, uploaded.'),
        'url': ('url', 'The node downloads it.'),
        'checksum': ('checksum', 'The same.'),
        'checksum_algorithm': ('checksum_algorithm', 'The same.'),
        'force': ('force', 'Replace a file that differs.'),
    },
    'proxmox_backup': {
        'backup_mode': ('mode', 'The same words.'),
        'mode': (None, 'The selection: `vmids`, `pool` or `all` (with `exclude`).'),
        'vmids': ('vmids', 'The same.'),
        'pool': ('pool', 'The same.'),
        'description': ('notes', 'The notes template (PVE replaces `{{guestname}}` and the like).'),
        'retention': ('prune', '`prune: true` prunes by the storage\'s retention; a per-run retention is not '
                      'offered (set it on the storage or the backup job).'),
        'wait': (None, 'pve.ops always waits for the backup (`timeout`).'),
        'wait_timeout': ('timeout', 'Seconds.'),
        'node': (None, 'The guests\' nodes are found; each node backs up its own guests.'),
        'compress': ('compress', '`0`, `gzip`, `lzo`, `zstd`; community\'s `1` is `lzo`.'),
        'protected': ('protected', 'The same.'),
        'storage': ('storage', 'The same.'),
    },
    'proxmox_backup_schedule': {
        'backup_id': ('id', 'The job id.'),
        'vm_id': ('vmids', 'The job\'s whole guest list, not one guest added or removed.'),
        'vm_name': ('vmids', 'By vmid.'),
    },
    'proxmox_backup_info': {
        'backup_jobs': (None, 'See the module note.'),
        'vm_id': (None, 'See the module note.'),
        'vm_name': (None, 'See the module note.'),
    },
    'proxmox_access_acl': {
        'roleid': ('roles', 'A list of roles.'),
        'type': (None, 'The kind is the option: `users`, `groups` or `tokens`.'),
        'ugid': ('users', '`users`, `groups` or `tokens`, lists.'),
    },
    'proxmox_user': {
        'password': ('password', 'Set at creation; `update_password: always` changes it later.'),
        'groups': ('groups', 'A list; `append: true` adds without removing the others.'),
    },
    'proxmox_user_info': {
        'user': ('userid', 'The realm-qualified user id.'),
        'domain': (None, 'List all and filter, or give `userid`.'),
    },
    'proxmox_group_info': {
        'group': ('groupid', 'The same (alias `name`).'),
    },
    'proxmox_domain_info': {
        'domain': ('realm', 'The realm.'),
    },
    'proxmox_pool_member': {
        'poolid': ('poolid', 'The same (alias `name`).'),
        'member': ('vms', 'Guests in `vms`, storage ids in `storage`.'),
        'type': (None, 'The list says it: `vms` or `storage`.'),
        'state': ('append', '`present` is `append: true`; `absent` is the pool\'s full `vms` list without it.'),
    },
    'proxmox_storage': {
        'nfs_options': ('server', '`server`, `export` and the other type options are top-level options.'),
        'cifs_options': ('server', '`server`, `share`, `username`, `password`, `domain`.'),
        'pbs_options': ('datastore', '`server`, `datastore`, `namespace`, `username`, `password`, '
                        '`fingerprint`, `encryption_key`.'),
        'iscsi_options': ('server', '`server` and `options` (`target`).'),
        'cephfs_options': ('server', '`server` and `options`.'),
        'dir_options': ('path', '`path`.'),
        'zfspool_options': ('pool', '`pool` and `options`.'),
    },
    'proxmox_storage_contents_info': {
        'storage': ('name', 'The storage (alias `storage`); with `gather: [content]`.'),
        'content': ('content', 'The same words but `all`.'),
    },
    'proxmox_storage_info': {
        'storage': ('name', 'Alias `storage`.'),
        'type': (None, 'Filter the list.'),
    },
    'proxmox_tasks_info': {
        'task': ('upid', 'The UPID.'),
        'source': (None, 'Not offered.'),
    },
    'proxmox_vm_info': {
        'config': ('gather', '`gather: [config]` or `[pending]`.'),
        'network': ('gather', '`gather: [agent_network]`.'),
        'type': (None, 'VMs only; containers with pve.ops.container_info.'),
    },
    'proxmox_cluster_ha_resources': {
        'name': ('sid', '`vm:<vmid>`, `ct:<vmid>` or a bare vmid.'),
        'hastate': ('ha_state', 'The same words.'),
        'group': (None, 'HA groups are not in pve.ops.'),
    },
    'proxmox_firewall': {
        'rules': ('type', 'One rule per task: `type`, `action`, `source`, `dest`, `proto`, `dport`, ...'),
        'update': ('identify_by', 'A rule is found by `comment` or by its fields, and converged.'),
        'group_conf': (None, 'Security groups are pve.ops.security_group.'),
        'aliases': (None, 'pve.ops.firewall_alias, one alias per task.'),
        'ip_sets': (None, 'pve.ops.firewall_ipset, one IP set per task.'),
        'vnet': (None, 'SDN is not in pve.ops.'),
    },
    'proxmox_cluster': {
        'cluster_name': ('name', 'The cluster\'s name.'),
        'link0': ('links', 'A list: `links: [<link0 address>, <link1 address>]`.'),
        'link1': ('links', 'The second entry of `links`.'),
        'master_ip': (None, 'The connection (`api_host`) goes to the member; the joining node is `node` at '
                            '`node_api_host`.'),
        'master_api_password': ('password', 'The member\'s root@pam password, which the join sends.'),
    },
    'proxmox_cluster_ha_rules': {
        'disable': ('enabled', '`enabled: false` instead of `disable: true`.'),
        'force': (None, 'A rule of another type under the same name is refused (PVE does not change a rule\'s type): '
                        'delete it (`state: absent`) first.'),
    },
    'proxmox_node': {
        'node_name': ('node', 'The node\'s name.'),
        'power_state': ('state', '`state: started` (wake-on-LAN), `stopped` (shutdown) or `restarted` (reboot).'),
        'certificates': (None, 'Read by pve.ops.node_info (`gather: [certificates]`), not managed.'),
        'subscription': (None, 'Read by pve.ops.node_info (`gather: [subscription]`), not managed.'),
    },
    'proxmox_ipam_info': {
        'ipam': (None, 'The PVE IPAM only (the one pvesim and a default PVE have).'),
        'vmid': (None, 'Filter the entries (`ipam`) by their `vmid` in the play.'),
    },
    'proxmox_zone_info': {
        'type': (None, 'Filter the zones by their `type` in the play; `zone` selects one zone.'),
    },
    'proxmox_vnet_info': {
        'vnet': (None, 'Filter the vnets by name in the play; `zone` selects a zone\'s vnets.'),
    },
    'proxmox_vnet': {
        'update': (None, 'Not needed: an existing vnet is converged to the options given.'),
        'delete': (None, 'An empty `alias` clears it; options not given are left as they are.'),
        'lock_token': (None, 'pve.ops does not take the SDN lock.'),
    },
    'proxmox_subnet': {
        'dhcp_range': ('dhcp_range', 'The same list of `{start, end}`; it replaces the subnet\'s ranges.'),
        'dhcp_range_update_mode': (None, '`dhcp_range` is the whole list: give every range the subnet keeps.'),
        'update': (None, 'Not needed: an existing subnet is converged to the options given.'),
        'delete': (None, 'An empty `gateway` or `dhcp_range` clears it; options not given are left as they are.'),
        'lock_token': (None, 'pve.ops does not take the SDN lock.'),
        'zone': (None, 'Taken from the vnet.'),
    },
    'proxmox_zone': {
        'update': (None, 'Not needed: an existing zone is converged to the options given.'),
    },
    'proxmox_firewall_info': {
        'vnet': (None, 'SDN is not in pve.ops.'),
        'pos': (None, 'Read all rules (`gather: [rules]`).'),
    },
}

# Community options that are PVE keys pve.ops takes through a pass-through option: (keys, the sentence).
PASSTHROUGH = {
    'proxmox_kvm': (KVM_CONFIG_KEYS, 'PVE config keys, through `config` (for example `config: {{{0}: ...}}`)'),
    'proxmox': (LXC_CONFIG_KEYS, 'PVE config keys, through `config` (for example `config: {{{0}: ...}}`)'),
    'proxmox_disk': (DISK_KEYS, 'Keys of the disk\'s property string, through `disks[].options` (for example '
                     '`options: "{0}=..."`)'),
}


def pve_options(module):
    mod = importlib.import_module('ansible_collections.pve.ops.plugins.modules.' + module)
    return mod.argument_spec()


def has_option(spec, dotted):
    parts = dotted.split('.')
    current = spec
    for part in parts:
        if part not in current:
            return False
        current = current[part].get('options') or {}
    return True


def render(community):
    lines = [
        '# Migrating from community.proxmox',
        '',
        '<!-- Written by scripts/gen_migrating.py from community.proxmox {0}\'s module docs and the pve.ops '
        'modules; edit the script, not this page. -->'.format(community.get('_version', '')),
        '',
        'pve.ops covers the daily work of community.proxmox (guests, snapshots, backups, access, storage, pools, '
        'firewall, HA) with one client, check mode and diff everywhere, and idempotent state modules. This page '
        'goes module by module and option by option: the pve.ops module, the options with another name or '
        'meaning, the options with the same name, and what pve.ops does not have.',
        '',
        '## What is the same everywhere',
        '',
        '- Connection options: `api_host`, `api_port`, `api_user`, `api_password`, `api_token_id`, '
        '`api_token_secret`, `validate_certs`, `ca_path`, with the same `PROXMOX_*` variables. '
        'Set them once with `module_defaults: {group/pve.ops.all: {...}}` (community: '
        '`group/community.proxmox.proxmox`).',
        '- Module names drop the `proxmox_` prefix and name the thing: `community.proxmox.proxmox_kvm` is '
        '`pve.ops.vm`, `community.proxmox.proxmox` is `pve.ops.container`.',
        '- Differences that apply to every state module: a second run reports `changed: false` and makes no write; '
        'check mode makes no write and `--diff` shows before/after; bad input fails before any request, naming '
        'the option; results carry `tasks` (the UPIDs waited on). Lists (`tags`, `groups`, `roles`) are compared '
        'as sets.',
        '- `update`: pve.ops.vm and pve.ops.container converge an existing guest by default (`update: true`). '
        'community.proxmox\'s `proxmox_kvm` and `proxmox` leave it alone by default: to keep that '
        '(create if absent, never touch an existing guest) write `update: false`. `create: false` is the other '
        'half: change an existing guest, never create one.',
        '',
        '## The inventory plugin',
        '',
        'A source written for `community.proxmox.proxmox` works with `plugin: pve.ops.proxmox`; the file name '
        'must still end in `proxmox.yml` or `proxmox.yaml`.',
        '',
        '| community.proxmox | pve.ops.proxmox |',
        '| --- | --- |',
        '| `url` (`PROXMOX_URL`) | `url` (`PROXMOX_URL`), `https://<host>[:<port>]`; or `api_host` / `api_port` '
        '(`PROXMOX_HOST`, `PROXMOX_PORT`). Only HTTPS with no path. |',
        '| `user`, `password`, `token_id`, `token_secret` | aliases of `api_user`, `api_password`, `api_token_id`, '
        '`api_token_secret` (same variables) |',
        '| `validate_certs` | the same (on by default); add `ca_path` with the cluster\'s `pve-root-ca.pem` |',
        '| `group_prefix` | the same (default `proxmox_`) |',
        '| `compose`, `groups`, `keyed_groups`, `strict`, `leading_separator`, `use_extra_vars`, `cache*` | the same '
        '(Ansible\'s constructed and cache options) |',
        '| `exclude_nodes: true` | taken; nodes are never hosts (`exclude_nodes` here is a list of nodes whose '
        'guests to leave out) |',
        '| `want_facts` | missing: `want_config: true` puts the guest\'s configuration in `proxmox_config` (one '
        'dict, not one `proxmox_<key>` variable per key); fails when set |',
        '| `facts_prefix`, `qemu_extended_statuses`, `want_proxmox_nodes_ansible_host` | missing; fail when set '
        'to anything but their default |',
        '| `filters` | missing: `statuses`, `nodes`, `pools`, `tags` and their `exclude_` lists select guests '
        'before they become hosts; fails when set |',
        '',
        'Host variables: `proxmox_vmid`, `proxmox_node`, `proxmox_type`, `proxmox_status`, `proxmox_name`, '
        '`proxmox_tags` (a list), `proxmox_pool`, `proxmox_template`; community.proxmox\'s per-key config facts '
        'are under `proxmox_config`; its `proxmox_vmtype` is `proxmox_type`.',
        '',
        '| community.proxmox group | pve.ops.proxmox group |',
        '| --- | --- |',
        '| `proxmox_all_qemu`, `proxmox_all_lxc`, `proxmox_pool_<pool>` | the same |',
        '| `proxmox_all_running`, `proxmox_all_stopped` | `proxmox_status_running`, `proxmox_status_stopped` |',
        '| `proxmox_<node>_qemu`, `proxmox_<node>_lxc` | `proxmox_<node>` holds both kinds; as a pattern, '
        '`proxmox_pve1:&proxmox_all_qemu` |',
        '| `proxmox_nodes` (the nodes as hosts) | none: nodes are not hosts |',
        '',
        'See docs/inventory.md.',
        '',
        '## Modules',
        '',
    ]
    summary = ['| community.proxmox | pve.ops |', '| --- | --- |']
    sections = []
    for name in sorted(community):
        if name.startswith('_'):
            continue
        if name not in MODULES:
            raise SystemExit('gen_migrating: no mapping for community.proxmox.{0}'.format(name))
        target, note = MODULES[name]
        summary.append('| `{0}` | {1} |'.format(name, '`pve.ops.{0}`'.format(target) if target else 'missing'))
        sections.append('### community.proxmox.{0} -> {1}'.format(name, 'pve.ops.' + target if target else 'missing'))
        sections.append('')
        sections.append(note)
        sections.append('')
        options = sorted(o for o in community[name] if o not in CONNECTION)
        if not target or not options:
            continue
        spec = pve_options(target)
        mapped = OPTIONS.get(name, {})
        same, differs, config, missing = [], [], [], []
        for option in options:
            if option in mapped:
                pve, how = mapped[option]
                if pve is None:
                    missing.append('- `{0}`: missing. {1}'.format(option, how))
                    continue
                if not has_option(spec, pve):
                    raise SystemExit('gen_migrating: pve.ops.{0} has no option {1}'.format(target, pve))
                if pve == option and how.startswith('The same'):
                    same.append(option)
                    continue
                differs.append('- `{0}` -> `{1}`: {2}'.format(option, pve, how))
            elif option in spec:
                same.append(option)
            elif option in PASSTHROUGH.get(name, ((), ''))[0]:
                config.append(option)
            else:
                missing.append('- `{0}`: missing.'.format(option))
        if differs:
            sections += ['Options with another name or meaning:', ''] + differs + ['']
        if same:
            sections += ['Options with the same name: {0}.'.format(', '.join('`{0}`'.format(o) for o in same)), '']
        if config:
            sections += ['{0}: {1}.'.format(PASSTHROUGH[name][1].format(config[0]),
                                            ', '.join('`{0}`'.format(o) for o in config)), '']
        if missing:
            sections += ['Not in pve.ops:', ''] + missing + ['']
    lines += summary + [''] + sections
    lines += [
        '## pve.ops modules with no community.proxmox counterpart',
        '',
        '`backup_prune`, `restore`, `console`, `container_info`, `cluster_info`, `firewall_options`, '
        '`security_group`, `ha_info`, `permissions_info`, `pool_info`, `role`, `role_info`, `token`, '
        '`token_info`, `acl_info`, `task` (stopping a task); see docs/modules.md.',
        '',
    ]
    return '\n'.join(lines)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--community-docs', required=True, help='ansible-doc --json of community.proxmox modules')
    parser.add_argument('--version', default='', help="community.proxmox's version, for the page's note")
    parser.add_argument('--output', default=os.path.join(ROOT, 'docs', 'migrating.md'))
    args = parser.parse_args(argv)
    with open(args.community_docs) as handle:
        docs = json.load(handle)
    community = {}
    for fqcn, entry in docs.items():
        community[fqcn.rsplit('.', 1)[1]] = sorted((entry['doc'].get('options') or {}).keys())
    community['_version'] = args.version
    text = render(community)
    with open(args.output, 'w') as handle:
        handle.write(text)
    print('wrote {0}'.format(args.output))


if __name__ == '__main__':
    main(sys.argv[1:])
