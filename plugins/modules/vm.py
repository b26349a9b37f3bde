#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vm
short_description: Create, configure, clone, migrate, start, stop and delete Proxmox VE virtual machines
version_added: 0.1.0
description:
  - Manages a QEMU virtual machine identified by O(vmid) or by O(name) (names must be unique in the cluster;
    a name that matches several guests fails and asks for O(vmid)).
  - Creates it from scratch (with the next free vmid of the cluster unless O(vmid) is given) or as a
    O(clone) of a template or another VM, converges its configuration, and brings it to the power state
    asked for.
  - Configuration is compared on parsed values, so a converged run changes nothing and makes no write.
    Values PVE generates (MAC addresses, disk volume names) only count when they are given.
  - Disks grow with the resize API when their O(disks[].size) is larger; a smaller size fails (disks never
    shrink).
  - On a running VM most changes wait for the next restart; they are returned as RV(pending), and
    O(restart_to_apply=true) reboots the VM to apply them.
  - A VM found on another node than O(node) is migrated when O(migrate=true) (online when running),
    otherwise the module fails.
author:
  - pve.ops developers (@pve-ops)
options:
  vmid:
    description:
      - The VM's ID. When creating, the next free ID of the cluster is used if not given.
    type: int
  name:
    description:
      - The VM's name (a DNS name). Identifies the VM when O(vmid) is not given; with O(vmid) and
        O(state=present) it is the name to set.
      - Creating a VM needs a name (or O(clone)).
    type: str
  node:
    description:
      - The node the VM is created on, cloned to, or should be on.
      - Required to create a VM (not to clone one; a clone stays on the source's node by default).
    type: str
  state:
    description:
      - V(present) the VM exists with the configuration given; its power state is left alone.
      - V(started) and V(stopped) also set its power state. V(stopped) shuts the guest down gracefully
        within O(timeout) (ACPI), or stops it hard with O(force=true).
      - V(restarted) reboots a running VM (hard stop and start with O(force=true)) or starts a stopped one;
        it always reports a change.
      - V(template) makes the VM a template (PVE's template action; its disks become base images for linked
        clones), shutting it down first as V(stopped) does. A template cannot become a VM again.
      - V(absent) deletes it.
      - In V(started), V(stopped), V(restarted), V(template) and V(absent), O(name) given with O(vmid) must be
        the VM's name (it identifies, it never renames); a different name fails.
    type: str
    choices: [present, absent, started, stopped, restarted, template]
    default: present
  create:
    description:
      - Create the VM when it does not exist. Creating needs O(name) (and O(node)) or O(clone); a lone
        O(vmid) never creates.
      - With V(false), a VM that does not exist is an error (not found), never created.
      - In check mode, a VM that does not exist and that this task does not create is taken to be one an
        earlier task of the play creates; the module warns and reports what it would do to it.
    type: bool
    default: true
  update:
    description:
      - Converge the configuration of an existing VM (its settings, disks, interfaces, name and pool) to the
        options given.
      - With V(false), an existing VM's configuration is left as it is; only its power state (O(state)), and
        its node with O(migrate=true), change. A new VM (O(create)) still gets the settings given.
      - O(create=false) with O(update=false) acts on an existing VM only and never changes its settings, as
        the MCP power tools do.
    type: bool
    default: true
  clone:
    description:
      - A template or VM (name or vmid) to clone the VM from when it does not exist yet.
    type: str
  full:
    description:
      - Make a full clone (V(true)) or a linked clone (V(false)) of O(clone). PVE's default is a linked
        clone of a template and a full clone of a VM. A linked clone of a VM that is not a template is
        refused before any write (PVE cannot make one).
    type: bool
  storage:
    description:
      - The storage of a full clone's disks (a linked clone's stay on the template's storage), and the default
        storage of new O(disks) without their own.
    type: str
  pool:
    description:
      - The resource pool the VM belongs to (it is moved there if it is in another one).
    type: str
  cores:
    description: CPU cores per socket.
    type: int
  sockets:
    description: CPU sockets.
    type: int
  cpu:
    description: The emulated CPU type, for example C(host) or C(x86-64-v2-AES) (a property string).
    type: str
  memory:
    description: Memory in MiB.
    type: int
  balloon:
    description: The minimum memory in MiB for the balloon device; C(0) disables ballooning.
    type: int
  ostype:
    description: The guest OS type, for example C(l26) or C(win11).
    type: str
  disks:
    description:
      - Disks by slot. Disks not listed are left alone.
      - A new disk is allocated on O(disks[].storage) with O(disks[].size); an existing disk grows to a
        larger O(disks[].size) and takes O(disks[].options).
    type: list
    elements: dict
    suboptions:
      slot:
        description: The drive, for example C(scsi0), C(virtio1), C(sata0), C(ide2), C(efidisk0).
        type: str
        required: true
      storage:
        description: The storage to allocate a new disk on (default O(storage)).
        type: str
      size:
        description:
          - The size, for example C(32G) or C(512M).
          - PVE sizes C(efidisk0) and C(tpmstate0) itself (efidisk0 528K with C(efitype=4m), 128K with C(2m);
            tpmstate0 4M), so for them the size is ignored, and they are never resized.
        type: str
      format:
        description: The image format of a new disk (C(raw), C(qcow2), C(vmdk)).
        type: str
      volume:
        description:
          - An existing volume or medium instead of a new disk, for example C(local:iso/debian.iso) (with
            O(disks[].options) C(media=cdrom)), or C(cloudinit) for a cloud-init drive on O(disks[].storage).
        type: str
      options:
        description: 'Other drive options, for example C({discard: on, ssd: 1, iothread: 1, cache: none}).'
        type: dict
  nets:
    description:
      - Network interfaces. Interfaces not listed are left alone; a generated MAC address is kept unless
        O(nets[].macaddr) is given.
    type: list
    elements: dict
    suboptions:
      slot:
        description: The interface, C(net0) to C(net31). Default from O(nets[].index), else the position.
        type: str
      index:
        description: The interface number (C(0) for C(net0)).
        type: int
      model:
        description: The NIC model (default C(virtio) for a new interface).
        type: str
      bridge:
        description: The bridge, for example C(vmbr0). Required for a new interface.
        type: str
      tag:
        description: The VLAN tag.
        type: int
      firewall:
        description: Whether the PVE firewall filters this interface.
        type: bool
      macaddr:
        description: The MAC address.
        type: str
      options:
        description: 'Other interface options, for example C({mtu: 9000, queues: 4, rate: 100}).'
        type: dict
  boot:
    description: The boot order, for example C(order=scsi0;net0).
    type: str
  agent:
    description: The QEMU guest agent setting, for example C(1) or C(enabled=1,fstrim_cloned_disks=1).
    type: str
  onboot:
    description: Start the VM when its node boots.
    type: bool
  startup:
    description: Startup and shutdown order, for example C(order=2,up=30).
    type: str
  description:
    description: The VM's notes.
    type: str
  tags:
    description:
      - The VM's tags (the whole set); an empty list means no tags.
      - PVE stores tags without duplicates, sorted, and in lower case unless the datacenter's C(tag-style) has
        C(case-sensitive) on. The module sends them as given and compares them as a set without regard to
        case; tags that differ from the guest's only in case are a change where C(tag-style) is
        case-sensitive (the module reads it then, which needs C(Sys.Audit) on C(/); without it they are left
        as they are, with a warning).
    type: list
    elements: str
  ciuser:
    description: Cloud-init user name.
    type: str
  cipassword:
    description:
      - Cloud-init password. PVE stores it hashed, so it is only set when the VM is created or has none.
    type: str
  sshkeys:
    description: Cloud-init public SSH keys, one per line.
    type: str
  ipconfig:
    description:
      - 'Cloud-init IP settings per interface, for example C({0: "ip=dhcp", 1: "ip=10.0.0.5/24,gw=10.0.0.1"}),
        or a list (the position is the interface number).'
    type: raw
  nameserver:
    description: Cloud-init DNS servers.
    type: str
  searchdomain:
    description: Cloud-init DNS search domain.
    type: str
  config:
    description:
      - 'Any other config key the API takes, for example C({scsihw: virtio-scsi-single, vga: serial0}).'
      - A key with a null or empty value is deleted (an empty value of a typed option, such as O(tags=[]) or
        O(description=""), also means the key is not set).
      - C(template) is not set here; use O(state=template).
    type: dict
  migrate:
    description:
      - Migrate the VM to O(node) when it is on another node (online when it is running). Without it, a VM on
        another node is an error.
    type: bool
    default: false
  force:
    description:
      - With O(state=stopped) or O(state=template) stop the VM hard instead of shutting it down; with
        O(state=restarted) stop and start it instead of a reboot; with O(state=absent) stop a running VM hard
        before deleting it.
    type: bool
    default: false
  purge:
    description:
      - With O(state=absent), also remove the VM from backup jobs, replication jobs and HA.
    type: bool
    default: false
  restart_to_apply:
    description:
      - Reboot a running VM that has pending changes (made now or before), so they apply.
    type: bool
    default: false
  wait:
    description:
      - Wait for the last task (start, stop, shutdown, reboot, delete) to finish. Tasks later steps depend on
        (create, clone, migrate, resize) are always waited for.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each task, and the time a graceful shutdown or reboot gives the guest.
    type: int
    default: 300
extends_documentation_fragment:
  - pve.ops.connection
  - pve.ops.attributes
  - pve.ops.attributes.STATE_MODULE
  - pve.ops.privileges.VM
'''

EXAMPLES = r'''
- name: A VM from the cloud-init template, started
  pve.ops.vm:
    name: app01
    node: pve1
    clone: debian-12-cloudinit
    full: true
    storage: local-lvm
    cores: 2
    memory: 4096
    disks:
      - slot: scsi0
        size: 20G
    nets:
      - slot: net0
        bridge: vmbr0
        tag: 20
        firewall: true
    ciuser: debian
    sshkeys: "{{ lookup('file', '~/.ssh/id_ed25519.pub') }}"
    ipconfig:
      0: ip=192.0.2.50/24,gw=192.0.2.1
    tags: [app, prod]
    state: started

- name: A VM from scratch, with an installer ISO
  pve.ops.vm:
    name: win01
    node: pve2
    ostype: win11
    memory: 8192
    cores: 4
    disks:
      - {slot: scsi0, storage: local-lvm, size: 64G, options: {discard: "on", ssd: 1}}
      - {slot: ide2, volume: "local:iso/win11.iso", options: {media: cdrom}}
    nets:
      - {bridge: vmbr0}
    config:
      scsihw: virtio-scsi-single
      bios: ovmf

- name: Grow the data disk and apply the new memory at once
  pve.ops.vm:
    vmid: 101
    memory: 16384
    disks:
      - {slot: scsi1, size: 200G}
    restart_to_apply: true

- name: Shut down gracefully, giving the guest two minutes
  pve.ops.vm:
    name: app01
    state: stopped
    timeout: 120

- name: Move it to pve3 (live)
  pve.ops.vm:
    name: app01
    node: pve3
    migrate: true

- name: Start VM 103 only if it exists, and leave its settings alone (never creates, never renames)
  pve.ops.vm:
    vmid: 103
    state: started
    create: false
    update: false

- name: Create web02 if it is missing, but never touch an existing web02
  pve.ops.vm:
    name: web02
    node: pve1
    clone: debian-12-cloudinit
    cores: 2
    update: false

- name: Build a template from a prepared VM (shut down first)
  pve.ops.vm:
    name: golden-image
    state: template

- name: Delete it, also from backup jobs and HA
  pve.ops.vm:
    name: app01
    state: absent
    force: true
    purge: true
'''

RETURN = r'''
vm:
  description: The VM after the run (null when it is absent).
  returned: always
  type: dict
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
      description: C(running) or C(stopped).
      type: str
    template:
      description: Whether it is a template (from its config, so true right after O(state=template)).
      type: bool
    pool:
      description: Its resource pool, when in one.
      type: str
    config:
      description: Its current configuration (PVE's keys and values; the cloud-init password left out).
      type: dict
    pending:
      description: 'Changes that wait for a restart, as C({key: {current, pending}}) or C({key: {current, delete}}).'
      type: dict
    cloned_from:
      description: The vmid of the clone source, when the VM was cloned in this run.
      type: int
  sample:
    vmid: 104
    name: app01
    node: pve1
    status: running
    template: false
    config: {cores: 2, memory: '4096', net0: 'virtio=BC:24:11:5E:00:01,bridge=vmbr0,firewall=1,tag=20',
             scsi0: 'local-lvm:vm-104-disk-0,discard=on,size=20G'}
    pending: {}
pending:
  description: The VM's pending changes (the same as RV(vm.pending)).
  returned: when the VM exists after the run
  type: dict
  sample: {memory: {current: '4096', pending: '16384'}}
diff:
  description: The VM before and after (vmid, name, node, status, config, pending).
  returned: always
  type: dict
tasks:
  description: The UPIDs of the tasks the module started, in order (with O(wait=false) the last one may still run).
  returned: when a task ran
  type: list
  elements: str
'''

from ansible_collections.pve.ops.plugins.module_utils import limits
from ansible_collections.pve.ops.plugins.module_utils.guests.actions import DEFAULT_TIMEOUT
from ansible_collections.pve.ops.plugins.module_utils.guests.reconciler import GUEST_STATES
from ansible_collections.pve.ops.plugins.module_utils.guests.vm import VmReconciler
from ansible_collections.pve.ops.plugins.module_utils.module import run_module


def argument_spec():
    return dict(
        vmid=dict(type='int'),
        name=dict(type='str'),
        node=dict(type='str'),
        state=dict(type='str', choices=list(GUEST_STATES), default='present'),
        create=dict(type='bool', default=True),
        update=dict(type='bool', default=True),
        clone=dict(type='str'),
        full=dict(type='bool'),
        storage=dict(type='str'),
        pool=dict(type='str'),
        cores=dict(type='int'),
        sockets=dict(type='int'),
        cpu=dict(type='str'),
        memory=dict(type='int'),
        balloon=dict(type='int'),
        ostype=dict(type='str'),
        disks=dict(type='list', elements='dict', options=dict(
            slot=dict(type='str', required=True),
            storage=dict(type='str'),
            size=dict(type='str'),
            format=dict(type='str'),
            volume=dict(type='str'),
            options=dict(type='dict'),
        )),
        nets=dict(type='list', elements='dict', options=dict(
            slot=dict(type='str'),
            index=dict(type='int'),
            model=dict(type='str'),
            bridge=dict(type='str'),
            tag=dict(type='int'),
            firewall=dict(type='bool'),
            macaddr=dict(type='str'),
            options=dict(type='dict'),
        )),
        boot=dict(type='str'),
        agent=dict(type='str'),
        onboot=dict(type='bool'),
        startup=dict(type='str'),
        description=dict(type='str'),
        tags=dict(type='list', elements='str'),
        ciuser=dict(type='str'),
        cipassword=dict(type='str', no_log=True),
        sshkeys=dict(type='str', no_log=False),
        ipconfig=dict(type='raw'),
        nameserver=dict(type='str'),
        searchdomain=dict(type='str'),
        config=dict(type='dict'),
        migrate=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
        purge=dict(type='bool', default=False),
        restart_to_apply=dict(type='bool', default=False),
        wait=dict(type='bool', default=True),
        timeout=dict(type='int', default=DEFAULT_TIMEOUT),
    )


LIMITS = {
    'vmid': limits.VMID,
    'node': limits.NODE,
    'name': limits.Limit(format='dns-name', schema=('POST', '/nodes/{node}/qemu', 'name')),
    'storage': limits.STORAGE_ID,
    'pool': limits.POOL_ID,
    'memory': limits.Limit(minimum=16, maximum=limits.MAX_MEM, unit='MiB',
                           schema=('POST', '/nodes/{node}/qemu', 'memory', 'current'),
                           source="qemu-server's MAX_MEM = 4194304 MiB (PVE::QemuServer::Memory)"),
    'balloon': limits.Limit(minimum=0, maximum=limits.MAX_MEM, unit='MiB',
                            schema=('POST', '/nodes/{node}/qemu', 'balloon'),
                            source="qemu-server: the balloon target cannot exceed memory (at most MAX_MEM)"),
    'cores': limits.Limit(minimum=1, schema=('POST', '/nodes/{node}/qemu', 'cores')),
    'sockets': limits.Limit(minimum=1, schema=('POST', '/nodes/{node}/qemu', 'sockets')),
    'description': limits.Limit(max_length=8192, schema=('POST', '/nodes/{node}/qemu', 'description')),
    'tags': limits.TAG,
    'timeout': limits.TIMEOUT,
}

MODULE_KWARGS = dict(
    supports_check_mode=True,
    required_one_of=[('vmid', 'name')],
    limits=LIMITS,
)


def run(pve):
    return VmReconciler(pve).run()


def main(module_class=None):
    run_module(argument_spec(), run, module_class=module_class, **MODULE_KWARGS)


if __name__ == '__main__':
    main()
