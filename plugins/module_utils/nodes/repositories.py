# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A node's standard APT repositories (``/nodes/{node}/apt/repositories``), by handle.

PVE lists the standard repositories with their status (``standard-repos``: enabled, disabled, or not configured)
and the entries of every repository file. ``present``: ``PUT`` with the handle when PVE does not report it
enabled (PVE enables the first configured entry of it, or adds one to the handle's standard file). ``absent``:
PVE's API cannot delete an entry, so ``POST`` disables every enabled entry of the handle (an entry is the
handle's when it has its URI and component), one by one. Every write carries the digest read just before it, so
a concurrent change is refused.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

# handle -> (URI, component) of the standard repositories PVE 9 offers (proxmox-apt).
HANDLES = {
    'enterprise': ('https://enterprise.proxmox.com/debian/pve', 'pve-enterprise'),
    'no-subscription': ('http://download.proxmox.com/debian/pve', 'pve-no-subscription'),
    'test': ('http://download.proxmox.com/debian/pve', 'pve-test'),
    'ceph-squid-enterprise': ('https://enterprise.proxmox.com/debian/ceph-squid', 'enterprise'),
    'ceph-squid-no-subscription': ('http://download.proxmox.com/debian/ceph-squid', 'no-subscription'),
    'ceph-squid-test': ('http://download.proxmox.com/debian/ceph-squid', 'test'),
}


def read(client, node):
    return client.get('nodes', node, 'apt', 'repositories') or {}


def entries(result, handle):
    """The configured entries of the handle: [{path, index, enabled}] in file order."""
    uri, component = HANDLES[handle]
    out = []
    for file in result.get('files') or []:
        for index, repo in enumerate(file.get('repositories') or []):
            if (any(u.rstrip('/') == uri for u in repo.get('URIs') or [])
                    and component in (repo.get('Components') or [])):
                out.append(dict(path=file.get('path'), index=index, enabled=bool(repo.get('Enabled'))))
    return out


def view(result, handle):
    """{handle, name, configured, enabled, entries} as PVE reports the handle, or InvalidArgumentError."""
    offered = result.get('standard-repos') or []
    standard = next((r for r in offered if r.get('handle') == handle), None)
    if standard is None:
        raise errors.InvalidArgumentError('handle: the node does not offer the standard repository {0!r} (it offers '
                                          '{1})'.format(handle, ', '.join(r.get('handle', '?') for r in offered)),
                                          field='handle')
    status = standard.get('status')
    return dict(handle=handle, name=standard.get('name'), configured=status is not None,
                enabled=bool(status), entries=entries(result, handle))


def enabled_at(result, path, index):
    """Whether the entry at path and index is enabled (None: there is none)."""
    for file in result.get('files') or []:
        repos = file.get('repositories') or []
        if file.get('path') == path and 0 <= index < len(repos):
            return bool(repos[index].get('Enabled'))
    return None


def _summary(repo):
    return dict(configured=repo['configured'], enabled=repo['enabled'])


def ensure_repository(pve):
    params, client = pve.params, pve.client
    node, handle, present = params['node'], params['handle'], params['state'] == 'present'
    result = read(client, node)
    current = view(result, handle)
    tracker = ChangeTracker(pve.check_mode, before=_summary(current))
    predicted = dict(current, entries=[dict(e) for e in current['entries']])

    def entry_is(entry, want):
        return lambda lost: enabled_at(read(client, node), entry['path'], entry['index']) is want

    if present and not current['enabled']:
        # PVE's add enables the handle's first configured entry (of the node's Debian suite), or appends one.
        body = dict(digest=result['digest']) if result.get('digest') else {}
        # Not retried: once applied, the same PUT would meet a changed digest.
        tracker.write(client.put, 'nodes', node, 'apt', 'repositories', handle=handle, _idempotent=False,
                      _confirm=lambda lost: view(read(client, node), handle)['enabled'], **body)
        predicted.update(configured=True, enabled=True)
        if predicted['entries']:
            predicted['entries'][0]['enabled'] = True
    elif not present and any(e['enabled'] for e in current['entries']):
        for position, entry in enumerate(current['entries']):
            if not entry['enabled']:
                continue
            digest = result.get('digest')
            body = dict(digest=digest) if digest else {}
            tracker.write(client.post, 'nodes', node, 'apt', 'repositories', path=entry['path'],
                          index=entry['index'], enabled=0, _confirm=entry_is(entry, False), **body)
            predicted['entries'][position]['enabled'] = False
            if not pve.check_mode:
                result = read(client, node)  # the next write carries the digest of this one's outcome
        predicted['enabled'] = False
    after = predicted if pve.check_mode or not tracker.changed else view(read(client, node), handle)
    return tracker.result(after=_summary(after), repository=after, node=node)
