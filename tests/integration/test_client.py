# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared client against the simulator over real HTTPS: auth, TLS, errors, retries, tasks."""

import time

import pytest

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.client import ProxmoxClient, api_path
from tests.simulator.test_hooks import sim_send


def client_for(sim, **kw):
    args = dict(host=sim.host, port=sim.port, user='root@pam', password=sim.root_password, ca_path=sim.cafile,
                backoff=0.01)
    args.update(kw)
    return ProxmoxClient(**args)


def test_api_path_quotes_each_segment():
    assert api_path('nodes', 'pve1', 'tasks', 'UPID:pve1:1:2') == 'nodes/pve1/tasks/UPID%3Apve1%3A1%3A2'
    assert api_path('pools', '../access') == 'pools/..%2Faccess'


def test_ticket_login_and_read(pvesim):
    client = client_for(pvesim)
    assert client.get('version')['version']
    # One login, then one request per call.
    pvesim.reset_stats()
    client.get('nodes')
    assert pvesim.stats()['requests'] == 1


def test_post_carries_csrf_token(pvesim):
    client = client_for(pvesim)
    upid = client.post('nodes', 'pve1', 'qemu', 100, 'status', 'suspend')
    assert upid.startswith('UPID:pve1:')


def test_token_auth(pvesim):
    pvesim.pve.apitokens['root@pam!ci'] = 'abc-123'
    client = client_for(pvesim, password=None, token_id='root@pam!ci', token_secret='abc-123')
    assert client.get('version')['version']
    bare = client_for(pvesim, password=None, user='root@pam', token_id='ci', token_secret='abc-123')
    assert bare.get('nodes')


def test_wrong_token_secret_is_an_authentication_error(pvesim):
    pvesim.pve.apitokens['root@pam!ci'] = 'abc-123'
    client = client_for(pvesim, password=None, token_id='root@pam!ci', token_secret='wrong')
    with pytest.raises(errors.AuthenticationError) as info:
        client.get('version')
    assert 'wrong' not in str(info.value)
    # It names the token and what to check, not only PVE's bare "authentication failure".
    assert 'root@pam!ci' in str(info.value) and 'api_token_secret' in str(info.value)


def test_wrong_password(pvesim):
    with pytest.raises(errors.AuthenticationError) as info:
        client_for(pvesim, password='not-the-password').get('version')
    assert 'not-the-password' not in str(info.value)
    assert 'root@pam' in str(info.value)


def test_expired_ticket_logs_in_again(pvesim):
    client = client_for(pvesim)
    client.get('version')
    pvesim.call(pvesim.pve.revoke_tickets)
    assert client.get('nodes')


def test_validation_error_names_each_parameter(pvesim):
    client = client_for(pvesim)
    with pytest.raises(errors.ValidationError) as info:
        client.put('nodes', 'pve1', 'qemu', 100, 'config', cores='many')
    assert 'cores' in info.value.errors
    assert 'cores:' in str(info.value)


def test_permission_denied_names_privilege_and_path(pvesim):
    pvesim.pve.apitokens['alice@pve!ro'] = 'tok'
    pvesim.pve.grant('alice@pve', '/vms/100', 'VM.Audit')
    client = client_for(pvesim, password=None, token_id='alice@pve!ro', token_secret='tok')
    with pytest.raises(errors.PermissionDeniedError) as info:
        client.post('nodes', 'pve1', 'qemu', 100, 'status', 'start')
    assert info.value.privilege == 'VM.PowerMgmt'
    assert info.value.acl_path == '/vms/100'
    assert 'VM.PowerMgmt' in str(info.value) and '/vms/100' in str(info.value)


def test_tls_verification_fails_without_ca(pvesim):
    with pytest.raises(errors.ConnectionFailedError) as info:
        client_for(pvesim, ca_path=None).get('version')
    assert 'ca_path' in str(info.value)
    assert client_for(pvesim, ca_path=None, validate_certs=False).get('version')


def test_connection_refused_has_a_hint():
    client = ProxmoxClient('127.0.0.1', port=1, user='root@pam', password='x', validate_certs=False, retries=1,
                           backoff=0.01, timeout=2)
    with pytest.raises(errors.ConnectionFailedError) as info:
        client.get('version')
    assert 'api_host' in str(info.value)


def test_reads_retry_on_503_writes_do_not(pvesim):
    client = client_for(pvesim)
    client.get('version')
    pvesim.call(pvesim.pve.fail, 'GET', '/version', 503, 'Service Unavailable', False, None, 2)
    pvesim.reset_stats()
    assert client.get('version')['version']
    assert pvesim.stats()['requests'] == 3
    pvesim.call(pvesim.pve.fail, 'POST', '/status/suspend', 503, 'Service Unavailable', False, None, 1)
    pvesim.reset_stats()
    with pytest.raises(errors.ApiError) as info:
        client.post('nodes', 'pve1', 'qemu', 100, 'status', 'suspend')
    assert info.value.status == 503
    assert pvesim.stats()['writes'] == 1


def test_retries_are_bounded(pvesim):
    client = client_for(pvesim, retries=2)
    client.get('version')
    pvesim.call(pvesim.pve.fail, 'GET', '/version', 503, 'Service Unavailable')
    pvesim.reset_stats()
    with pytest.raises(errors.ApiError):
        client.get('version')
    assert pvesim.stats()['requests'] == 3


def test_task_wait_ok(pvesim):
    client = client_for(pvesim)
    upid = client.post('nodes', 'pve1', 'qemu', 102, 'status', 'start')
    status = client.wait(upid, timeout=30)
    assert status['exitstatus'] == 'OK'
    assert client.tasks == [upid]


def test_task_failure_carries_the_log(pvesim):
    client = client_for(pvesim)
    pvesim.call(pvesim.pve.fail, 'POST', '/status/start', None, None, False, 'qemu_exited_code')
    upid = client.post('nodes', 'pve1', 'qemu', 102, 'status', 'start')
    with pytest.raises(errors.TaskFailedError) as info:
        client.wait(upid, timeout=30)
    assert info.value.log and info.value.log[-1].startswith('TASK ERROR')
    assert info.value.upid == upid


def test_task_timeout(pvesim_factory):
    sim = pvesim_factory(time_scale=1.0)
    vm = sim.pve.vm(102)
    vm.start_secs = 30
    client = client_for(sim)
    upid = client.post('nodes', 'pve1', 'qemu', 102, 'status', 'start')
    started = time.monotonic()
    with pytest.raises(errors.TaskTimeoutError) as info:
        client.wait(upid, timeout=1, interval=0.2)
    assert time.monotonic() - started < 5
    assert info.value.upid == upid


@pytest.mark.parametrize('kwargs, field', [
    (dict(password=None), 'api_password'),
    (dict(user=None), 'api_user'),
    (dict(user='root'), 'api_user'),
    (dict(password=None, token_id='x', token_secret=None), 'api_token_id'),
    (dict(host=None), 'api_host'),
])
def test_bad_connection_options_name_the_field(kwargs, field):
    args = dict(host='127.0.0.1', user='root@pam', password='x')
    args.update(kwargs)
    with pytest.raises(errors.InvalidArgumentError) as info:
        ProxmoxClient(**args)
    assert info.value.field == field


def test_session_cache_reuses_the_login_only_for_the_same_credentials(pvesim):
    cache = {}
    client_for(pvesim, session_cache=cache).get('version')
    pvesim.reset_stats()
    client_for(pvesim, session_cache=cache).get('nodes')
    assert pvesim.stats()['requests'] == 1
    with pytest.raises(errors.AuthenticationError):
        client_for(pvesim, password='another-password', session_cache=cache).get('nodes')
    assert len(cache) == 1 and not any(part == pvesim.root_password for key in cache for part in key)


def test_a_write_carrying_a_digest_is_not_retried_and_a_lost_answer_is_unknown(pvesim):
    client = client_for(pvesim)
    config = client.get('nodes', 'pve1', 'qemu', 100, 'config')
    sim_send(pvesim, 'POST', 'faults', {'drop_answer': {'method': 'PUT', 'path': '/nodes/{node}/qemu/{vmid}/config',
                                                        'times': 1}})
    pvesim.reset_stats()
    with pytest.raises(errors.AnswerLostError):
        client.put('nodes', 'pve1', 'qemu', 100, 'config', description='changed once', digest=config['digest'])
    # Sent once: a retry would have been refused for the digest the first attempt changed.
    assert pvesim.stats()['writes'] == 1
    assert client.get('nodes', 'pve1', 'qemu', 100, 'config')['description'] == 'changed once'


def test_a_stale_digest_is_refused_as_pve_refuses_it(pvesim):
    client = client_for(pvesim)
    stale = client.get('nodes', 'pve1', 'qemu', 100, 'config')['digest']
    client.put('nodes', 'pve1', 'qemu', 100, 'config', description='first')
    with pytest.raises(errors.ApiError) as info:
        client.put('nodes', 'pve1', 'qemu', 100, 'config', description='second', digest=stale)
    assert 'detected modified configuration' in str(info.value)
