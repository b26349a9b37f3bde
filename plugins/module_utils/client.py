# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one Proxmox VE API client of pve.ops: auth, TLS, quoting, retries, error mapping, tasks.

Modules, plugins and the MCP adapter all talk to the API through ``ProxmoxClient``; nothing else
opens an HTTP connection. Helpers never exit: every failure is a typed error from ``errors``.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from ansible_collections.pve.ops.plugins.module_utils import codec, errors
from ansible_collections.pve.ops.plugins.module_utils.tasks import wait_for_task

try:
    import requests
    from proxmoxer import ProxmoxAPI
    from proxmoxer.core import AuthenticationError as _ProxmoxerAuthError
    from proxmoxer.core import ProxmoxResource, ResourceException
    from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError
    HAS_PROXMOXER = True
    PROXMOXER_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module shell
    HAS_PROXMOXER = False
    PROXMOXER_IMPORT_ERROR = exc

DEFAULT_PORT = 8006
# Called with (upid, status) on every poll of a task (the MCP runner reports progress with it).
TaskObserver = Callable[[str, dict[str, Any]], None]
DEFAULT_TIMEOUT = 30
# Transient answers worth another try: bad gateway, unavailable, gateway timeout, and pveproxy's
# 596 (connection to the other node timed out).
TRANSIENT_STATUS = frozenset((502, 503, 504, 596))
# PVE's refusal: "Permission check failed (/vms/100, VM.PowerMgmt)".
_PERM_RE = re.compile(r'\((?P<path>/[^,)]*),\s*(?P<priv>[A-Za-z.|]+)\)')
TLS_HINT = ('TLS verification failed: give the cluster CA certificate as ca_path (PROXMOX_CA_PATH; '
            'on a node it is /etc/pve/pve-root-ca.pem), or set validate_certs: false for a test cluster.')


def api_path(*segments: object) -> str:
    """A relative API path from segments, each quoted, so a name can never change the path."""
    return '/'.join(quote(str(seg), safe='') for seg in segments)


class ProxmoxClient:
    """A connection to one Proxmox VE API endpoint.

    Reads and calls marked idempotent are retried with exponential backoff on transient failures
    (connection reset, HTTP 502/503/504/596). Creates (POST) are never retried unless the caller says
    the call is idempotent. ``task_observer(upid, status)`` is called on every poll of a task.

    A failed connection is one of two things. Nothing was sent (connection refused, DNS, TLS, connect
    timeout): ConnectionFailedError, safe to run again. A write was sent and its answer lost (connection
    reset or closed, read timeout): AnswerLostError, the write may have taken effect (see
    tracker.ChangeTracker.write, which re-reads to find out).
    """

    def __init__(self, host: str | None, port: int | str | None = None, user: str | None = None,
                 password: str | None = None, token_id: str | None = None, token_secret: str | None = None,
                 validate_certs: bool = True, ca_path: str | None = None, timeout: float | None = None,
                 retries: int = 3, backoff: float = 0.5, task_observer: TaskObserver | None = None,
                 session_cache: dict[Any, Any] | None = None) -> None:
        if not HAS_PROXMOXER:
            raise errors.PveOpsError('proxmoxer is required: pip install "proxmoxer>=2,<3" ({0})'.format(
                PROXMOXER_IMPORT_ERROR))
        if not host:
            raise errors.InvalidArgumentError('api_host is required (or set PROXMOX_HOST)', field='api_host')
        self.host = host
        self.port = int(port or DEFAULT_PORT)
        self.timeout = int(timeout or DEFAULT_TIMEOUT)
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.task_observer = task_observer
        # Every UPID this client waited on, in order (for results, audit logs and progress).
        self.tasks: list[str] = []
        self.verify = (ca_path or True) if validate_certs else False
        if token_id or token_secret:
            if not (token_id and token_secret):
                raise errors.InvalidArgumentError('api_token_id and api_token_secret must be given together',
                                                  field='api_token_id')
            if '!' in token_id:
                user, token_id = token_id.split('!', 1)
            if not user:
                raise errors.InvalidArgumentError(
                    'api_user is required with a bare api_token_id (or give api_token_id as user@realm!tokenid)',
                    field='api_user')
        elif not password:
            raise errors.InvalidArgumentError(
                'give api_password, or api_token_id with api_token_secret (PROXMOX_PASSWORD / PROXMOX_TOKEN_ID)',
                field='api_password')
        if not user:
            raise errors.InvalidArgumentError('api_user is required (or set PROXMOX_USER)', field='api_user')
        if '@' not in user:
            raise errors.InvalidArgumentError(
                "api_user must be realm-qualified, for example root@pam (got {0!r})".format(user), field='api_user')
        self.user = user
        # Who PVE sees: the user, or the token (user@realm!name) as it appears in task UPIDs.
        self.identity = '{0}!{1}'.format(user, token_id) if token_id else user
        # Writes PVE accepted: a failure after one has changed something. Lost answers are counted apart
        # (ChangeTracker.settle marks the ones a re-read showed to have taken effect: ``applied``).
        self.writes = 0
        self.lost_answers: list[errors.AnswerLostError] = []
        self._auth = dict(token_name=token_id, token_value=token_secret) if token_id else dict(password=password)
        # A long-lived caller (the MCP adapter) may share logged-in sessions between clients with the same
        # endpoint and credentials; the key holds a digest of the secret, never the secret itself.
        self._session_cache = session_cache
        self._session_key = (self.host, self.port, self.user, token_id, str(self.verify), hashlib.sha256(
            (token_secret or password or '').encode()).hexdigest())
        self._api = session_cache.get(self._session_key) if session_cache is not None else None

    # ------------------------------------------------------------------ connection

    @classmethod
    def from_params(cls, params: Mapping[str, Any], task_observer: TaskObserver | None = None,
                    session_cache: dict[Any, Any] | None = None) -> ProxmoxClient:
        """A client from the connection options of a module (see doc_fragments/connection.py)."""
        return cls(host=params.get('api_host'), port=params.get('api_port'), user=params.get('api_user'),
                   password=params.get('api_password'), token_id=params.get('api_token_id'),
                   token_secret=params.get('api_token_secret'),
                   validate_certs=params.get('validate_certs', True), ca_path=params.get('ca_path'),
                   timeout=params.get('api_timeout'), task_observer=task_observer, session_cache=session_cache)

    @property
    def api(self) -> Any:
        """The proxmoxer ProxmoxAPI object, logged in on first use."""
        if self._api is None:
            self._api = self._retry('POST', 'access/ticket', self._login, idempotent=True)
            if self._session_cache is not None:
                self._session_cache[self._session_key] = self._api
        return self._api

    def _login(self) -> Any:
        try:
            return ProxmoxAPI(self.host, port=self.port, user=self.user, verify_ssl=self.verify,
                              timeout=self.timeout, **self._auth)
        except _ProxmoxerAuthError:
            raise errors.AuthenticationError(
                'authentication failed for {0} on {1}:{2}: check api_user and api_password'.format(
                    self.user, self.host, self.port), status=401, method='POST', path='access/ticket') from None

    # ---------------------------------------------------------------------- calls

    def get(self, *segments: object, **params: Any) -> Any:
        return self.request('GET', segments, params)

    def get_answer(self, *segments: object, **params: Any) -> dict[str, Any]:
        """A GET's whole answer: ``data`` and the attributes PVE sets beside it (``changes`` of a node's
        network list, ``total`` of paged lists), which ``get`` leaves out."""
        path = api_path(*segments)
        query = dict((k, codec.wire(v)) for k, v in params.items() if v is not None)

        def call() -> Any:
            resource = self.api(path.split('/'))
            whole = ProxmoxResource(**dict(resource._store, serializer=_WholeAnswer(resource._store['serializer'])))
            return whole.get(**query)
        answer = self._retry('GET', path, call, True, params=query)
        return answer if isinstance(answer, dict) else {'data': answer}

    def post(self, *segments: object, **params: Any) -> Any:
        """A POST (a create or an action): never retried unless ``_idempotent=True`` is given."""
        idempotent = params.pop('_idempotent', False)
        return self.request('POST', segments, params, idempotent=idempotent)

    def put(self, *segments: object, **params: Any) -> Any:
        """A PUT (a change): retried unless ``_idempotent=False`` is given (a PUT whose retry would differ, such as
        one that appends) or it carries a ``digest`` (which a first attempt that took effect has changed)."""
        idempotent = params.pop('_idempotent', True)
        return self.request('PUT', segments, params, idempotent=idempotent)

    def delete(self, *segments: object, **params: Any) -> Any:
        idempotent = params.pop('_idempotent', False)
        return self.request('DELETE', segments, params, idempotent=idempotent)

    def request(self, method: str, segments: Sequence[object], params: Mapping[str, Any] | None = None,
                idempotent: bool | None = None) -> Any:
        """Call the API; returns PVE's ``data``. Segments are quoted one by one."""
        path = api_path(*segments)
        params = dict((k, codec.wire(v)) for k, v in (params or {}).items() if v is not None)
        if idempotent is None:
            idempotent = method in ('GET', 'PUT')
        if method != 'GET' and 'digest' in params:
            # A write carrying the digest of what was read: if a first attempt took effect and its answer was
            # lost, a retry is refused for the digest it changed, and the outcome is unknown, not a failure.
            idempotent = False
        # A ticket request changes nothing: a lost answer to it is a connection failure, not a lost write.
        write = method != 'GET' and path != 'access/ticket'

        def call() -> Any:
            resource = self.api(path.split('/'))
            if method == 'GET':
                return resource.get(**params)
            if method == 'DELETE':
                return resource.delete(**params)
            return getattr(resource, method.lower())(**params)
        answer = self._retry(method, path, call, idempotent, write=write, params=params)
        if write:
            self.writes += 1
        return answer

    def _retry(self, method: str, path: str, call: Callable[[], Any], idempotent: bool, write: bool = False,
               params: Mapping[str, Any] | None = None) -> Any:
        attempt = 0
        relogged = False
        sent_at = None  # when a write went out whose answer was lost (on this or an earlier attempt)
        while True:
            started = time.time()
            try:
                return call()
            except ResourceException as exc:
                if exc.status_code == 401 and 'password' in self._auth and not relogged and self._api is not None:
                    # The ticket expired or was revoked: log in again once; PVE refused before acting.
                    relogged = True
                    self._api = None
                    continue
                if exc.status_code in TRANSIENT_STATUS and idempotent and attempt < self.retries:
                    attempt += 1
                    time.sleep(self.backoff * 2 ** (attempt - 1))
                    continue
                raise self._api_error(exc, method, path, params) from None
            except requests.exceptions.SSLError as exc:
                if write and sent_at is not None:
                    raise self._answer_lost(method, path, exc, sent_at) from None
                raise errors.ConnectionFailedError('cannot connect to https://{0}:{1}: {2}'.format(
                    self.host, self.port, TLS_HINT)) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if write and sent_at is None and was_sent(exc):
                    sent_at = started
                if idempotent and attempt < self.retries:
                    attempt += 1
                    time.sleep(self.backoff * 2 ** (attempt - 1))
                    continue
                if sent_at is not None:
                    raise self._answer_lost(method, path, exc, sent_at) from None
                raise errors.ConnectionFailedError(
                    'cannot reach the Proxmox VE API at https://{0}:{1} ({2} {3}): {4}. Check api_host, api_port '
                    'and that pveproxy is running.'.format(self.host, self.port, method, path, _short(exc))) from None

    def _answer_lost(self, method: str, path: str, exc: BaseException, sent_at: float) -> errors.AnswerLostError:
        if isinstance(exc, requests.exceptions.ReadTimeout):
            why = 'no answer within api_timeout ({0}s)'.format(self.timeout)
        else:
            why = 'the connection was lost before the answer came: {0}'.format(_short(exc))
        lost = errors.AnswerLostError('{0} {1} was sent to https://{2}:{3} but {4}'.format(
            method, path, self.host, self.port, why), method=method, path=path, sent_at=sent_at)
        self.lost_answers.append(lost)
        return lost

    def _api_error(self, exc: Any, method: str, path: str,
                   params: Mapping[str, Any] | None = None) -> errors.ApiError:
        status = exc.status_code
        reason = (exc.content or exc.status_message or '').strip()
        field_errors = exc.errors if isinstance(exc.errors, dict) else {}
        if field_errors:
            detail = '; '.join('{0}: {1}'.format(k, str(v).strip()) for k, v in sorted(field_errors.items()))
            message = '{0} {1}: {2} ({3})'.format(method, path, reason, detail)
        else:
            message = '{0} {1}: {2} (HTTP {3})'.format(method, path, reason, status)
        kwargs = dict(status=status, errors=field_errors, method=method, path=path)
        if status == 400:
            return errors.ValidationError(message, **kwargs)
        if status == 401:
            if self._auth.get('token_name'):
                # PVE answers a wrong, expired or removed token on the first call, with no word of which.
                message = ('{0} {1}: authentication failed for the API token {2} on {3}:{4}: check api_token_id '
                           'and api_token_secret, and that the token exists and has not expired'.format(
                               method, path, self.identity, self.host, self.port))
            return errors.AuthenticationError(message, **kwargs)
        if status == 403:
            match = _PERM_RE.search(reason)
            if match:
                message = 'permission denied: {0} {1} needs {2} on {3}'.format(
                    method, path, match.group('priv'), match.group('path'))
                return errors.PermissionDeniedError(message, privilege=match.group('priv'),
                                                    acl_path=match.group('path'), **kwargs)
            # PVE did not say: what the call needs (the schema's check) against what the credentials hold.
            explained = self._explain_denial(method, path, params)
            if explained:
                words, privilege, acl_path = explained
                message = 'permission denied: {0} {1} needs {2} (PVE said: {3})'.format(method, path, words, reason)
                return errors.PermissionDeniedError(message, privilege=privilege, acl_path=acl_path, **kwargs)
            return errors.PermissionDeniedError('permission denied: {0} {1}: {2}'.format(method, path, reason),
                                                **kwargs)
        if status == 404:
            return errors.NotFoundError(message, **kwargs)
        return errors.ApiError(message, **kwargs)

    def _explain_denial(self, method: str, path: str, params: Mapping[str, Any] | None) -> tuple[str, str, str] | None:
        if path == 'access/permissions':
            return None
        from ansible_collections.pve.ops.plugins.module_utils import privileges  # only needed on a refusal
        try:
            return privileges.explain(self, method, path, params)
        except errors.PveOpsError:
            return None

    # ---------------------------------------------------------------------- tasks

    def wait(self, upid: str, timeout: float = 600, interval: float = 1.0) -> dict[str, Any]:
        """Wait for a task until it stops; returns its final status (see tasks.wait_for_task)."""
        self.tasks.append(upid)
        return wait_for_task(self, upid, timeout=timeout, interval=interval, observer=self.task_observer)


class _WholeAnswer:
    """proxmoxer's JSON serializer keeping the whole answer (``loads`` gives only ``data``)."""

    def __init__(self, serializer: Any) -> None:
        self._serializer = serializer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._serializer, name)

    def loads(self, response: Any) -> Any:
        try:
            return response.json()
        except ValueError:
            return self._serializer.loads(response)


def was_sent(exc: BaseException) -> bool:
    """Whether a request may have reached the server before this requests exception (False: surely not)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return False
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    # Refused, unreachable, DNS (NameResolutionError is a NewConnectionError), connect timeout: never sent.
    return not isinstance(reason, (NewConnectionError, ConnectTimeoutError))


def _short(exc: object) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + '...'
