# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A node's package updates: refresh the index (API task), list what is pending (API), install it (SSH).

- ``refresh``: ``POST /nodes/{node}/apt/update`` (a task, waited on). A refresh changes no configuration:
  it counts as a change only when the pending updates differ afterwards.
- pending updates: ``GET /nodes/{node}/apt/update`` (package, installed and new version, title, origin); with
  ``changelogs``, each one's ``GET /nodes/{node}/apt/changelog``.
- ``state=latest``: PVE has no REST endpoint that installs updates, so the module runs a fixed
  ``apt-get dist-upgrade`` over SSH (ssh.py: the host key verified), then reads the pending updates again and
  whether the node wants a reboot (``/run/reboot-required``). Nothing pending: no change, nothing installed.
"""

from __future__ import annotations

import re

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.nodes import power
from ansible_collections.pve.ops.plugins.module_utils.nodes.ssh import NodeShell, node_address
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

UPGRADE = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-y', '-o', 'Dpkg::Options::=--force-confdef', '-o',
           'Dpkg::Options::=--force-confold', 'dist-upgrade']
REBOOT_MARKER = ['test', '-e', '/run/reboot-required']
_SETTING_UP = re.compile(r'^Setting up (\S+) \(([^)]+)\) \.\.\.', re.MULTILINE)


def pending_updates(client, node, changelogs=False):
    """The pending updates, sorted by package: {package, old_version, version, title, origin[, changelog]}."""
    out = []
    for pkg in sorted(client.get('nodes', node, 'apt', 'update') or [], key=lambda p: p.get('Package', '')):
        item = dict(package=pkg.get('Package'), old_version=pkg.get('OldVersion'), version=pkg.get('Version'),
                    title=pkg.get('Title'), origin=pkg.get('Origin'))
        if changelogs:
            try:
                item['changelog'] = client.get('nodes', node, 'apt', 'changelog', name=item['package'],
                                               version=item['version'])
            except errors.ApiError as exc:
                item['changelog'] = None
                item['changelog_error'] = exc.message
        out.append(item)
    return out


def _versions(updates):
    return dict((u['package'], u['version']) for u in updates)


def ensure_updates(pve):
    params, client = pve.params, pve.client
    node = params['node']
    entry, _status = power.node_entry(client, node)
    if not entry.get('online'):
        raise errors.InvalidArgumentError('node: {0} is offline'.format(node), field='node')
    shell = None
    if params['state'] == 'latest':
        shell = NodeShell(params, params['ssh_host'] or node_address(client, node))
    changelogs = params['changelogs']
    before = pending_updates(client, node, changelogs)
    tracker = ChangeTracker(pve.check_mode, before={'pending': _versions(before)})
    pending = before
    if params['refresh']:
        refresh = ChangeTracker(pve.check_mode)
        upid = refresh.write(client.post, 'nodes', node, 'apt', 'update')
        if upid:
            client.wait(upid, timeout=params['timeout'])
            pending = pending_updates(client, node, changelogs)
            if _versions(pending) != _versions(before):
                tracker.mark()
    upgraded, reboot_required = [], None
    if shell is not None:
        if pending:
            done = tracker.write(shell.run, UPGRADE)
            if pve.check_mode:
                upgraded = [dict(package=u['package'], old_version=u['old_version'], version=u['version'])
                            for u in pending]
                pending = []
            else:
                old = dict((u['package'], u['old_version']) for u in pending)
                upgraded = [dict(package=name, old_version=old.get(name), version=version)
                            for name, version in _SETTING_UP.findall(done[1])]
                pending = pending_updates(client, node, changelogs)
        if not pve.check_mode:
            reboot_required = shell.run(REBOOT_MARKER, check=False)[0] == 0
    result = tracker.result(after={'pending': _versions(pending)}, updates=pending, upgraded=upgraded)
    if shell is not None:
        result['reboot_required'] = reboot_required
    return result
