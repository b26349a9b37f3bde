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

The hooks a module may need beside those: ``wants_absent`` (when ``state`` means something else),
``diff_view`` (what the diff compares), ``start`` (the tracker, with what check mode assumes), ``shown`` (the
object the result returns, for example read back after a write) and ``extra`` (keys the result carries beside
it). ``result`` itself is overridden only where a result has another shape.
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
        # Keys the result carries beside the object (``moved``, ``node``, ...), set while the run decides them.
        self.extra: dict[str, Any] = {}

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

    def start(self, current: dict[str, Any] | None) -> ChangeTracker:
        """The run's tracker, before anything is decided (a subclass says here what check mode assumes)."""
        return ChangeTracker(self.check_mode, before=self.diff_view(current))

    def shown(self, tracker: ChangeTracker, after: dict[str, Any]) -> dict[str, Any]:
        """The object as the result returns it (``after`` unless said otherwise; not called when absent)."""
        return after

    def wrote(self, tracker: ChangeTracker) -> bool:
        """Whether a write ran (not check mode): then ``shown`` may read back what PVE made of it."""
        return tracker.changed and not self.check_mode

    def result(self, tracker: ChangeTracker, after: dict[str, Any] | None) -> dict[str, Any]:
        shown = self.shown(tracker, after) if after is not None else None
        return tracker.result(after=self.diff_view(after), **{self.noun: shown}, **self.extra)

    # ------------------------------------------------------------------ the pattern

    def run(self) -> dict[str, Any]:
        current = self.read()
        tracker = self.start(current)
        if self.wants_absent():
            if current is not None:
                self.delete(tracker, current)
            return self.result(tracker, None)
        desired = self.desired(current)
        if current is None:
            return self.result(tracker, self.create(tracker, desired))
        return self.result(tracker, self.update(tracker, current, desired))


def listed(entries: list[dict[str, Any]] | None, key: str, value: Any) -> dict[str, Any] | None:
    """The entry of a PVE listing whose ``key`` is ``value`` (the read of an object PVE lists but cannot
    answer alone), or None."""
    return next((entry for entry in entries or [] if entry.get(key) == value), None)
