# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan, then apply: a person approves a whole change set, computed in check mode, before it runs.

``plan`` takes ``calls``, a list of ``{tool, arguments}`` of mutating tools, checks each as tools/call would
(policy, seed names, arguments), runs every one in check mode and returns the combined diff and ``plan_id``:
a SHA-256 of the calls and of what their dry runs read (each dry run's changed flag and before / after).

``apply`` takes ``plan_id`` (and the calls again, so that a replica that did not make the plan can apply
it). It first runs every call in check mode once more: if the id computed now differs, the state changed
since the plan and nothing is written. Otherwise it runs the calls in order, stopping at the first failure.
A plan with a destructive step needs confirmation, as the tool itself would (``confirm: true``, or the
client's user when the client can be asked).

The dry runs see the state before the plan: a step that depends on an earlier one (start the VM the step
before creates) is planned against the state without it, and apply runs it against the state with it.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from typing import Any

PLAN, APPLY = 'plan', 'apply'
MAX_CALLS = 50
MAX_PLANS = 100

CALLS_SCHEMA = {
    'type': 'array', 'minItems': 1, 'maxItems': MAX_CALLS,
    'items': {'type': 'object', 'properties': {'tool': {'type': 'string'}, 'arguments': {'type': 'object'}},
              'required': ['tool']},
}


def tool_schemas() -> list[dict[str, Any]]:
    """(name, description, input schema) of plan and apply."""
    return [
        dict(name=PLAN, description='Dry-run a list of mutating tool calls ({tool, arguments}) in check mode; '
             'returns the combined diff and a plan_id for apply.',
             input_schema={'type': 'object', 'properties': {'calls': CALLS_SCHEMA}, 'required': ['calls']}),
        dict(name=APPLY, description='Run the calls of a plan in order; refused when the state changed since '
             'the plan; a plan with destructive steps needs confirmation.',
             input_schema={'type': 'object', 'properties': {
                 'plan_id': {'type': 'string'}, 'calls': CALLS_SCHEMA, 'confirm': {'type': 'boolean'}},
                 'required': ['plan_id']}),
    ]


def parse_calls(calls: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The calls as [{tool, arguments}] and the problems with their shape."""
    if not isinstance(calls, list) or not calls:
        return [], ['calls must be a non-empty list of {tool, arguments}']
    if len(calls) > MAX_CALLS:
        return [], ['a plan takes at most {0} calls, not {1}'.format(MAX_CALLS, len(calls))]
    out, problems = [], []
    for index, call in enumerate(calls):
        if not isinstance(call, dict) or not isinstance(call.get('tool'), str) or \
                not isinstance(call.get('arguments', {}), dict) or set(call) - {'tool', 'arguments'}:
            problems.append('calls[{0}] must be {{tool: name, arguments: {{...}}}}'.format(index))
            continue
        arguments = dict(call.get('arguments') or {})
        for key in ('check_mode', 'confirm'):
            if key in arguments:
                problems.append('calls[{0}]: {1} is the plan\'s to set, not a step\'s'.format(index, key))
        out.append(dict(tool=call['tool'], arguments=arguments))
    return out, problems


def fingerprint(calls: list[dict[str, Any]], dry_runs: list[dict[str, Any]]) -> str:
    """The plan id: the calls and what their dry runs read and would do."""
    state = [dict(changed=bool(r.get('changed')), diff=r.get('diff'), failed=bool(r.get('failed'))) for r in dry_runs]
    text = json.dumps(dict(calls=calls, state=state), sort_keys=True, default=str, separators=(',', ':'))
    return hashlib.sha256(text.encode()).hexdigest()


class Plans:
    """The plans made here (bounded; the oldest is dropped first)."""

    def __init__(self) -> None:
        self._plans: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()

    def keep(self, plan_id: str, calls: list[dict[str, Any]]) -> None:
        self._plans[plan_id] = calls
        self._plans.move_to_end(plan_id)
        while len(self._plans) > MAX_PLANS:
            self._plans.popitem(last=False)

    def get(self, plan_id: str) -> list[dict[str, Any]] | None:
        return self._plans.get(plan_id)
