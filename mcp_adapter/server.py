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
from mcp.server.lowlevel import NotificationOptions, Server
from mcp.shared.exceptions import MCPError

from mcp_adapter import catalogue, confirm, paging, resources, runner, schema, seed, toolsets
from mcp_adapter import plan as plan_mod
from mcp_adapter import targets as targets_mod
from mcp_adapter.audit import AuditLog
from mcp_adapter.policy import Policy
from mcp_adapter.schema import CHECK_MODE, COMMON_TEXT, CONFIRM

LOG = logging.getLogger('pve_mcp')
NAME = 'pve-ops'
VERSION = '0.1.0'
TEXT_LIMIT = 20000
LIST_TOOLSETS, ENABLE_TOOLSET = 'list_toolsets', 'enable_toolset'
INSTRUCTIONS = (
    'Tools for a Proxmox VE cluster, each backed by an Ansible module of the pve.ops collection. '
    'Every mutating tool takes check_mode: true for a dry run that returns the diff and changes nothing; '
    'destructive tools need confirmation. Every result carries changed (whether anything changed, or would in '
    'check mode), msg, diff (before / after of what changed), tasks (the UPIDs waited on), warnings, check_mode '
    '(true for a dry run) and failed on failure, besides the keys of the tool\'s output schema. List tools answer '
    'one page: limit items (default {0}, at most {1}) from offset (default 0), with fields the keys to keep of '
    'each item; page says the total and, when there are more, next_offset. '.format(paging.DEFAULT_LIMIT, paging.MAX_LIMIT)
    + COMMON_TEXT)


class Adapter:
    """The catalogue, the policy, the targets (connections) and the audit log, answering tools/list and
    tools/call. targets: a targets.Targets (several clusters, each with its own connection and policy); without
    it, one target with connection and policy."""

    def __init__(self, connection=None, policy=None, audit=None, tools=None, dynamic=False, targets=None):
        self.policy = policy or Policy()
        self.audit = audit or AuditLog(None)
        self.tools = tools if tools is not None else catalogue.load()
        # Dynamic discovery: list_toolsets and enable_toolset (needs toolsets to choose from).
        self.dynamic = bool(dynamic)
        if self.dynamic and self.policy.toolsets is None:
            self.policy.toolsets = set()
        self.policy.dynamic = self.dynamic
        self.targets = targets or targets_mod.Targets.single(dict(connection or {}), self.policy)
        self.targets.share_toolsets(self.policy)
        self.default = self.targets.default_target
        self.connection = self.default.connection
        self.plans = plan_mod.Plans()

    def _where(self, target):
        """The target's name for the audit line (None when the server serves one cluster)."""
        return target.name if self.targets.several and target is not None else None

    def refusal(self, tool, name=None, target=None):
        """Why the tool may not be called on target (None when it may); without a target, why no target offers
        it (a tool is listed when one target's policy allows it)."""
        if target is not None:
            return target.policy.refusal(tool, name)
        reasons = [t.policy.refusal(tool, name) for t in self.targets.by_name.values()]
        return None if None in reasons else reasons[0]

    # ------------------------------------------------------------------ listing

    def visible_tools(self):
        return [t for t in self.tools.values() if self.refusal(t) is None]

    def input_schema(self, tool):
        """The tool's input schema, with the cluster argument when there are several targets."""
        if not self.targets.several:
            return tool.input_schema
        out = dict(tool.input_schema)
        out['properties'] = dict(out['properties'], **{targets_mod.CLUSTER: self.targets.schema_property()})
        return out

    def mcp_tool(self, tool):
        return types.Tool(
            name=tool.name,
            description=tool.description,
            input_schema=self.input_schema(tool),
            output_schema=tool.output_schema,
            annotations=annotations(tool),
        )

    async def list_tools(self, ctx, params):
        listed = [self.mcp_tool(t) for t in self.visible_tools()]
        if self.dynamic:
            listed = self.discovery_tools() + listed
        hints = types.ToolAnnotations(open_world_hint=False)
        listed += [types.Tool(annotations=hints, **t) for t in plan_mod.tool_schemas() if self._plan_offered(t['name'])]
        return types.ListToolsResult(tools=listed)

    # ------------------------------------------------------------------ toolsets (dynamic discovery)

    def discovery_tools(self):
        hints = types.ToolAnnotations(read_only_hint=True, open_world_hint=False)
        return [
            types.Tool(name=LIST_TOOLSETS, description='List the toolsets, whether each is enabled, and the tools '
                       'enabling it would offer in this mode.', input_schema={'type': 'object', 'properties': {},
                                                                              'additionalProperties': False},
                       annotations=hints),
            types.Tool(name=ENABLE_TOOLSET, description='Enable a toolset: its tools are listed from now on (the '
                       'client is told the tool list changed).', input_schema={
                           'type': 'object', 'properties': {'toolset': {'type': 'string', 'enum': toolsets.names()}},
                           'required': ['toolset'], 'additionalProperties': False}, annotations=hints),
        ]

    def toolset_tools(self, name):
        """The tools of a toolset that the mode and the allow / deny lists let through."""
        lists = [Policy(t.policy.mode, t.policy.allow, t.policy.deny) for t in self.targets.by_name.values()]
        return [t.name for t in self.tools.values()
                if toolsets.of(t) == name and any(each.refusal(t) is None for each in lists)]

    async def call_discovery(self, ctx, name, arguments):
        started = time.monotonic()
        if name == LIST_TOOLSETS:
            if arguments:
                return self._bad(None, arguments, started, 'list_toolsets takes no arguments', name)
            result = dict(changed=False, toolsets=[
                dict(name=n, description=d, enabled=n in self.policy.toolsets, tools=self.toolset_tools(n))
                for n, d in toolsets.TOOLSETS.items()])
        else:
            unknown = sorted(set(arguments) - {'toolset'})
            toolset = arguments.get('toolset')
            if unknown or toolset not in toolsets.TOOLSETS:
                return self._bad(None, arguments, started, 'enable_toolset takes toolset, one of: {0}{1}'.format(
                    ', '.join(toolsets.names()), '; unknown argument(s) ' + ', '.join(unknown) if unknown else ''),
                    name)
            changed = self.policy.enable(toolset)
            result = dict(changed=changed, toolset=toolset, enabled=sorted(self.policy.toolsets),
                          tools=self.toolset_tools(toolset),
                          msg='toolset {0} {1}'.format(toolset, 'enabled' if changed else 'was already enabled'))
            if changed and ctx is not None:
                try:
                    await ctx.session.send_tool_list_changed()
                    # resources and prompts follow the toolsets too
                    await ctx.session.send_resource_list_changed()
                    await ctx.session.send_prompt_list_changed()
                except Exception as exc:  # a client without a notification channel re-lists when it wants
                    LOG.debug('tools/list_changed not sent: %s', exc)
        self.audit.record(name, None, arguments, result, time.monotonic() - started, False)
        text = '{0}: {1}\n{2}'.format(name, result.get('msg', 'ok'), json.dumps(result, sort_keys=True))
        return types.CallToolResult(content=[types.TextContent(type='text', text=text)], structured_content=result)

    def input_schema_of(self, name):
        tool = catalogue.resolve(self.tools, name)
        return self.input_schema(tool) if tool is not None and self.refusal(tool, name) is None else None

    # ------------------------------------------------------------------ calling

    async def call_tool(self, ctx, params):
        name = params.name
        arguments = dict(params.arguments or {})
        if self.dynamic and name in (LIST_TOOLSETS, ENABLE_TOOLSET):
            return await self.call_discovery(ctx, name, arguments)
        if self._plan_offered(name):
            return await self.call_plan(ctx, name, arguments)
        tool = catalogue.resolve(self.tools, name)
        if tool is None:
            raise MCPError(code=types.INVALID_PARAMS, message='unknown tool {0!r}'.format(name))
        started = time.monotonic()
        target, arguments, problem = self.targets.pick(arguments)
        if problem:
            return self._bad(tool, arguments, started, problem)
        where = self._where(target)
        check_mode = arguments.get(CHECK_MODE) is True and not tool.read_only
        refusal = self.refusal(tool, name, target)
        if refusal:
            if where:
                refusal = 'on {0}: {1}'.format(where, refusal)
            self.audit.record(name, tool, arguments, None, time.monotonic() - started, check_mode, refused=refusal,
                              target=where)
            return refused(tool, refusal)
        # The seed's parameter names (hidden aliases) become the module's options.
        arguments, notes, problems = seed.translate(tool, arguments, name)
        if problems:
            return self._bad(tool, arguments, started, '; '.join(problems))
        for key in (CHECK_MODE, CONFIRM):
            if key in arguments and not isinstance(arguments[key], bool):
                return self._bad(tool, arguments, started, '{0} must be true or false'.format(key))
        arguments, page, problems = paging.split(tool, arguments)
        problems += runner.argument_errors(tool, arguments)
        if problems:
            return self._bad(tool, arguments, started, '; '.join(problems))

        confirmed = None
        if tool.destructive and not check_mode:
            # A client that can ask its user is asked: the agent's own confirm: true does not replace the
            # human's answer. Other clients confirm with confirm: true.
            confirmed = arguments.get(CONFIRM) is True and not confirm.client_can_elicit(ctx)
            if not confirmed:
                outcome = await self._confirm(ctx, params, tool, arguments, started, target)
                if not isinstance(outcome, bool):
                    return outcome  # an InputRequiredResult, or the refusal with the dry run
                confirmed = outcome

        result = await self.execute(ctx, tool, arguments, check_mode, target)
        problem = paging.apply(tool, result, page)
        if problem:
            return self._bad(tool, arguments, started, problem)
        if notes:
            result['warnings'] = list(result.get('warnings') or []) + notes
        self.audit.record(name, tool, arguments, result, time.monotonic() - started, check_mode, confirmed=confirmed,
                          target=where)
        return tool_result(tool, result, check_mode)

    async def execute(self, ctx, tool, arguments, check_mode, target=None):
        observer = progress_observer(ctx) if ctx is not None else None
        connection = (target or self.default).connection
        call = functools.partial(runner.run, tool, arguments, connection, check_mode=check_mode, diff=True,
                                 observer=observer)
        return await anyio.to_thread.run_sync(call)

    async def _confirm(self, ctx, params, tool, arguments, started, target=None):
        """True when confirmed; otherwise the answer to send (an InputRequiredResult or a refusal)."""
        if confirm.uses_input_required(ctx):
            answer = confirm.answer_from((params.input_responses or {}).get(confirm.KEY))
            if answer is True:
                return True
        else:
            answer = None
        dry_run = await self.execute(ctx, tool, arguments, True, target)
        if dry_run.get('failed'):
            self.audit.record(tool.name, tool, arguments, dry_run, time.monotonic() - started, True,
                              target=self._where(target))
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
                          confirmed=False, refused='not confirmed', target=self._where(target))
        return unconfirmed(tool, reason, dry_run)

    def _bad(self, tool, arguments, started, message, name=None):
        name = name or tool.name
        text = 'bad arguments for {0}: {1}'.format(name, message)
        self.audit.record(name, tool, arguments, None, time.monotonic() - started, False, error=text)
        return error_result(text, dict(changed=False, failed=True, msg=text))

    # ------------------------------------------------------------------ plan, then apply

    def _plan_offered(self, name):
        """plan and apply: in modes that change things, when the allow / deny lists let the name through (each
        step is checked as a call of its own tool)."""
        return name in (plan_mod.PLAN, plan_mod.APPLY) and any(
            t.policy.mode != 'read-only' and t.policy.name_refusal(name) is None for t in self.targets.by_name.values())

    def _step(self, index, call):
        """((tool, module arguments, target), problem) of one step of a plan, checked as tools/call checks a
        call (its cluster argument chooses its target)."""
        where = 'calls[{0}] ({1})'.format(index, call['tool'])
        tool = catalogue.resolve(self.tools, call['tool'])
        if tool is None:
            return None, '{0}: unknown tool'.format(where)
        target, arguments, problem = self.targets.pick(call['arguments'])
        if problem:
            return None, '{0}: {1}'.format(where, problem)
        refusal = self.refusal(tool, call['tool'], target)
        if refusal or tool.read_only:
            return None, '{0}: {1}'.format(where, refusal or 'a read-only tool has nothing to plan')
        arguments, _notes, problems = seed.translate(tool, arguments, call['tool'])
        problems = problems or runner.argument_errors(tool, arguments)
        if problems:
            return None, '{0}: {1}'.format(where, '; '.join(problems))
        return (tool, arguments, target), None

    async def _dry_runs(self, ctx, steps):
        return [await self.execute(ctx, tool, arguments, True, target) for tool, arguments, target in steps]

    async def call_plan(self, ctx, name, arguments):
        started = time.monotonic()
        unknown = sorted(set(arguments) - ({'calls'} if name == plan_mod.PLAN else {'calls', 'plan_id', 'confirm'}))
        calls = arguments.get('calls')
        if name == plan_mod.APPLY and calls is None:
            calls = self.plans.get(str(arguments.get('plan_id')))
            if calls is None:
                return self._bad(None, arguments, started, 'no plan {0!r} here: give its calls too (a plan made by '
                                 'another replica, or dropped)'.format(arguments.get('plan_id')), name)
        calls, problems = plan_mod.parse_calls(calls)
        if unknown:
            problems.append('unknown argument(s) ' + ', '.join(unknown))
        steps = []
        for index, call in enumerate(calls):
            step, problem = self._step(index, call)
            if problem:
                problems.append(problem)
            else:
                steps.append(step)
        if problems:
            return self._bad(None, arguments, started, '; '.join(problems), name)
        dry_runs = await self._dry_runs(ctx, steps)
        plan_id = plan_mod.fingerprint(calls, dry_runs)
        failed = [i for i, r in enumerate(dry_runs) if r.get('failed')]
        summary = [dict(tool=c['tool'], changed=bool(r.get('changed')), diff=r.get('diff'),
                        destructive=t.destructive, **({'msg': r.get('msg')} if r.get('failed') else {}))
                   for c, (t, _a, _t), r in zip(calls, steps, dry_runs, strict=True)]
        if name == plan_mod.PLAN:
            if not failed:
                self.plans.keep(plan_id, calls)
            result = dict(changed=any(s['changed'] for s in summary), check_mode=True, steps=summary,
                          plan_id=None if failed else plan_id, failed=bool(failed),
                          msg='plan of {0} call(s): {1}'.format(len(calls), 'step(s) {0} would fail, no plan id'.format(
                              ', '.join(str(i) for i in failed)) if failed else 'apply it with plan_id'))
            return self._plan_result(name, arguments, result, started)
        if plan_id != arguments.get('plan_id'):
            result = dict(changed=False, failed=True, steps=summary, msg='the state changed since the plan (or the '
                          'calls differ): nothing was applied; make a new plan')
            return self._plan_result(name, arguments, result, started, refused='state changed')
        if any(t.destructive and r.get('changed') for (t, _a, _t), r in zip(steps, dry_runs, strict=True)):
            confirmed = arguments.get('confirm') is True and not confirm.client_can_elicit(ctx)
            if not confirmed and confirm.client_can_elicit(ctx) and not confirm.uses_input_required(ctx):
                question = 'Apply plan {0}: {1} step(s), destructive: {2}\nConfirm?'.format(
                    plan_id[:12], len(steps), ', '.join(c['tool'] for c, (t, _a, _t) in zip(calls, steps, strict=True) if t.destructive))
                try:
                    confirmed = await confirm.ask(ctx, question) is True
                except Exception as exc:  # a client that cannot answer confirms with confirm: true
                    LOG.warning('elicitation failed: %s', exc)
            if not confirmed:
                result = dict(changed=False, failed=True, steps=summary, msg='the plan has destructive steps and '
                              'needs confirmation: nothing was applied. Call apply again with confirm: true.')
                return self._plan_result(name, arguments, result, started, refused='not confirmed')
        applied = []
        for (tool, args, target), call in zip(steps, calls, strict=True):
            outcome = await self.execute(ctx, tool, args, False, target)
            self.audit.record(call['tool'], tool, args, outcome, time.monotonic() - started, False,
                              target=self._where(target))
            applied.append(dict(tool=call['tool'], changed=bool(outcome.get('changed')), diff=outcome.get('diff'),
                                failed=bool(outcome.get('failed')), msg=outcome.get('msg')))
            if outcome.get('failed'):
                break
        failed_step = next((i for i, a in enumerate(applied) if a['failed']), None)
        result = dict(changed=any(a['changed'] for a in applied), steps=applied, plan_id=plan_id,
                      failed=failed_step is not None,
                      msg='applied {0} of {1} step(s){2}'.format(
                          len(applied) if failed_step is None else failed_step, len(steps),
                          '' if failed_step is None else '; step {0} failed, the rest did not run'.format(failed_step)))
        return self._plan_result(name, arguments, result, started)

    def _plan_result(self, name, arguments, result, started, refused=None):
        self.audit.record(name, None, arguments, result, time.monotonic() - started, name == plan_mod.PLAN,
                          refused=refused)
        text = '{0}: {1}\n{2}'.format(name, result['msg'], json.dumps(result, sort_keys=True, default=str)[:TEXT_LIMIT])
        return types.CallToolResult(content=[types.TextContent(type='text', text=text)], structured_content=result,
                                    is_error=bool(result.get('failed')))

    # ------------------------------------------------------------------ resources and prompts

    def _extras(self):
        if getattr(self, '_registry', None) is None:
            self._registry = resources.registry(self.read_through_tool, (
                self.targets.default, targets_mod.CLUSTER) if self.targets.several else None)
        return self._registry

    def _offered(self, name, uri=None):
        """Whether the resource (or prompt) of tool name is offered: on the default target, or on any target for a
        resource of a named cluster."""
        tool = self.tools.get(name)
        if tool is None:
            return False
        if uri is not None and resources.split_cluster(uri)[0] is not None:
            return self.refusal(tool) is None
        return self.default.policy.refusal(tool) is None

    async def read_through_tool(self, name, arguments):
        """A resource's content: the result of the tool that reads it (its target's policy, paging at its largest
        page, audit as for a call); a failure or refusal is a protocol error naming why."""
        tool = self.tools.get(name)
        started = time.monotonic()
        target, arguments, problem = self.targets.pick(arguments)
        if problem:
            raise MCPError(code=types.INVALID_PARAMS, message=problem)
        refusal = self.refusal(tool, name, target) if tool is not None else 'no tool {0}'.format(name)
        if refusal:
            where = self._where(target)
            raise MCPError(code=types.INVALID_PARAMS, message='on {0}: {1}'.format(where, refusal) if where else refusal)
        arguments, page, problems = paging.split(tool, dict(arguments, **(
            {paging.LIMIT: paging.MAX_LIMIT} if paging.key_of(tool) else {})))
        problems += runner.argument_errors(tool, arguments)
        if problems:
            raise MCPError(code=types.INVALID_PARAMS, message='; '.join(problems))
        result = await self.execute(None, tool, arguments, False, target)
        paging.apply(tool, result, page)
        self.audit.record(name, tool, arguments, result, time.monotonic() - started, False,
                          target=self._where(target))
        if result.get('failed'):
            raise MCPError(code=types.INTERNAL_ERROR, message='{0} failed: {1}'.format(name, result.get('msg')))
        result.pop('invocation', None)
        return result

    async def list_resources(self, ctx, params):
        listed = [r for r in await self._extras().list_resources()
                  if resources.tool_of(str(r.uri)) is None or self._offered(resources.tool_of(str(r.uri)), str(r.uri))]
        return types.ListResourcesResult(resources=listed)

    async def list_resource_templates(self, ctx, params):
        listed = [t for t in await self._extras().list_resource_templates()
                  if self._offered(resources.tool_of(t.uri_template), t.uri_template)]
        return types.ListResourceTemplatesResult(resource_templates=listed)

    async def read_resource(self, ctx, params):
        uri = str(params.uri)
        tool = resources.tool_of(uri)
        if tool is not None and not self._offered(tool, uri):
            known = self.tools.get(tool)
            targeted = resources.split_cluster(uri)[0] is not None
            reason = (self.refusal(known) if targeted else self.default.policy.refusal(known)) if known else None
            raise MCPError(code=types.INVALID_PARAMS, message='{0} is read by {1}: {2}'.format(
                uri, tool, reason or 'not in this catalogue'))
        return await self._extras()._handle_read_resource(ctx, params)

    def _prompt_offered(self, name):
        needed = resources.PROMPTS.get(name, ((),))[0]
        return name in resources.PROMPTS and all(self._offered(t) for t in needed)

    async def list_prompts(self, ctx, params):
        listed = [p for p in await self._extras().list_prompts() if self._prompt_offered(p.name)]
        return types.ListPromptsResult(prompts=listed)

    async def get_prompt(self, ctx, params):
        if not self._prompt_offered(params.name):
            raise MCPError(code=types.INVALID_PARAMS, message='prompt {0!r} is not offered: it needs the tools {1}, '
                           'which the mode and toolsets do not all offer'.format(
                               params.name, ', '.join(resources.PROMPTS.get(params.name, ((),))[0]) or '-'))
        return await self._extras().get_prompt(params.name, params.arguments)

    # ------------------------------------------------------------------ server

    def server(self):
        text = ' '.join(t for t in (INSTRUCTIONS, schema.glossary_text(self.tools)) if t)
        server = _Server(NAME, version=VERSION, instructions=text, on_list_tools=self.list_tools,
                         on_call_tool=self.call_tool, get_tool_input_schema=self.input_schema_of,
                         on_list_resources=self.list_resources, on_list_resource_templates=self.list_resource_templates,
                         on_read_resource=self.read_resource, on_list_prompts=self.list_prompts,
                         on_get_prompt=self.get_prompt)
        server.tools_changed = self.dynamic
        return server


class _Server(Server):
    """The SDK's low-level Server, announcing tools.listChanged when the tool list can change (dynamic
    toolsets), whoever builds the initialization options (stdio, HTTP or the SDK's in-memory transport)."""

    tools_changed = False

    def create_initialization_options(self, notification_options=None, *args, **kwargs):
        if notification_options is None:
            notification_options = NotificationOptions(tools_changed=self.tools_changed,
                                                       resources_changed=self.tools_changed,
                                                       prompts_changed=self.tools_changed)
        return super().create_initialization_options(notification_options, *args, **kwargs)


def annotations(tool):
    """The tool's hints, each only where it differs from the protocol's default (readOnlyHint false,
    destructiveHint true, idempotentHint false, openWorldHint true); destructiveHint and idempotentHint mean
    something only for a tool that is not read-only."""
    hints = dict(open_world_hint=False)
    if tool.read_only:
        hints['read_only_hint'] = True
    else:
        if not tool.destructive:
            hints['destructive_hint'] = False
        if tool.idempotent:
            hints['idempotent_hint'] = True
    return types.ToolAnnotations(**hints)


def hint(annotations_, name):
    """A hint of listed annotations with the protocol's default filled in (for clients and tests)."""
    defaults = dict(read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=True)
    value = getattr(annotations_, name)
    return defaults[name] if value is None else value


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


def summary(tool, result, check_mode, body=None):
    """The text content: a head line and the result as JSON (body, when the caller has it already), cut at
    TEXT_LIMIT characters."""
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
    head += paging.summary(tool, result)
    if body is None:
        body = json.dumps(result, sort_keys=True, default=str)
    if len(body) > TEXT_LIMIT:
        body = body[:TEXT_LIMIT] + '... (truncated; the full result is in the structured content)'
    return head + '\n' + body


def jsonable(result):
    return json.loads(json.dumps(result, default=str))


def tool_result(tool, result, check_mode):
    """The tools/call answer: the result as structured content (JSON values: what the text says) and as text,
    from one serialization."""
    if check_mode:
        result = dict(result, check_mode=True)
    body = json.dumps(result, sort_keys=True, default=str)
    structured = json.loads(body)
    return types.CallToolResult(content=[types.TextContent(type='text', text=summary(tool, structured, check_mode, body))],
                                structured_content=structured, is_error=bool(structured.get('failed')))


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
