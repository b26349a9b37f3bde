# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors raised by the client and the area logic; only module shells turn them into fail_json."""

from __future__ import annotations


class PveOpsError(Exception):
    """Base of every error pve.ops raises. ``details`` is a dict a module may return with the failure."""

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self):
        return self.message


class ApiError(PveOpsError):
    """The API answered with an error status: ``status``, PVE's ``reason`` and per-parameter ``errors``."""

    def __init__(self, message, status=None, errors=None, method=None, path=None):
        super().__init__(message, status=status, errors=errors or {}, method=method, path=path)
        self.status = status
        self.errors = errors or {}
        self.method = method
        self.path = path


class NotFoundError(ApiError):
    """The object does not exist (HTTP 404, or the area logic found nothing)."""


class PermissionDeniedError(ApiError):
    """HTTP 403. ``privilege`` and ``acl_path`` name what PVE checked, when it said."""

    def __init__(self, message, status=403, errors=None, method=None, path=None, privilege=None, acl_path=None):
        super().__init__(message, status=status, errors=errors, method=method, path=path)
        self.privilege = privilege
        self.acl_path = acl_path
        self.details.update(privilege=privilege, acl_path=acl_path)


class ValidationError(ApiError):
    """HTTP 400 with PVE's per-parameter messages in ``errors``."""


class AuthenticationError(ApiError):
    """Login refused or credentials rejected (HTTP 401)."""


class ConnectionFailedError(PveOpsError):
    """The API could not be reached: DNS, refused connection, TLS verification, timeout."""


class TaskFailedError(PveOpsError):
    """A worker task ended with an exit status other than OK; ``log`` holds the tail of its log."""

    def __init__(self, message, upid=None, exitstatus=None, log=None):
        super().__init__(message, upid=upid, exitstatus=exitstatus, task_log=list(log or []))
        self.upid = upid
        self.exitstatus = exitstatus
        self.log = list(log or [])


class TaskTimeoutError(PveOpsError):
    """A worker task was still running when the caller's timeout ran out."""

    def __init__(self, message, upid=None, timeout=None):
        super().__init__(message, upid=upid, timeout=timeout)
        self.upid = upid
        self.timeout = timeout


class InvalidArgumentError(PveOpsError):
    """The module's own arguments cannot be satisfied (checked before any write)."""

    def __init__(self, message, field=None):
        super().__init__(message, field=field)
        self.field = field
