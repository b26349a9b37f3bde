# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The generative harness: the quartet of a state module on generated params, its profiles and its report.

``Quartet(sim, module, knowledge).run(params)`` runs, in-process through the MCP adapter's runner
(``mcp_adapter.runner.run_module``), against a simulator rolled back to its seed:

1. check mode: no write request, and a diff whenever changed;
2. apply: changed as check mode said;
3. read back: what was asked is what the module's info counterpart shows (the knowledge's ``readback``);
4. apply again: changed false and no write request (for idempotent params);
5. check mode again: changed false, no write request.

A refusal (``failed`` with a message, no traceback, no write request) is a pass: the module rightly
refuses what it cannot do. A traceback (``pve.ops.x failed: TypeError: ...``), a refusal without a
message or after a write request, and every broken promise above is a failure (an AssertionError that
Hypothesis shrinks).

Profiles (``PVEOPS_HYPOTHESIS_PROFILE``): ``pveops-ci`` (the default: a fixed number of examples per module
and per tool, derandomized, no example database, so the suite is repeatable) and ``pveops-long``
(``PVEOPS_EXAMPLES`` examples each, ``PVEOPS_TOOL_EXAMPLES`` per tool if set; random). ``PVEOPS_HARNESS_REPORT`` names a directory where each test
writes what it ran (examples, failures, known findings), for scripts/harness.py.
"""

import json
import os
import re

from hypothesis import HealthCheck, Phase, settings

from mcp_adapter.runner import run_module
from tests.helpers import api_calls
from tests.helpers.playbook import connection_defaults
from tests.helpers.return_docs import undocumented

PROFILE = os.environ.get('PVEOPS_HYPOTHESIS_PROFILE', 'pveops-ci')
LONG = PROFILE == 'pveops-long'
_QUIET = dict(deadline=None, database=None, print_blob=False, suppress_health_check=list(HealthCheck))
settings.register_profile('pveops-ci', derandomize=True, **_QUIET)
settings.register_profile('pveops-long', derandomize=False, **_QUIET)
settings.load_profile(PROFILE)

# ansible's own module failure, as the runner reports an exception in a module
TRACEBACK = re.compile(r'(^pve\.ops\.\w+ failed: \w+(Error|Exception)\b)|Traceback \(most recent call last\)')


def examples(ci, kind='module'):
    """The number of examples of a test: ``ci`` in the CI profile; in the long one PVEOPS_EXAMPLES (for the
    tools PVEOPS_TOOL_EXAMPLES when set). kind 'door' takes ``ci`` as the count in both (the playbook door
    works its own out of PVEOPS_EXAMPLES)."""
    if not LONG or kind == 'door':
        return ci
    count = os.environ.get('PVEOPS_TOOL_EXAMPLES') if kind == 'tool' else None
    return int(count or os.environ.get('PVEOPS_EXAMPLES', '200'))


def harness_settings(ci, kind='module', shrink=True):
    """The settings of a harness test: its number of examples; shrink=False reports a failure as drawn."""
    phases = None if shrink else [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
    return settings(max_examples=examples(ci, kind), **({'phases': phases} if phases else {}))


def connection(sim):
    return connection_defaults(sim)


class Broken(AssertionError):
    """A promise the module broke on these params."""


def clean_refusal(result, writes, step):
    """Raise Broken unless a failed result is a clean refusal: a message, no traceback, no write."""
    msg = str(result.get('msg') or '')
    if not msg.strip():
        raise Broken('{0}: failed without a message: {1!r}'.format(step, result))
    if TRACEBACK.search(msg) or result.get('exception'):
        raise Broken('{0}: uncaught exception: {1}'.format(step, msg))
    if writes:
        raise Broken('{0}: refused after {1} write request(s): {2}'.format(step, writes, msg))


class Quartet:
    """The quartet of one module on one simulator (see the module docstring)."""

    def __init__(self, sim, module, knowledge):
        self.sim = sim
        self.module = module
        self.knowledge = knowledge
        self.steps = []

    def call(self, params, check_mode=False, module=None):
        """(result, writes) of one in-process run on the simulator."""
        stats = self.sim.stats()
        args = dict(connection(self.sim))
        args.update(params)
        result = run_module(module or self.module, args, check_mode=check_mode, diff=True)
        after = self.sim.stats()
        writes = after['writes'] - stats['writes']
        try:
            api_calls.check(module or self.module, api_calls.made(stats, after))
        except api_calls.UnlistedCall as exc:
            raise Broken(str(exc)) from None
        missing = undocumented(module or self.module, result)
        if missing:
            raise Broken('{0} returned {1}, which its RETURN does not document'.format(
                module or self.module, ', '.join(missing)))
        if module is None:
            self.steps.append(('check' if check_mode else 'apply', writes, result))
        return result, writes

    def info(self, module, params):
        """The result of an info module (read only) on the same simulator."""
        result, writes = self.call(params, module=module)
        assert writes == 0, '{0} made {1} write request(s)'.format(module, writes)
        return result

    def run(self, params, asked=None):
        """The quartet on params; returns 'refused', 'applied', 'changed-again' (non-idempotent params) or
        'refused-again' (params whose re-run must be refused).
        asked: params under the options' own names (no aliases), for the knowledge (default params)."""
        know = self.knowledge
        given, params = params, (params if asked is None else asked)
        check, writes = self.call(given, check_mode=True)
        if check.get('failed'):
            clean_refusal(check, writes, 'check mode')
            return 'refused'
        if writes:
            raise Broken('check mode made {0} write request(s): {1}'.format(writes, _short(check)))
        if check.get('changed') and not know.no_diff(params):
            _has_diff(check, 'check mode')
        applied, writes = self.call(given)
        if applied.get('failed'):
            clean_refusal(applied, writes, 'apply (check mode had said changed={0})'.format(check.get('changed')))
            return 'refused'
        if bool(applied.get('changed')) != bool(check.get('changed')) and know.deterministic(params):
            raise Broken('check mode said changed={0}, apply said changed={1}: {2}'.format(
                check.get('changed'), applied.get('changed'), _short(applied)))
        if applied.get('changed') and not know.no_diff(params):
            _has_diff(applied, 'apply')
        if not applied.get('changed') and writes and not know.writes_unchanged(params):
            raise Broken('apply said changed=false after {0} write request(s)'.format(writes))
        problems = know.readback(self, params, applied)
        if problems:
            raise Broken('read back differs from what was asked: ' + '; '.join(problems))
        if know.rerun_refused(params):
            # A re-run must refuse cleanly (a restore onto the vmid it has just restored, without skip_existing).
            for check_mode in (False, True):
                again, writes = self.call(given, check_mode=check_mode)
                if not again.get('failed'):
                    raise Broken('{0} after apply did not refuse: changed={1}, {2} write request(s)'.format(
                        'check mode' if check_mode else 'second apply', again.get('changed'), writes))
                clean_refusal(again, writes, 'check mode after apply' if check_mode else 'second apply')
            return 'refused-again'
        if not know.idempotent(params):
            again, writes = self.call(given, check_mode=True)
            if again.get('failed') or writes:
                clean_refusal(again, writes, 'check mode after apply')
                raise Broken('check mode after apply failed: {0}'.format(again.get('msg')))
            return 'changed-again'
        again, writes = self.call(given)
        if again.get('failed'):
            raise Broken('second apply failed: {0}'.format(again.get('msg')))
        if again.get('changed') or writes:
            raise Broken('second apply: changed={0} with {1} write request(s): {2}'.format(
                again.get('changed'), writes, _changes(again)))
        last, writes = self.call(given, check_mode=True)
        if last.get('failed') or last.get('changed') or writes:
            raise Broken('check mode after the second apply: changed={0}, {1} write request(s), msg={2!r}'.format(
                last.get('changed'), writes, last.get('msg')))
        return 'applied'


def _has_diff(result, step):
    diff = result.get('diff')
    if not isinstance(diff, (dict, list)) or not diff:
        raise Broken('{0}: changed without a diff: {1}'.format(step, _short(result)))


def _short(result, limit=600):
    text = json.dumps(result, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit] + '...'


def _changes(result):
    """What a diff says changed (the keys, one level into dicts, whose before and after differ), or the
    result in short."""
    diff = result.get('diff') if isinstance(result.get('diff'), dict) else None
    if not diff or not isinstance(diff.get('before'), dict) or not isinstance(diff.get('after'), dict):
        return _short(result)
    out = []
    _differences(diff['before'], diff['after'], '', out)
    return '; '.join(out)[:800] or 'no difference in the diff; ' + _short(result)


def _differences(before, after, prefix, out):
    for key in sorted(set(before) | set(after), key=str):
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) and isinstance(new, dict) and old != new:
            _differences(old, new, '{0}{1}.'.format(prefix, key), out)
        elif old != new:
            out.append('{0}{1}: {2!r} -> {3!r}'.format(prefix, key, old, new))


# ------------------------------------------------------------------- the report of a profile run

class Report:
    """What one test ran, written to PVEOPS_HARNESS_REPORT/<name>.json when that is set."""

    def __init__(self, kind, name):
        self.kind, self.name = kind, name
        self.examples = 0
        self.outcomes = {}
        self.known = {}
        self.failures = []

    def count(self, outcome):
        self.examples += 1
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def known_failure(self, finding):
        self.known[finding] = self.known.get(finding, 0) + 1

    def failed(self, exc):
        found = getattr(exc, 'exceptions', None) or [exc]
        self.failures.extend('{0}: {1}'.format(type(e).__name__, str(e).splitlines()[0][:300] if str(e) else '')
                             for e in found)

    def write(self):
        folder = os.environ.get('PVEOPS_HARNESS_REPORT')
        if not folder:
            return
        os.makedirs(folder, exist_ok=True)
        doc = dict(kind=self.kind, name=self.name, examples=self.examples, outcomes=self.outcomes,
                   known=self.known, failures=self.failures)
        with open(os.path.join(folder, '{0}-{1}.json'.format(self.kind, self.name)), 'w') as fh:
            json.dump(doc, fh, indent=1, sort_keys=True)
