# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CRUD skeleton of a state module: read, view, desired, then delete, create or update.

An area subclasses ``Resource`` and fills in what is its own; ``run`` is the one reconcile pattern::

    class Role(Resource):
        noun = 'role'
        def read(self): ...                          # the current view, or None
        def desired(self, current): ...              # the wanted view (refusals before any write)
        def create(self, tracker, desired): ...      # tracker.write(...)
        def update(self, tracker, current, desired): # tracker.write(...) for what differs; returns the after view
        def delete(self, tracker, current): ...

    def ensure_role(pve):
        return Role(pve).run()
"""

from __future__ import annotations

from typing import Any

from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker


class Resource:
    """One PVE object a state module reconciles (``state: present`` or ``absent``)."""

    noun = 'object'

    def __init__(self, pve: Any) -> None:
        self.pve = pve
        self.client = pve.client
        self.params = pve.params
        self.check_mode = pve.check_mode

    # ------------------------------------------------------------------ what an area fills in

    def read(self) -> dict[str, Any] | None:
        raise NotImplementedError

    def desired(self, current: dict[str, Any] | None) -> Any:
        raise NotImplementedError

    def create(self, tracker: ChangeTracker, desired: Any) -> dict[str, Any]:
        """Make the object; returns its view after (``desired`` unless said otherwise)."""
        raise NotImplementedError

    def update(self, tracker: ChangeTracker, current: dict[str, Any], desired: Any) -> dict[str, Any]:
        """Change what differs; returns the view after."""
        raise NotImplementedError

    def delete(self, tracker: ChangeTracker, current: dict[str, Any]) -> None:
        raise NotImplementedError

    def diff_view(self, view: dict[str, Any] | None) -> dict[str, Any]:
        """The view as the diff shows it (``before`` and ``after``)."""
        return view or {}

    def wants_absent(self) -> bool:
        return self.params.get('state') == 'absent'

    def result(self, tracker: ChangeTracker, after: dict[str, Any] | None) -> dict[str, Any]:
        return tracker.result(after=self.diff_view(after), **{self.noun: after})

    # ------------------------------------------------------------------ the pattern

    def run(self) -> dict[str, Any]:
        current = self.read()
        tracker = ChangeTracker(self.check_mode, before=self.diff_view(current))
        if self.wants_absent():
            if current is not None:
                self.delete(tracker, current)
            return self.result(tracker, None)
        desired = self.desired(current)
        if current is None:
            return self.result(tracker, self.create(tracker, desired))
        return self.result(tracker, self.update(tracker, current, desired))
