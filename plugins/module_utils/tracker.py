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
None without calling the API. A write that needs a resource held open while it runs (a file to upload) names
it in ``_open``: ``{keyword: factory}``, each factory a context manager entered only when the call is made
(never in check mode), its value passed as that keyword::

    tracker.write(client.post, 'nodes', node, 'storage', storage, 'upload', content=content,
                  _open={'filename': lambda: upload_file(src, name)})

Secret fields (a password) are never in a view; ``secret(name, before, after)`` puts what happened to one in
the diff as markers (``None``, ``'(set)'``, ``'(changed)'``), so no module writes into the tracker's state.

Lost answers. When the answer to a write is lost after the request went out (the client raises
errors.AnswerLostError), ``write`` asks the module's ``_confirm(lost)`` whether the write took effect,
by reading the resource back::

    tracker.write(client.post, 'storage', storage=name, type=kind,
                  _confirm=lambda lost: get_storage(client, name) is not None)
    upid = tracker.write(client.post, 'nodes', node, 'vzdump', **body,
                         _confirm=task_started(client, node, 'vzdump', task_id=vmid))

``_confirm`` returns a UPID (it took effect as that task: ``write`` returns it, so the caller waits on it
as on the answer), True (it took effect) or a false value (it did not); it raises a PveOpsError when it
cannot tell. Took effect: the write counts as a change and a warning says what happened. Did not:
NotAppliedError (nothing changed; run again). Cannot tell, or no ``_confirm``: OutcomeUnknownError, whose
message says how to check (the task's UPID where known). A lost contact while waiting on a task started
inside ``call`` (AnswerLostError with a UPID) is always an unknown outcome.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from ansible_collections.pve.ops.plugins.module_utils import errors

# A write's re-read after a lost answer: a UPID (took effect as that task), True (took effect) or false.
Confirm = Callable[[errors.AnswerLostError], 'str | bool | None']


class ChangeTracker:
    def __init__(self, check_mode: bool, before: dict[str, Any] | None = None) -> None:
        self.check_mode = check_mode
        self.before = copy.deepcopy(before) if before is not None else {}
        self.changed = False
        self.actions: list[str] = []
        # Said in the result's warnings (module.run_module hands them to module.warn).
        self.warnings: list[str] = []
        self._secrets: dict[str, tuple[str | None, str | None]] = {}

    def write(self, call: Callable[..., Any], *args: Any, _confirm: Confirm | None = None,
              _open: dict[str, Callable[[], AbstractContextManager[Any]]] | None = None, **kwargs: Any) -> Any:
        """Record a change and, unless in check mode, make the call; returns its result (None in check mode).

        ``_confirm(lost)``: how to tell, after a lost answer, whether the write took effect (see above).
        ``_open``: ``{keyword: factory}`` of context managers held open for the call (see above)."""
        self.changed = True
        self.actions.append(getattr(call, '__name__', str(call)))
        if self.check_mode:
            return None
        with contextlib.ExitStack() as stack:
            for keyword, factory in (_open or {}).items():
                kwargs[keyword] = stack.enter_context(factory())
            try:
                return call(*args, **kwargs)
            except errors.AnswerLostError as lost:
                return self.settle(lost, _confirm)

    def secret(self, name: str, before: str | None, after: str | None) -> None:
        """Show in the diff what happened to secret field ``name``, as markers, never its value."""
        self._secrets[name] = (before, after)

    def settle(self, lost: errors.AnswerLostError, confirm: Confirm | None = None) -> str | None:
        """What a lost answer meant: the UPID (or None) of a write that took effect, or a typed error."""
        if lost.upid is not None or confirm is None:
            raise errors.outcome_unknown(lost) from None
        try:
            found = confirm(lost)
        except errors.SecretLostError:
            lost.applied = True
            raise
        except errors.NotAppliedError:
            raise
        except errors.PveOpsError as exc:
            raise errors.outcome_unknown(lost, 'a re-read could not tell: {0}'.format(exc)) from None
        if not found:
            raise errors.NotAppliedError('{0}; a re-read shows it did not take effect: nothing changed, run the task '
                                         'again'.format(lost.message), method=lost.method, path=lost.path) from None
        upid = found if isinstance(found, str) else None
        lost.applied = True
        self.warnings.append('{0}; a re-read shows it took effect{1}'.format(
            lost.message, ' (task {0})'.format(upid) if upid else ''))
        return upid

    def assume(self, what: str, then: str) -> None:
        """Check mode only: ``what`` (a pool, a storage, a backup, a user) is not there, and may be made by an
        earlier task of the same play, whose check mode made nothing. Say so, and go on with ``then``."""
        self.warnings.append('{0} does not exist yet: check mode takes it as made by an earlier task of the play; '
                             '{1}'.format(what, then))

    def mark(self) -> None:
        """Record a change made by other means (for example a task the caller started itself)."""
        self.changed = True

    def result(self, after: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        """The module result: changed, diff (before/after), and the given keys."""
        out: dict[str, Any] = dict(changed=self.changed)
        before = copy.deepcopy(self.before)
        after = copy.deepcopy(after) if after is not None else {}
        for name, (was, now) in self._secrets.items():
            before[name] = was
            after[name] = now
        out['diff'] = dict(before=before, after=after)
        out.update(extra)
        if self.warnings:
            out['warnings'] = list(self.warnings) + list(out.get('warnings') or [])
        return out


def dict_changes(current: Mapping[str, Any], desired: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of ``desired`` whose values differ from ``current`` (missing counts as different)."""
    return dict((k, v) for k, v in desired.items() if current.get(k) != v)
