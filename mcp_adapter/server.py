# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MCP server: the SDK's low-level Server with tools/list and tools/call over the catalogue.

- tools/list: the catalogue tools the policy allows, with generated input and output schemas and the
  annotations readOnlyHint / destructiveHint / idempotentHint / openWorldHint (false: a closed system).
- tools/call: policy check, adapter argument rules, confirmation for destructive tools, then the module
  in a worker thread (anyio.to_thread) so the event loop stays free; progress notifications while the
  module waits on a task; structured content (the module's result) plus a short text summary;
  ``isError`` for a module failure, a refusal or bad arguments; a protocol error only for an unknown tool.
- every call ends in one audit line.
"""

from __future__ import annotations

import functools
import json
import logging
import time

import anyio
import anyio.from_thread
import anyio.to_thread
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError

from mcp_adapter import catalogue, confirm, runner
from mcp_adapter.audit import AuditLog
from mcp_adapter.policy import Policy
from mcp_adapter.schema import CHECK_MODE, CONFIRM

LOG = logging.getLogger('pve_mcp')
NAME = 'pve-ops'
VERSION = '0.1.0'
TEXT_LIMIT = 20000
INSTRUCTIONS = (
    'Tools for a Proxmox VE cluster, each backed by an Ansible module of the pve.ops collection. '
    'Every mutating tool takes check_mode: true for a dry run that returns the diff and changes nothing; '
    'destructive tools need confirmation. Results carry changed, diff and the resource.')


class Adapter:
    """The catalogue, the policy, the connection and the audit log, answering tools/list and tools/call."""

    def __init__(self, connection=None, policy=None, audit=None, tools=None):
        self.connection = dict(connection or {})
        self.policy = policy or Policy()
        self.audit = audit or AuditLog(None)
        self.tools = tools if tools is not None else catalogue.load()

    # ------------------------------------------------------------------ listing

    def visible_tools(self):
        return self.policy.visible(self.tools.values())

    def mcp_tool(self, tool):
        return types.Tool(
            name=tool.name,
            title=tool.title,
            description=tool.description,
            input_schema=tool.input_schema,
            output_schema=tool.output_schema,
            annotations=types.ToolAnnotations(
                title=tool.title,
                read_only_hint=tool.read_only,
                destructive_hint=tool.destructive,
                idempotent_hint=tool.idempotent,
                open_world_hint=False,
            ),
        )

    async def list_tools(self, ctx, params):
        return types.ListToolsResult(tools=[self.mcp_tool(t) for t in self.visible_tools()])

    def input_schema_of(self, name):
        tool = self.tools.get(name)
        return tool.input_schema if tool is not None and self.policy.refusal(tool) is None else None

    # ------------------------------------------------------------------ calling

    async def call_tool(self, ctx, params):
        name = params.name
        arguments = dict(params.arguments or {})
        tool = self.tools.get(name)
        if tool is None:
            raise MCPError(code=types.INVALID_PARAMS, message='unknown tool {0!r}'.format(name))
        started = time.monotonic()
        check_mode = arguments.get(CHECK_MODE) is True and not tool.read_only
        refusal = self.policy.refusal(tool)
        if refusal:
            self.audit.record(name, tool, arguments, None, time.monotonic() - started, check_mode, refused=refusal)
            return refused(tool, refusal)
        for key in (CHECK_MODE, CONFIRM):
            if key in arguments and not isinstance(arguments[key], bool):
                return self._bad(tool, arguments, started, '{0} must be true or false'.format(key))
        problems = runner.argument_errors(tool, arguments)
        if problems:
            return self._bad(tool, arguments, started, '; '.join(problems))

        confirmed = None
        if tool.destructive and not check_mode:
            # A client that can ask its user is asked: the agent's own confirm: true does not replace the
            # human's answer. Other clients confirm with confirm: true.
            confirmed = arguments.get(CONFIRM) is True and not confirm.client_can_elicit(ctx)
            if not confirmed:
                outcome = await self._confirm(ctx, params, tool, arguments, started)
                if not isinstance(outcome, bool):
                    return outcome  # an InputRequiredResult, or the refusal with the dry run
                confirmed = outcome

        result = await self.execute(ctx, tool, arguments, check_mode)
        self.audit.record(name, tool, arguments, result, time.monotonic() - started, check_mode, confirmed=confirmed)
        return tool_result(tool, result, check_mode)

    async def execute(self, ctx, tool, arguments, check_mode):
        observer = progress_observer(ctx) if ctx is not None else None
        call = functools.partial(runner.run, tool, arguments, self.connection, check_mode=check_mode, diff=True,
                                 observer=observer)
        return await anyio.to_thread.run_sync(call)

    async def _confirm(self, ctx, params, tool, arguments, started):
        """True when confirmed; otherwise the answer to send (an InputRequiredResult or a refusal)."""
        if confirm.uses_input_required(ctx):
            answer = confirm.answer_from((params.input_responses or {}).get(confirm.KEY))
            if answer is True:
                return True
        else:
            answer = None
        dry_run = await self.execute(ctx, tool, arguments, True)
        if dry_run.get('failed'):
            self.audit.record(tool.name, tool, arguments, dry_run, time.monotonic() - started, True)
            return tool_result(tool, dry_run, True)
        if not dry_run.get('changed'):
            return True  # nothing would change: no harm in running it (it makes no write)
        if answer is None and confirm.client_can_elicit(ctx):
            message = confirm.question(tool, arguments, dry_run)
            if confirm.uses_input_required(ctx):
                return types.InputRequiredResult(input_requests={confirm.KEY: confirm.elicit_request(message)})
            try:
                answer = await confirm.ask(ctx, message)
            except Exception as exc:  # an elicitation the client cannot answer falls back to confirm: true
                LOG.warning('elicitation failed: %s', exc)
                answer = None
            if answer is True:
                return True
        if answer is False:
            reason = '{0} was not confirmed (declined): nothing was changed.'.format(tool.name)
        else:
            reason = ('{0} is destructive and needs confirmation: nothing was changed. Call it again with '
                      'confirm: true to carry it out.'.format(tool.name))
        self.audit.record(tool.name, tool, arguments, dry_run, time.monotonic() - started, False,
                          confirmed=False, refused='not confirmed')
        return unconfirmed(tool, reason, dry_run)

    def _bad(self, tool, arguments, started, message):
        text = 'bad arguments for {0}: {1}'.format(tool.name, message)
        self.audit.record(tool.name, tool, arguments, None, time.monotonic() - started, False, error=text)
        return error_result(text, dict(changed=False, failed=True, msg=text))

    # ------------------------------------------------------------------ server

    def server(self):
        return Server(NAME, version=VERSION, instructions=INSTRUCTIONS, on_list_tools=self.list_tools,
                      on_call_tool=self.call_tool, get_tool_input_schema=self.input_schema_of)


def progress_observer(ctx):
    """A task observer that sends MCP progress notifications from the worker thread (a no-op when the
    client asked for no progress)."""
    polls = [0]

    def observe(upid, status):
        polls[0] += 1
        state = status.get('status', 'running')
        message = 'task {0}: {1}'.format(upid, state if state != 'stopped' else 'stopped ({0})'.format(
            status.get('exitstatus')))
        anyio.from_thread.run(functools.partial(ctx.session.report_progress, polls[0], None, message))
    return observe


def summary(tool, result, check_mode):
    if result.get('failed'):
        head = '{0} failed: {1}'.format(tool.name, result.get('msg', 'no message'))
    elif tool.read_only:
        head = '{0}: ok'.format(tool.name)
    elif check_mode:
        head = '{0} (dry run): {1}'.format(tool.name, 'would change' if result.get('changed') else 'no change needed')
    else:
        head = '{0}: {1}'.format(tool.name, 'changed' if result.get('changed') else 'no change needed')
    if result.get('msg') and not result.get('failed'):
        head += ' - ' + str(result['msg'])
    body = json.dumps(result, sort_keys=True, default=str)
    if len(body) > TEXT_LIMIT:
        body = body[:TEXT_LIMIT] + '... (truncated; the full result is in the structured content)'
    return head + '\n' + body


def jsonable(result):
    return json.loads(json.dumps(result, default=str))


def tool_result(tool, result, check_mode):
    result = jsonable(result)
    if check_mode:
        result['check_mode'] = True
    return types.CallToolResult(content=[types.TextContent(type='text', text=summary(tool, result, check_mode))],
                                structured_content=result, is_error=bool(result.get('failed')))


def error_result(text, structured=None):
    return types.CallToolResult(content=[types.TextContent(type='text', text=text)],
                                structured_content=structured, is_error=True)


def refused(tool, reason):
    return error_result('refused: ' + reason, dict(changed=False, failed=True, refused=True, msg=reason))


def unconfirmed(tool, reason, dry_run):
    structured = jsonable(dict(changed=False, failed=True, confirmation_required=True, msg=reason,
                               dry_run=dry_run, diff=dry_run.get('diff')))
    text = reason + '\nDry run (what it would do): ' + json.dumps(dry_run.get('diff'), sort_keys=True, default=str)
    return error_result(text, structured)
