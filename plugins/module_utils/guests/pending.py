# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A guest's config and its pending changes (GET .../pending), and how they apply.

PVE keeps a change a running guest cannot take at once (one that is not hot-plugged) in the pending
section until the next start; a stopped guest takes every change at once. ``GuestConfig`` is what is known
of a guest's config: read from PVE, or predicted in check mode the way PVE decides.
"""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.module_utils.guests.lookup import path


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


class GuestConfig:
    """A guest's config as known: ``current``, ``pending`` values and pending ``deletes``."""

    def __init__(self, current=None, pending=None, deletes=None):
        self.current = dict(current or {})
        self.pending = dict(pending or {})
        self.deletes = list(deletes or [])

    @classmethod
    def read(cls, client, guest):
        return cls(*read_pending(client, guest))

    def effective(self):
        """The config once the pending changes apply."""
        return effective_config(self.current, self.pending, self.deletes)

    def has_pending(self):
        return bool(self.pending or self.deletes)

    def applied(self, **extra):
        """The config after a start (or reboot, or the template action): every pending change taken."""
        return GuestConfig(dict(self.effective(), **extra))

    def predict(self, sets, deletes, running, hot):
        """Check mode's config after PUT config with ``sets`` and ``deletes``, as PVE decides: a stopped guest
        takes every change at once, a running one only those ``hot(key, current, delete)`` says it
        hot-plugs; the rest waits in pending."""
        out = GuestConfig(self.current, self.pending, self.deletes)
        for key, value in sets.items():
            if running and not hot(key, self.current, False):
                out.pending[key] = value
            else:
                out.current[key] = value
        for key in deletes:
            if running and not hot(key, self.current, True):
                if key not in out.deletes:
                    out.deletes.append(key)
            else:
                out.current.pop(key, None)
        return out

    def view(self):
        """The pending changes as {key: {current, pending}} (see pending_view)."""
        return pending_view(self.current, self.pending, self.deletes)
