# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""QEMU VMs: the desired config from the module's options, its comparison with PVE's, and what the one guest
reconciler (``reconciler.GuestReconciler``) needs to know of VMs.

Comparison is on parsed values: property strings are parsed (``virtio=BC:24:..,bridge=vmbr0``), sizes are
bytes, values PVE generates (MAC addresses, disk volume names) count only when the user gave them. A
converged run reads twice: GET /cluster/resources (where the VM is, its state) and GET .../pending (its
config and pending changes in one answer).
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, propstring
from ansible_collections.pve.ops.plugins.module_utils.guests import checks
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import path
from ansible_collections.pve.ops.plugins.module_utils.guests.pending import GuestConfig
from ansible_collections.pve.ops.plugins.module_utils.guests.reconciler import GuestReconciler, Plan, validate_common
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

NET_MODELS = ('e1000', 'e1000-82540em', 'e1000-82544gc', 'e1000-82545em', 'e1000e', 'i82551', 'i82557b',
              'i82559er', 'ne2k_isa', 'ne2k_pci', 'pcnet', 'rtl8139', 'virtio', 'vmxnet3')
DISK_SLOT = re.compile(r'^(ide[0-3]|sata[0-5]|scsi(?:[0-9]|[12][0-9]|30)|virtio(?:[0-9]|1[0-5])|efidisk0|tpmstate0)$')
NET_SLOT = re.compile(r'^net([0-9]|[12][0-9]|3[01])$')
# Drives PVE sizes itself, whatever size is asked for: the EFI vars disk (528K with efitype=4m, 128K with
# 2m) and the TPM state (4M).
FIXED_SIZE_SLOTS = ('efidisk0', 'tpmstate0')
DISK_FORMAT = re.compile(r'^(raw|qcow2|vmdk)$')
# Property-string keys whose leading bare value has a name.
DEFAULT_KEYS = {'memory': 'current', 'agent': 'enabled', 'cpu': 'cputype', 'startup': 'order', 'vga': 'type',
                'balloon': None}
# Options that are plain config keys, in the order they are documented.
SIMPLE_KEYS = ('name', 'cores', 'sockets', 'cpu', 'memory', 'balloon', 'ostype', 'boot', 'agent', 'onboot',
               'startup', 'description', 'tags', 'ciuser', 'sshkeys', 'nameserver', 'searchdomain')
BOOL_KEYS = ('onboot',)
# Keys a running VM takes at once (the rest waits in pending until a restart): PVE's fast-plug options.
HOT_KEYS = ('name', 'description', 'onboot', 'tags', 'protection', 'startup', 'agent', 'hookscript', 'lock')
# Keys never shown in results.
SECRET_KEYS = ('cipassword',)
NET_FALSE_DEFAULTS = {'firewall': '0', 'link_down': '0'}


# ------------------------------------------------------------------------------------------ normalising


def _props(key, value):
    parsed = propstring.parse(value, DEFAULT_KEYS.get(key))
    return dict((k, codec.config_text(v)) for k, v in parsed.items())


def same_value(key, current, desired):
    """True when a config value already is what the user asked for (compared the way PVE means it)."""
    if current is None:
        return desired is None
    if key == 'tags':
        return codec.tags(current) == codec.tags(desired)
    if key == 'sshkeys':
        return _keys_text(unquote(str(current))) == _keys_text(str(desired))
    if key == 'description':
        return str(current).rstrip() == str(desired).rstrip()
    cur, want = str(current), str(desired)
    if key in DEFAULT_KEYS or key.startswith('ipconfig') or '=' in cur or '=' in want:
        return _props(key, cur) == _props(key, want)
    return codec.config_text(current) == codec.config_text(desired)


def empty(value):
    """None, '' (blank) and empty lists and dicts: a key that is not set."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not [v for v in (value.values() if isinstance(value, dict) else value) if not empty(v)]
    return False


def _keys_text(text):
    return '\n'.join(line.strip() for line in text.strip().splitlines() if line.strip())


def wire_value(key, value):
    """A desired value as the API takes it."""
    if key == 'tags':
        return codec.tag_text(value)
    if key == 'sshkeys':
        return quote(_keys_text(str(value)), safe='')
    return codec.wire(value) if isinstance(value, bool) else value


def public_config(config):
    """A config without secrets and PVE's digest."""
    return dict((k, v) for k, v in (config or {}).items() if k not in SECRET_KEYS and k != 'digest')


# ---------------------------------------------------------------------------------------- the desired view


def desired_simple(params):
    """{key: value} of the plain config options the user set (typed options, ipconfig, then ``config``)."""
    out = {}
    for key in SIMPLE_KEYS:
        if params.get(key) is not None:
            out[key] = params[key]
    out.update(ipconfig_keys(params.get('ipconfig')))
    for key, value in sorted((params.get('config') or {}).items()):
        if DISK_SLOT.match(key) or re.match(r'^net\d+$', key):
            raise errors.InvalidArgumentError(
                'config.{0}: give disks and network interfaces with the disks and nets options'.format(key),
                field='config')
        if key in ('vmid', 'node', 'digest', 'delete', 'revert', 'cipassword', 'lock'):
            raise errors.InvalidArgumentError('config.{0}: not a config key this option sets'.format(key),
                                              field='config')
        if key == 'template':
            raise errors.InvalidArgumentError(
                'config.template: PVE makes a template with its template action, not through the config; use '
                'state: template (a template cannot become a VM again)', field='config')
        if key in out:
            raise errors.InvalidArgumentError('config.{0}: also given as its own option'.format(key), field='config')
        out[key] = value
    return out


def ipconfig_keys(value):
    """ipconfig as {ipconfigN: text}: a list (index = position) or a dict (N or ipconfigN -> text)."""
    if value is None:
        return {}
    items = enumerate(value) if isinstance(value, list) else value.items() if isinstance(value, dict) else None
    if items is None:
        raise errors.InvalidArgumentError('ipconfig: give a list or a dict of index -> "ip=...,gw=..."',
                                          field='ipconfig')
    out = {}
    for idx, text in items:
        found = re.match(r'^(?:ipconfig)?(\d+)$', str(idx))
        if not found or int(found.group(1)) > 31:
            raise errors.InvalidArgumentError('ipconfig: {0!r} is not an interface index (0-31)'.format(idx),
                                              field='ipconfig')
        if text is None:
            continue
        checks.scalar(text, 'ipconfig', 'ipconfig.{0}'.format(idx))
        out['ipconfig{0}'.format(int(found.group(1)))] = str(text)
    return out


def parse_net(value):
    """A net value as {model, macaddr, bridge, ...} (``virtio=BC:..,bridge=vmbr0``)."""
    out = {}
    for i, part in enumerate(str(value or '').split(',')):
        if not part:
            continue
        key, eq, val = part.partition('=')
        if key in NET_MODELS and (i == 0 or 'model' not in out):
            out['model'] = key
            if val:
                out['macaddr'] = val.upper()
        elif key == 'model':
            out['model'] = val
        elif key == 'macaddr':
            out['macaddr'] = val.upper()
        elif eq:
            out[key] = val
    return out


def format_net(props):
    model = props.get('model') or 'virtio'
    head = '{0}={1}'.format(model, props['macaddr']) if props.get('macaddr') else model
    rest = ['{0}={1}'.format(k, props[k]) for k in sorted(props) if k not in ('model', 'macaddr')
            and props[k] is not None]
    return ','.join([head] + rest)


def net_slot(spec, position):
    if spec.get('slot'):
        if not NET_SLOT.match(spec['slot']):
            raise errors.InvalidArgumentError('nets[{0}].slot: {1!r} is not net0 to net31'.format(position, spec['slot']),
                                              field='nets')
        return spec['slot']
    slot = 'net{0}'.format(int(spec['index']) if spec.get('index') is not None else position)
    if not NET_SLOT.match(slot):
        raise errors.InvalidArgumentError('nets[{0}]: {1} is out of range (net0 to net31)'.format(position, slot),
                                          field='nets')
    return slot


def net_changes(config, nets):
    """{netN: new value} for the interfaces that differ from ``nets``."""
    out = {}
    seen = set()
    for position, spec in enumerate(nets or []):
        slot = net_slot(spec, position)
        if slot in seen:
            raise errors.InvalidArgumentError('nets: {0} is given twice'.format(slot), field='nets')
        seen.add(slot)
        want = {}
        for key in ('model', 'bridge', 'tag', 'firewall', 'macaddr'):
            if spec.get(key) is not None:
                want[key] = codec.config_text(spec[key])
        for key, value in sorted((spec.get('options') or {}).items()):
            want[key] = codec.config_text(value)
        if 'macaddr' in want:
            want['macaddr'] = want['macaddr'].upper()
        current = config.get(slot)
        if current is None:
            if not want.get('bridge'):
                raise errors.InvalidArgumentError('nets: a new interface {0} needs a bridge'.format(slot), field='nets')
            want.setdefault('model', 'virtio')
            out[slot] = format_net(want)
            continue
        have = parse_net(current)
        differs = any(have.get(k, NET_FALSE_DEFAULTS.get(k)) != v for k, v in want.items())
        if differs:
            merged = dict(have)
            if 'model' in want and want['model'] != have.get('model') and 'macaddr' not in want:
                merged['model'] = want['model']
            merged.update(want)
            out[slot] = format_net(merged)
    return out


def disk_changes(config, disks, default_storage=None, creating=False):
    """({slot: value} to set, [(slot, size text)] to grow) for ``disks``; shrinking is an error."""
    updates, resizes = {}, []
    seen = set()
    for position, spec in enumerate(disks or []):
        where = 'disks[{0}]'.format(position)
        slot = spec.get('slot')
        if not slot or not DISK_SLOT.match(slot):
            raise errors.InvalidArgumentError('{0}.slot: {1!r} is not a disk slot (scsi0, virtio1, sata2, ide3, '
                                              'efidisk0, tpmstate0)'.format(where, slot), field='disks')
        if slot in seen:
            raise errors.InvalidArgumentError('disks: {0} is given twice'.format(slot), field='disks')
        seen.add(slot)
        try:
            want_size = codec.size_bytes(spec.get('size'))
        except ValueError as exc:
            raise errors.InvalidArgumentError('{0}.size: {1}'.format(where, exc), field='disks') from None
        options = dict((k, codec.config_text(v)) for k, v in sorted((spec.get('options') or {}).items()))
        storage = spec.get('storage') or default_storage
        volume = spec.get('volume')
        current = config.get(slot)
        if current is None:
            if volume:
                if volume == 'cloudinit':
                    if not storage:
                        raise errors.InvalidArgumentError('{0}: a cloudinit drive needs a storage'.format(where),
                                                          field='disks')
                    volume = '{0}:cloudinit'.format(storage)
                head = volume
            elif slot in FIXED_SIZE_SLOTS:
                if not storage:
                    raise errors.InvalidArgumentError('{0}: a new {1} needs a storage'.format(where, slot),
                                                      field='disks')
                # PVE sizes these itself and ignores the size given (STORAGE:1 is its own convention).
                head = '{0}:1'.format(storage)
            else:
                if not storage or not want_size:
                    raise errors.InvalidArgumentError('{0}: a new disk {1} needs storage and size'.format(where, slot),
                                                      field='disks')
                head = '{0}:{1}'.format(storage, codec.gib_text(want_size))
            props = dict(options)
            if spec.get('format'):
                props['format'] = spec['format']
            updates[slot] = propstring.format_props(dict(props, file=head), default_key='file')
            continue
        have = propstring.parse(current, 'file')
        have_volume = have.get('file', '')
        if volume and volume != have_volume and not (volume == 'cloudinit' and have_volume.endswith('cloudinit')):
            # A new medium (an ISO in a CD-ROM drive) or another volume.
            props = dict((k, v) for k, v in have.items() if k not in ('file', 'size'))
            props.update(options)
            updates[slot] = propstring.format_props(dict(props, file=volume), default_key='file')
            continue
        if spec.get('storage') and not volume and ':' in have_volume and \
                have_volume.split(':', 1)[0] != spec['storage']:
            raise errors.InvalidArgumentError(
                '{0}: disk {1} is on storage {2!r}, not {3!r}; this module does not move disks'.format(
                    where, slot, have_volume.split(':', 1)[0], spec['storage']), field='disks')
        have_size = codec.size_bytes(have['size']) if have.get('size') else None
        if slot in FIXED_SIZE_SLOTS:
            have_size = None  # sized by PVE (efitype, TPM version): never compared, never resized
        if want_size and have_size is not None and want_size != have_size:
            if want_size < have_size:
                raise errors.InvalidArgumentError(
                    '{0}: disk {1} is {2}, asked for {3}: disks can only grow, shrinking is not supported'.format(
                        where, slot, codec.size_text(have_size), codec.size_text(want_size)),
                    field='disks')
            resizes.append((slot, codec.size_text(want_size)))
        differs = any(codec.config_text(have.get(k, '')) != v for k, v in options.items())
        if differs:
            props = dict(have)
            props.update(options)
            if resizes and resizes[-1][0] == slot:
                props['size'] = resizes[-1][1]  # the resize comes first; the PUT keeps its size
            updates[slot] = propstring.format_props(props, default_key='file')
    return updates, resizes


def config_changes(effective, params, creating=False):
    """(updates, deletes, resizes) that make ``effective`` what the params ask for."""
    updates, deletes = {}, set(k for k, v in (params.get('config') or {}).items() if v is None and k in effective)
    for key, value in desired_simple(params).items():
        if value is None:
            continue
        if empty(value):
            # An empty value ('' or []) means the key is not set: PVE's way to unset it is delete.
            if not empty(effective.get(key)):
                deletes.add(key)
            continue
        if not same_value(key, effective.get(key), value):
            updates[key] = wire_value(key, value)
    deletes = sorted(deletes)
    updates.update(net_changes(effective, params.get('nets')))
    disk_updates, resizes = disk_changes(effective, params.get('disks'), params.get('storage'), creating)
    updates.update(disk_updates)
    if params.get('cipassword') is not None and (creating or 'cipassword' not in effective):
        updates['cipassword'] = params['cipassword']
    if 'boot' in updates:
        check_boot_order(updates['boot'], dict(effective, **updates), deletes)
    return updates, deletes, resizes


def check_boot_order(boot, config, deletes=()):
    """qemu-server's check_bootorder: each device of ``order=`` is a disk or NIC of the config it applies to."""
    order = next((part.split('=', 1)[1] for part in str(boot).split(',') if part.startswith('order=')), '')
    missing = [dev for dev in order.split(';') if dev and (dev not in config or dev in deletes)]
    if missing:
        raise errors.InvalidArgumentError(
            "boot: the boot order names {0}, which the VM does not have (PVE: invalid bootorder: device "
            "'{1}' does not exist); add the device or leave it out of order".format(
                ', '.join(missing), missing[0]), field='boot')


def validate(params):
    """Checks made before any request: identity (``validate_common``), and every value nested in the options
    (nothing is sent when one is wrong)."""
    if not validate_common(params):
        return
    # Parse everything once, so bad input fails before any write.
    for key, value in desired_simple(params).items():
        in_config = key in (params.get('config') or {})
        if in_config:
            checks.scalar(value, 'config', 'config.{0}'.format(key))
        if re.match(r'^ipconfig\d+$', key) and not empty(value):
            checks.ipconfig(value, 'config' if in_config else 'ipconfig',
                            'config.{0}'.format(key) if in_config else 'ipconfig.{0}'.format(key[8:]))
    for position, spec in enumerate(params.get('nets') or []):
        where = 'nets[{0}]'.format(position)
        net_slot(spec, position)
        if spec.get('model') is not None and spec['model'] not in NET_MODELS:
            raise errors.InvalidArgumentError('{0}.model: {1!r} is not a NIC model ({2})'.format(
                where, spec['model'], ', '.join(NET_MODELS)), field='nets')
        checks.bridge(spec.get('bridge'), 'nets', where + '.bridge')
        checks.vlan(spec.get('tag'), 'nets', where + '.tag')
        checks.mac(spec.get('macaddr'), 'nets', where + '.macaddr')
        options = spec.get('options') or {}
        checks.prop_options(options, 'nets', where + '.options')
        checks.int_range(options.get('mtu'), 1, 65520, 'nets', where + '.options.mtu')
        checks.int_range(options.get('queues'), 0, 64, 'nets', where + '.options.queues')
        checks.non_negative(options.get('rate'), 'nets', where + '.options.rate')
        if options.get('trunks') is not None:
            checks.trunks(options['trunks'], 'nets', where + '.options.trunks')
    net_changes({}, [dict(n, bridge=n.get('bridge') or 'x') for n in params.get('nets') or []])
    for position, spec in enumerate(params.get('disks') or []):
        where = 'disks[{0}]'.format(position)
        if not spec.get('slot') or not DISK_SLOT.match(spec['slot']):
            raise errors.InvalidArgumentError('{0}.slot: {1!r} is not a disk slot (scsi0, virtio1, sata2, ide3, '
                                              'efidisk0, tpmstate0)'.format(where, spec.get('slot')), field='disks')
        checks.size(spec.get('size'), 'disks', where + '.size')
        checks.storage_id(spec.get('storage'), 'disks', where + '.storage')
        if spec.get('volume') is not None:
            checks.prop_value(spec['volume'], 'disks', where + '.volume')
        checks.pattern(spec.get('format'), DISK_FORMAT, 'a disk format (raw, qcow2, vmdk)', 'disks',
                       where + '.format')
        checks.prop_options(spec.get('options'), 'disks', where + '.options')
        for key in ('file', 'size', 'volume', 'format'):
            if key in (spec.get('options') or {}):
                raise errors.InvalidArgumentError('{0}.options.{1}: give {1} as its own option'.format(
                    where, 'volume' if key == 'file' else key), field='disks')


# --------------------------------------------------------------------------------------------- reconcile


class VmReconciler(GuestReconciler):
    """One run of pve.ops.vm (see reconciler.GuestReconciler): its config plan, creation and cloning, the
    fast-plug keys and the VM's view."""

    TYPE = 'qemu'
    NOUN = 'vm'

    def validate(self):
        validate(self.params)

    def creation_missing(self, what):
        p = self.params
        if p.get('clone') is None and not p.get('name'):
            return errors.NotFoundError('no VM with {0} in the cluster; to create one, give its name (and node), '
                                        'or clone'.format(what))
        if p.get('clone') is None and not p.get('node'):
            return errors.InvalidArgumentError('node is required to create VM {0}'.format(p.get('name')),
                                               field='node')
        return None

    def settings_given(self):
        p = self.params
        return any(k != 'name' for k in desired_simple(p)) or bool(
            p.get('disks') or p.get('nets') or p.get('pool') or p.get('cipassword'))

    def plan(self, config, guest):
        return Plan(*config_changes(config, self.params))

    def hot(self, key, current, delete):
        return key in HOT_KEYS

    # -------------------------------------------------------------- create

    def create(self, everything):
        p = self.params
        if p.get('clone') is not None:
            return self.clone(everything)
        vmid = self.new_vmid()
        updates, _deletes, _resizes = config_changes({}, p, creating=True)
        start = self.starts
        tracker = ChangeTracker(self.check, before={})
        params = dict(updates)
        params.update(vmid=vmid)
        if p.get('pool'):
            params['pool'] = p['pool']
        if start:
            params['start'] = True
        self.tasks.run(tracker, self.client.post, 'nodes', p['node'], 'qemu', **params)
        guest = dict(vmid=vmid, type='qemu', node=p['node'], name=p['name'],
                     status='running' if start else 'stopped', pool=p.get('pool'))
        if p['state'] == 'template':
            self.make_template(tracker, guest)
        else:
            self.tasks.settle()  # the new VM's config is read back
        self.tasks.finish()
        if self.check:
            after = dict(vmid=vmid, name=guest['name'], node=guest['node'], status=guest['status'],
                         template=p['state'] == 'template', config=public_config(updates), pending={})
            return tracker.result(after=after, vm=after)
        vm = self.view(guest, GuestConfig.read(self.client, guest))
        return tracker.result(after=vm, vm=vm)

    def clone(self, everything):
        p = self.params
        source = self.clone_source(everything)
        full = self.clone_is_full(source)
        node = p.get('node') or source['node']
        vmid = self.new_vmid()
        params = dict(newid=vmid)
        if p.get('name'):
            params['name'] = p['name']
        if node != source['node']:
            params['target'] = node
        if p.get('full') is not None:
            params['full'] = p['full']
        if p.get('storage') and full:
            # qemu-server takes storage for a full clone only (a linked clone's disks stay on the template's)
            params['storage'] = p['storage']
            if node != source['node']:
                self.check_shared_target(p['storage'], node)
        if p.get('pool'):
            params['pool'] = p['pool']
        tracker = ChangeTracker(self.check, before={})
        self.tasks.run(tracker, self.client.post, *path(source, 'clone'), **params)
        guest = dict(vmid=vmid, type='qemu', node=node, name=p.get('name') or 'Copy-of-VM-{0}'.format(
            source.get('name')), status='stopped', pool=p.get('pool'))
        if self.check:
            self.tasks.finish()
            updates = dict((k, wire_value(k, v)) for k, v in desired_simple(p).items() if v is not None)
            status = 'running' if self.starts else 'stopped'
            after = dict(vmid=vmid, name=guest['name'], node=node, status=status, template=p['state'] == 'template',
                         config=public_config(updates), pending={}, cloned_from=int(source['vmid']))
            return tracker.result(after=after, vm=after)
        # The clone exists: converge its config and power state like any VM, in the same result.
        result = self.converge(guest, tracker=tracker, configure=True)
        result['vm']['cloned_from'] = int(source['vmid'])
        return result

    # ---------------------------------------------------------------- view

    def result(self, tracker, guest, config, after):
        vm = self.view(guest, config)
        return tracker.result(after=vm, vm=vm, pending=vm['pending'])

    def diff_view(self, guest, config, after=None):
        return self.view(guest, config)

    def view(self, guest, config, after=None):
        """The returned VM: vmid, name, node, status, pool, template, config, pending."""
        if guest is None:
            return {}
        current = config.current if config is not None else {}
        out = dict(vmid=int(guest['vmid']), name=current.get('name', guest.get('name')), node=guest['node'],
                   status=guest.get('status'), template=codec.is_true(current.get('template', guest.get('template'))))
        if guest.get('pool'):
            out['pool'] = guest['pool']
        if config is not None:
            out['config'] = public_config(current)
            out['pending'] = dict((k, v) for k, v in config.view().items() if k not in SECRET_KEYS)
        return out
