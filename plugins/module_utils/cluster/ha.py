# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""High availability (/cluster/ha): HA resources, HA rules, and the HA manager's status.

An HA resource is identified by its sid, ``vm:<vmid>`` or ``ct:<vmid>``. ``GET /cluster/ha/resources``
lists every resource with its whole config (``state``, ``max_restart``, ``max_relocate``, ``comment``, ...)
and the digest of resources.cfg, so one request reads the current state; a missing resource is simply not
in the listing. PVE fills in defaults when it reads the file for the CRM: ``state`` started (``enabled``
is the same), ``max_restart`` and ``max_relocate`` 1; the comparison here uses the same defaults.

Removing a resource (``DELETE /cluster/ha/resources/{sid}``) leaves the guest as it is.

HA rules (``/cluster/ha/rules``, PVE 9) place resources: node affinity (``nodes`` as ``node[:priority]``,
``strict``) and resource affinity (``affinity`` positive or negative). They replace the HA groups, which PVE 9
deprecates; groups are not managed here.
"""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import find_guest
from ansible_collections.pve.ops.plugins.module_utils.resource import Resource, listed

SID_RE = re.compile(r'^(?:(vm|ct):)?(\d+)$')
HA_STATES = ('started', 'stopped', 'disabled', 'ignored')
HA_INFO_GATHER = ('resources', 'status', 'manager', 'rules')
DEFAULTS = dict(state='started', max_restart=1, max_relocate=1, comment='')


def resource_view(entry):
    """A resource as the modules return it: sid, type, vmid, state, max_restart, max_relocate, comment
    (PVE's defaults filled in), and the other config keys PVE set (failback, group, ...) as they are."""
    sid = entry['sid']
    kind, vmid = sid.partition(':')[0], sid.partition(':')[2]
    out = dict(sid=sid, type=entry.get('type') or kind, vmid=int(vmid) if vmid.isdigit() else None)
    state = entry.get('state') or DEFAULTS['state']
    out['state'] = 'started' if state == 'enabled' else state
    for key in ('max_restart', 'max_relocate'):
        out[key] = int(entry[key]) if entry.get(key) is not None else DEFAULTS[key]
    out['comment'] = entry.get('comment') or ''
    for key in ('group', 'failback', 'auto-rebalance'):
        if entry.get(key) is not None:
            out[key.replace('-', '_')] = entry[key]
    return out


def list_resources(client, resource_type=None):
    """Every HA resource (resource_view), sorted by sid; one request."""
    items = client.get('cluster', 'ha', 'resources', type=resource_type) or []
    return sorted((resource_view(e) for e in items if e.get('sid')), key=lambda r: (r['type'], r['vmid'] or 0))


def resolve_sid(client, sid=None, vmid=None, name=None, need_guest=True):
    """The sid (``vm:100``/``ct:200``) for the given sid, vmid or guest name.

    A bare vmid (as sid or vmid) and a name are looked up in the cluster resources (one request); so is a
    typed sid when ``need_guest`` (the guest must exist and be of that type). InvalidArgumentError names the
    field when the guest is missing or the sid is malformed.
    """
    field = 'sid' if sid is not None else ('vmid' if vmid is not None else 'name')
    if sid is not None:
        found = SID_RE.match(str(sid).strip())
        if not found:
            raise errors.InvalidArgumentError(
                'sid {0!r} is not an HA resource id: give vm:<vmid>, ct:<vmid> or a vmid'.format(sid), field='sid')
        kind, vmid = found.group(1), int(found.group(2))
        if kind and not need_guest:
            return '{0}:{1}'.format(kind, vmid)
    else:
        kind = None
    if vmid is None and name is None:
        raise errors.InvalidArgumentError('give sid, vmid or name', field='sid')
    guest = find_guest(client, vmid=vmid, name=name if vmid is None else None)
    if guest is None:
        what = 'vmid {0}'.format(vmid) if vmid is not None else 'name {0!r}'.format(name)
        raise errors.InvalidArgumentError('{0}: no guest with {1} in the cluster'.format(field, what), field=field)
    guest_kind = 'ct' if guest.get('type') == 'lxc' else 'vm'
    if kind and kind != guest_kind:
        raise errors.InvalidArgumentError('sid {0!r}: guest {1} is a {2}, its sid is {3}:{1}'.format(
            sid, guest['vmid'], 'container' if guest_kind == 'ct' else 'VM', guest_kind), field='sid')
    return '{0}:{1}'.format(guest_kind, int(guest['vmid']))


def _state_view(view):
    if view is None:
        return None
    return dict((k, view[k]) for k in ('sid', 'state', 'max_restart', 'max_relocate', 'comment'))


def _desired(params):
    out = {}
    if params.get('ha_state') is not None:
        out['state'] = params['ha_state']
    for key in ('max_restart', 'max_relocate'):
        if params.get(key) is not None:
            if int(params[key]) < 0:
                raise errors.InvalidArgumentError('{0} must be 0 or more'.format(key), field=key)
            out[key] = int(params[key])
    if params.get('comment') is not None:
        out['comment'] = params['comment']
    return out


class HaResource(Resource):
    """The HA resource of a guest (``sid`` is vm:VMID or ct:VMID)."""
    noun = 'ha_resource'

    def read(self):
        params = self.params
        self.want = _desired(params)
        self.sid = resolve_sid(self.client, sid=params.get('sid'), vmid=params.get('vmid'), name=params.get('name'),
                               need_guest=not self.wants_absent())
        self.extra['sid'] = self.sid
        self.entry = listed(self.client.get('cluster', 'ha', 'resources'), 'sid', self.sid)
        return resource_view(self.entry) if self.entry else None

    def wants_absent(self):
        return (self.params.get('state') or 'present') == 'absent'

    def diff_view(self, view):
        return _state_view(view)

    def delete(self, tracker, current):
        tracker.write(self.client.delete, 'cluster', 'ha', 'resources', self.sid)

    def desired(self, current):
        return self.want

    def create(self, tracker, desired):
        sid = self.sid
        body = dict(desired)
        if body.get('comment') == '':
            body.pop('comment')
        tracker.write(self.client.post, 'cluster', 'ha', 'resources', sid=sid, **body)
        after = dict(DEFAULTS, sid=sid)
        after.update(desired)
        return dict(after, type=sid.split(':')[0], vmid=int(sid.split(':')[1]))

    def update(self, tracker, current, desired):
        changes = dict((k, v) for k, v in desired.items() if current.get(k) != v)
        view = dict(current)
        view.update(changes)
        if changes:
            body = dict(changes)
            if body.get('comment') == '':
                body.pop('comment')
                body['delete'] = 'comment'
            digest = self.entry.get('digest')
            if digest:
                body['digest'] = digest
            tracker.write(self.client.put, 'cluster', 'ha', 'resources', self.sid, **body)
        return view


def ensure_ha_resource(pve):
    """Create, update or remove the HA resource of a guest; returns the module result."""
    return HaResource(pve).run()


def ha_facts(pve):
    """pve.ops.ha_info: the subsets of ``gather`` (resources, status, manager); one request each."""
    client, resource_type = pve.client, pve.params.get('resource_type')
    gather = list(pve.params.get('gather') or ('resources', 'status'))
    for item in gather:
        if item not in HA_INFO_GATHER:
            raise errors.InvalidArgumentError('gather: unknown subset {0!r} (choose from {1})'.format(
                item, ', '.join(HA_INFO_GATHER)), field='gather')
    out = dict(changed=False)
    if 'resources' in gather:
        out['resources'] = list_resources(client, resource_type=resource_type)
    if 'status' in gather:
        status = []
        for entry in client.get('cluster', 'ha', 'status', 'current') or []:
            entry = dict(entry)
            if 'quorate' in entry:
                entry['quorate'] = codec.is_true(entry['quorate'])
            status.append(entry)
        out['status'] = status
        out['quorate'] = next((e['quorate'] for e in status if e.get('type') == 'quorum'), None)
        out['master_node'] = next((e.get('node') for e in status if e.get('type') == 'master'), None)
    if 'manager' in gather:
        out['manager'] = client.get('cluster', 'ha', 'status', 'manager_status') or {}
    if 'rules' in gather:
        out['rules'] = list_rules(client)
    return out


# ---------------------------------------------------------------------------------------------- rules

RULE_TYPES = ('node-affinity', 'resource-affinity')
# Options by rule type, and the ones PVE requires.
RULE_OWN = {'node-affinity': ('nodes', 'strict'), 'resource-affinity': ('affinity',)}
RULE_REQUIRED = {'node-affinity': ('nodes',), 'resource-affinity': ('affinity',)}


def _sid_order(sid):
    kind, _sep, vmid = sid.partition(':')
    return (kind, int(vmid) if vmid.isdigit() else 0)


def _node_items(value):
    """``node[:priority]`` items as {node: priority or None}."""
    out = {}
    for item in codec.split_list(value):
        node, _sep, prio = item.partition(':')
        out[node] = int(prio) if prio.isdigit() else None
    return out


def _nodes_text(nodes):
    return [n if p is None else '{0}:{1}'.format(n, p) for n, p in sorted(nodes.items())]


def rule_view(entry):
    """A rule as the modules return it: name, type, resources and nodes as sorted lists, strict, affinity,
    enabled, comment (PVE's defaults filled in: strict false, enabled true)."""
    kind = entry.get('type')
    out = dict(name=entry.get('rule'), type=kind,
               resources=sorted(codec.split_list(entry.get('resources')), key=_sid_order),
               enabled=not codec.is_true(entry.get('disable')), comment=entry.get('comment') or '')
    if kind == 'node-affinity':
        out['nodes'] = _nodes_text(_node_items(entry.get('nodes')))
        out['strict'] = codec.is_true(entry.get('strict'))
    if kind == 'resource-affinity':
        out['affinity'] = entry.get('affinity')
    return out


def list_rules(client, rule_type=None):
    return [rule_view(e) for e in client.get('cluster', 'ha', 'rules', type=rule_type) or [] if e.get('rule')]


class HaRule(Resource):
    """An HA rule (``/cluster/ha/rules/{rule}``): node affinity or resource affinity."""
    noun = 'ha_rule'

    def read(self):
        self.name = self.params['name']
        items = self.client.get('cluster', 'ha', 'rules') or []
        entry = next((e for e in items if e.get('rule') == self.name), None)
        return rule_view(entry) if entry else None

    def desired(self, current):
        p = self.params
        kind = p['type']
        if current is not None and current['type'] != kind:
            raise errors.InvalidArgumentError('type: rule {0!r} is a {1} rule; PVE does not change the type of a '
                                              'rule (remove it first)'.format(self.name, current['type']),
                                              field='type')
        for key in ('nodes', 'strict', 'affinity'):
            if p.get(key) is not None and key not in RULE_OWN[kind]:
                raise errors.InvalidArgumentError('{0} is not an option of {1} rules'.format(key, kind), field=key)
        want = {}
        if p.get('resources') is not None:
            if not p['resources']:
                raise errors.InvalidArgumentError('resources: give at least one HA resource', field='resources')
            sids = set(resolve_sid(self.client, sid=s, need_guest=False) for s in p['resources'])
            managed = set(e.get('sid') for e in self.client.get('cluster', 'ha', 'resources') or [])
            unmanaged = sorted(sids - managed, key=_sid_order)
            if unmanaged:
                raise errors.InvalidArgumentError('resources: {0} {1} no HA resource (add it with '
                                                  'pve.ops.ha_resource first)'.format(
                                                      ', '.join(unmanaged), 'is' if len(unmanaged) == 1 else 'are'),
                                                  field='resources')
            want['resources'] = sorted(sids, key=_sid_order)
        if p.get('nodes') is not None:
            if not p['nodes']:
                raise errors.InvalidArgumentError('nodes: give at least one node', field='nodes')
            nodes = _node_items(p['nodes'])
            known = set(n.get('node') for n in self.client.get('nodes') or [])
            for item in p['nodes']:
                node, _sep, prio = item.partition(':')
                if node not in known or (prio and not prio.isdigit()):
                    raise errors.InvalidArgumentError('nodes: {0!r} is not node[:priority] of a cluster node ({1})'.format(
                        item, ', '.join(sorted(known))), field='nodes')
            want['nodes'] = _nodes_text(nodes)
        for key in ('strict', 'affinity', 'enabled', 'comment'):
            if p.get(key) is not None:
                want[key] = p[key]
        if current is None:
            for key in ('resources',) + RULE_REQUIRED[kind]:
                if key not in want:
                    raise errors.InvalidArgumentError('{0} is required to create a {1} rule'.format(key, kind),
                                                      field=key)
        return want

    def _body(self, changes):
        body = {}
        for key, value in changes.items():
            if key in ('resources', 'nodes'):
                body[key] = ','.join(value)
            elif key == 'enabled':
                body['disable'] = codec.flag(not value)
            elif key == 'strict':
                body['strict'] = codec.flag(value)
            else:
                body[key] = value
        return body

    def create(self, tracker, desired):
        body = self._body(desired)
        if body.get('comment') == '':
            body.pop('comment')
        kind = self.params['type']
        tracker.write(self.client.post, 'cluster', 'ha', 'rules', rule=self.name, type=kind, **body,
                      _confirm=lambda lost: self.read() is not None)
        after = dict(name=self.name, type=kind, enabled=True, comment='')
        if kind == 'node-affinity':
            after['strict'] = False
        after.update(desired)
        return after

    def update(self, tracker, current, desired):
        changes = dict((k, v) for k, v in desired.items() if current.get(k) != v)
        if changes:
            body = self._body(changes)
            if body.get('comment') == '':
                body.pop('comment')
                body['delete'] = 'comment'
            tracker.write(self.client.put, 'cluster', 'ha', 'rules', self.name, type=current['type'], **body,
                          _confirm=lambda lost: self.read() == dict(current, **changes))
        return dict(current, **changes)

    def delete(self, tracker, current):
        tracker.write(self.client.delete, 'cluster', 'ha', 'rules', self.name,
                      _confirm=lambda lost: self.read() is None)


def ensure_ha_rule(pve):
    """Create, update or remove an HA rule; returns the module result."""
    return HaRule(pve).run()
