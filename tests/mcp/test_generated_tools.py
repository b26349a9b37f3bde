# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generated arguments for every MCP tool, through the SDK's in-memory client (the harness simulator).

Each example draws valid arguments for the tool (from its module's argument_spec and knowledge, limited to
what the tool offers) and one invalid variation of them (an unknown argument, a wrong JSON type, a value
outside an enum, a fixed argument, a required one left out), then checks in one client session:

- the invalid call answers isError, with a message naming the field, and makes no write request;
- a read-only tool, and every mutating tool in check mode (the adapter's dry run), makes no write request;
- a power, snapshot or console tool (LIFECYCLE) offers identity options and its own only, never creates a
  guest and never changes its configuration (no POST nodes/*/qemu|lxc, no PUT or POST .../config, the
  guests' configurations as before);
- a guest tool given a guest that does not exist answers not-found, without a write request.
"""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import api_calls
from tests.helpers.generated_modules import HarnessSim, module_spec
from tests.helpers.generated_tools import (
    GUEST_TOOLS,
    LIFECYCLE,
    NOT_FOUND,
    guest_configs,
    invalid_variation,
    text_of,
    tool_strategy,
)
from tests.helpers.harness import TRACEBACK, Report, harness_settings
from tests.helpers.known_findings import KNOWN_TOOLS, known_tool_finding
from tests.helpers.module_knowledge import refers_to_missing_guest, resolve
from tests.mcp.mcp_support import adapter, session, tools

TOOLS = tools()
CI_EXAMPLES = 2
# A guest created or a guest's configuration written: what a lifecycle tool never sends.
CONFIG_WRITE = re.compile(r'^(POST|PUT) /api2/json/nodes/[^/]+/(qemu|lxc)(/\d+/config)?$')


@pytest.fixture(scope='module')
def harness(pvesim_pki, tmp_path_factory):
    sim = HarnessSim(pvesim_pki, str(tmp_path_factory.mktemp('harness-tools')))
    yield sim
    sim.stop()


def test_lifecycle_tools_offer_identity_and_their_own_options_only():
    for name, own in sorted(LIFECYCLE.items()):
        offered = set(TOOLS[name].input_schema['properties'])
        extra = offered - {'vmid', 'name', 'node', 'check_mode', 'confirm'} - set(own)
        assert not extra, '{0} offers {1}'.format(name, sorted(extra))


@pytest.mark.parametrize('name', sorted(TOOLS))
def test_generated_tool_calls(name, harness):
    tool = TOOLS[name]
    report = Report('tool', name)
    valid_args = tool_strategy(tool)
    spec = module_spec(tool.module.name)

    @harness_settings(CI_EXAMPLES, 'tool')
    @given(st.data())
    def example(data):
        args = resolve(data.draw(valid_args, label='arguments'), harness.facts)
        field, bad = data.draw(invalid_variation(tool, args, spec), label='invalid variation')
        sim = harness.fresh()
        outcome = check_calls(sim, tool, args, field, bad)
        report.count(outcome)
    try:
        example()
    except BaseException as exc:
        report.failed(exc)
        raise
    finally:
        report.write()


def check_calls(sim, tool, args, field, bad, known=True):
    """The calls of one example (see the module docstring); returns the outcome for the report. A broken
    promise that a known finding explains (tests/helpers/known_findings.py) is counted, not raised, unless
    known=False."""
    try:
        return _check_calls(sim, tool, args, field, bad)
    except AssertionError as exc:
        finding = known_tool_finding(tool.name, args, str(exc)) if known else None
        if finding is None:
            raise
        return 'known:' + finding


def _check_calls(sim, tool, args, field, bad):
    adapter_ = adapter(sim)
    confirm = {'confirm': True} if tool.destructive else {}
    configs = guest_configs(sim)

    async def calls(client):
        out = {}
        before = sim.stats()['writes']
        out['invalid'] = (await client.call_tool(tool.name, dict(confirm, **bad)), sim.stats()['writes'] - before)
        dry = {} if tool.read_only else {'check_mode': True}
        before = sim.stats()
        result = await client.call_tool(tool.name, dict(args, **dry))
        after = sim.stats()
        out['dry'] = (result, after['writes'] - before['writes'])
        out['calls'] = api_calls.made(before, after)
        if tool.name in GUEST_TOOLS:
            sim.reset_stats()
            out['real'] = (await client.call_tool(tool.name, dict(args, **confirm)), sim.stats())
        return out
    out = session(adapter_, calls)

    result, writes = out['invalid']
    text = text_of(result)
    assert result.is_error, 'invalid arguments {0} were accepted: {1}'.format(bad, text[:400])
    assert writes == 0, 'invalid arguments {0} made {1} write request(s): {2}'.format(bad, writes, text[:300])
    assert field in text, 'the refusal of {0} does not name {1!r}: {2}'.format(bad, field, text[:400])
    assert not TRACEBACK.search(_msg(result)), text[:400]

    result, writes = out['dry']
    text = text_of(result)
    assert not TRACEBACK.search(_msg(result)), '{0}: {1}'.format(args, text[:600])
    assert writes == 0, '{0} {1} made {2} write request(s): {3}'.format(
        'read-only' if tool.read_only else 'check mode of', args, writes, text[:400])
    api_calls.check(tool.module.name, out['calls'])
    outcome = 'refused' if result.is_error else 'dry-run'
    if 'real' not in out:
        return outcome
    return _check_guest_call(sim, tool, args, out['real'], configs)


def _msg(result):
    structured = result.structured_content or {}
    return str(structured.get('msg') or '')


def _check_guest_call(sim, tool, args, real, configs):
    result, stats = real
    text = text_of(result)
    problems = []
    if TRACEBACK.search(_msg(result)):
        problems.append('uncaught exception: ' + _msg(result))
    if tool.name in LIFECYCLE:
        written = sorted(p for p in stats['by_path'] if CONFIG_WRITE.match(p))
        if written:
            problems.append('sent {0}'.format(written))
        after = guest_configs(sim)
        created = sorted(set(after) - set(configs))
        if created:
            problems.append('created guest(s) {0}'.format(created))
        changed = sorted(v for v in after if v in configs and after[v] != configs[v])
        if changed and not tool.name.startswith(('restore_', 'delete_')):
            problems.append('changed the configuration of {0}: {1}'.format(changed, _config_changes(
                configs, after, changed)))
    if refers_to_missing_guest(args) and tool.name in NOT_FOUND:
        if not result.is_error or not re.search(r'not found|does not exist|no such|no (vm|guest|container)',
                                                text, re.I):
            problems.append('a guest that does not exist is not answered not-found: ' + text[:300])
        elif stats['writes']:
            problems.append('not-found after {0} write request(s)'.format(stats['writes']))
    if problems:
        raise AssertionError('{0} {1}: {2}'.format(tool.name, args, '; '.join(problems)))
    return 'refused' if result.is_error else 'done'


def _config_changes(before, after, vmids):
    out = []
    for vmid in vmids[:2]:
        old, new = before[vmid], after[vmid]
        keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        out.append('{0}: {1}'.format(vmid, ', '.join('{0} {1!r} -> {2!r}'.format(k, old.get(k), new.get(k))
                                                     for k in keys[:4])))
    return '; '.join(out)


# Minimal cases the harness found in the adapter, fixed: a JSON true/false where a number belongs (Python's
# bool is an int, so AnsibleModule took vmid: true as VM 1 and start_vm tried to create it).
@pytest.mark.parametrize('name,arguments,field', [
    ('start_vm', {'vmid': True}, 'vmid'),
    ('start_vm', {'vmid': 100, 'timeout': True}, 'timeout'),
    ('create_vm_backup', {'vmids': [True], 'storage': 'backup-nfs', 'check_mode': True}, 'vmids'),
])
def test_boolean_for_a_number_is_refused(name, arguments, field, harness):
    sim = harness.fresh()
    result = session(adapter(sim), lambda client: client.call_tool(name, arguments))
    assert result.is_error and '{0} must be a'.format(field) in text_of(result)
    assert sim.stats()['requests'] == 0


# Found by the harness, fixed: the options a tool requires were in its schema only; without them the module
# ran and answered for every node, pool or task.
@pytest.mark.parametrize('name,arguments,field', [
    ('get_node_status', {}, 'node'),
    ('get_pool_members', {'type': 'qemu'}, 'poolid'),
    ('get_task_status', {}, 'upid'),
    ('change_password', {'userid': 'alice@pve'}, 'password'),
])
def test_a_required_option_left_out_is_refused(name, arguments, field, harness):
    sim = harness.fresh()
    result = session(adapter(sim), lambda client: client.call_tool(name, arguments))
    assert result.is_error and 'missing required argument(s): ' + field in text_of(result)
    assert sim.stats()['requests'] == 0


# The minimal cases of the known tool findings (other branches fix them): strict xfails, see
# test_generated_modules.FOUND_ELSEWHERE. (tool, valid arguments, (field, invalid arguments))
FOUND_ELSEWHERE = [
]


@pytest.mark.parametrize('finding,name,args,invalid', [
    pytest.param(*case, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason='known finding ' + case[0]),
                 id=case[0]) for case in FOUND_ELSEWHERE])
def test_found_elsewhere_through_mcp(finding, name, args, invalid, harness):
    check_calls(harness.fresh(), TOOLS[name], args, invalid[0], invalid[1], known=False)


def test_every_known_tool_finding_has_its_case():
    assert sorted(case[0] for case in FOUND_ELSEWHERE) == sorted(entry[0] for entry in KNOWN_TOOLS)
