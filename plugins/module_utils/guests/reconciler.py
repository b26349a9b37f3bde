# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one guest reconciler of pve.ops.vm and pve.ops.container: read, compare, apply (never in check mode),
wait, report.

What VMs and containers do the same way lives here: finding the guest, deletion (with force), the check-mode
answer for a guest an earlier task creates, placement (migrate), the order of the writes and their tasks, the
pool move, the template action, the power state machine, the prediction of pending changes in check mode and
the hint of a failed task. ``vm.VmReconciler`` and ``container.ContainerReconciler`` say what differs: their
checks, the config plan, creation and cloning, which keys a running guest takes at once, and their views.

The order of an existing guest's run: checks and the config plan (every refusal before any write), migrate,
a stop (state stopped or template: before the config, so that it applies at once), the config (resizes, then
one PUT), the pool, the template action, then start or restart. Each task is waited for before the next
write; the last one only with ``wait`` (its UPID is returned in ``tasks`` either way).
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, propstring
from ansible_collections.pve.ops.plugins.module_utils.guests import checks
from ansible_collections.pve.ops.plugins.module_utils.guests.actions import SHUTDOWN_TASKS, delete, migrate, power
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import (
    caller,
    check_name,
    check_vmid,
    kind,
    list_guests,
    next_vmid,
    path,
)
from ansible_collections.pve.ops.plugins.module_utils.guests.pending import GuestConfig
from ansible_collections.pve.ops.plugins.module_utils.guests.snapshots import list_snapshots
from ansible_collections.pve.ops.plugins.module_utils.guests.visibility import assumed_message, locate
from ansible_collections.pve.ops.plugins.module_utils.tasks import parse_upid
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

GUEST_STATES = ('present', 'absent', 'started', 'stopped', 'restarted', 'template')
# pve-storage's @SHARED_STORAGE: types that are shared whatever their configuration says.
SHARED_TYPES = ('iscsi', 'nfs', 'cifs', 'rbd', 'cephfs', 'iscsidirect', 'glusterfs', 'zfs', 'drbd', 'pbs')
# A shutdown may take the whole timeout before PVE ends its task: the wait allows a margin.
_WAIT_MARGIN = 30


def shared(storage):
    """Whether a storage configuration is shared (its flag, or its type)."""
    return codec.is_true(storage.get('shared', 0)) or storage.get('type') in SHARED_TYPES


def validate_common(params):
    """The checks VMs and containers share, before any request: identity and timeout; then (unless state is
    absent) tags and storage. False when nothing more is to be checked (state absent)."""
    if params.get('vmid') is None and not params.get('name'):
        raise errors.InvalidArgumentError('give vmid or name', field='vmid')
    check_vmid(params.get('vmid'))
    if params.get('clone') is not None and str(params['clone']).isdigit():
        check_vmid(int(params['clone']), field='clone')
    checks.dns_name(params.get('name'), 'name')
    if params.get('timeout') is not None and params['timeout'] < 0:
        raise errors.InvalidArgumentError('timeout must be 0 or more seconds', field='timeout')
    if params.get('state') == 'absent':
        return False
    checks.tags(params.get('tags'))
    checks.storage_id(params.get('storage'), 'storage', 'storage')
    return True


class Plan:
    """The config changes that bring an existing guest to the params: ``sets`` (key -> wire value),
    ``deletes`` (keys) and ``resizes`` ((disk, size text), made before the config PUT)."""

    def __init__(self, sets=None, deletes=None, resizes=None):
        self.sets = dict(sets or {})
        self.deletes = list(deletes or [])
        self.resizes = list(resizes or [])

    def __bool__(self):
        return bool(self.sets or self.deletes or self.resizes)


class _TaskSequence:
    """Writes through the tracker, one task at a time: the task of a write is waited for before the next
    write (and before a read that depends on it: ``settle``); the last only when ``wait`` is true."""

    def __init__(self, client, wait, timeout):
        self.client = client
        self.wait = wait
        self.timeout = timeout
        self.last = None
        self.unwaited = []

    def settle(self):
        if self.last:
            upid, self.last = self.last, None
            self.client.wait(upid, timeout=self.timeout + _WAIT_MARGIN)

    def run(self, tracker, call, *args, **kwargs):
        """A write that may start a task (its UPID; None in check mode)."""
        self.settle()
        result = tracker.write(call, *args, **kwargs)
        if isinstance(result, str) and result.startswith('UPID:'):
            self.last = result
        return result

    def finish(self):
        if self.wait:
            self.settle()
        elif self.last:
            self.unwaited.append(self.last)
            self.last = None


def _hint(err):
    """A graceful shutdown that failed (its task, a qmshutdown or vzshutdown, ended with an exit status that
    is not OK: the guest did not stop in time): say how to stop it anyway. Decided by the task's type and exit
    status, never by the text of its log."""
    if err.upid and parse_upid(err.upid)['type'] in SHUTDOWN_TASKS:
        return errors.TaskFailedError(
            '{0}; the guest did not shut down within timeout: raise timeout, or set force: true to stop it '
            'hard'.format(err), upid=err.upid, exitstatus=err.exitstatus, log=err.log)
    return err


class GuestReconciler:
    """One run of pve.ops.vm or pve.ops.container. Subclasses set TYPE (qemu or lxc) and NOUN (the result's
    key) and say what differs (the methods that raise NotImplementedError)."""

    TYPE = ''
    NOUN = ''

    def __init__(self, pve):
        self.pve = pve
        self.client = pve.client
        self.params = pve.params
        self.check = pve.check_mode
        self.timeout = self.params['timeout']
        self.wait = self.params['wait']
        self.tasks = _TaskSequence(self.client, self.wait, self.timeout)

    @property
    def kind(self):
        return kind(self.TYPE)

    @property
    def starts(self):
        """Whether the state asks for a running guest (a new one is started)."""
        return self.params['state'] in ('started', 'restarted')

    def new_vmid(self):
        """The vmid of a guest to create: the one given, or the next free one."""
        return self.params['vmid'] if self.params.get('vmid') is not None else next_vmid(self.client)

    # ------------------------------------------------------------------------------ what differs

    def validate(self):
        """The checks of the options (``validate_common``, then the type's own), before any request."""
        raise NotImplementedError

    def creation_missing(self, what):
        """Why the guest that was not found cannot be created from the params (an error), or None."""
        raise NotImplementedError

    def settings_given(self):
        """Whether the params change settings (check mode's answer for a guest an earlier task creates)."""
        raise NotImplementedError

    def create(self, everything):
        """Create (or clone) the guest; the result dict."""
        raise NotImplementedError

    def plan(self, config, guest):
        """The Plan that brings ``config`` (the effective config of ``guest``) to the params."""
        raise NotImplementedError

    def hot(self, key, current, delete):
        """Whether a running guest takes the change of ``key`` at once (hot-plug) instead of pending it."""
        raise NotImplementedError

    def diff_view(self, guest, config, after=None):
        """The guest as the diff shows it (``after`` is the config as predicted, when known)."""
        raise NotImplementedError

    def view(self, guest, config, after=None):
        """The guest as the result returns it."""
        raise NotImplementedError

    def result(self, tracker, guest, config, after):
        view = self.view(guest, config, after)
        return tracker.result(after=self.diff_view(guest, config, after), **{self.NOUN: view})

    def gone_view(self, guest, config):
        """What the result holds of a guest that was deleted."""
        return None

    # --------------------------------------------------------------------------------- the run

    def run(self):
        try:
            result = self._run()
        except errors.TaskFailedError as err:
            raise _hint(err) from None
        if self.tasks.unwaited:
            # Tasks left running (wait: false) are returned too, so the caller can follow them.
            result['tasks'] = list(self.client.tasks) + self.tasks.unwaited
        return result

    def _run(self):
        p = self.params
        self.validate()
        everything = list_guests(self.client)
        guest = locate(self.client, vmid=p.get('vmid'), name=p.get('name') if p.get('vmid') is None else None,
                       guest_type=self.TYPE, guests=everything, authid=caller(p))
        if guest is not None and p.get('vmid') is not None and (p['state'] != 'present' or not p['update']):
            # In a power state, on deletion and with update: false, name identifies; it never renames.
            check_name(guest, p.get('name'))
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
        """Why this run may not create the guest it did not find (an error to raise), or None when it may."""
        p = self.params
        what = 'vmid {0}'.format(p['vmid']) if p.get('vmid') is not None else 'name {0!r}'.format(p.get('name'))
        if not p['create']:
            return errors.NotFoundError('no {0} with {1} in the cluster (create: false: it is not created)'.format(
                self.kind, what))
        return self.creation_missing(what)

    def assumed(self, missing):
        """Check mode, a guest that does not exist and that this task does not create: what the task would do
        to the guest an earlier task of the play creates (check mode created none), with a warning."""
        p = self.params
        self.pve.warn(assumed_message(missing))
        status = {'started': 'running', 'restarted': 'running', 'stopped': 'stopped'}.get(p['state'])
        after = dict(vmid=p.get('vmid'), name=p.get('name'), status=status, template=p['state'] == 'template')
        after = dict((k, v) for k, v in after.items() if v is not None)
        tracker = ChangeTracker(True, before={})
        if p['state'] in ('started', 'restarted', 'template') or (p['update'] and self.settings_given()):
            tracker.mark()
        return tracker.result(after=after, **{self.NOUN: after})

    # ------------------------------------------------------------------------------- clone checks

    def clone_source(self, everything):
        """The guest ``clone`` names (a vmid or a name), of this type."""
        ref = str(self.params['clone'])
        source = locate(self.client, vmid=int(ref) if ref.isdigit() else None, name=None if ref.isdigit() else ref,
                        guests=everything, authid=caller(self.params))
        if source is None:
            raise errors.NotFoundError('clone: no {0} {1!r} to clone from'.format(self.kind, ref))
        if source['type'] != self.TYPE:
            raise errors.InvalidArgumentError('clone: {0} is a {1}, not a {2}'.format(
                ref, kind(source['type']), self.kind), field='clone')
        return source

    def clone_is_full(self, source):
        """Whether the clone copies the disks: ``full``, or PVE's default (a full clone of a guest, a linked
        clone of a template). A linked clone of a guest that is not a template is refused (PVE: only a
        template's base volumes have the clone feature)."""
        p = self.params
        template = codec.is_true(source.get('template'))
        full = p['full'] if p.get('full') is not None else not template
        if not full and not template:
            raise errors.InvalidArgumentError(
                'full: a linked clone (full=false) needs a template; {0} {1} is not one (make it a template, or '
                'leave full out or set full=true for a full clone)'.format(self.kind, source['vmid']), field='full')
        return full

    def storages(self):
        """The storage configurations by id (GET /storage), or None when the caller may not read them (PVE
        then decides, as it would)."""
        try:
            return dict((s['storage'], s) for s in self.client.get('storage') or [])
        except errors.PermissionDeniedError:
            return None

    def check_shared_target(self, storage, node):
        """PVE clones to another node only onto shared storage ("can't clone to non-shared storage"). A storage
        the caller may not read (or that does not exist) is left to PVE."""
        try:
            conf = self.client.get('storage', storage) or {}
        except (errors.PermissionDeniedError, errors.NotFoundError):
            return
        if not shared(conf):
            raise errors.InvalidArgumentError(
                "storage: PVE clones to another node ({0}) only onto shared storage, and {1!r} is not "
                "shared".format(node, storage), field='storage')

    # ---------------------------------------------------------------------------------- absent

    def absent(self, guest):
        if guest is None:
            return ChangeTracker(self.check, before={}).result(after={}, **{self.NOUN: None})
        config = GuestConfig.read(self.client, guest)
        tracker = ChangeTracker(self.check, before=self.diff_view(guest, config))
        if guest.get('status') == 'running':
            if not self.params['force']:
                raise errors.InvalidArgumentError(
                    '{0} {1} ({2}) is running on {3}: stop it first, or set force: true to stop it hard and '
                    'delete it'.format(self.kind, guest['vmid'], guest.get('name'), guest['node']), field='force')
            self.tasks.run(tracker, power, self.client, guest, 'stop', wait=False)
        self.tasks.run(tracker, delete, self.client, guest, purge=self.params['purge'], wait=False)
        self.tasks.finish()
        return tracker.result(after={}, **{self.NOUN: self.gone_view(guest, config)})

    # -------------------------------------------------------------------------------- converge

    def check_state(self, guest):
        """What the state asks that PVE cannot do to this guest: power a template, make a template of a guest
        with snapshots."""
        state = self.params['state']
        template = codec.is_true(guest.get('template'))
        if template and state in ('started', 'stopped', 'restarted'):
            raise errors.InvalidArgumentError('{0} {1} is a template: it cannot be started or stopped; use state '
                                              'present'.format(self.kind, guest['vmid']), field='state')
        if state == 'template' and not template and list_snapshots(self.client, guest):
            # qemu-server's and pve-container's template: "unable to create template, because VM contains
            # snapshots"
            raise errors.InvalidArgumentError(
                'state: {0} {1} has snapshots, and PVE makes no template of a {0} with snapshots; delete them '
                'first'.format(self.kind, guest['vmid']), field='state')

    def power_action(self, tracker, guest, action):
        """Start, stop, shut down or reboot (``timeout`` the time a graceful one gives the guest)."""
        timeout = self.timeout if action in ('shutdown', 'reboot') else None
        self.tasks.run(tracker, power, self.client, guest, action, timeout=timeout, wait=False)

    def apply_plan(self, tracker, guest, plan):
        """The plan's writes: each resize, then one PUT config with the sets and deletes."""
        for disk, size in plan.resizes:
            self.tasks.run(tracker, self.client.put, *path(guest, 'resize'), disk=disk, size=size)
        if plan.sets or plan.deletes:
            params = dict(plan.sets)
            if plan.deletes:
                params['delete'] = ','.join(plan.deletes)
            self.tasks.run(tracker, self.client.put, *path(guest, 'config'), **params)

    def converge(self, guest, tracker=None, configure=None):
        """Bring an existing guest to the params: place, config (unless update: false, or ``configure`` says
        otherwise: a new clone is always configured), pool, template, power state. ``tracker``: the one of
        the task that made the guest (a clone)."""
        p = self.params
        state = p['state']
        client = self.client
        guest = dict(guest)
        configure = p['update'] if configure is None else configure
        self.tasks.settle()
        config = GuestConfig.read(client, guest)
        if tracker is None:
            tracker = ChangeTracker(self.check, before=self.diff_view(guest, config, config.effective()))
        self.check_state(guest)
        plan = self.plan(config.effective(), guest) if configure else Plan()
        if configure:
            self.tags_in_case(guest, config.effective(), plan)
        after = self.predict_after(config.effective(), plan)
        # Where: a guest on another node than asked moves only when the user allows it.
        if p.get('node') and p['node'] != guest['node']:
            if not p['migrate']:
                raise errors.InvalidArgumentError(
                    '{0} {1} ({2}) is on node {3}, not {4}: set migrate: true to migrate it'.format(
                        self.kind, guest['vmid'], guest.get('name'), guest['node'], p['node']), field='node')
            self.tasks.run(tracker, migrate, client, guest, p['node'], wait=False)
            guest['node'] = p['node']
        running = guest.get('status') == 'running'
        # Stop before changing the config, so that the changes apply at once.
        if state in ('stopped', 'template') and running:
            self.power_action(tracker, guest, 'stop' if p['force'] else 'shutdown')
            guest['status'] = 'stopped'
            running = False
        self.apply_plan(tracker, guest, plan)
        if configure and p.get('pool') and guest.get('pool') != p['pool']:
            self.tasks.run(tracker, client.put, 'pools', poolid=p['pool'], vms=str(guest['vmid']),
                           **{'allow-move': True})
            guest['pool'] = p['pool']
        # What the config is now and what waits for a start.
        if plan and self.check:
            config = config.predict(plan.sets, plan.deletes, running, self.hot)
        elif plan:
            self.tasks.settle()
            config = GuestConfig.read(client, guest)
        if state == 'template' and not codec.is_true(guest.get('template')):
            # PVE makes a template with POST template (its disks become base volumes), never through config.
            self.make_template(tracker, guest)
            after['template'] = 1
            if self.check or not self.wait:
                config = config.applied(template=1)
            else:
                self.tasks.settle()
                config = GuestConfig.read(client, guest)
        # Power: a start (or a restart) takes the pending changes.
        has_pending = running and config.has_pending()
        restart = state == 'restarted' or (has_pending and p['restart_to_apply'])
        if state == 'started' and not running:
            self.power_action(tracker, guest, 'start')
        elif restart and running and not p['force']:
            self.power_action(tracker, guest, 'reboot')
        elif restart:
            if running:
                self.power_action(tracker, guest, 'stop')
            self.power_action(tracker, guest, 'start')
        elif has_pending:
            self.pve.warn('{0} {1} has pending changes that apply at its next start ({2}); set restart_to_apply: '
                          'true to restart it now'.format(self.kind, guest['vmid'],
                                                          ', '.join(sorted(config.view()))))
        if restart or (state == 'started' and not running):
            guest['status'] = 'running'
            config = config.applied()
        self.tasks.finish()
        return self.result(tracker, guest, config, after)

    def tags_in_case(self, guest, effective, plan):
        """Tags given that the plan (comparing as PVE's default tag-style does, without regard to case) finds
        equal to the guest's, but that differ from them in case: a change where the datacenter's tag-style is
        case-sensitive (PVE then keeps their case). Asks the datacenter only then."""
        want = self.params.get('tags')
        if not want or 'tags' in plan.sets or 'tags' in plan.deletes:
            return
        if set(codec.tag_list(effective.get('tags'))) == set(codec.tag_list(want)):
            return
        try:
            options = self.client.get('cluster', 'options') or {}
        except errors.PermissionDeniedError:
            self.pve.warn("tags: {0} {1}'s tags differ from the given ones only in case, which PVE ignores unless "
                          "the datacenter's tag-style is case-sensitive; these credentials may not read it "
                          "(Sys.Audit on /), so the tags are left as they are".format(self.kind, guest['vmid']))
            return
        style = options.get('tag-style') or {}
        if not isinstance(style, dict):  # the property string (PVE may send it parsed)
            style = propstring.parse(style)
        if codec.is_true(style.get('case-sensitive')):
            plan.sets['tags'] = codec.tag_text(want)

    @staticmethod
    def predict_after(effective, plan):
        """The effective config once the plan's sets and deletes apply (for the views that show it)."""
        out = dict(effective)
        out.update(plan.sets)
        for key in plan.deletes:
            out.pop(key, None)
        return out

    def make_template(self, tracker, guest):
        """POST template: PVE's template action (the guest's disks become base volumes for linked clones)."""
        self.tasks.run(tracker, self.client.post, *path(guest, 'template'))
        guest['template'] = 1
