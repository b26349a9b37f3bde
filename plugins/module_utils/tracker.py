# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One change tracker for every state module: before/after, changed, and writes that check mode skips.

The reconcile pattern::

    tracker = ChangeTracker(pve.check_mode, before=current_view)
    if current != desired:
        tracker.write(client.put, 'nodes', node, 'qemu', vmid, 'config', **changes)
    return tracker.result(after=desired_view, vm=desired_view)

``write`` is the only place a mutating call happens; in check mode it records the change and returns
None without calling the API.
"""

from __future__ import annotations

import copy


class ChangeTracker(object):
    def __init__(self, check_mode, before=None):
        self.check_mode = check_mode
        self.before = copy.deepcopy(before) if before is not None else {}
        self.changed = False
        self.actions = []

    def write(self, call, *args, **kwargs):
        """Record a change and, unless in check mode, make the call; returns its result (None in check mode)."""
        self.changed = True
        self.actions.append(getattr(call, '__name__', str(call)))
        if self.check_mode:
            return None
        return call(*args, **kwargs)

    def mark(self):
        """Record a change made by other means (for example a task the caller started itself)."""
        self.changed = True

    def result(self, after=None, **extra):
        """The module result: changed, diff (before/after), and the given keys."""
        out = dict(changed=self.changed)
        out['diff'] = dict(before=self.before, after=copy.deepcopy(after) if after is not None else {})
        out.update(extra)
        return out


def dict_changes(current, desired):
    """The keys of ``desired`` whose values differ from ``current`` (missing counts as different)."""
    return dict((k, v) for k, v in desired.items() if current.get(k) != v)
