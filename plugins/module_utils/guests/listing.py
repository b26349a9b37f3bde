# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The guest listing of pve.ops.vm_info and pve.ops.container_info: one /cluster/resources request, the
list filters, the page (limit, offset, fields), then one request per detail asked for and guest of the page."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, paging
from ansible_collections.pve.ops.plugins.module_utils.guests.actions import current_status
from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import list_guests, path
from ansible_collections.pve.ops.plugins.module_utils.guests.pending import pending_view, read_pending
from ansible_collections.pve.ops.plugins.module_utils.guests.snapshots import list_snapshots

RRD_TIMEFRAMES = ('hour', 'day', 'week', 'month', 'year')
RRD_CF = ('AVERAGE', 'MAX')
_COMMON_DETAILS = ('config', 'pending', 'status', 'snapshots', 'rrd')
# What gather may ask for, per guest type: VMs add the guest agent's network view, containers their
# interfaces.
DETAILS = {'qemu': _COMMON_DETAILS + ('agent_network',), 'lxc': _COMMON_DETAILS + ('interfaces',)}


def match_filters(guest, node=None, name=None, vmid=None, tags=None, pool=None, status=None):
    """True when a resource entry passes the list filters (tags: every given tag is on the guest, matched as
    PVE matches tags: see codec.same_tags)."""
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
    return not tags or codec.has_tags(guest.get('tags'), tags)


def guest_details(client, guest, gather, timeframe='hour', cf='AVERAGE'):
    """The details of one guest asked for in ``gather`` (one request each).

    agent_network is for VMs: when the guest agent does not answer, ``agent_network`` is null and
    ``agent_error`` says why (an agent that is not running is not a failure of the read). interfaces is for
    containers: null when the container is not running.
    """
    out = {}
    if 'config' in gather:
        config = dict(client.get(*path(guest, 'config')) or {})
        config.pop('digest', None)
        out['config'] = config
    if 'pending' in gather:
        out['pending'] = pending_view(*read_pending(client, guest))
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
    if 'interfaces' in gather and guest['type'] == 'lxc':
        out['interfaces'] = client.get(*path(guest, 'interfaces')) if guest.get('status') == 'running' else None
    return out


# The result keys of each detail of gather.
DETAIL_KEYS = {'config': ('config',), 'pending': ('pending',), 'status': ('status_detail',),
               'snapshots': ('snapshots',), 'rrd': ('rrd',), 'agent_network': ('agent_network', 'agent_error'),
               'interfaces': ('interfaces',)}
# Keys every listed guest has, whatever /cluster/resources sent.
_ALWAYS = ('vmid', 'template', 'tags')


def guest_listing(client, guest_type, params):
    """(the page of the guests of one type passing the list filters in ``params``, its ``page``; see
    module_utils/paging.py).

    Filters: node, name, vmid, tags, pool, status; sorted by vmid; paged by limit and offset; each guest its
    resource entry (vmid an int, template a bool, tags a list as PVE keeps them) with the details of
    ``params['gather']``, cut to ``params['fields']``. Only the guests of the page are shaped and have their
    details read, and only the details fields keeps.
    """
    fields = params.get(paging.FIELDS)
    gather = [d for d in params.get('gather') or [] if fields is None or set(DETAIL_KEYS[d]) & set(fields)]
    matched = [guest for guest in list_guests(client, guest_type)
               if match_filters(guest, node=params.get('node'), name=params.get('name'), vmid=params.get('vmid'),
                                tags=params.get('tags'), pool=params.get('pool'), status=params.get('status'))]
    if fields is not None:
        present = set(_ALWAYS).union(*(guest.keys() for guest in matched))
        present.update(key for detail in params.get('gather') or [] for key in DETAIL_KEYS[detail])
        paging.check_fields(fields, present, bool(matched))
    matched.sort(key=lambda g: int(g['vmid']))
    offset = params.get(paging.OFFSET) or 0
    start, stop = paging.window(len(matched), offset, params.get(paging.LIMIT))
    listed = []
    for guest in matched[start:stop]:
        item = dict(guest)
        item['vmid'] = int(item['vmid'])
        item['template'] = codec.is_true(item.get('template'))
        item['tags'] = codec.tag_list(item.get('tags'))
        if gather:
            item.update(guest_details(client, guest, gather, timeframe=params.get('timeframe') or 'hour',
                                      cf=params.get('cf') or 'AVERAGE'))
        listed.append(paging.select(item, fields))
    return listed, paging.info(len(matched), offset, params.get(paging.LIMIT), len(listed))
