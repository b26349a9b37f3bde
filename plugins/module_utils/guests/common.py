# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Guests (VMs and containers): finding them, and what the API does the same way for both types.

Identity is ``vmid``, or ``name`` (unique in the cluster). One request: GET /cluster/resources?type=vm.
A guest here is its resource entry (``vmid``, ``type`` qemu or lxc, ``node``, ``name``, ``status``, ...);
every call below builds its path from that entry: /nodes/{node}/{type}/{vmid}/...

Power actions, migration, deletion, pending changes, snapshots, consoles and RRD data have the same paths
and nearly the same parameters for qemu and lxc; the differences are handled here, so that the vm and
container area logic only decide *what* to do.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors

GUEST_TYPES = ('qemu', 'lxc')
GUEST_STATES = ('present', 'absent', 'started', 'stopped', 'restarted', 'template')
RRD_TIMEFRAMES = ('hour', 'day', 'week', 'month', 'year')
RRD_CF = ('AVERAGE', 'MAX')
DEFAULT_TIMEOUT = 300


def kind(guest_type):
    """'VM' or 'container', for messages."""
    return 'container' if guest_type == 'lxc' else 'VM'


# ---------------------------------------------------------------------------------------------- finding


def list_guests(client, guest_type=None):
    """Every guest of the cluster (cluster resources of type vm), optionally only qemu or lxc."""
    items = client.get('cluster', 'resources', type='vm') or []
    return [g for g in items if guest_type is None or g.get('type') == guest_type]


def find_guest(client, vmid=None, name=None, guest_type=None, guests=None):
    """The resource entry of the guest with this vmid or name, or None when there is none.

    Raises InvalidArgumentError when the name matches several guests (give vmid), or when the vmid
    belongs to a guest of the other type. None only means the caller sees no such guest: see locate().
    """
    guests = list_guests(client) if guests is None else guests
    if vmid is not None:
        found = [g for g in guests if int(g.get('vmid', -1)) == int(vmid)]
        if found and guest_type and found[0].get('type') != guest_type:
            raise errors.InvalidArgumentError('vmid {0} is a {1} guest, not {2}'.format(
                vmid, 'container' if found[0].get('type') == 'lxc' else 'VM',
                'a container' if guest_type == 'lxc' else 'a VM'), field='vmid')
        return found[0] if found else None
    if name is None:
        raise errors.InvalidArgumentError('give vmid or name', field='vmid')
    found = [g for g in guests if g.get('name') == name and (guest_type is None or g.get('type') == guest_type)]
    if len(found) > 1:
        raise errors.InvalidArgumentError('name {0!r} matches several guests (vmids {1}): give vmid'.format(
            name, ', '.join(str(g['vmid']) for g in sorted(found, key=lambda g: g['vmid']))), field='name')
    return found[0] if found else None


def require_guest(client, vmid=None, name=None, guest_type=None, guests=None, authid=None):
    """Like locate(), but NotFoundError when there is no such guest."""
    guest = locate(client, vmid=vmid, name=name, guest_type=guest_type, guests=guests, authid=authid)
    if guest is None:
        raise errors.NotFoundError(not_found_message(vmid, name, guest_type))
    return guest


def not_found_message(vmid=None, name=None, guest_type=None):
    what = 'vmid {0}'.format(vmid) if vmid is not None else 'name {0!r}'.format(name)
    return 'no {0} with {1} in the cluster'.format(kind(guest_type) if guest_type else 'guest', what)


# ------------------------------------------------------------------------------------------- visibility
#
# /cluster/resources lists only the guests the caller holds VM.Audit on, so "not in the list" is not
# "does not exist". What is knowable: GET /cluster/nextid?vmid=N (allowed to every user) answers 400 on
# its vmid parameter when N is taken, whoever may see the guest; and a caller holding VM.Audit on /vms
# (propagated) sees every guest, so for it a name that is not listed belongs to no guest.


def locate(client, vmid=None, name=None, guest_type=None, guests=None, authid=None):
    """find_guest(), and None only when no such guest exists.

    Raises PermissionDeniedError (privilege VM.Audit, its path) when the guest may exist out of the
    caller's sight: its vmid is taken, or (by name) the caller may not see every guest. ``authid`` is the
    caller (see caller()); root@pam sees everything without asking.
    """
    guest = find_guest(client, vmid=vmid, name=name, guest_type=guest_type, guests=guests)
    if guest is None:
        ensure_not_hidden(client, vmid=vmid, name=name, guest_type=guest_type, authid=authid)
    return guest


def ensure_not_hidden(client, vmid=None, name=None, guest_type=None, authid=None):
    """Raise PermissionDeniedError when a guest the caller does not see may be the one asked for."""
    if authid == 'root@pam':
        return  # root@pam sees every guest
    who = authid or getattr(client, 'user', None) or 'the caller'
    if vmid is not None:
        if vmid_taken(client, vmid):
            raise errors.PermissionDeniedError(
                'guest {0} exists but {1} may not see it: needs VM.Audit on /vms/{0}'.format(int(vmid), who),
                privilege='VM.Audit', acl_path='/vms/{0}'.format(int(vmid)))
        return
    if name is not None and not sees_every_guest(client, authid):
        raise errors.PermissionDeniedError(
            'no {0} named {1!r} is visible to {2}, but {2} may not see every guest, so one may exist: needs '
            'VM.Audit on /vms, or give vmid'.format(kind(guest_type) if guest_type else 'guest', name, who),
            privilege='VM.Audit', acl_path='/vms')


def vmid_taken(client, vmid):
    """True when a guest (VM or container) holds ``vmid``, whether or not the caller may see it."""
    check_vmid(vmid)
    try:
        client.get('cluster', 'nextid', vmid=int(vmid))
    except errors.ValidationError as err:
        if 'vmid' in (err.errors or {}):
            return True
        raise
    return False


def sees_every_guest(client, authid=None):
    """True when the caller holds VM.Audit on /vms, propagated (GET /access/permissions?path=/vms)."""
    if authid == 'root@pam':
        return True
    answer = client.get('access', 'permissions', path='/vms') or {}
    privs = answer.get('/vms') or {}
    return codec.is_true(privs.get('VM.Audit'))


def caller(params):
    """The authid the module's connection options log in as: user@realm, or user@realm!token."""
    token = params.get('api_token_id')
    if token:
        return token if '!' in token else '{0}!{1}'.format(params.get('api_user'), token)
    return params.get('api_user')


# ---------------------------------------------------------------------------------------------- identity

def find_target(pve):
    """The guest of the task (by vmid, or name), checked before any write: vmid in PVE's range, a name given
    with vmid that is the guest's own, a guest the caller may not see refused as such (never "absent").

    Returns None only in check mode, for a guest that does not exist (an earlier task may create it);
    otherwise a guest that does not exist is NotFoundError.
    """
    p = pve.params
    if p.get('vmid') is None and not p.get('name'):
        raise errors.InvalidArgumentError('give vmid or name', field='vmid')
    check_vmid(p.get('vmid'))
    guest = locate(pve.client, vmid=p.get('vmid'), name=p.get('name') if p.get('vmid') is None else None,
                   authid=caller(p))
    if guest is not None:
        if p.get('vmid') is not None:
            check_name(guest, p.get('name'))
        return guest
    missing = not_found_message(p.get('vmid'), p.get('name'))
    if not pve.check_mode:
        raise errors.NotFoundError(missing)
    pve.warn('{0}; in check mode this task assumes an earlier task creates it, and reports what it would do '
             'then'.format(missing))
    return None


VMID_MIN, VMID_MAX = 100, 999999999


def check_vmid(vmid, field='vmid'):
    """PVE's vmid range (pve-vmid: 100 to 999999999), before any request."""
    if vmid is not None and not VMID_MIN <= int(vmid) <= VMID_MAX:
        raise errors.InvalidArgumentError('{0}: {1} is not a guest id (PVE takes {2} to {3})'.format(
            field, vmid, VMID_MIN, VMID_MAX), field=field)


def check_name(guest, name):
    """With vmid and name both given, the name must be the guest's own (it identifies, it does not rename)."""
    if name is not None and guest.get('name') != name:
        raise errors.InvalidArgumentError(
            'vmid {0} is {1} {2!r}, not {3!r}: here name identifies the guest and is never changed; give its own '
            'name or leave name out'.format(int(guest['vmid']), kind(guest.get('type')), guest.get('name'), name),
            field='name')


def next_vmid(client):
    """The next free vmid (GET /cluster/nextid)."""
    return int(client.get('cluster', 'nextid'))


def path(guest, *tail):
    """The API path segments of a guest (a resource entry): nodes, node, type, vmid, *tail."""
    return ('nodes', guest['node'], guest['type'], int(guest['vmid'])) + tuple(tail)


def match_filters(guest, node=None, name=None, vmid=None, tags=None, pool=None, status=None):
    """True when a resource entry passes the list filters (tags: every given tag is on the guest)."""
    if node is not None and guest.get('node') != node:
        return False
    if name is not None and guest.get('name') != name:
        return False
    if vmid is not None and int(guest.get('vmid', -1)) != int(vmid):
        return False
    if pool is not None and guest.get('pool') != pool:
        return False
    if status is not None and guest.get('status') != status:
        return False
    if tags:
        have = set(codec.tags(guest.get('tags')))
        if not set(codec.tags(tags)) <= have:
            return False
    return True


# ----------------------------------------------------------------------------------------------- tasks


def wait_task(client, upid, wait=True, timeout=DEFAULT_TIMEOUT):
    """Wait for a task (unless ``wait`` is false or there is no UPID); returns the UPID."""
    if upid and wait:
        client.wait(upid, timeout=timeout)
    return upid


# ----------------------------------------------------------------------------------------------- power


def current_status(client, guest):
    """GET status/current of a guest."""
    return client.get(*path(guest, 'status', 'current')) or {}


def power(client, guest, action, timeout=None, force_stop=False, wait=True, task_timeout=DEFAULT_TIMEOUT):
    """POST status/{action} (start, stop, shutdown, reboot) and wait; returns the UPID.

    ``timeout`` is the guest's time to shut down (shutdown, reboot); PVE ends the task with an error when
    it runs out, unless ``force_stop`` (shutdown only) tells it to stop the guest hard then. The task wait
    allows that time plus a margin.
    """
    params = {}
    if action in ('shutdown', 'reboot') and timeout is not None:
        params['timeout'] = int(timeout)
    if action == 'shutdown' and force_stop:
        params['forceStop'] = True
    upid = client.post(*path(guest, 'status', action), **params)
    margin = int(timeout or 0) + 30 if action in ('shutdown', 'reboot') else 0
    return wait_task(client, upid, wait, max(task_timeout, margin))


# ---------------------------------------------------------------------------------------- move, delete


def migrate(client, guest, target, wait=True, timeout=DEFAULT_TIMEOUT, **options):
    """POST migrate to ``target``: online for a running VM, restart mode for a running container.

    Returns the UPID. ``options`` are passed on (e.g. targetstorage, with-local-disks).
    """
    params = dict(target=target)
    if guest.get('status') == 'running':
        if guest['type'] == 'qemu':
            # Live migration; disks on local storage go along (PVE refuses a live migration without it).
            params['online'] = True
            params['with-local-disks'] = True
        else:
            params['restart'] = True
    params.update((k, v) for k, v in options.items() if v is not None)
    upid = client.post(*path(guest, 'migrate'), **params)
    return wait_task(client, upid, wait, timeout)


def delete(client, guest, purge=False, destroy_unreferenced_disks=None, wait=True, timeout=DEFAULT_TIMEOUT):
    """DELETE the guest (``purge`` also removes it from backup jobs, replication and HA); returns the UPID."""
    params = {}
    if purge:
        params['purge'] = True
    if destroy_unreferenced_disks is not None:
        params['destroy-unreferenced-disks'] = destroy_unreferenced_disks
    upid = client.delete(*path(guest), **params)
    return wait_task(client, upid, wait, timeout)


# ----------------------------------------------------------------------------------- config and pending


def read_pending(client, guest):
    """GET pending: (current config, pending values, pending deletions) in one request.

    ``current`` is the config as it is; ``pending`` maps keys to the values the next start (or reboot)
    applies; ``deletes`` lists the keys it removes.
    """
    current, pending, deletes = {}, {}, []
    for item in client.get(*path(guest, 'pending')) or []:
        key = item.get('key')
        if key is None:
            continue
        if 'value' in item:
            current[key] = item['value']
        if 'pending' in item:
            pending[key] = item['pending']
        if item.get('delete'):
            deletes.append(key)
    return current, pending, sorted(deletes)


def effective_config(current, pending, deletes):
    """The config the guest will have once its pending changes apply."""
    out = dict(current)
    out.update(pending)
    for key in deletes:
        out.pop(key, None)
    return out


def pending_view(current, pending, deletes):
    """The pending changes as {key: {current, pending}} ({current, delete: true} for deletions)."""
    out = {}
    for key in sorted(pending):
        out[key] = dict(current=current.get(key), pending=pending[key])
    for key in deletes:
        out[key] = dict(current=current.get(key), delete=True)
    return out


# --------------------------------------------------------------------------------------------- snapshots


def list_snapshots(client, guest):
    """The guest's snapshots (without PVE's ``current`` entry)."""
    return [s for s in client.get(*path(guest, 'snapshot')) or [] if s.get('name') != 'current']


def create_snapshot(client, guest, snapname, description=None, vmstate=None, wait=True, timeout=DEFAULT_TIMEOUT):
    params = dict(snapname=snapname)
    if description:
        params['description'] = description
    if vmstate is not None and guest['type'] == 'qemu':
        params['vmstate'] = vmstate
    upid = client.post(*path(guest, 'snapshot'), **params)
    return wait_task(client, upid, wait, timeout)


def update_snapshot(client, guest, snapname, description):
    return client.put(*path(guest, 'snapshot', snapname, 'config'), description=description)


def delete_snapshot(client, guest, snapname, wait=True, timeout=DEFAULT_TIMEOUT):
    upid = client.delete(*path(guest, 'snapshot', snapname))
    return wait_task(client, upid, wait, timeout)


def rollback_snapshot(client, guest, snapname, start=None, wait=True, timeout=DEFAULT_TIMEOUT):
    params = {}
    if start is not None:
        params['start'] = start
    upid = client.post(*path(guest, 'snapshot', snapname, 'rollback'), **params)
    return wait_task(client, upid, wait, timeout)


# ----------------------------------------------------------------------------------------------- console

CONSOLE_TYPES = ('vnc', 'spice', 'term')


def console(client, guest, console_type=None):
    """A console ticket: vnc (vncproxy with websocket), spice (spiceproxy, VMs only) or term (termproxy).

    Returns what a client needs: for vnc and term the port, ticket, user and upid (and cert for vnc);
    for spice the remote-viewer settings (host, proxy, tls-port, password, ...). The ticket is a
    short-lived secret.
    """
    console_type = console_type or ('term' if guest['type'] == 'lxc' else 'vnc')
    if console_type == 'spice':
        if guest['type'] != 'qemu':
            raise errors.InvalidArgumentError('spice consoles exist for VMs only; give type vnc or term',
                                              field='type')
        data = dict(client.post(*path(guest, 'spiceproxy')) or {})
    elif console_type == 'vnc':
        data = dict(client.post(*path(guest, 'vncproxy'), websocket=True) or {})
    else:
        data = dict(client.post(*path(guest, 'termproxy')) or {})
    data['type'] = console_type if console_type != 'spice' else data.get('type', 'spice')
    data.update(vmid=int(guest['vmid']), node=guest['node'], guest_type=guest['type'])
    if 'port' in data and data['port'] is not None:
        data['port'] = int(data['port'])
    return data


# ------------------------------------------------------------------------------------------------ details

GUEST_DETAILS = ('config', 'pending', 'status', 'snapshots', 'rrd', 'agent_network')


def guest_details(client, guest, gather, timeframe='hour', cf='AVERAGE'):
    """The details of one guest asked for in ``gather`` (one request each).

    agent_network is for VMs: when the guest agent does not answer, ``agent_network`` is null and
    ``agent_error`` says why (an agent that is not running is not a failure of the read).
    """
    out = {}
    if 'config' in gather:
        config = dict(client.get(*path(guest, 'config')) or {})
        config.pop('digest', None)
        out['config'] = config
    if 'pending' in gather:
        current, pending, deletes = read_pending(client, guest)
        out['pending'] = pending_view(current, pending, deletes)
    if 'status' in gather:
        out['status_detail'] = current_status(client, guest)
    if 'snapshots' in gather:
        out['snapshots'] = list_snapshots(client, guest)
    if 'rrd' in gather:
        out['rrd'] = client.get(*path(guest, 'rrddata'), timeframe=timeframe, cf=cf) or []
    if 'agent_network' in gather and guest['type'] == 'qemu':
        try:
            answer = client.get(*path(guest, 'agent', 'network-get-interfaces')) or {}
            out['agent_network'] = answer.get('result', answer) if isinstance(answer, dict) else answer
        except errors.PermissionDeniedError:
            raise
        except errors.ApiError as err:
            out['agent_network'] = None
            out['agent_error'] = str(err)
    return out


def guest_listing(client, guest_type, params):
    """The guests of one type passing the list filters in ``params`` (node, name, vmid, tags, pool, status),
    each with the details of ``params['gather']``: one /cluster/resources request, then one per detail."""
    listed = []
    for guest in list_guests(client, guest_type):
        if not match_filters(guest, node=params.get('node'), name=params.get('name'), vmid=params.get('vmid'),
                             tags=params.get('tags'), pool=params.get('pool'), status=params.get('status')):
            continue
        item = dict(guest)
        item['vmid'] = int(item['vmid'])
        item['template'] = codec.is_true(item.get('template'))
        item['tags'] = codec.tags(item.get('tags'))
        gather = params.get('gather') or []
        if gather:
            item.update(guest_details(client, guest, gather, timeframe=params.get('timeframe') or 'hour',
                                      cf=params.get('cf') or 'AVERAGE'))
        listed.append(item)
    listed.sort(key=lambda g: g['vmid'])
    return listed
