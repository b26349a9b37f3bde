# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors raised by the client and the area logic; only module shells turn them into fail_json."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class PveOpsError(Exception):
    """Base of every error pve.ops raises. ``details`` is a dict a module may return with the failure."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class ApiError(PveOpsError):
    """The API answered with an error status: ``status``, PVE's ``reason`` and per-parameter ``errors``."""

    def __init__(self, message: str, status: int | None = None, errors: dict[str, str] | None = None,
                 method: str | None = None, path: str | None = None) -> None:
        super().__init__(message, status=status, errors=errors or {}, method=method, path=path)
        self.status = status
        self.errors = errors or {}
        self.method = method
        self.path = path


class NotFoundError(ApiError):
    """The object does not exist (HTTP 404, or the area logic found nothing)."""


class PermissionDeniedError(ApiError):
    """HTTP 403. ``privilege`` and ``acl_path`` name what PVE checked, when it said."""

    def __init__(self, message: str, status: int | None = 403, errors: dict[str, str] | None = None,
                 method: str | None = None, path: str | None = None, privilege: str | None = None,
                 acl_path: str | None = None) -> None:
        super().__init__(message, status=status, errors=errors, method=method, path=path)
        self.privilege = privilege
        self.acl_path = acl_path
        self.details.update(privilege=privilege, acl_path=acl_path)


class NotVisibleError(PermissionDeniedError):
    """An object is not in a listing PVE filters by privilege, and the credentials lack the privilege that would
    show it: it may exist. Never reported as absent; ``privilege`` and ``acl_path`` name what would show it."""

    def __init__(self, message: str, privilege: str | None = None, acl_path: str | None = None) -> None:
        super().__init__(message, status=None, privilege=privilege, acl_path=acl_path)


class ValidationError(ApiError):
    """HTTP 400 with PVE's per-parameter messages in ``errors``."""


class AuthenticationError(ApiError):
    """Login refused or credentials rejected (HTTP 401)."""


class ConnectionFailedError(PveOpsError):
    """The API could not be reached: DNS, refused connection, TLS verification, timeout."""


class TaskFailedError(PveOpsError):
    """A worker task ended with an exit status other than OK; ``log`` holds the tail of its log."""

    def __init__(self, message: str, upid: str | None = None, exitstatus: str | None = None,
                 log: Iterable[str] | None = None) -> None:
        super().__init__(message, upid=upid, exitstatus=exitstatus, task_log=list(log or []))
        self.upid = upid
        self.exitstatus = exitstatus
        self.log = list(log or [])


class TaskTimeoutError(PveOpsError):
    """A worker task was still running when the caller's timeout ran out."""

    def __init__(self, message: str, upid: str | None = None, timeout: float | None = None) -> None:
        super().__init__(message, upid=upid, timeout=timeout)
        self.upid = upid
        self.timeout = timeout


class InvalidArgumentError(PveOpsError):
    """The module's own arguments cannot be satisfied (checked before any write)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.field = field


class AnswerLostError(PveOpsError):
    """A write went out and its answer never came (connection reset, read timeout), or contact with the API was
    lost while waiting on its task ``upid``: the write may have taken effect.

    The client raises it; ChangeTracker.write re-reads the resource (the module's ``confirm``) to say what
    happened. ``sent_at`` is the time (epoch seconds) just before the request went out.
    """

    def __init__(self, message: str, method: str | None = None, path: str | None = None, upid: str | None = None,
                 sent_at: float | None = None) -> None:
        super().__init__(message, method=method, path=path, upid=upid)
        self.method = method
        self.path = path
        self.upid = upid
        self.sent_at = sent_at
        # Set by ChangeTracker.settle when a re-read shows the write took effect.
        self.applied = False


class OutcomeUnknownError(PveOpsError):
    """Whether a write took effect cannot be known (its answer was lost and a re-read could not tell).

    Never a "no change": modules report it as a failure with ``changed: true`` (a change may have been made)
    and ``outcome: unknown``, and the message says how to check (the task's UPID where known).
    """

    def __init__(self, message: str, method: str | None = None, path: str | None = None, upid: str | None = None) -> None:
        super().__init__(message, method=method, path=path, upid=upid, outcome='unknown')
        self.method = method
        self.path = path
        self.upid = upid


class NotAppliedError(PveOpsError):
    """A write's answer was lost, and a re-read shows it did not take effect: nothing changed, run again."""

    def __init__(self, message: str, method: str | None = None, path: str | None = None) -> None:
        super().__init__(message, method=method, path=path, outcome='not applied')
        self.method = method
        self.path = path


class SecretLostError(PveOpsError):
    """A write took effect, but the secret its answer carried (a new token's) was lost with the answer."""


def outcome_unknown(lost: AnswerLostError, detail: str | None = None) -> OutcomeUnknownError:
    """The OutcomeUnknownError for an AnswerLostError: what was lost, and how to find out what happened."""
    if lost.upid:
        how = ('the task {0} was started; check how it ended with pve.ops.task_info upid={0} (GET /nodes/{1}/tasks/'
               '{0}/status) before running again'.format(lost.upid, lost.upid.split(':')[1]))
    else:
        how = 'read the resource back (or list the recent tasks with pve.ops.task_info) before running again'
    message = 'outcome unknown: {0}, so it may or may not have taken effect{1}; {2}'.format(
        lost.message, ' ({0})'.format(detail) if detail else '', how)
    return OutcomeUnknownError(message, method=lost.method, path=lost.path, upid=lost.upid)
