# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""LXC containers: the desired configuration from typed options, and the reconcile of pve.ops.container.

PVE answers container configuration as property strings (``name=eth0,bridge=vmbr0,hwaddr=BC:24:..,ip=dhcp``,
``local-lvm:vm-200-disk-0,size=8G``). Everything here compares parsed properties: values PVE generates
(MAC addresses, volume names, ``type=veth``) are ignored unless the user set them, sizes are compared in
bytes, booleans as 1/0 with PVE's defaults. Disks grow with PUT resize and never shrink.

A converged run costs three requests with a password (login, /cluster/resources, /pending), two with a
token. Finding and generic guest actions come from ``guests``.
"""

from __future__ import annotations

import copy
import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, propstring
from ansible_collections.pve.ops.plugins.module_utils.guests import checks
from ansible_collections.pve.ops.plugins.module_utils.guests import common as guests
from ansible_collections.pve.ops.plugins.module_utils.tasks import parse_upid
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

STATES = guests.GUEST_STATES
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
            out[key] = codec.flag(flag)
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


# pve-storage's @SHARED_STORAGE: types that are shared whatever their configuration says.
SHARED_TYPES = ('iscsi', 'nfs', 'cifs', 'rbd', 'cephfs', 'iscsidirect', 'glusterfs', 'zfs', 'drbd', 'pbs')


def _shared(storage):
    """Whether a storage configuration is shared (its flag, or its type)."""
    return codec.is_true(storage.get('shared', 0)) or storage.get('type') in SHARED_TYPES


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


class Plan:
    """The changes that bring an existing container's config to the desired one."""

    def __init__(self):
        self.sets = {}
        self.deletes = []
        self.resizes = []  # (disk, size text)

    def __bool__(self):
        return bool(self.sets or self.deletes or self.resizes)


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
                sets['tags'] = ';'.join(want)
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
    """Check the options that need no API request (identity, and every value nested in the options);
    InvalidArgumentError before any write."""
    if params.get('vmid') is None and not params.get('name'):
        raise errors.InvalidArgumentError('give vmid or name', field='vmid')
    guests.check_vmid(params.get('vmid'))
    if params.get('clone') is not None and str(params['clone']).isdigit():
        guests.check_vmid(int(params['clone']), field='clone')
    checks.dns_name(params.get('name'), 'name')
    if params.get('timeout') is not None and params['timeout'] < 0:
        raise errors.InvalidArgumentError('timeout must be 0 or more seconds', field='timeout')
    if params.get('state') == 'absent':
        return
    checks.tags(params.get('tags'))
    checks.storage_id(params.get('storage'), 'storage', 'storage')
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

def view(guest, config=None, pending=None):
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


def diff_view(guest, config):
    return dict(vmid=int(guest['vmid']), name=guest.get('name'), node=guest.get('node'), status=guest.get('status'),
                pool=guest.get('pool'), config=dict((k, v) for k, v in (config or {}).items() if k != 'digest'))


# ---------------------------------------------------------------------------------------------- reconcile

class _Tasks:
    """Starts tasks through the tracker; waits for each before the next starts, and for the last one only
    when ``wait`` is true."""

    def __init__(self, client, tracker, wait, timeout):
        self.client = client
        self.tracker = tracker
        self.wait = wait
        self.timeout = timeout
        self.last = None

    def settle(self):
        if self.last:
            upid, self.last = self.last, None
            # A shutdown may take the whole timeout before PVE ends its task: allow a margin.
            self.client.wait(upid, timeout=self.timeout + 30)

    def run(self, call, *args, **kwargs):
        """A write that may return a UPID (None in check mode)."""
        self.settle()
        result = self.tracker.write(call, *args, **kwargs)
        if isinstance(result, str) and result.startswith('UPID:'):
            self.last = result
        return result

    def finish(self):
        if self.wait:
            self.settle()


class ContainerReconciler:
    def __init__(self, pve):
        self.pve = pve
        self.client = pve.client
        self.params = pve.params
        self.check = pve.check_mode
        self.timeout = self.params['timeout']

    # -------------------------------------------------------------------------------------- entry

    def run(self):
        p = self.params
        validate(p)
        everything = guests.list_guests(self.client)
        ct = guests.locate(self.client, vmid=p.get('vmid'), name=None if p.get('vmid') is not None else p['name'],
                           guest_type='lxc', guests=everything, authid=guests.caller(p))
        if ct is not None and p.get('vmid') is not None and (p['state'] != 'present' or not p['update']):
            # In a power state, on deletion and with update: false, name identifies; it never renames.
            guests.check_name(ct, p.get('name'))
        try:
            if p['state'] == 'absent':
                return self.absent(ct)
            if ct is None:
                missing = self.cannot_create()
                if missing is None:
                    return self.create(everything)
                if self.check:
                    return self.assumed(missing)
                raise missing
            return self.existing(ct)
        except errors.TaskFailedError as err:
            raise _hint(err) from None

    def cannot_create(self):
        """Why this run may not create the container it did not find (an error to raise), or None."""
        p = self.params
        what = 'vmid {0}'.format(p['vmid']) if p.get('vmid') is not None else 'name {0!r}'.format(p['name'])
        if not p['create']:
            return errors.NotFoundError('no container with {0} in the cluster (create: false: it is not '
                                        'created)'.format(what))
        if not p.get('ostemplate') and not p.get('clone'):
            return errors.NotFoundError('no container with {0}: give ostemplate or clone to create it'.format(what))
        if not p.get('node') and not p.get('clone'):
            return errors.InvalidArgumentError('node is required to create a container', field='node')
        return None

    def assumed(self, missing):
        """Check mode, a container that does not exist and that this task does not create: what the task
        would do to the one an earlier task of the play creates (check mode created none), with a warning."""
        p = self.params
        self.pve.warn('{0}; in check mode this task assumes an earlier task creates it, and reports what it '
                      'would do then'.format(missing))
        status = {'started': 'running', 'restarted': 'running', 'stopped': 'stopped'}.get(p['state'])
        after = dict((k, v) for k, v in dict(vmid=p.get('vmid'), name=p.get('name'), status=status,
                                             template=p['state'] == 'template').items() if v is not None)
        settings = p['update'] and any(p.get(k) not in (None, [], {}) for k in TYPED_KEYS + (
            'nets', 'mounts', 'config', 'pool') if k != 'hostname')
        tracker = ChangeTracker(True, before={})
        if p['state'] in ('started', 'restarted', 'template') or settings:
            tracker.mark()
        return tracker.result(after=after, container=after)

    # ------------------------------------------------------------------------------------ absent

    def absent(self, ct):
        if ct is None:
            return ChangeTracker(self.check).result(after={}, container=None)
        config, _pending, _deletes = guests.read_pending(self.client, ct)
        tracker = ChangeTracker(self.check, before=diff_view(ct, config))
        tasks = _Tasks(self.client, tracker, self.params['wait'], self.timeout)
        if ct.get('status') == 'running':
            if not self.params['force']:
                raise errors.InvalidArgumentError(
                    'container {0} ({1}) is running on {2}: stop it first or set force: true to stop and delete it'
                    .format(ct['vmid'], ct.get('name'), ct['node']), field='force')
            tasks.run(guests.power, self.client, ct, 'stop', wait=False)
        tasks.run(guests.delete, self.client, ct, purge=self.params['purge'], wait=False)
        tasks.finish()
        return tracker.result(after={}, container=view(ct, config))

    # ------------------------------------------------------------------------------------ create

    def create(self, everything):
        p = self.params
        client = self.client
        source = None
        if p.get('clone'):
            ref = str(p['clone'])
            source = guests.locate(client, vmid=int(ref) if ref.isdigit() else None,
                                   name=None if ref.isdigit() else ref, guest_type='lxc', guests=everything,
                                   authid=guests.caller(p))
            if source is None:
                raise errors.NotFoundError('clone: no container {0!r} to clone from'.format(ref))
        node = p.get('node') or source['node']
        vmid = p.get('vmid') if p.get('vmid') is not None else guests.next_vmid(client)
        new = dict(vmid=vmid, name=p.get('name') or 'CT{0}'.format(vmid), node=node, type='lxc',
                   status='stopped', pool=p.get('pool'), template=0)
        if source is None:
            self._check_new_volumes()
        else:
            self._check_clone(source, node)
        tracker = ChangeTracker(self.check, before={})
        tasks = _Tasks(client, tracker, p['wait'], self.timeout)
        start = p['state'] in ('started', 'restarted')
        if source is None:
            params = create_params(p, vmid, p['ostemplate'])
            # PVE sets the OS type it detects in the template (pve-container's Setup plugin), whatever ostype
            # says: the module sets the asked one after creation, then starts.
            fix_ostype = p.get('ostype') is not None
            if start and not fix_ostype:
                params['start'] = True
            tasks.run(client.post, 'nodes', node, 'lxc', **params)
            after_config = dict((k, v) for k, v in params.items()
                                if k not in ('password', 'ssh-public-keys', 'ostemplate', 'storage', 'vmid', 'pool',
                                             'start'))
            if fix_ostype and not self.check:
                tasks.settle()
                detected = (client.get(*guests.path(new, 'config')) or {}).get('ostype')
                if detected != p['ostype']:
                    self.pve.warn('PVE detected OS type {0!r} in the template; ostype {1!r} is set as asked'.format(
                        detected, p['ostype']))
                    tasks.run(client.put, *guests.path(new, 'config'), ostype=p['ostype'])
            if fix_ostype and start:
                tasks.run(guests.power, client, new, 'start', wait=False)
        else:
            clone = dict(newid=vmid)
            if p.get('name'):
                clone['hostname'] = p['name']
            if node != source['node']:
                clone['target'] = node
            for key in ('full', 'storage', 'pool', 'description'):
                if p.get(key) is not None:
                    clone[key] = p[key]
            tasks.run(client.post, *guests.path(source, 'clone'), **clone)
            after_config = {}
            if not self.check:
                tasks.settle()
                config, _pending, _deletes = guests.read_pending(client, new)
                plan = plan_existing(dict(p, vmid=None), config, vmid)
                self._apply_plan(tasks, new, plan)
                after_config = dict(config, **plan.sets)
            if start:
                tasks.run(guests.power, client, new, 'start', wait=False)
        if start:
            new['status'] = 'running'
        if p['state'] == 'template':
            tasks.run(client.post, *guests.path(new, 'template'))
            new['template'] = 1
            after_config['template'] = 1
        tasks.finish()
        if self.check:
            return tracker.result(after=diff_view(new, after_config), container=view(new, after_config))
        config = dict(client.get(*guests.path(new, 'config')) or {})
        new['name'] = config.get('hostname', new['name'])
        return tracker.result(after=diff_view(new, config), container=view(new, config, pending={}))

    def _storages(self):
        """The storage configurations by id (GET /storage), or None when the caller may not read them (PVE
        then decides, as it would)."""
        try:
            return dict((s['storage'], s) for s in self.client.get('storage') or [])
        except errors.PermissionDeniedError:
            return None

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
        storages = self._storages() if wanted else None
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
        template = codec.is_true(source.get('template'))
        full = p['full'] if p.get('full') is not None else not template
        ref = 'container {0}'.format(source['vmid'])
        if not full and not template:
            raise errors.InvalidArgumentError(
                'full: a linked clone (full=false) needs a template; {0} is not one (make it a template, or leave '
                'full out or set full=true for a full clone)'.format(ref), field='full')
        if not full and p.get('storage'):
            raise errors.InvalidArgumentError(
                'storage: PVE takes no storage for a linked clone (its volumes stay on the storage of template {0}); '
                'set full=true to copy them to {1!r}'.format(source['vmid'], p['storage']), field='storage')
        if full and source.get('status') == 'running':
            raise errors.InvalidArgumentError(
                'clone: {0} is running, and PVE makes a full clone of a running container only from a snapshot; '
                'stop it first'.format(ref), field='clone')
        config = self.client.get(*guests.path(source, 'config')) or {}
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
        storages = self._storages()
        if storages is None:
            return
        if p.get('storage'):
            if p['storage'] in storages and not _shared(storages[p['storage']]):
                raise errors.InvalidArgumentError(
                    "storage: PVE clones to another node ({0}) only onto shared storage, and {1!r} is not "
                    "shared".format(node, p['storage']), field='storage')
            return
        local = sorted(set(
            _volume_storage(propstring.parse(config[key], 'volume').get('volume', ''))
            for key in config if key == 'rootfs' or re.match(r'mp\d+$', key)) - {None})
        local = [sid for sid in local if sid in storages and not _shared(storages[sid])]
        if local:
            raise errors.InvalidArgumentError(
                "node: PVE clones {0} to another node ({1}) only when its volumes are on shared storage, and {2} "
                "is not shared; clone on {3} and migrate, or give storage a shared storage".format(
                    ref, node, ', '.join(repr(sid) for sid in local), source['node']), field='node')

    # ---------------------------------------------------------------------------------- existing

    def existing(self, ct):
        p = self.params
        client = self.client
        ct = dict(ct)
        current, pending, deletes = guests.read_pending(client, ct)
        config = guests.effective_config(current, pending, deletes)
        tracker = ChangeTracker(self.check, before=diff_view(ct, config))
        tasks = _Tasks(client, tracker, p['wait'], self.timeout)
        if codec.is_true(ct.get('template')) and p['state'] in ('started', 'stopped', 'restarted'):
            raise errors.InvalidArgumentError('container {0} is a template: it cannot be started or stopped; use '
                                              'state present'.format(ct['vmid']), field='state')
        if p['state'] == 'template' and not codec.is_true(ct.get('template')) and guests.list_snapshots(client, ct):
            # pve-container's template: "unable to create template, because CT contains snapshots"
            raise errors.InvalidArgumentError(
                'state: container {0} has snapshots, and PVE makes no template of a container with snapshots; '
                'delete them first'.format(ct['vmid']), field='state')
        plan = plan_existing(p, config, ct['vmid']) if p['update'] else Plan()
        after = dict(config)
        after.update(plan.sets)
        for key in plan.deletes:
            after.pop(key, None)
        for disk, size in plan.resizes:
            if disk not in plan.sets:
                props = propstring.parse(after[disk], 'volume')
                props['size'] = size
                after[disk] = propstring.format_props(props, default_key='volume', order=['mp'])
        # Where: migrate first.
        target = p.get('node')
        if target and target != ct['node']:
            if not p['migrate']:
                raise errors.InvalidArgumentError(
                    'container {0} ({1}) is on node {2}, not {3}: set migrate: true to move it there'.format(
                        ct['vmid'], ct.get('name'), ct['node'], target), field='node')
            tasks.run(guests.migrate, client, ct, target, wait=False)
            ct['node'] = target
        running = ct.get('status') == 'running'
        # Stop before changing the config, so that the changes apply at once.
        if p['state'] in ('stopped', 'template') and running:
            tasks.run(guests.power, client, ct, 'stop' if p['force'] else 'shutdown', timeout=self.timeout,
                      wait=False)
            ct['status'] = 'stopped'
            running = False
        if plan:
            self._apply_plan(tasks, ct, plan)
        if p['update'] and p.get('pool') and p['pool'] != ct.get('pool'):
            tasks.run(client.put, 'pools', poolid=p['pool'], vms=str(ct['vmid']), **{'allow-move': True})
            ct['pool'] = p['pool']
        if p['state'] == 'template' and not codec.is_true(ct.get('template')):
            # PVE makes a template with POST template (its volumes become base volumes), never through config.
            tasks.run(client.post, *guests.path(ct, 'template'))
            ct['template'] = 1
            after['template'] = 1
        # Pending changes: those there were, and those the plan leaves for a running container.
        now_pending = dict(guests.pending_view(current, pending, deletes))
        if running and (plan.sets or plan.deletes):
            if self.check:
                for key in plan.sets:
                    # Hot-plugged: the fast-plug options, network devices and new mount points.
                    hot = key in HOTPLUG or key.startswith('net') or (key.startswith('mp') and key not in current)
                    if not hot:
                        now_pending[key] = dict(current=current.get(key), pending=plan.sets[key])
                for key in plan.deletes:
                    if key not in HOTPLUG:
                        now_pending[key] = dict(current=current.get(key), delete=True)
            else:
                tasks.settle()
                cur2, pend2, del2 = guests.read_pending(client, ct)
                now_pending = guests.pending_view(cur2, pend2, del2)
        if p['state'] == 'started' and not running:
            tasks.run(guests.power, client, ct, 'start', wait=False)
            ct['status'] = 'running'
            now_pending = {}
        elif p['state'] == 'restarted' or (running and now_pending and p['restart_to_apply']):
            if running and not p['force']:
                tasks.run(guests.power, client, ct, 'reboot', timeout=self.timeout, wait=False)
            else:
                if running:
                    tasks.run(guests.power, client, ct, 'stop', wait=False)
                tasks.run(guests.power, client, ct, 'start', wait=False)
            ct['status'] = 'running'
            now_pending = {}
        tasks.finish()
        if now_pending and ct.get('status') == 'running':
            self.pve.warn('container {0} has pending changes that apply at its next start ({1}); set '
                          'restart_to_apply: true to reboot it now'.format(ct['vmid'], ', '.join(sorted(now_pending))))
        if p.get('name') and p.get('vmid') is not None:
            ct['name'] = after.get('hostname', ct.get('name'))
        return tracker.result(after=diff_view(ct, after), container=view(ct, after, pending=now_pending))

    def _apply_plan(self, tasks, ct, plan):
        client = self.client
        for disk, size in plan.resizes:
            tasks.run(client.put, *guests.path(ct, 'resize'), disk=disk, size=size)
        if plan.sets or plan.deletes:
            params = dict(plan.sets)
            if plan.deletes:
                params['delete'] = ','.join(plan.deletes)
            tasks.run(client.put, *guests.path(ct, 'config'), **params)


def _hint(err):
    """A graceful shutdown that failed (its exit status is not OK: it did not stop in time): say how to stop it
    anyway. Decided by the task's type and exit status, never by the text of its log."""
    if err.upid and parse_upid(err.upid)['type'] == 'vzshutdown':
        return errors.TaskFailedError(
            '{0}; the container did not shut down within timeout: raise timeout, or set force: true to stop it '
            'hard'.format(err), upid=err.upid, exitstatus=err.exitstatus, log=err.log)
    return err


def ensure_container(pve):
    """pve.ops.container: the result dict."""
    return ContainerReconciler(pve).run()


# ------------------------------------------------------------------------------------------------- info

GATHER = ('config', 'pending', 'status', 'snapshots', 'rrd', 'interfaces')


def container_facts(client, node=None, name=None, vmid=None, tags=None, pool=None, status=None, gather=(),
                    timeframe='hour', cf='AVERAGE'):
    """pve.ops.container_info: the containers that pass the filters (one request), with the details asked for."""
    out = []
    for guest in guests.list_guests(client, 'lxc'):
        if not guests.match_filters(guest, node=node, name=name, vmid=vmid, tags=tags, pool=pool, status=status):
            continue
        item = copy.deepcopy(guest)
        item['vmid'] = int(item['vmid'])
        item['tags'] = codec.tags(guest.get('tags'))
        item['template'] = codec.is_true(guest.get('template'))
        details = [g for g in gather if g != 'interfaces']
        if details:
            item.update(guests.guest_details(client, guest, details, timeframe=timeframe, cf=cf))
        if 'interfaces' in gather:
            item['interfaces'] = (client.get(*guests.path(guest, 'interfaces'))
                                  if guest.get('status') == 'running' else None)
        out.append(item)
    out.sort(key=lambda g: g['vmid'])
    return out
