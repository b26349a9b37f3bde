# SPDX-License-Identifier: AGPL-3.0-or-later
"""Guest tags as PVE stores them (pve-guest-common's get_unique_tags, which qemu-server and pve-container apply
to every ``tags`` they are given): duplicates dropped, sorted, and in lower case while the datacenter's
``tag-style`` has ``case-sensitive`` off (its default).

fakepve applies that rule when it creates a VM and on every container write, but stores a VM's config update
as given; ``_apply_config`` here applies it there too. The other ``tag-style`` settings (``case-sensitive``
on, ``ordering: config``) change the rule; the simulator does not model them, so setting them is refused
(501) rather than answered with tags PVE would not keep.
"""

import re

from fakepve import PveError
from fakepve.routing import StatefulRoutes

# tag-style keys whose values change how PVE stores tags, and the value the simulator models.
_MODELLED = {'case-sensitive': ('0', 'false', 'no', 'off'), 'ordering': ('alphabetical',)}


def unique_tags(text):
    """PVE's get_unique_tags with the default tag-style: ``a;b`` lower case, sorted, without duplicates."""
    return ';'.join(sorted(set(t.lower() for t in re.split(r'[;, ]+', str(text or '')) if t)))


class GuestTagsApi(StatefulRoutes):
    """Mixin of PveSim: the tag rule on VM config updates, and the refusal of tag-style settings it does not
    model."""

    async def _apply_config(self, vm, user, p):
        if p.get('tags') is not None:
            p = dict(p, tags=unique_tags(p['tags']))
        return await super()._apply_config(vm, user, p)

    async def _cc_set_options(self, v, user):
        style = v.get('tag-style')
        if style:
            props = dict(part.split('=', 1) for part in str(style).split(',') if '=' in part)
            for key, allowed in _MODELLED.items():
                if key in props and str(props[key]).lower() not in allowed:
                    raise PveError(501, "pvesim does not model tag-style {0}={1}: guest tags are stored as PVE's "
                                        "default tag-style stores them (lower case, sorted)".format(key, props[key]))
        return await super()._cc_set_options(v, user)
