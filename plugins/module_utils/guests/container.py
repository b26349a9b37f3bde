# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""LXC containers: the desired configuration from typed options, and what the one guest reconciler
(``reconciler.GuestReconciler``) needs to know of containers for pve.ops.container.

PVE answers container configuration as property strings (``name=eth0,bridge=vmbr0,hwaddr=BC:24:..,ip=dhcp``,
``local-lvm:vm-200-disk-0,size=8G``). Everything here compares parsed properties: values PVE generates
(MAC addresses, volume names, ``type=veth``) are ignored unless the user set them, sizes are compared in
bytes, booleans as 1/0 with PVE's defaults. Disks grow with PUT resize and never shrink.

A converged run costs three requests with a password (login, /cluster/resources, /pending), two with a
token. Finding guests and the actions VMs and containers share live beside this file (lookup, actions,
pending, reconciler).
"""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, propstring
from ansible_collections.pve.ops.plugins.module_utils.guests import checks
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import path
from ansible_collections.pve.ops.plugins.module_utils.guests.pending import read_pending
from ansible_collections.pve.ops.plugins.module_utils.guests.reconciler import (
    GUEST_STATES,
    GuestReconciler,
    Plan,
    shared,
    validate_common,
)
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

STATES = GUEST_STATES
FEATURES = ('force_rw_sys', 'fuse', 'keyctl', 'mknod', 'mount', 'nesting')
NET_STR = ('bridge', 'ip', 'gw', 'ip6', 'gw6', 'hwaddr', 'trunks')
NET_INT = ('tag', 'mtu')
NET_BOOL = ('firewall', 'link_down')
# Properties whose default (absent) means 0.
BOOL_DEFAULT_OFF = ('firewall', 'link_down', 'host-managed', 'acl', 'quota', 'replicate', 'ro', 'shared', 'backup')
MAX_NETS = 32
MAX_MOUNTS = 256
# What a running container takes at once (pve-container LXC/Config.pm: the fast-plug options, and what
# vmconfig_hotplug_pending applies: cpu and memory limits, network devices, new mount points). Every other
# change waits in the pending section for the next start. Used to predict pending changes in check mode.
HOTPLUG = ('description', 'onboot', 'startup', 'protection', 'hostname', 'hookscript', 'cores', 'tags',
           'cpulimit', 'cpuunits', 'memory', 'swap')
# Typed options and the config keys they own; `config` may not set these.
TYPED_KEYS = ('hostname', 'cores', 'cpulimit', 'cpuunits', 'memory', 'swap', 'onboot', 'startup', 'description',
              'tags', 'nameserver', 'searchdomain', 'ostype', 'features', 'unprivileged', 'rootfs')
# Not config keys: create parameters and secrets.
NOT_CONFIG = ('password', 'ssh-public-keys', 'ostemplate', 'storage', 'pool', 'vmid', 'node', 'start', 'digest',
              'delete', 'revert', 'lock', 'template', 'force', 'restore', 'unique')


# ----------------------------------------------------------------------------------------------- values

def disk_size(value, field):
    """A size option in bytes: a plain number is GiB (as PVE's STORAGE:SIZE), else 8G, 512M, 1.5T."""
    if value is None:
        return None
    try:
        return codec.gib(value)
    except ValueError as exc:
        raise errors.InvalidArgumentError('{0}: {1}'.format(field, exc), field=field) from None


def _props_equal(current, desired, ignore=()):
    """Parsed property dicts equal, with off-by-default flags absent == 0 and ``ignore``d keys skipped."""
    def norm(props):
        out = {}
        for key, value in props.items():
            if key in ignore or value is None:
                continue
            value = str(codec.wire(value))
            if key in BOOL_DEFAULT_OFF:
                value = codec.flag(value)
                if value == '0':
                    continue
            out[key] = value
        return out
    return norm(current) == norm(desired)


# ------------------------------------------------------------------------------------------ typed options

def features_props(value):
    """The features option (a dict, a list of enabled names, or a property string) as properties."""
    if value is None:
        return None
    if isinstance(value, str):
        value = propstring.parse(value)
    if isinstance(value, (list, tuple)):
        value = dict((str(name), True) for name in value)
    if not isinstance(value, dict):
        raise errors.InvalidArgumentError('features must be a dict (nesting: true) or a list of names',
                                          field='features')
    out = {}
    for key, flag in value.items():
        if key not in FEATURES:
            raise errors.InvalidArgumentError('features: unknown feature {0!r}; known: {1}'.format(
                key, ', '.join(FEATURES)), field='features')
        if key == 'mount':
            if isinstance(flag, (list, tuple)):
                flag = ';'.join(str(f) for f in flag)
            if flag in (None, False, ''):
                continue
            out[key] = str(flag)
        else:
            out[key] = codec.flag(codec.bool_option(flag, 'features.' + key))
    return out


def net_props(net):
    """One entry of ``nets`` as PVE's netN properties (without the generated hwaddr unless given)."""
    index = net['index']
    props = dict(name=net.get('name') or 'eth{0}'.format(index))
    for key in NET_STR:
        if net.get(key) not in (None, ''):
            props[key] = str(net[key])
    for key in NET_INT:
        if net.get(key) is not None:
            props[key] = str(int(net[key]))
    for key in NET_BOOL:
        if net.get(key) is not None:
            props[key] = codec.flag(net[key])
    if net.get('rate') is not None:
        props['rate'] = codec.wire_text(float(net['rate']))
    if 'hwaddr' in props:
        props['hwaddr'] = props['hwaddr'].upper()
    ip, ip6 = props.get('ip'), props.get('ip6')
    if ip and ip not in ('dhcp', 'manual') and '/' not in ip:
        raise errors.InvalidArgumentError('nets[{0}].ip must be dhcp, manual or an address with its prefix '
                                          '(192.0.2.10/24), not {1!r}'.format(index, ip), field='nets')
    if ip6 and ip6 not in ('dhcp', 'auto', 'manual') and '/' not in ip6:
        raise errors.InvalidArgumentError('nets[{0}].ip6 must be dhcp, auto, manual or an address with its prefix, '
                                          'not {1!r}'.format(index, ip6), field='nets')
    return props


def mount_options(options, field):
    out = {}
    for key, value in (options or {}).items():
        if key in ('volume', 'size', 'mp'):
            raise errors.InvalidArgumentError('{0}.options: give {1} as its own option'.format(field, key),
                                              field=field)
        out[key] = codec.flag(value) if isinstance(value, bool) else str(value)
    return out


def _content(storage):
    """The content types of a storage configuration (its comma-separated content)."""
    return [c.strip() for c in str(storage.get('content') or '').split(',') if c.strip()]


def _volume_storage(volume):
    return volume.split(':', 1)[0] if ':' in volume else None


def new_volume_value(spec, field, default_storage=None, rootfs=False):
    """The value that allocates a new volume: STORAGE:SIZE_GIB plus its properties (or an existing volume)."""
    props = mount_options(spec.get('options'), field)
    if not rootfs and spec.get('path'):
        props['mp'] = spec['path']
    if spec.get('volume'):
        head = spec['volume']
        if spec.get('size') is not None:
            props['size'] = codec.size_text(disk_size(spec['size'], field))
    else:
        storage = spec.get('storage') or default_storage
        size = disk_size(spec.get('size'), field)
        if not storage or size is None:
            raise errors.InvalidArgumentError('{0} needs storage and size to allocate a new volume (or an '
                                              'existing volume)'.format(field), field=field)
        head = '{0}:{1}'.format(storage, codec.gib_text(size, places=3))
    return propstring.format_props(dict(props, volume=head), default_key='volume', order=['mp'])


def plan_existing(params, config, vmid):
    """Compare the typed options and ``config`` with the container's effective config; returns a Plan.

    Raises InvalidArgumentError for what cannot be done: shrinking a disk, moving a volume to another
    storage, changing unprivileged.
    """
    plan = Plan()
    sets = plan.sets

    def scalar(key, want, same=None):
        if want is None:
            return
        have = config.get(key)
        if isinstance(want, str) and not want.strip():
            # An empty value means the key is not set: PVE's way to unset it is delete.
            if have not in (None, ''):
                plan.deletes.append(key)
            return
        equal = same(have, want) if same else (have is not None and str(have) == codec.wire_text(want))
        if not equal:
            sets[key] = codec.wire(want)

    if params.get('vmid') is not None and params.get('name'):
        scalar('hostname', params['name'])
    for key in ('cores', 'cpuunits', 'memory', 'swap'):
        scalar(key, params.get(key))
    scalar('cpulimit', params.get('cpulimit'),
           lambda have, want: float(have or 0) == float(want))
    scalar('onboot', params.get('onboot'), lambda have, want: codec.flag(have or 0) == codec.flag(want))
    scalar('description', params.get('description'),
           lambda have, want: (have or '').rstrip('\n') == want.rstrip('\n'))
    scalar('startup', params.get('startup'),
           lambda have, want: propstring.parse(have or '', 'order') == propstring.parse(want, 'order'))
    for key in ('nameserver', 'searchdomain'):
        scalar(key, params.get(key), lambda have, want: ' '.join(str(have or '').split()) == ' '.join(want.split()))
    scalar('ostype', params.get('ostype'))
    if params.get('tags') is not None:
        want = codec.tags(params['tags'])
        if codec.tags(config.get('tags')) != want:
            if want:
                sets['tags'] = codec.tag_text(params['tags'])
            else:
                plan.deletes.append('tags')  # no tags: delete the key (an empty value is no change for PVE)
    if params.get('unprivileged') is not None and codec.flag(config.get('unprivileged', 0)) != codec.flag(params['unprivileged']):
        raise errors.InvalidArgumentError(
            'container {0} is {1}: unprivileged cannot change after creation (PVE keeps it read-only)'.format(
                vmid, 'unprivileged' if codec.flag(config.get('unprivileged', 0)) == '1' else 'privileged'),
            field='unprivileged')
    want = features_props(params.get('features'))
    if want is not None:
        want = dict((k, v) for k, v in want.items() if v != '0')  # every feature is off by default
        have = dict((k, v) for k, v in features_props(config.get('features', '')).items() if v != '0')
        if have != want and want:
            sets['features'] = propstring.format_props(want)
        elif have != want:
            plan.deletes.append('features')
    for net in params.get('nets') or []:
        key = 'net{0}'.format(net['index'])
        want = net_props(net)
        have = propstring.parse(config.get(key, ''))
        ignore = ('type',) if 'hwaddr' in want else ('type', 'hwaddr')
        if not have or not _props_equal(have, want, ignore=ignore):
            value = dict(want)
            if 'hwaddr' not in value and have.get('hwaddr'):
                value['hwaddr'] = have['hwaddr']  # keep the MAC PVE generated
            value['type'] = 'veth'
            sets[key] = propstring.format_props(value, order=['name'])
    if params.get('rootfs'):
        _plan_volume(plan, 'rootfs', params['rootfs'], config, rootfs=True)
    for mount in params.get('mounts') or []:
        _plan_volume(plan, 'mp{0}'.format(mount['index']), mount, config,
                     default_storage=params.get('storage'))
    for key, value in sorted((params.get('config') or {}).items()):
        have = config.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if have not in (None, ''):
                plan.deletes.append(key)  # null or empty: the key is not set
            continue
        want = codec.wire_text(value)
        if have is None or (str(have) != want and propstring.parse(str(have)) != propstring.parse(want)):
            sets[key] = codec.wire(value)
    return plan


def _plan_volume(plan, key, spec, config, rootfs=False, default_storage=None):
    field = key if rootfs else 'mounts'
    current = config.get(key)
    if current is None:
        if rootfs:
            raise errors.InvalidArgumentError('the container has no rootfs', field='rootfs')
        plan.sets[key] = new_volume_value(spec, 'mounts[{0}]'.format(spec['index']), default_storage)
        return
    have = propstring.parse(current, 'volume')
    volume = have.get('volume', '')
    if spec.get('volume') and spec['volume'] != volume:
        raise errors.InvalidArgumentError('{0} is volume {1}, not {2}: this module does not swap volumes'.format(
            key, volume, spec['volume']), field=field)
    storage = _volume_storage(volume)
    if spec.get('storage') and storage and spec['storage'] != storage:
        raise errors.InvalidArgumentError(
            '{0} is on storage {1}, not {2}: this module does not move volumes (use move_volume)'.format(
                key, storage, spec['storage']), field=field)
    props = dict(have)
    size = disk_size(spec.get('size'), field)
    if size is not None:
        have_size = disk_size(have.get('size'), field) if have.get('size') else None
        if have_size is not None and size < have_size:
            raise errors.InvalidArgumentError(
                '{0} is {1}; it cannot shrink to {2}: PVE only grows disks'.format(
                    key, codec.size_text(have_size), codec.size_text(size)), field=field)
        if have_size is None or size > have_size:
            plan.resizes.append((key, codec.size_text(size)))
            props['size'] = codec.size_text(size)
    want = mount_options(spec.get('options'), field)
    if not rootfs and spec.get('path'):
        want['mp'] = spec['path']
    if not _props_equal(have, dict(have, **want)):
        # (A resize task writes the new size itself; a changed option writes the value with it.)
        props.update(want)
        plan.sets[key] = propstring.format_props(props, default_key='volume', order=['mp'])


def create_params(params, vmid, ostemplate=None):
    """The parameters of POST /nodes/{node}/lxc (or, without ostemplate, of the config after a clone)."""
    out = {}
    if params.get('name'):
        out['hostname'] = params['name']
    for key in ('cores', 'cpulimit', 'cpuunits', 'memory', 'swap', 'onboot', 'startup', 'description',
                'nameserver', 'searchdomain', 'ostype', 'unprivileged'):
        if params.get(key) is not None:
            out[key] = codec.wire(params[key])
    if codec.tags(params.get('tags')):
        out['tags'] = codec.tag_text(params['tags'])
    out = dict((k, v) for k, v in out.items() if not (isinstance(v, str) and not v.strip()))
    features = features_props(params.get('features'))
    if features:
        out['features'] = propstring.format_props(dict((k, v) for k, v in features.items() if v != '0'))
    for net in params.get('nets') or []:
        out['net{0}'.format(net['index'])] = propstring.format_props(dict(net_props(net), type='veth'),
                                                                     order=['name'])
    storage = params.get('storage')
    if params.get('rootfs'):
        out['rootfs'] = new_volume_value(params['rootfs'], 'rootfs', storage, rootfs=True)
    for mount in params.get('mounts') or []:
        if not mount.get('path') and not mount.get('volume', '').startswith('/'):
            raise errors.InvalidArgumentError('mounts[{0}] needs a path (where it is mounted in the container)'.format(
                mount['index']), field='mounts')
        out['mp{0}'.format(mount['index'])] = new_volume_value(mount, 'mounts[{0}]'.format(mount['index']), storage)
    for key, value in (params.get('config') or {}).items():
        if value is not None and not (isinstance(value, str) and not value.strip()):
            out[key] = codec.wire(value)
    if ostemplate:
        out['ostemplate'] = ostemplate
        out['vmid'] = vmid
        if storage:
            out['storage'] = storage
        if params.get('pool'):
            out['pool'] = params['pool']
        if params.get('password'):
            out['password'] = params['password']
        if params.get('ssh_public_keys'):
            out['ssh-public-keys'] = params['ssh_public_keys']
    return out


def validate(params):
    """Check the options that need no API request (identity: ``validate_common``, and every value nested in
    the options); InvalidArgumentError before any write."""
    if not validate_common(params):
        return
    seen = set()
    for net in params.get('nets') or []:
        if not 0 <= net['index'] < MAX_NETS:
            raise errors.InvalidArgumentError('nets: index {0} is out of range 0..{1}'.format(
                net['index'], MAX_NETS - 1), field='nets')
        if net['index'] in seen:
            raise errors.InvalidArgumentError('nets: index {0} is given twice'.format(net['index']), field='nets')
        seen.add(net['index'])
        where = 'nets[{0}]'.format(net['index'])
        for key in ('name',) + NET_STR:
            if net.get(key) is not None:
                checks.prop_value(net[key], 'nets', '{0}.{1}'.format(where, key))
        checks.pattern(net.get('name'), checks.IFACE, 'an interface name (letters, digits, -, _ and .)', 'nets',
                       where + '.name')
        checks.bridge(net.get('bridge'), 'nets', where + '.bridge')
        checks.vlan(net.get('tag'), 'nets', where + '.tag')
        checks.int_range(net.get('mtu'), 64, 65535, 'nets', where + '.mtu')
        checks.non_negative(net.get('rate'), 'nets', where + '.rate')
        checks.mac(net.get('hwaddr'), 'nets', where + '.hwaddr')
        if net.get('trunks') is not None:
            checks.pattern(net['trunks'], re.compile(r'^\d+(;\d+)*$'), 'VLAN ids separated by ;', 'nets',
                           where + '.trunks')
        checks.ip_settings(net, 'nets', where, ('dhcp', 'manual'), ('dhcp', 'auto', 'manual'))
        net_props(net)
    seen = set()
    for mount in params.get('mounts') or []:
        if not 0 <= mount['index'] < MAX_MOUNTS:
            raise errors.InvalidArgumentError('mounts: index {0} is out of range 0..{1}'.format(
                mount['index'], MAX_MOUNTS - 1), field='mounts')
        if mount['index'] in seen:
            raise errors.InvalidArgumentError('mounts: index {0} is given twice'.format(mount['index']),
                                              field='mounts')
        seen.add(mount['index'])
        where = 'mounts[{0}]'.format(mount['index'])
        _check_volume(mount, 'mounts', where)
        if mount.get('path') is not None:
            checks.prop_value(mount['path'], 'mounts', where + '.path')
            if not str(mount['path']).startswith('/'):
                raise errors.InvalidArgumentError('{0}.path: {1!r} is not an absolute path in the container'.format(
                    where, mount['path']), field='mounts')
    if params.get('rootfs'):
        _check_volume(params['rootfs'], 'rootfs', 'rootfs')
    features_props(params.get('features'))
    for key, value in (params.get('config') or {}).items():
        if key in TYPED_KEYS or re.match(r'^(net|mp)\d+$', key):
            raise errors.InvalidArgumentError('config.{0}: use the typed option for {0}'.format(key), field='config')
        if key in NOT_CONFIG or key.startswith('unused'):
            raise errors.InvalidArgumentError('config.{0} is not a container config key this module sets{1}'.format(
                key, '; use state: template' if key == 'template' else ''), field='config')
        checks.scalar(value, 'config', 'config.{0}'.format(key))


def _check_volume(spec, field, where):
    """rootfs or a mount point: size, storage, volume and mount properties."""
    checks.size(spec.get('size'), field, where + '.size', plain_gib=True)
    checks.storage_id(spec.get('storage'), field, where + '.storage')
    if spec.get('volume') is not None:
        checks.prop_value(spec['volume'], field, where + '.volume')
    options = spec.get('options') or {}
    checks.prop_options(options, field, where + '.options')
    if options.get('mountoptions') is not None:
        checks.mount_options(options['mountoptions'], field, where + '.options.mountoptions')
    mount_options(options, field)


# -------------------------------------------------------------------------------------------------- views

def _view(guest, config=None, pending=None):
    """The returned container: identity, place, state, and its config (no digest, no secrets)."""
    config = dict(config or {})
    config.pop('digest', None)
    out = dict(vmid=int(guest['vmid']), name=guest.get('name'), hostname=config.get('hostname', guest.get('name')),
               node=guest.get('node'), status=guest.get('status'),
               template=codec.is_true(config.get('template', guest.get('template'))),
               pool=guest.get('pool'), tags=codec.tags(config.get('tags', guest.get('tags'))), config=config)
    if pending is not None:
        out['pending'] = pending
    return out


def _diff_view(guest, config):
    return dict(vmid=int(guest['vmid']), name=guest.get('name'), node=guest.get('node'), status=guest.get('status'),
                pool=guest.get('pool'), config=dict((k, v) for k, v in (config or {}).items() if k != 'digest'))


# ---------------------------------------------------------------------------------------------- reconcile

class ContainerReconciler(GuestReconciler):
    """One run of pve.ops.container (see reconciler.GuestReconciler): its config plan, creation from an OS
    template and cloning, what a running container hot-plugs, and the container's view."""

    TYPE = 'lxc'
    NOUN = 'container'

    def validate(self):
        validate(self.params)

    def creation_missing(self, what):
        p = self.params
        if not p.get('ostemplate') and not p.get('clone'):
            return errors.NotFoundError('no container with {0}: give ostemplate or clone to create it'.format(what))
        if not p.get('node') and not p.get('clone'):
            return errors.InvalidArgumentError('node is required to create a container', field='node')
        return None

    def settings_given(self):
        p = self.params
        return any(p.get(k) not in (None, [], {}) for k in TYPED_KEYS + ('nets', 'mounts', 'config', 'pool')
                   if k != 'hostname')

    def plan(self, config, guest):
        return plan_existing(self.params, config, guest['vmid'])

    def hot(self, key, current, delete):
        # The fast-plug options; set, also network devices and new mount points.
        if delete:
            return key in HOTPLUG
        return key in HOTPLUG or key.startswith('net') or (key.startswith('mp') and key not in current)

    @staticmethod
    def predict_after(effective, plan):
        after = GuestReconciler.predict_after(effective, plan)
        for disk, size in plan.resizes:
            if disk not in plan.sets:
                props = propstring.parse(after[disk], 'volume')
                props['size'] = size
                after[disk] = propstring.format_props(props, default_key='volume', order=['mp'])
        return after

    def result(self, tracker, guest, config, after):
        p = self.params
        if p.get('name') and p.get('vmid') is not None:
            guest['name'] = after.get('hostname', guest.get('name'))
        return tracker.result(after=_diff_view(guest, after), container=_view(guest, after, pending=config.view()))

    def diff_view(self, guest, config, after=None):
        return _diff_view(guest, after if after is not None else config.current)

    def view(self, guest, config, after=None):
        return _view(guest, after if after is not None else config.current, pending=config.view())

    def gone_view(self, guest, config):
        return _view(guest, config.current)

    # ------------------------------------------------------------------------------------ create

    def create(self, everything):
        p = self.params
        client = self.client
        source = self.clone_source(everything) if p.get('clone') else None
        node = p.get('node') or source['node']
        vmid = self.new_vmid()
        new = dict(vmid=vmid, name=p.get('name') or 'CT{0}'.format(vmid), node=node, type='lxc',
                   status='stopped', pool=p.get('pool'), template=0)
        if source is None:
            if p.get('mounts') and not p.get('rootfs'):
                # pve-container's create: "mount points configured, but 'rootfs' not set - aborting"
                raise errors.InvalidArgumentError('rootfs: a new container with mounts needs it (PVE refuses mount points '
                                                  'without a root disk on create)', field='rootfs')
            self._check_new_volumes()
        else:
            self._check_clone(source, node)
        tracker = ChangeTracker(self.check, before={})
        tasks = self.tasks
        start = self.starts
        if source is None:
            params = create_params(p, vmid, p['ostemplate'])
            # PVE sets the OS type it detects in the template (pve-container's Setup plugin), whatever ostype
            # says: the module sets the asked one after creation, then starts.
            fix_ostype = p.get('ostype') is not None
            if start and not fix_ostype:
                params['start'] = True
            tasks.run(tracker, client.post, 'nodes', node, 'lxc', **params)
            after_config = dict((k, v) for k, v in params.items()
                                if k not in ('password', 'ssh-public-keys', 'ostemplate', 'storage', 'vmid', 'pool',
                                             'start'))
            if fix_ostype and not self.check:
                tasks.settle()
                detected = (client.get(*path(new, 'config')) or {}).get('ostype')
                if detected != p['ostype']:
                    self.pve.warn('PVE detected OS type {0!r} in the template; ostype {1!r} is set as asked'.format(
                        detected, p['ostype']))
                    tasks.run(tracker, client.put, *path(new, 'config'), ostype=p['ostype'])
            if fix_ostype and start:
                self.power_action(tracker, new, 'start')
        else:
            clone = dict(newid=vmid)
            if p.get('name'):
                clone['hostname'] = p['name']
            if node != source['node']:
                clone['target'] = node
            for key in ('full', 'storage', 'pool', 'description'):
                if p.get(key) is not None:
                    clone[key] = p[key]
            tasks.run(tracker, client.post, *path(source, 'clone'), **clone)
            after_config = {}
            if not self.check:
                tasks.settle()
                config, _pending, _deletes = read_pending(client, new)
                plan = plan_existing(dict(p, vmid=None), config, vmid)
                self.apply_plan(tracker, new, plan)
                after_config = dict(config, **plan.sets)
            if start:
                self.power_action(tracker, new, 'start')
        if start:
            new['status'] = 'running'
        if p['state'] == 'template':
            self.make_template(tracker, new)
            after_config['template'] = 1
        tasks.finish()
        if self.check:
            return tracker.result(after=_diff_view(new, after_config), container=_view(new, after_config))
        config = dict(client.get(*path(new, 'config')) or {})
        new['name'] = config.get('hostname', new['name'])
        return tracker.result(after=_diff_view(new, config), container=_view(new, config, pending={}))

    def _check_new_volumes(self):
        """Before any write: the storage of each new volume takes container volumes (PVE's rootdir content).
        Without rootfs and storage, PVE allocates the root disk on its default storage 'local'."""
        p = self.params
        wanted = []
        rootfs = p.get('rootfs') or {}
        if not rootfs.get('volume'):
            field = 'rootfs' if rootfs.get('storage') else 'storage'
            wanted.append((field, rootfs.get('storage') or p.get('storage') or 'local'))
        for mount in p.get('mounts') or []:
            if not mount.get('volume') and (mount.get('storage') or p.get('storage')):
                wanted.append(('mounts', mount.get('storage') or p.get('storage')))
        storages = self.storages() if wanted else None
        if storages is None:
            return
        for field, sid in wanted:
            conf = storages.get(sid)
            if conf is None or 'rootdir' in _content(conf):
                continue
            fit = sorted(k for k, v in storages.items() if 'rootdir' in _content(v))
            raise errors.InvalidArgumentError(
                "{0}: storage {1!r}{2} does not take container volumes (its content: {3}); give {4} a storage "
                "with rootdir content{5}".format(
                    field, sid, " (PVE's default without rootfs and storage)" if field == 'storage' and
                    not p.get('storage') else '', conf.get('content') or 'none',
                    'rootfs.storage or storage' if field == 'storage' else field,
                    ': ' + ', '.join(fit) if fit else ''), field=field)

    def _check_clone(self, source, node):
        """Before any write, what pve-container's clone_vm refuses: a linked clone of a container that is no
        template, storage for a linked clone, a full clone of a running container (PVE needs a snapshot),
        another node with volumes on storage that is not shared, and unprivileged differing from the
        source's (a clone keeps it, and it cannot change)."""
        p = self.params
        full = self.clone_is_full(source)
        ref = 'container {0}'.format(source['vmid'])
        if not full and p.get('storage'):
            raise errors.InvalidArgumentError(
                'storage: PVE takes no storage for a linked clone (its volumes stay on the storage of template {0}); '
                'set full=true to copy them to {1!r}'.format(source['vmid'], p['storage']), field='storage')
        if full and source.get('status') == 'running':
            raise errors.InvalidArgumentError(
                'clone: {0} is running, and PVE makes a full clone of a running container only from a snapshot; '
                'stop it first'.format(ref), field='clone')
        config = self.client.get(*path(source, 'config')) or {}
        if p.get('unprivileged') is not None and codec.flag(config.get('unprivileged', 0)) != codec.flag(p['unprivileged']):
            raise errors.InvalidArgumentError(
                'unprivileged: a clone is as unprivileged as its source, and {0} is {1} (PVE cannot change it after '
                'creation)'.format(ref, 'unprivileged' if codec.flag(config.get('unprivileged', 0)) == '1'
                                   else 'privileged'), field='unprivileged')
        # What the module then converges on the clone (a copy of the source's config, its volumes on storage
        # for a full clone there): anything it would refuse, it refuses now, before the clone is made.
        probe = dict(config)
        for key in probe:
            if p.get('storage') and (key == 'rootfs' or re.match(r'mp\d+$', key)) and ':' in str(probe[key]):
                probe[key] = '{0}:{1}'.format(p['storage'], str(probe[key]).split(':', 1)[1])
        plan_existing(dict(p, vmid=None), probe, p.get('vmid') if p.get('vmid') is not None else source['vmid'])
        if node == source['node']:
            return
        if p.get('storage'):
            self.check_shared_target(p['storage'], node)
            return
        storages = self.storages()
        if storages is None:
            return
        local = sorted(set(
            _volume_storage(propstring.parse(config[key], 'volume').get('volume', ''))
            for key in config if key == 'rootfs' or re.match(r'mp\d+$', key)) - {None})
        local = [sid for sid in local if sid in storages and not shared(storages[sid])]
        if local:
            raise errors.InvalidArgumentError(
                "node: PVE clones {0} to another node ({1}) only when its volumes are on shared storage, and {2} "
                "is not shared; clone on {3} and migrate, or give storage a shared storage".format(
                    ref, node, ', '.join(repr(sid) for sid in local), source['node']), field='node')


def ensure_container(pve):
    """pve.ops.container: the result dict."""
    return ContainerReconciler(pve).run()
