# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.storage_info: storage definitions, status and content."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.storage.content import content_view, list_content
from ansible_collections.pve.ops.plugins.module_utils.storage.definitions import (
    backups_visible,
    get_storage,
    list_storages,
    pick_node,
    require_backups_visible,
    require_storage_visible,
    storage_status,
    storage_view,
)

# ---------------------------------------------------------------------- info


def storage_facts(pve):
    """pve.ops.storage_info: the result dict."""
    p, client = pve.params, pve.client
    out = dict(changed=False)
    if 'content' in p['gather'] and not p['name']:
        raise errors.InvalidArgumentError('gather content needs name (the storage to list)', field='name')
    if pve.check_mode and p['name'] and get_storage(client, p['name']) is None:
        # Check mode of a play that creates the storage first: there is nothing to read yet.
        require_storage_visible(client, p['name'])
        pve.warn('storage {0!r} does not exist yet: check mode takes it as made by an earlier task of the play; it '
                 'holds nothing yet'.format(p['name']))
        empty = dict(config=('storages', []), status=('status', []), content=('content', []))
        out.update(empty[g] for g in p['gather'])
        return out
    if 'config' in p['gather']:
        out['storages'] = [storage_view(s) for s in list_storages(client)
                           if p['name'] is None or s.get('storage') == p['name']]
        if p['name'] and not out['storages']:
            require_storage_visible(client, p['name'])
            raise errors.NotFoundError('storage {0!r} does not exist'.format(p['name']))
    if 'status' in p['gather']:
        out['status'] = storage_status(client, p['node'], p['name'])
    if 'content' in p['gather']:
        node = pick_node(client, p['name'], p['node'])
        items = list_content(client, node, p['name'], content=p['content'], vmid=p['vmid'])
        if p['content'] in (None, 'backup') and not backups_visible(client, p['name'], p['vmid']):
            if p['vmid'] is not None and not items:
                require_backups_visible(client, p['name'], p['vmid'], 'guest {0} has backups there'.format(p['vmid']))
            pve.warn('PVE lists a backup only to Datastore.Allocate on /storage/{0}, or Datastore.AllocateSpace '
                     'there and VM.Backup on its guest: backups these credentials may not see are not in '
                     'content'.format(p['name']))
        out.update(content=[content_view(item) for item in items], node=node)
    return out
