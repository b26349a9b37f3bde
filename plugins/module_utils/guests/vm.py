# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""QEMU VMs: the desired config from the module's options, its comparison with PVE's, and the reconcile.

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
from ansible_collections.pve.ops.plugins.module_utils.guests import common as guests
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
            updates[slot] = propstring.format_props(props, default_key='file')
    return updates, resizes


# pve-storage's @SHARED_STORAGE: types that are shared whatever their configuration says.
SHARED_TYPES = ('iscsi', 'nfs', 'cifs', 'rbd', 'cephfs', 'iscsidirect', 'glusterfs', 'zfs', 'drbd', 'pbs')


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
    """Checks made before any request: identity, and every value nested in the options (nothing is sent
    when one is wrong)."""
    state = params['state']
    if params.get('vmid') is None and not params.get('name'):
        raise errors.InvalidArgumentError('give vmid or name', field='vmid')
    guests.check_vmid(params.get('vmid'))
    if params.get('clone') is not None and str(params['clone']).isdigit():
        guests.check_vmid(int(params['clone']), field='clone')
    checks.dns_name(params.get('name'), 'name')
    if params.get('timeout') is not None and params['timeout'] < 0:
        raise errors.InvalidArgumentError('timeout must be 0 or more seconds', field='timeout')
    if state == 'absent':
        return
    checks.tags(params.get('tags'))
    checks.storage_id(params.get('storage'), 'storage', 'storage')
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


class VmReconciler:
    """One run of pve.ops.vm: read, compare, apply (never in check mode), wait, report."""

    def __init__(self, pve):
        self.pve = pve
        self.client = pve.client
        self.params = pve.params
        self.check = pve.check_mode
        self.timeout = self.params.get('timeout') or guests.DEFAULT_TIMEOUT
        self.wait = self.params.get('wait', True)

    def _task(self, upid, final=False):
        """Wait for a task; ``final`` tasks (nothing else depends on them) honour wait: false."""
        if upid and (self.wait or not final):
            self.client.wait(upid, timeout=self.timeout + 30)
        elif upid:
            self.unwaited.append(upid)
        return upid

    def run(self):
        self.unwaited = []
        result = self._run()
        if self.unwaited:
            # Tasks left running (wait: false) are returned too, so the caller can follow them.
            result['tasks'] = list(self.client.tasks) + self.unwaited
        return result

    def _run(self):
        p = self.params
        validate(p)
        everything = guests.list_guests(self.client)
        authid = guests.caller(p)
        guest = guests.locate(self.client, vmid=p.get('vmid'), name=p.get('name') if p.get('vmid') is None else None,
                              guest_type='qemu', guests=everything, authid=authid)
        if guest is not None and p.get('vmid') is not None and (p['state'] != 'present' or not p['update']):
            # In a power state, on deletion and with update: false, name identifies; it never renames.
            guests.check_name(guest, p.get('name'))
        if p['state'] == 'absent':
            return self.absent(guest)
        if guest is None:
            missing = self.cannot_create()
            if missing is None:
                return self.create(everything)
            if self.check:
                return self.assumed(missing)
            raise missing
        return self.converge(guest)

    def cannot_create(self):
        """Why this run may not create the VM it did not find (an error to raise), or None when it may."""
        p = self.params
        what = 'vmid {0}'.format(p['vmid']) if p.get('vmid') is not None else 'name {0!r}'.format(p.get('name'))
        if not p['create']:
            return errors.NotFoundError('no VM with {0} in the cluster (create: false: it is not created)'.format(what))
        if p.get('clone') is None and not p.get('name'):
            return errors.NotFoundError('no VM with {0} in the cluster; to create one, give its name (and node), '
                                        'or clone'.format(what))
        if p.get('clone') is None and not p.get('node'):
            return errors.InvalidArgumentError('node is required to create VM {0}'.format(p.get('name')),
                                               field='node')
        return None

    def assumed(self, missing):
        """Check mode, a VM that does not exist and that this task does not create: what the task would do
        to the VM an earlier task of the play creates (check mode created none), with a warning."""
        p = self.params
        self.pve.warn('{0}; in check mode this task assumes an earlier task creates it, and reports what it '
                      'would do then'.format(missing))
        status = {'started': 'running', 'restarted': 'running', 'stopped': 'stopped'}.get(p['state'])
        after = dict(vmid=p.get('vmid'), name=p.get('name'), status=status, template=p['state'] == 'template')
        after = dict((k, v) for k, v in after.items() if v is not None)
        settings = (p['update'] and any(k != 'name' for k in desired_simple(p))) or bool(
            p['update'] and (p.get('disks') or p.get('nets') or p.get('pool') or p.get('cipassword')))
        tracker = ChangeTracker(True, before={})
        if p['state'] in ('started', 'restarted', 'template') or settings:
            tracker.mark()
        return tracker.result(after=after, vm=after)

    # -------------------------------------------------------------- absent

    def absent(self, guest):
        tracker = ChangeTracker(self.check, before=self.view(guest, None) if guest else {})
        if guest is None:
            return tracker.result(after={}, vm=None)
        if guest.get('status') == 'running':
            if not self.params['force']:
                raise errors.InvalidArgumentError(
                    'VM {0} ({1}) is running: stop it first, or set force: true to stop it hard and delete it'.format(
                        guest['vmid'], guest.get('name')), field='force')
            self._task(tracker.write(guests.power, self.client, guest, 'stop', wait=False))
        self._task(tracker.write(guests.delete, self.client, guest, purge=self.params['purge'], wait=False),
                   final=True)
        return tracker.result(after={}, vm=None)

    # -------------------------------------------------------------- create

    def create(self, everything):
        p = self.params
        if p.get('clone') is not None:
            return self.clone(everything)
        if not p.get('node'):
            raise errors.InvalidArgumentError('node is required to create VM {0}'.format(
                p.get('name') or p.get('vmid')), field='node')
        vmid = p.get('vmid') if p.get('vmid') is not None else guests.next_vmid(self.client)
        updates, _deletes, _resizes = config_changes({}, p, creating=True)
        start = p['state'] in ('started', 'restarted')
        tracker = ChangeTracker(self.check, before={})
        params = dict(updates)
        params.update(vmid=vmid)
        if p.get('pool'):
            params['pool'] = p['pool']
        if start:
            params['start'] = True
        self._task(tracker.write(self.client.post, 'nodes', p['node'], 'qemu', **params))
        guest = dict(vmid=vmid, type='qemu', node=p['node'], name=p['name'],
                     status='running' if start else 'stopped', pool=p.get('pool'))
        if p['state'] == 'template':
            self._task(tracker.write(self.client.post, *guests.path(guest, 'template')), final=True)
            guest['template'] = 1
        if self.check:
            after = dict(vmid=vmid, name=guest['name'], node=guest['node'], status=guest['status'],
                         template=p['state'] == 'template', config=public_config(updates), pending={})
            return tracker.result(after=after, vm=after)
        vm = self.view(guest, guests.read_pending(self.client, guest))
        return tracker.result(after=vm, vm=vm)

    def _check_shared(self, storage, node):
        """qemu-server clones to another node only onto shared storage ("can't clone to non-shared storage")."""
        try:
            conf = self.client.get('storage', storage) or {}
        except (errors.PermissionDeniedError, errors.NotFoundError):
            return  # PVE decides
        if not codec.is_true(conf.get('shared', 0)) and conf.get('type') not in SHARED_TYPES:
            raise errors.InvalidArgumentError(
                "storage: PVE clones to another node ({0}) only onto shared storage, and {1!r} is not shared".format(
                    node, storage), field='storage')

    def clone(self, everything):
        p = self.params
        ref = str(p['clone'])
        source = guests.require_guest(self.client, vmid=int(ref) if ref.isdigit() else None,
                                      name=None if ref.isdigit() else ref, guests=everything,
                                      authid=guests.caller(p))
        if source['type'] != 'qemu':
            raise errors.InvalidArgumentError('clone: {0} is a container, not a VM'.format(ref), field='clone')
        if p.get('full') is False and not codec.is_true(source.get('template')):
            # qemu-server: a VM's own disks have no clone feature, only a template's base volumes do
            raise errors.InvalidArgumentError(
                'full: a linked clone (full=false) needs a template; VM {0} is not one (make it a template, or '
                'leave full out or set full=true for a full clone)'.format(source['vmid']), field='full')
        node = p.get('node') or source['node']
        vmid = p.get('vmid') if p.get('vmid') is not None else guests.next_vmid(self.client)
        params = dict(newid=vmid)
        if p.get('name'):
            params['name'] = p['name']
        if node != source['node']:
            params['target'] = node
        if p.get('full') is not None:
            params['full'] = p['full']
        full = p['full'] if p.get('full') is not None else not codec.is_true(source.get('template'))
        if p.get('storage') and full:
            # qemu-server takes storage for a full clone only (a linked clone's disks stay on the template's)
            params['storage'] = p['storage']
        if node != source['node'] and p.get('storage') and full:
            self._check_shared(p['storage'], node)
        if p.get('pool'):
            params['pool'] = p['pool']
        tracker = ChangeTracker(self.check, before={})
        self._task(tracker.write(self.client.post, *guests.path(source, 'clone'), **params))
        guest = dict(vmid=vmid, type='qemu', node=node, name=p.get('name') or 'Copy-of-VM-{0}'.format(
            source.get('name')), status='stopped', pool=p.get('pool'))
        if self.check:
            updates = dict((k, wire_value(k, v)) for k, v in desired_simple(p).items() if v is not None)
            status = 'running' if p['state'] in ('started', 'restarted') else 'stopped'
            after = dict(vmid=vmid, name=guest['name'], node=node, status=status, template=p['state'] == 'template',
                         config=public_config(updates), pending={}, cloned_from=int(source['vmid']))
            return tracker.result(after=after, vm=after)
        # The clone exists: converge its config and power state like any VM, in the same result.
        result = self.converge(guest, tracker=tracker, skip_pool=True, configure=True)
        result['vm']['cloned_from'] = int(source['vmid'])
        return result

    # ------------------------------------------------------------ converge

    def converge(self, guest, tracker=None, skip_pool=False, configure=None):
        """Bring an existing VM to the params: place, config (unless update: false, or ``configure`` says
        otherwise: a new clone is always configured), pool, power state, template."""
        p = self.params
        state = p['state']
        configure = p['update'] if configure is None else configure
        current, pending, deletes = guests.read_pending(self.client, guest)
        effective = guests.effective_config(current, pending, deletes)
        if tracker is None:
            tracker = ChangeTracker(self.check, before=self.view(guest, (current, pending, deletes)))
        if codec.is_true(guest.get('template')) and state in ('started', 'stopped', 'restarted'):
            raise errors.InvalidArgumentError('VM {0} is a template: it cannot be started or stopped; '
                                              'use state present'.format(guest['vmid']), field='state')
        if state == 'template' and not codec.is_true(guest.get('template')) and guests.list_snapshots(
                self.client, guest):
            # qemu-server's template: "unable to create template, because VM contains snapshots"
            raise errors.InvalidArgumentError(
                'state: VM {0} has snapshots, and PVE makes no template of a VM with snapshots; delete them '
                'first'.format(guest['vmid']), field='state')
        status = guest.get('status')
        node = guest['node']
        # Where: a VM on another node than asked moves only when the user allows it.
        if p.get('node') and p['node'] != node:
            if not p['migrate']:
                raise errors.InvalidArgumentError(
                    'VM {0} ({1}) is on node {2}, not {3}: set migrate: true to migrate it'.format(
                        guest['vmid'], guest.get('name'), node, p['node']), field='node')
            self._task(tracker.write(guests.migrate, self.client, guest, p['node'], wait=False))
            node = p['node']
            if not self.check:
                guest = dict(guest, node=node)
        updates, to_delete, resizes = config_changes(effective, p) if configure else ({}, [], [])
        if updates or to_delete:
            params = dict(updates)
            if to_delete:
                params['delete'] = ','.join(to_delete)
            tracker.write(self.client.put, *guests.path(guest, 'config'), **params)
        for slot, size in resizes:
            self._task(tracker.write(self.client.put, *guests.path(guest, 'resize'), disk=slot, size=size))
        if configure and p.get('pool') and not skip_pool and guest.get('pool') != p['pool']:
            tracker.write(self.client.put, 'pools', poolid=p['pool'], vms=str(guest['vmid']), **{'allow-move': True})
        # What the config is now and what waits for a restart.
        if (updates or to_delete or resizes) and not self.check:
            current, pending, deletes = guests.read_pending(self.client, guest)
        elif updates or to_delete:
            # Check mode: predict as PVE decides: a running VM takes only the fast-plug keys at once.
            current, pending, deletes = dict(current), dict(pending), list(deletes)
            for key, value in updates.items():
                if status == 'running' and key not in HOT_KEYS:
                    pending[key] = value
                else:
                    current[key] = value
            for key in to_delete:
                if status == 'running' and key not in HOT_KEYS:
                    deletes.append(key)
                else:
                    current.pop(key, None)
        has_pending = bool(pending or deletes) and status == 'running'
        # Power.
        final = status
        restart = state == 'restarted' or (has_pending and p['restart_to_apply'])
        if state == 'started' and status != 'running':
            self._task(tracker.write(guests.power, self.client, guest, 'start', wait=False), final=True)
            final = 'running'
        elif state in ('stopped', 'template') and status != 'stopped':
            if p['force']:
                self._task(tracker.write(guests.power, self.client, guest, 'stop', wait=False), final=True)
            else:
                self._task(tracker.write(guests.power, self.client, guest, 'shutdown', timeout=self.timeout,
                                         wait=False), final=True)
            final = 'stopped'
        elif restart and state != 'stopped':
            if status == 'running' and not p['force']:
                self._task(tracker.write(guests.power, self.client, guest, 'reboot', timeout=self.timeout,
                                         wait=False), final=True)
            else:
                if status == 'running':
                    self._task(tracker.write(guests.power, self.client, guest, 'stop', wait=False))
                self._task(tracker.write(guests.power, self.client, guest, 'start', wait=False), final=True)
            final = 'running'
        if final != status or restart:
            # A start (or a stop: the next start) takes the pending changes.
            if final == 'running':
                current = guests.effective_config(current, pending, deletes)
                pending, deletes = {}, []
            has_pending = False
        is_template = codec.is_true(guest.get('template'))
        if state == 'template' and not is_template:
            # PVE makes a template with POST template (its disks become base images), never through config.
            self._task(tracker.write(self.client.post, *guests.path(dict(guest, node=node), 'template')), final=True)
            if self.check or not self.wait:
                current = dict(guests.effective_config(current, pending, deletes), template=1)
                pending, deletes = {}, []
            else:
                current, pending, deletes = guests.read_pending(self.client, dict(guest, node=node))
            has_pending, is_template = False, True
        if has_pending:
            self.pve.warn('VM {0} has pending changes that apply at its next restart ({1}); set restart_to_apply: '
                          'true to restart it now'.format(guest['vmid'], ', '.join(sorted(set(pending) | set(deletes)))))
        after_guest = dict(guest, node=node, status=final, template=int(is_template))
        if p.get('pool') and (configure or skip_pool):
            after_guest['pool'] = p['pool']
        vm = self.view(after_guest, (current, pending, deletes))
        return tracker.result(after=vm, vm=vm, pending=vm['pending'])

    # ---------------------------------------------------------------- view

    @staticmethod
    def view(guest, read):
        """The returned VM: vmid, name, node, status, pool, template, config, pending."""
        if guest is None:
            return {}
        current, pending, deletes = read if read is not None else ({}, {}, [])
        out = dict(vmid=int(guest['vmid']), name=current.get('name', guest.get('name')), node=guest['node'],
                   status=guest.get('status'), template=codec.is_true(current.get('template', guest.get('template'))))
        if guest.get('pool'):
            out['pool'] = guest['pool']
        if read is not None:
            out['config'] = public_config(current)
            out['pending'] = dict((k, v) for k, v in guests.pending_view(current, pending, deletes).items()
                                  if k not in SECRET_KEYS)
        return out
