# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit log: one JSON line per tool call, secrets masked.

Where it goes (``--audit-log``): a file path (appended), ``stderr``, or ``syslog`` (the local syslog socket,
facility local0 unless given, ``syslog:daemon``; tag pveops-mcp), for log shipping.

Fields: time (UTC, ISO 8601), tool, module, args (masked), check_mode, confirmed, ok, changed, error,
refused, duration_ms, tasks (the UPIDs the module waited on).

Masked: the module's no_log options, any key that names a secret (password, secret, ticket, a token's
value, ...), the result's ``secret_keys`` marker (dotted paths of values a module flags as secret), and
every occurrence of those values anywhere in the line (an error message quoting one, for example).
"""

from __future__ import annotations

import datetime
import json
import logging
import logging.handlers
import os
import re
import sys
import threading

from ansible.module_utils.common.parameters import remove_values

MASK = '********'
# 'value' is a secret only under a token (the token's secret as PVE returns it).
_ALWAYS = re.compile(r'(password|passwd|secret|ticket|csrf|private_?key|token_value)', re.I)


def _mask_keys(value, under_token=False, found=None):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            name = str(key)
            secret = _ALWAYS.search(name) or (name == 'value' and under_token)
            if secret and item not in (None, '', False, True):
                if isinstance(item, (str, int, float)) and found is not None:
                    found.add(str(item))
                out[key] = MASK
            else:
                out[key] = _mask_keys(item, under_token or 'token' in name.lower(), found)
        return out
    if isinstance(value, list):
        return [_mask_keys(v, under_token, found) for v in value]
    return value


def _dotted(result, path):
    node = result
    for part in str(path).split('.'):
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def secrets_of(tool, arguments, result=None):
    """Secret values in a call: no_log options, secret-named keys, and the result's secret_keys marker."""
    found = set()
    spec = tool.module.argument_spec if tool is not None else {}
    for key, value in (arguments or {}).items():
        if spec.get(key, {}).get('no_log') and value not in (None, ''):
            found.add(str(value))
    _mask_keys(arguments or {}, found=found)
    if isinstance(result, dict):
        for path in result.get('secret_keys') or []:
            value = _dotted(result, path)
            if isinstance(value, (str, int, float)) and value not in ('',):
                found.add(str(value))
        _mask_keys(result, found=found)
    return set(v for v in found if v and v != MASK)


def mask_arguments(tool, arguments, secrets):
    spec = tool.module.argument_spec if tool is not None else {}
    out = {}
    for key, value in (arguments or {}).items():
        out[key] = MASK if spec.get(key, {}).get('no_log') and value not in (None, '') else value
    out = _mask_keys(out)
    return remove_values(out, secrets) if secrets else out


def upids(result):
    tasks = (result or {}).get('tasks') if isinstance(result, dict) else None
    return [t for t in tasks or [] if isinstance(t, str) and t.startswith('UPID:')]


STDERR, SYSLOG = 'stderr', 'syslog'
SYSLOG_SOCKETS = ('/dev/log', '/var/run/syslog')


def _syslog_handler(target):
    facility = target.partition(':')[2] or 'local0'
    code = logging.handlers.SysLogHandler.facility_names.get(facility)
    if code is None:
        raise ValueError('unknown syslog facility {0!r}: use one of {1}'.format(
            facility, ', '.join(sorted(logging.handlers.SysLogHandler.facility_names))))
    address = next((p for p in SYSLOG_SOCKETS if os.path.exists(p)), ('localhost', 514))
    handler = logging.handlers.SysLogHandler(address=address, facility=code)
    handler.ident = 'pveops-mcp: '
    return handler


class AuditLog:
    """Appends JSON lines to a file, stderr or syslog (thread-safe); a None target keeps nothing."""

    def __init__(self, path=None):
        self.path = path
        self._lock = threading.Lock()
        self._handler = None
        if path == SYSLOG or str(path or '').startswith(SYSLOG + ':'):
            self._handler = _syslog_handler(path)
        elif path and path != STDERR:
            directory = os.path.dirname(os.path.abspath(path))
            os.makedirs(directory, exist_ok=True)

    def _write(self, text):
        with self._lock:
            if self._handler is not None:
                self._handler.emit(logging.LogRecord('pveops-mcp.audit', logging.INFO, __file__, 0, text, None, None))
            elif self.path == STDERR:
                sys.stderr.write(text + '\n')
                sys.stderr.flush()
            else:
                with open(self.path, 'a', encoding='utf-8') as fh:
                    fh.write(text + '\n')

    def record(self, tool_name, tool=None, arguments=None, result=None, duration=0.0, check_mode=False,
               confirmed=None, refused=None, error=None, target=None):
        if not self.path:
            return None  # a log without a target keeps nothing
        ok = error is None and refused is None and not (isinstance(result, dict) and result.get('failed'))
        if error is None and isinstance(result, dict) and result.get('failed'):
            error = result.get('msg')
        # The line quotes the result only in error (its msg): the result's secrets matter only then, so a large
        # result that went well is not walked.
        secrets = secrets_of(tool, arguments, result if error else None)
        line = dict(
            time=datetime.datetime.now(datetime.UTC).isoformat(timespec='milliseconds'),
            tool=tool_name,
            module=tool.module.fqcn if tool is not None else None,
            args=mask_arguments(tool, arguments, secrets),
            check_mode=bool(check_mode),
            ok=ok,
            changed=bool(result.get('changed')) if isinstance(result, dict) and not refused else False,
            duration_ms=round(duration * 1000, 1),
            tasks=upids(result),
        )
        if target is not None:
            line['target'] = target  # the cluster called, when the server serves several
        if confirmed is not None:
            line['confirmed'] = confirmed
        if refused:
            line['refused'] = refused
        if error:
            line['error'] = str(error)
        if secrets:
            line = remove_values(line, secrets)
        if self.path:
            self._write(json.dumps(line, sort_keys=False, default=str))
        return line
