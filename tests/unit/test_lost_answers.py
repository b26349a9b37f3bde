# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pieces of the lost-answer mechanism: which connection errors may have sent a request, how the tracker
settles a lost answer, and a task waiter that loses contact."""

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError, ProtocolError

from ansible_collections.pve.ops.plugins.module_utils import errors, tasks
from ansible_collections.pve.ops.plugins.module_utils.client import ProxmoxClient, was_sent
from ansible_collections.pve.ops.plugins.module_utils.tracker import ChangeTracker

UPID = 'UPID:pve1:000003E8:00001B58:6744A1C0:vzdump:100:root@pam:'


def _wrapped(reason):
    return requests.exceptions.ConnectionError(MaxRetryError(None, '/api2/json/storage', reason))


@pytest.mark.parametrize('exc, sent', [
    (requests.exceptions.ConnectTimeout(), False),
    (_wrapped(NewConnectionError(None, 'refused')), False),
    (_wrapped(NameResolutionError('pve.invalid', None, 'no such host')), False),
    (requests.exceptions.ReadTimeout(), True),
    (requests.exceptions.ConnectionError(ProtocolError('Connection aborted.', ConnectionResetError())), True),
])
def test_which_connection_errors_may_have_sent_the_request(exc, sent):
    assert was_sent(exc) is sent


def test_a_refused_write_is_a_connection_failure_not_a_lost_answer():
    client = ProxmoxClient('127.0.0.1', port=9, user='root@pam', password='x', validate_certs=False, retries=0)
    with pytest.raises(errors.ConnectionFailedError):
        client.post('storage', storage='x', type='dir', path='/x')
    assert client.lost_answers == []


def lost():
    return errors.AnswerLostError('POST storage was sent but the connection was lost', method='POST', path='storage',
                                  sent_at=0)


def failing_call():
    raise lost()


def test_tracker_settles_a_lost_answer_by_the_re_read():
    tracker = ChangeTracker(False)
    assert tracker.write(failing_call, _confirm=lambda lost: UPID) == UPID
    assert tracker.changed and 'took effect (task {0})'.format(UPID) in tracker.result()['warnings'][0]
    with pytest.raises(errors.NotAppliedError) as info:
        ChangeTracker(False).write(failing_call, _confirm=lambda lost: False)
    assert 'did not take effect' in str(info.value)


def test_an_unsettled_lost_answer_is_an_unknown_outcome():
    with pytest.raises(errors.OutcomeUnknownError) as info:
        ChangeTracker(False).write(failing_call)
    assert info.value.details['outcome'] == 'unknown' and 'before running again' in str(info.value)

    def cannot_tell(lost):
        raise errors.ConnectionFailedError('cannot reach the API')
    with pytest.raises(errors.OutcomeUnknownError) as info:
        ChangeTracker(False).write(failing_call, _confirm=cannot_tell)
    assert 'a re-read could not tell: cannot reach the API' in str(info.value)


class Unreachable:
    """A client whose task status polls never answer."""

    def __init__(self):
        self.polls = 0

    def get(self, *segments, **params):
        self.polls += 1
        raise errors.ApiError('GET ...: No route to host (HTTP 595)', status=595)


def test_a_waiter_that_loses_contact_names_the_task(monkeypatch):
    monkeypatch.setattr(tasks, 'LOST_CONTACT_GRACE', 0.05)
    client = Unreachable()
    with pytest.raises(errors.AnswerLostError) as info:
        tasks.wait_for_task(client, UPID, timeout=30, interval=0.01)
    assert info.value.upid == UPID and client.polls >= 2
    unknown = errors.outcome_unknown(info.value)
    assert 'pve.ops.task_info upid={0}'.format(UPID) in str(unknown) and unknown.upid == UPID
