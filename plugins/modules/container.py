#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: container
short_description: Manage Proxmox VE LXC containers
version_added: 0.1.0
description:
  - Creates a container from an OS template or clones one, converges its configuration, power state and
    node, and deletes it.
  - Identity is O(vmid), or O(name) (the container's hostname, unique among the cluster's containers; a name
    that several containers carry fails and lists their vmids).
  - Configuration is compared on parsed values. Property strings are parsed, sizes are compared in bytes,
    values PVE generates (MAC addresses, volume names) are ignored unless given. Only the options given are
    converged; an entry of O(nets) describes its whole interface.
  - Disks grow with a resize and never shrink; a smaller size is an error that says so.
  - Changes a running container cannot take at once wait in PVE's pending section; they are returned in
    RV(container.pending), and O(restart_to_apply) reboots the container to apply them.
  - A converged run makes three API requests with a password (login, cluster resources, pending config),
    two with an API token.
author:
  - pve.ops developers (@pve-ops)
options:
  vmid:
    description:
      - The container's id. When creating without it, the next free id of the cluster is used.
    type: int
  name:
    description:
      - The container's hostname. Identifies the container when O(vmid) is not given.
      - With O(vmid), the hostname to set.
    type: str
    aliases: [hostname]
  node:
    description:
      - The node the container runs on. Required to create from O(ostemplate); a clone defaults to the source's node.
      - When the container is on another node, it is migrated if O(migrate) is true, else the module fails.
    type: str
  state:
    description:
      - V(present) creates the container if needed and converges its configuration, leaving its power state.
      - V(started), V(stopped) also converge the configuration, and start or stop it; V(restarted) reboots
        it (or starts it when stopped), so it always reports a change.
      - V(stopped) shuts the container down gracefully within O(timeout); with O(force) it stops it hard.
      - V(template) makes the container a template (PVE's template action; its volumes become base volumes for
        linked clones), shutting it down first as V(stopped) does. A template cannot become a container again.
      - V(absent) deletes it; a running container only with O(force).
      - In V(started), V(stopped), V(restarted), V(template) and V(absent), O(name) given with O(vmid) must be
        the container's hostname (it identifies, it never renames); a different name fails.
    type: str
    choices: [present, absent, started, stopped, restarted, template]
    default: present
  create:
    description:
      - Create the container when it does not exist (from O(ostemplate) or as a O(clone); without either, a
        container that does not exist is an error).
      - With V(false), a container that does not exist is an error (not found), never created.
      - In check mode, a container that does not exist and that this task does not create is taken to be one
        an earlier task of the play creates; the module warns and reports what it would do to it.
    type: bool
    default: true
  update:
    description:
      - Converge the configuration of an existing container (its settings, volumes, interfaces, hostname and
        pool) to the options given.
      - With V(false), an existing container's configuration is left as it is; only its power state
        (O(state)), and its node with O(migrate=true), change. A new container still gets the settings given.
      - O(create=false) with O(update=false) acts on an existing container only and never changes its
        settings, as the MCP power tools do.
    type: bool
    default: true
  ostemplate:
    description:
      - The OS template volume to create the container from, for example C(local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst).
      - Used only when the container does not exist.
    type: str
  clone:
    description:
      - The container or container template to clone (a vmid or a name) when the container does not exist.
      - The clone is placed on O(node) (PVE allows another node only for containers on shared storage).
    type: str
  full:
    description:
      - For O(clone), a full copy of the disks; false makes a linked clone (templates only). PVE's default
        is a full clone of a container and a linked clone of a template.
    type: bool
  storage:
    description:
      - The default storage for new volumes (O(rootfs) and O(mounts) without their own), and the target
        storage of a full clone (to another node, a shared storage).
      - It must take container volumes (C(rootdir) content). Without O(rootfs) and O(storage), PVE puts the
        root disk on its storage C(local), which usually does not; the module then refuses before any write.
    type: str
  migrate:
    description:
      - Migrate the container to O(node) when it is on another node; running containers use restart mode
        (shut down, moved, started again).
    type: bool
    default: false
  force:
    description:
      - With O(state=stopped), O(state=template) or O(state=restarted), stop the container hard instead of
        shutting it down.
      - With O(state=absent), delete a running container (it is stopped first).
    type: bool
    default: false
  purge:
    description:
      - With O(state=absent), also remove the container from backup jobs, replication and HA.
    type: bool
    default: false
  timeout:
    description:
      - Seconds a graceful shutdown (or the shutdown of a reboot) may take, and to wait for each task.
    type: int
    default: 300
  wait:
    description:
      - Wait for the last task to finish. Tasks that later steps depend on are always waited for.
    type: bool
    default: true
  restart_to_apply:
    description:
      - Reboot a running container when configuration changes are pending, so that they apply now.
    type: bool
    default: false
  cores:
    description: The number of CPU cores the container may use.
    type: int
  cpulimit:
    description: The limit of CPU usage (0 is no limit).
    type: float
  cpuunits:
    description: The CPU weight of the container.
    type: int
  memory:
    description: Memory in MiB.
    type: int
  swap:
    description: Swap in MiB.
    type: int
  rootfs:
    description:
      - The root file system. At creation a new volume of O(rootfs.size) on O(rootfs.storage).
      - On an existing container, a larger O(rootfs.size) grows the volume; a smaller one is an error.
    type: dict
    suboptions:
      storage:
        description: The storage of a new volume (default O(storage)); on an existing container it must match.
        type: str
      volume:
        description: An existing volume to use at creation; on an existing container it must match.
        type: str
      size:
        description: The size, for example V(8G) or V(512M); a plain number is GiB.
        type: str
      options:
        description: Other mount properties (acl, quota, replicate, ro, shared, mountoptions).
        type: dict
  mounts:
    description:
      - Mount points C(mpN). A new one gets a new volume of O(mounts[].size) on O(mounts[].storage).
      - Existing ones grow (never shrink), and their path and options are converged.
      - A new container with mount points needs O(rootfs) too (PVE refuses mount points without it on create).
    type: list
    elements: dict
    suboptions:
      index:
        description: The N of C(mpN).
        type: int
        required: true
      storage:
        description: The storage of a new volume (default O(storage)).
        type: str
      volume:
        description: An existing volume, or a host path for a bind mount (root only).
        type: str
      size:
        description: The size, for example V(10G); a plain number is GiB.
        type: str
      path:
        description: Where the volume is mounted in the container.
        type: str
      options:
        description: Other mount properties (backup, acl, quota, replicate, ro, shared, mountoptions).
        type: dict
  nets:
    description:
      - Network interfaces C(netN). Each entry describes the whole interface; interfaces not listed are left alone.
      - The MAC address PVE generated is kept unless O(nets[].hwaddr) is given.
    type: list
    elements: dict
    suboptions:
      index:
        description: The N of C(netN).
        type: int
        required: true
      name:
        description: The interface name in the container (default C(ethN)).
        type: str
      bridge:
        description: The bridge to attach to.
        type: str
      ip:
        description: V(dhcp), V(manual) or an IPv4 address with its prefix (V(192.0.2.10/24)).
        type: str
      gw:
        description: The IPv4 gateway.
        type: str
      ip6:
        description: V(dhcp), V(auto), V(manual) or an IPv6 address with its prefix.
        type: str
      gw6:
        description: The IPv6 gateway.
        type: str
      tag:
        description: The VLAN tag.
        type: int
      firewall:
        description: Use the PVE firewall on this interface.
        type: bool
      hwaddr:
        description: The MAC address (default generated by PVE).
        type: str
      mtu:
        description: The MTU.
        type: int
      rate:
        description: The rate limit in MB/s.
        type: float
      link_down:
        description: Disconnect the interface.
        type: bool
      trunks:
        description: VLAN ids to pass through, separated by semicolons.
        type: str
  unprivileged:
    description:
      - Run the container as an unprivileged user (PVE's default at creation is unprivileged).
      - It cannot change later; a different value for an existing container is an error, and so is one
        that differs from the source of O(clone) (a clone keeps it).
    type: bool
  features:
    description:
      - "Container features, as a dict (V({nesting: true, keyctl: true, mount: [nfs, cifs]})) or a list of
        enabled names. The features given replace the current ones."
    type: raw
  onboot:
    description: Start the container when its node boots.
    type: bool
  startup:
    description: The startup and shutdown order, for example V(order=2,up=30).
    type: str
  description:
    description: The container's notes.
    type: str
  tags:
    description:
      - The container's tags (the whole set); an empty list means no tags.
      - PVE stores tags without duplicates, sorted, and in lower case unless the datacenter's C(tag-style) has
        C(case-sensitive) on. The module sends them as given and compares them as a set without regard to
        case; tags that differ from the guest's only in case are a change where C(tag-style) is
        case-sensitive (the module reads it then, which needs C(Sys.Audit) on C(/); without it they are left
        as they are, with a warning).
    type: list
    elements: str
  pool:
    description: The resource pool the container belongs to (an existing container is moved into it).
    type: str
  nameserver:
    description: DNS servers, separated by spaces.
    type: str
  searchdomain:
    description: DNS search domains.
    type: str
  ostype:
    description:
      - The OS type. PVE sets the one it detects in the template at creation; a different O(ostype) is
        then set as asked (with a warning), before the container starts.
    type: str
  password:
    description:
      - The root password inside the container, set at creation. PVE's API cannot change it later.
    type: str
  update_password:
    description:
      - When O(password) applies. Only V(on_create) exists, because PVE's API has no way to change the
        root password of an existing container.
    type: str
    choices: [on_create]
    default: on_create
  ssh_public_keys:
    description: Public SSH keys for root (one per line), set at creation.
    type: str
  config:
    description:
      - Other configuration keys the API accepts (for example V(protection=true) or V(timezone=host)),
        compared as strings or parsed property strings. Keys of typed options are refused here.
      - A key with a null or empty value is deleted (an empty value of a typed option, such as O(tags=[]) or
        O(description=""), also means the key is not set). C(template) is not set here; use O(state=template).
    type: dict
notes:
  - The password is never returned, logged or shown in a diff.
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.CONTAINER
'''

EXAMPLES = r'''
- name: A container from the Debian template, started
  pve.ops.container:
    name: web02
    node: pve1
    ostemplate: local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst
    storage: local-lvm
    rootfs: {size: 8G}
    cores: 2
    memory: 1024
    nets:
      - {index: 0, bridge: vmbr0, ip: 192.0.2.50/24, gw: 192.0.2.1, firewall: true}
    features: {nesting: true}
    password: "{{ vault_ct_root_password }}"
    state: started

- name: Grow the root disk and add a data volume
  pve.ops.container:
    name: web02
    rootfs: {size: 16G}
    mounts:
      - {index: 0, storage: local-lvm, size: 20G, path: /srv/data}

- name: Clone a template into a linked clone
  pve.ops.container:
    name: web03
    clone: debian-ct-template
    full: false
    node: pve1

- name: Stop hard
  pve.ops.container:
    vmid: 200
    state: stopped
    force: true

- name: Move to pve3 (restart mode when running)
  pve.ops.container:
    name: proxy01
    node: pve3
    migrate: true

- name: Reboot container 200 only if it exists, and leave its settings alone
  pve.ops.container:
    vmid: 200
    state: restarted
    create: false
    update: false

- name: Make a container template of the prepared container
  pve.ops.container:
    name: ct-golden
    state: template

- name: Delete, also from backup jobs and HA
  pve.ops.container:
    vmid: 205
    state: absent
    purge: true
'''

RETURN = r'''
container:
  description: The container after the run (null when it did not exist and O(state=absent)).
  returned: always
  type: dict
  contains:
    vmid:
      description: The container's id.
      type: int
    name:
      description: Its name (the hostname).
      type: str
    hostname:
      description: The hostname from its config.
      type: str
    node:
      description: The node it is on.
      type: str
    status:
      description: V(running) or V(stopped).
      type: str
    template:
      description: Whether it is a template.
      type: bool
    pool:
      description: Its resource pool, if any.
      type: str
    tags:
      description: Its tags.
      type: list
      elements: str
    config:
      description: Its configuration (pending values applied), as PVE spells it.
      type: dict
    pending:
      description: Changes waiting for the next start, key to C({current, pending}) or C({current, delete}).
      type: dict
  sample:
    vmid: 200
    name: proxy01
    hostname: proxy01
    node: pve2
    status: running
    template: false
    pool: demo
    tags: [prod, proxy]
    config: {hostname: proxy01, cores: 1, memory: 512, rootfs: 'local-lvm:vm-200-disk-0,size=8G'}
    pending: {}
diff:
  description: The container (vmid, name, node, status, pool, config) before and after.
  returned: always
  type: dict
tasks:
  description: The UPIDs of the tasks the module started, in order (with O(wait=false) the last one may still run).
  returned: when a task ran
  type: list
  elements: str
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.guests.container import STATES, ensure_container
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    volume = dict(storage=dict(type='str'), volume=dict(type='str'), size=dict(type='str'),
                  options=dict(type='dict'))
    mount = dict(volume, index=dict(type='int', required=True), path=dict(type='str'))
    net = dict(
        index=dict(type='int', required=True), name=dict(type='str'), bridge=dict(type='str'), ip=dict(type='str'),
        gw=dict(type='str'), ip6=dict(type='str'), gw6=dict(type='str'), tag=dict(type='int'),
        firewall=dict(type='bool'), hwaddr=dict(type='str'), mtu=dict(type='int'), rate=dict(type='float'),
        link_down=dict(type='bool'), trunks=dict(type='str'))
    return dict(
        vmid=dict(type='int'),
        name=dict(type='str', aliases=['hostname']),
        node=dict(type='str'),
        state=dict(type='str', choices=list(STATES), default='present'),
        create=dict(type='bool', default=True),
        update=dict(type='bool', default=True),
        ostemplate=dict(type='str'),
        clone=dict(type='str'),
        full=dict(type='bool'),
        storage=dict(type='str'),
        migrate=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
        purge=dict(type='bool', default=False),
        timeout=dict(type='int', default=300),
        wait=dict(type='bool', default=True),
        restart_to_apply=dict(type='bool', default=False),
        cores=dict(type='int'),
        cpulimit=dict(type='float'),
        cpuunits=dict(type='int'),
        memory=dict(type='int'),
        swap=dict(type='int'),
        rootfs=dict(type='dict', options=volume),
        mounts=dict(type='list', elements='dict', options=mount),
        nets=dict(type='list', elements='dict', options=net),
        unprivileged=dict(type='bool'),
        features=dict(type='raw'),
        onboot=dict(type='bool'),
        startup=dict(type='str'),
        description=dict(type='str'),
        tags=dict(type='list', elements='str'),
        pool=dict(type='str'),
        nameserver=dict(type='str'),
        searchdomain=dict(type='str'),
        ostype=dict(type='str'),
        password=dict(type='str', no_log=True),
        update_password=dict(type='str', choices=['on_create'], default='on_create', no_log=False),
        ssh_public_keys=dict(type='str', no_log=False),
        config=dict(type='dict'),
    )


LIMITS = {
    'vmid': limits.VMID,
    'node': limits.NODE,
    'storage': limits.STORAGE_ID,
    'pool': limits.POOL_ID,
    'memory': limits.Limit(minimum=16, unit='MiB', schema=('POST', '/nodes/{node}/lxc', 'memory')),
    'swap': limits.Limit(minimum=0, unit='MiB', schema=('POST', '/nodes/{node}/lxc', 'swap')),
    'cores': limits.Limit(minimum=1, maximum=8192, schema=('POST', '/nodes/{node}/lxc', 'cores')),
    'cpulimit': limits.Limit(minimum=0, maximum=8192, schema=('POST', '/nodes/{node}/lxc', 'cpulimit')),
    'cpuunits': limits.Limit(minimum=0, maximum=500000, schema=('POST', '/nodes/{node}/lxc', 'cpuunits')),
    'description': limits.Limit(max_length=8192, schema=('POST', '/nodes/{node}/lxc', 'description')),
    'password': limits.Limit(min_length=5, schema=('POST', '/nodes/{node}/lxc', 'password')),
    'tags': limits.TAG,
    'timeout': limits.TIMEOUT,
}

MODULE_KWARGS = dict(
    supports_check_mode=True,
    required_one_of=[('vmid', 'name')],
    mutually_exclusive=[('ostemplate', 'clone')],
    limits=LIMITS,
)


def run(pve):
    return ensure_container(pve)


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
