# SPDX-License-Identifier: AGPL-3.0-or-later
"""Guest tags as PVE stores them: pve-guest-common's get_unique_tags, which qemu-server and pve-container apply
to every ``tags`` they are given (creating a guest, updating its config), under the datacenter's ``tag-style``:

- ``case-sensitive`` off (the default): tags in lower case, duplicates told apart without regard to case;
  on: their case kept;
- ``ordering`` alphabetical (the default): sorted (without regard to case unless case-sensitive); ``config``:
  in the order given.

fakepve applies the default rule when it creates a VM and on every container write, and stores a VM's config
update as given; the overrides here apply the datacenter's rule on all four.
"""

import re

from fakepve.routing import StatefulRoutes

_CREATE_TASKS = ('qmcreate', 'vzcreate')


def _style(text):
    """(case_sensitive, ordering) of a tag-style property string."""
    props = dict(part.split('=', 1) for part in str(text or '').split(',') if '=' in part)
    sensitive = str(props.get('case-sensitive', '0')).lower() in ('1', 'true', 'yes', 'on')
    return sensitive, props.get('ordering') or 'alphabetical'


def unique_tags(text, style=None):
    """PVE's get_unique_tags: ``a;b`` as the tag-style ``style`` (its property string) stores it."""
    sensitive, ordering = _style(style)
    given = [t for t in re.split(r'[;,\s]+', str(text or '')) if t]
    if ordering != 'config':
        given.sort(key=(lambda t: t) if sensitive else str.lower)
    seen, out = set(), []
    for tag in given:
        tag = tag if sensitive else tag.lower()
        if tag not in seen:
            seen.add(tag)
            out.append(tag)
    return ';'.join(out)


class GuestTagsApi(StatefulRoutes):
    """Mixin of PveSim: guest tags stored under the datacenter's tag-style."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # vmid -> the tags a create task in flight stores (fakepve's task body applies the default rule).
        self._tags_on_create = {}

    def _unique_tags(self, text):
        return unique_tags(text, self.cluster_options.get('tag-style'))

    async def _apply_config(self, vm, user, p):
        if p.get('tags') is not None:
            p = dict(p, tags=self._unique_tags(p['tags']))
        return await super()._apply_config(vm, user, p)

    async def _lxc_config_put(self, user, v):
        result = await super()._lxc_config_put(user, v)
        if v.get('tags'):
            ct = self.ct(int(v['vmid']))
            where = ct.pending if ct.pending.get('tags') is not None else ct.config
            if where.get('tags'):
                where['tags'] = self._unique_tags(v['tags'])
        return result

    async def _qm_create(self, v, user):
        if v.get('tags'):
            self._tags_on_create[int(v['vmid'])] = self._unique_tags(v['tags'])
        try:
            return await super()._qm_create(v, user)
        finally:
            self._tags_on_create.pop(int(v['vmid']), None)

    async def _lxc_create(self, user, v):
        if v.get('tags'):
            self._tags_on_create[int(v['vmid'])] = self._unique_tags(v['tags'])
        try:
            return await super()._lxc_create(user, v)
        finally:
            self._tags_on_create.pop(int(v['vmid']), None)

    async def task(self, node, ttype, tid, user, body, *args, **kwargs):
        tags = self._tags_on_create.get(int(tid)) if ttype in _CREATE_TASKS and str(tid).isdigit() else None
        if tags:
            async def tagged(*a, **kw):
                result = await body(*a, **kw)
                guest = kwargs.get('vm')
                if guest is not None and guest.config.get('tags'):
                    guest.config['tags'] = tags
                return result
            return await super().task(node, ttype, tid, user, tagged, *args, **kwargs)
        return await super().task(node, ttype, tid, user, body, *args, **kwargs)
