# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Modes, refusals, confirmation (elicitation and confirm: true), progress, the audit log, secrets,
concurrency and stdout, through the SDK client in memory."""

import json
import threading

import anyio
import mcp_types as types
import pytest
from mcp.shared.exceptions import MCPError

from mcp_adapter import catalogue, runner
from mcp_adapter.server import hint
from tests.mcp.mcp_support import adapter, call, session, tools, writes
from tests.mcp.test_tools import EXAMPLES

TOOLS = tools()


@pytest.mark.parametrize('mode,kinds', [('read-only', {'read'}), ('write', {'read', 'write'}),
                                        ('full', {'read', 'write', 'destructive'})])
def test_tools_list_per_mode(pvesim, mode, kinds):
    listed = session(adapter(pvesim, mode), lambda c: c.list_tools()).tools
    # plan / apply (the adapter's own) in the modes that change things
    own = ['apply', 'plan'] if mode != 'read-only' else []
    assert sorted(t.name for t in listed) == sorted([n for n, t in TOOLS.items() if t.kind in kinds] + own)
    for item in listed:
        if item.name in own:
            assert item.annotations.open_world_hint is False and len(item.description) <= 400
            continue
        tool = TOOLS[item.name]
        # Hints as the protocol reads them (a hint left out is its default).
        assert hint(item.annotations, 'read_only_hint') is tool.read_only
        if not tool.read_only:
            assert hint(item.annotations, 'destructive_hint') is tool.destructive
            assert hint(item.annotations, 'idempotent_hint') is tool.idempotent
        assert item.annotations.open_world_hint is False
        assert item.input_schema == tool.input_schema and item.output_schema == tool.output_schema
        assert item.description == tool.description and len(item.description) <= 400


def test_allow_and_deny_lists(pvesim):
    server = adapter(pvesim, 'full', allow=['get_*', 'list_*', 'start_vm'], deny=['get_task_*'])
    names = set(t.name for t in session(server, lambda c: c.list_tools()).tools)
    assert 'start_vm' in names and 'get_nodes' in names
    assert not names & {'get_task_log', 'get_task_status', 'stop_vm', 'create_user'}
    result = call(server, 'get_task_log', {'upid': 'UPID:pve1:0:0:0:x:1:root@pam:'})
    assert result.is_error and 'denied by the pattern' in result.content[0].text


def test_read_only_mode_refuses_every_write_tool_and_nothing_is_written(pvesim):
    server = adapter(pvesim, 'read-only')
    writing = [n for n, t in TOOLS.items() if not t.read_only]
    pvesim.reset_stats()

    async def every(client):
        out = {}
        for name in writing:
            example = EXAMPLES[name]
            arguments = {} if callable(example) else dict(example)
            out[name] = await client.call_tool(name, arguments)
            out[name + ' dry'] = await client.call_tool(name, dict(arguments, check_mode=True))
        return out
    results = session(server, every)
    for name, result in results.items():
        assert result.is_error and result.structured_content['refused'] is True, name
        assert 'read-only mode' in result.content[0].text or 'destructive' in result.content[0].text
    stats = pvesim.stats()
    assert stats['writes'] == 0 and stats['requests'] == 0, stats


def test_write_mode_refuses_destructive_tools(pvesim):
    result = call(adapter(pvesim, 'write'), 'delete_vm', {'vmid': 102, 'confirm': True})
    assert result.is_error and 'need mode full' in result.content[0].text
    assert writes(pvesim) == 0


def test_unknown_tool_is_a_protocol_error_and_bad_arguments_a_tool_error(pvesim):
    server = adapter(pvesim)
    async def unknown(client):
        try:
            await client.call_tool('no_such_tool', {})
        except MCPError as exc:
            return exc
    error = session(server, unknown)
    assert isinstance(error, MCPError) and "unknown tool 'no_such_tool'" in str(error)
    result = call(server, 'start_vm', {'vmid': 102, 'api_host': 'evil.example.com'})
    assert result.is_error and "unknown argument 'api_host'" in result.content[0].text
    result = call(server, 'start_vm', {'vmid': 102, 'state': 'absent'})
    assert result.is_error and "state is fixed to 'started'" in result.content[0].text
    result = call(server, 'start_vm', {'vmid': 'web'})
    assert result.is_error and 'vmid' in result.content[0].text
    assert writes(pvesim) == 0


def _elicit(answer, seen):
    async def callback(context, params):
        seen.append(params.message)
        return types.ElicitResult(**answer)
    return callback


@pytest.mark.parametrize('mode', ['auto', 'legacy'])
def test_elicitation_confirms_a_destructive_call(pvesim, mode):
    seen = []
    result = call(adapter(pvesim), 'stop_vm', {'vmid': 100}, mode=mode,
                  elicitation_callback=_elicit(dict(action='accept', content={'confirm': True}), seen))
    assert not result.is_error, result.content[0].text
    assert result.structured_content['changed'] is True
    assert len(seen) == 1 and 'stop_vm is destructive' in seen[0] and '"vmid": 100' in seen[0]
    assert 'Diff:' in seen[0]
    vm = pvesim.proxmoxer().nodes('pve1').qemu(100).status.current.get()
    assert vm['status'] == 'stopped'


@pytest.mark.parametrize('mode', ['auto', 'legacy'])
def test_a_client_that_can_ask_its_user_asks_even_with_confirm_true(pvesim, mode):
    seen = []
    result = call(adapter(pvesim), 'delete_vm', {'vmid': 102, 'confirm': True}, mode=mode,
                  elicitation_callback=_elicit(dict(action='decline'), seen))
    assert result.is_error and 'declined' in result.content[0].text and len(seen) == 1
    assert writes(pvesim) == 0


@pytest.mark.parametrize('mode', ['auto', 'legacy'])
@pytest.mark.parametrize('answer', [dict(action='decline'), dict(action='accept', content={'confirm': False}),
                                    dict(action='cancel')])
def test_declined_elicitation_changes_nothing(pvesim, mode, answer):
    seen = []
    result = call(adapter(pvesim), 'delete_vm', {'vmid': 102}, mode=mode, elicitation_callback=_elicit(answer, seen))
    assert result.is_error and 'not confirmed' in result.content[0].text
    assert len(seen) == 1
    assert writes(pvesim) == 0
    assert pvesim.proxmoxer().nodes('pve1').qemu(102).status.current.get()['vmid'] == 102


def test_progress_notifications_while_a_task_runs(pvesim_factory):
    sim = pvesim_factory(time_scale=0.05)
    progress = []

    async def on_progress(value, total, message):
        progress.append((value, message))

    async def fn(client):
        return await client.call_tool('start_vm', {'vmid': 102}, progress_callback=on_progress)
    result = session(adapter(sim), fn)
    assert not result.is_error, result.content[0].text
    upid = result.structured_content['tasks'][0]
    assert progress, 'no progress notification'
    assert [v for v, _ in progress] == sorted(v for v, _ in progress)
    assert all(upid in m for _, m in progress)
    assert 'stopped (OK)' in progress[-1][1]


def test_audit_log_lines_with_secrets_masked(pvesim, tmp_path):
    log = tmp_path / 'audit.jsonl'
    server = adapter(pvesim, 'full', audit=str(log))
    password = 'Very-Secret-pw-4711'
    created = call(server, 'create_user', {'userid': 'carol@pve', 'password': password, 'email': 'c@example.com'})
    token = call(server, 'create_api_token', {'userid': 'carol@pve', 'tokenid': 'ci', 'privsep': True})
    call(server, 'change_password', {'userid': 'carol@pve', 'password': password + '-2'})
    started = call(server, 'start_vm', {'vmid': 102})
    call(server, 'get_vm_status', {'vmid': 102})
    call(server, 'delete_user', {'userid': 'carol@pve'})  # unconfirmed: refused
    call(server, 'get_task_log', {'upid': 'nonsense'})
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line['tool'] for line in lines] == ['create_user', 'create_api_token', 'change_password', 'start_vm',
                                                'get_vm_status', 'delete_user', 'get_task_log']
    first = lines[0]
    assert set(first) >= {'time', 'tool', 'module', 'args', 'check_mode', 'ok', 'changed', 'duration_ms', 'tasks'}
    assert first['args']['password'] == '********' and first['args']['email'] == 'c@example.com'
    assert first['ok'] is True and first['changed'] is True and first['module'] == 'pve.ops.user'
    assert lines[3]['tasks'] == started.structured_content['tasks'] and lines[3]['tasks'][0].startswith('UPID:')
    assert lines[5]['ok'] is False and lines[5]['refused'] == 'not confirmed' and lines[5]['changed'] is False
    assert lines[6]['ok'] is False and 'not a task UPID' in lines[6]['error']
    text = log.read_text()
    assert password not in text and pvesim.root_password not in json.dumps([line['args'] for line in lines])
    # The results never carry the password; a token secret is shown once to the caller, never logged.
    for result in (created, token):
        assert password not in json.dumps(result.structured_content) + result.content[0].text
    assert token.structured_content['secret_keys'] == ['token.value']
    secret = token.structured_content['token']['value']
    assert len(secret) >= 16 and secret not in text
    assert lines[1]['ok'] is True and lines[1]['changed'] is True


def test_fifty_concurrent_mixed_calls_are_isolated(pvesim):
    server = adapter(pvesim, 'full')
    calls = []
    for i in range(50):
        kind = i % 5
        if kind == 0:
            calls.append(('get_vm_status', {'vmid': [100, 101, 102, 103][i % 4]}))
        elif kind == 1:
            calls.append(('get_node_status', {'node': 'pve{0}'.format(i % 3 + 1)}))
        elif kind == 2:
            calls.append(('create_vm_snapshot', {'vmid': 100, 'snapname': 'c{0}'.format(i), 'check_mode': True}))
        elif kind == 3:
            calls.append(('get_task_status', {'upid': 'bad-{0}'.format(i)}))
        else:
            calls.append(('list_users', {'userid': ['alice@pve', 'bob@pve', 'root@pam'][i % 3]}))

    async def fn(client):
        results = [None] * len(calls)

        async def one(index, name, arguments):
            results[index] = await client.call_tool(name, arguments)
        async with anyio.create_task_group() as group:
            for index, (name, arguments) in enumerate(calls):
                group.start_soon(one, index, name, arguments)
        return results
    pvesim.reset_stats()
    results = session(server, fn)
    for (name, arguments), result in zip(calls, results, strict=True):
        data = result.structured_content
        if name == 'get_task_status':
            assert result.is_error and repr(arguments['upid']) in data['msg']
            continue
        assert not result.is_error, (name, arguments, result.content[0].text)
        if name == 'get_vm_status':
            assert [vm['vmid'] for vm in data['vms']] == [arguments['vmid']]
        elif name == 'get_node_status':
            assert data['node']['node'] == arguments['node']
        elif name == 'create_vm_snapshot':
            assert data['changed'] is True and data['check_mode'] is True
            assert arguments['snapname'] in json.dumps(data['diff'])
            others = [a['snapname'] for n, a in calls if n == name and a['snapname'] != arguments['snapname']]
            assert not any('"{0}"'.format(o) in json.dumps(data) for o in others)
        elif name == 'list_users':
            assert arguments['userid'] in json.dumps(data)
    assert pvesim.stats()['writes'] == 0


class _FakeModule:
    """A module that validates its params with the real AnsibleModule, warns with its own value and exits."""

    fqcn = 'pve.ops.fake'
    name = 'fake'
    argument_spec = dict(value=dict(type='str', required=True), secret=dict(type='str', no_log=True))
    kwargs = dict(supports_check_mode=True)
    doc = {'short_description': 'fake', 'options': {}}
    returns = {}

    def main(self, module_class):
        module = module_class(argument_spec=dict(self.argument_spec), supports_check_mode=True)
        module.warn('warning of ' + module.params['value'])
        print('a stray print')  # must not reach the stdio transport: see test_nothing_reaches_stdout
        module.exit_json(changed=module.check_mode, value=module.params['value'],
                         echo='{0}:{1}'.format(module.params['value'], module.params['secret']))


def _fake_tool():
    tool = catalogue.Tool.__new__(catalogue.Tool)
    tool.name, tool.module, tool.fixed, tool.kind = 'fake', _FakeModule(), {}, 'write'
    tool.read_only = tool.destructive = False
    tool.input_schema = {'properties': {'value': {}, 'secret': {}, 'check_mode': {}}}
    return tool


def test_runner_isolates_params_warnings_and_masks_no_log(capsys):
    tool = _fake_tool()
    results = {}

    def worker(i):
        results[i] = runner.run(tool, {'value': 'v{0}'.format(i), 'secret': 's3cr3t{0}'.format(i)},
                                check_mode=bool(i % 2))
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for i, result in results.items():
        assert result['value'] == 'v{0}'.format(i)
        assert result['warnings'] == ['warning of v{0}'.format(i)]
        assert result['changed'] is bool(i % 2)
        assert result['echo'] == 'v{0}:********'.format(i)
        assert 'invocation' not in result
    bad = runner.run(tool, {'secret': 'x'})
    assert bad['failed'] is True and 'missing required arguments: value' in bad['msg']


def test_nothing_reaches_stdout(capfd):
    tool = _fake_tool()
    import sys
    real = sys.stdout
    result = runner.run(tool, {'value': 'v'})
    assert sys.stdout is real and result['value'] == 'v'
    out, _ = capfd.readouterr()
    # The module's own stray print is the only output (the stdio server diverts fd 1 while serving; see
    # test_transports); the runner itself never prints a result.
    assert out.strip() == 'a stray print'
