# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Confirmation of destructive tools: MCP elicitation where the client supports it, else ``confirm: true``.

Handshake-era connections (protocol up to 2025-11-25) get a standalone ``elicitation/create`` request in
the middle of the call; 2026-07-28 connections get an ``InputRequiredResult`` and the client retries the
call with the answer in ``input_responses``. Either way the question shows the dry-run diff.
"""

from __future__ import annotations

import json

import mcp_types as types
from mcp_types.version import is_version_at_least

KEY = 'pveops_confirm'
SCHEMA = {
    'type': 'object',
    'properties': {'confirm': {'type': 'boolean', 'title': 'Confirm',
                               'description': 'Set true to carry out this destructive operation.'}},
    'required': ['confirm'],
}
_INPUT_REQUIRED_VERSION = '2026-07-28'


def client_can_elicit(ctx):
    caps = getattr(ctx.session, 'client_capabilities', None)
    elicitation = getattr(caps, 'elicitation', None) if caps is not None else None
    # A bare `elicitation: {}` counts as form support; url-only does not.
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


def uses_input_required(ctx):
    version = getattr(ctx, 'protocol_version', None)
    return bool(version) and is_version_at_least(version, _INPUT_REQUIRED_VERSION)


def question(tool, arguments, dry_run):
    args = dict((k, v) for k, v in arguments.items() if k not in ('confirm', 'check_mode'))
    text = '{0} is destructive: {1}\nArguments: {2}\nDry run: {3}'.format(
        tool.name, tool.entry.summary or tool.module.fqcn, json.dumps(args, sort_keys=True, default=str),
        'would change' if dry_run.get('changed') else 'would change nothing')
    diff = dry_run.get('diff')
    if diff:
        text += '\nDiff: ' + json.dumps(diff, sort_keys=True, default=str)[:4000]
    return text + '\nConfirm?'


def elicit_request(message):
    return types.ElicitRequest(params=types.ElicitRequestFormParams(message=message, requested_schema=SCHEMA))


def answer_from(response):
    """True / False from an ElicitResult (False for decline, cancel or confirm: false)."""
    if response is None:
        return None
    if getattr(response, 'action', None) != 'accept':
        return False
    content = getattr(response, 'content', None) or {}
    return content.get('confirm') is True


async def ask(ctx, message):
    """Handshake-era elicitation in the middle of the call; True / False, or None when it cannot be sent."""
    if not getattr(ctx.session, 'can_send_request', False):
        return None
    response = await ctx.session.elicit_form(message=message, requested_schema=SCHEMA,
                                             related_request_id=ctx.request_id)
    return answer_from(response)
