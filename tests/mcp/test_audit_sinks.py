# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit log goes to a file, stderr or syslog, one JSON line per call with secrets masked."""

import json
import logging.handlers
import socket

import pytest

from mcp_adapter import audit
from mcp_adapter.audit import AuditLog


def _line(log):
    return log.record('change_password', None, {'userid': 'a@pve', 'password': 'hunter2-secret'}, {'changed': True})


def test_file(tmp_path):
    path = tmp_path / 'sub' / 'audit.jsonl'
    _line(AuditLog(str(path)))
    entry = json.loads(path.read_text().splitlines()[0])
    assert entry['tool'] == 'change_password' and entry['args']['password'] == audit.MASK


def test_stderr(capsys):
    _line(AuditLog('stderr'))
    captured = capsys.readouterr()
    assert captured.out == ''
    entry = json.loads(captured.err.splitlines()[0])
    assert entry['changed'] is True and 'hunter2-secret' not in captured.err


def test_syslog_over_a_datagram_socket(tmp_path, monkeypatch):
    path = str(tmp_path / 'log.sock')
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(path)
    receiver.settimeout(5)
    monkeypatch.setattr(audit, 'SYSLOG_SOCKETS', (path,))
    try:
        _line(AuditLog('syslog:daemon'))
        data = receiver.recv(65536).decode()
    finally:
        receiver.close()
    priority = logging.handlers.SysLogHandler.LOG_DAEMON << 3 | logging.handlers.SysLogHandler.LOG_INFO
    assert data.startswith('<{0}>pveops-mcp: '.format(priority))
    entry = json.loads(data.split('pveops-mcp: ', 1)[1].rstrip('\x00'))
    assert entry['tool'] == 'change_password' and 'hunter2-secret' not in data


def test_unknown_facility_is_refused():
    with pytest.raises(ValueError, match='unknown syslog facility'):
        AuditLog('syslog:nowhere')
