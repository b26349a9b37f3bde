# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.node: a node's settings, then its power state (settings.py and power.py do the work).

``state``: ``present`` (settings only), ``restarted`` (reboot: always a change, as Ansible's restarted is),
``stopped`` (shut down; none when the node is offline), ``started`` (wake-on-LAN; none when it is online).
Every refusal (running guests without target or force, an offline target, a node not in the cluster, bad
settings) comes before any write.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.nodes import power, settings
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker


def ensure_node(pve):
    params, client = pve.params, pve.client
    node, state = params['node'], params['state']
    entry, _status = power.node_entry(client, node)
    online = bool(entry.get('online'))
    given = settings.wanted(params)
    if given and not online:
        raise_offline(node, 'its settings cannot be read or changed')
    current = settings.read(client, node, list(given))
    want = settings.desired(current, given)
    before = dict(current, status='online' if online else 'offline')
    after = dict(want, status=before['status'])

    guests, moved = [], []
    command = power.COMMANDS.get(state)
    if command:
        if not online:
            if state == 'restarted':
                raise_offline(node, 'it cannot be rebooted; use state=started to wake it')
            command = None
        else:
            guests = power.guests_on(client, node)
            power.check_target(client, node, params['target'])
            power.refuse_stranded(node, guests, params['target'], params['force'], command)
            if params['target']:
                power.check_evacuation(client, node, params['target'], guests, params['with_local_disks'])

    tracker = ChangeTracker(pve.check_mode, before=before)
    settings.apply(tracker, client, node, current, want)
    timeout = params['timeout']
    if command:
        if params['target']:
            moved = power.evacuate(tracker, client, node, params['target'], guests, params['max_workers'],
                                   params['with_local_disks'], timeout)
        power.power_command(tracker, client, node, command, params['wait'], timeout)
        after['status'] = 'online' if state == 'restarted' else 'offline'
        if state == 'restarted':
            after['rebooted'] = True
    elif state == 'started' and not online:
        power.wake(tracker, client, node, params['wait'], timeout)
        after['status'] = 'online'
    result = tracker.result(after=after, node=dict(after, node=node))
    if command and params['target']:
        result['migrated'] = moved
    return result


def raise_offline(node, what):
    raise errors.InvalidArgumentError('node: {0} is offline; {1}'.format(node, what), field='node')
