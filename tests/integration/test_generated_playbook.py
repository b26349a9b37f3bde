# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The other door: generated params through the real ansible-playbook give what the in-process runner gives.

One example draws params for several state modules, runs check / apply / apply / check of each module in
one play (``ignore_errors``, so a refusal does not end the play) on a simulator with the harness seed, and
the same calls in the same order in-process on a second one; the play runs with direct execution (the default) and by
normal module execution. Per call, both doors agree on changed, failed
and the number of write requests, and no check-mode call writes. (The in-process door's own promises, read
back and idempotence, are test_generated_modules.py's.) An ansible-playbook run costs seconds, so the CI
profile runs one example over a few modules; the long profile every door module, more often.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcp_adapter.runner import run_module
from tests.helpers.generated_modules import HarnessSim, module_strategy
from tests.helpers.harness import LONG, Report, connection, examples, harness_settings
from tests.helpers.module_knowledge import resolve
from tests.helpers.playbook import run_tasks

# Modules whose values a playbook passes through unchanged (no Jinja braces, no facts of one simulator).
DOOR_MODULES = ['acl', 'container', 'firewall_options', 'firewall_rule', 'group', 'ha_resource', 'pool', 'realm',
                'role', 'security_group', 'snapshot', 'storage', 'token', 'user', 'vm']
CI_DOOR = [['user', 'firewall_rule'], ['vm', 'container']]
STEPS = (('check', True), ('apply', False), ('again', False), ('check again', True))


@pytest.fixture(scope='module')
def two_sims(pvesim_pki, tmp_path_factory):
    folder = str(tmp_path_factory.mktemp('door'))
    sims = HarnessSim(pvesim_pki, folder), HarnessSim(pvesim_pki, folder)
    yield sims
    for sim in sims:
        sim.stop()


def door_groups():
    if not LONG:
        return CI_DOOR
    return [DOOR_MODULES[i::2] for i in range(2)]


@pytest.mark.parametrize('direct', [True, False], ids=['direct-execution', 'normal-execution'])
@pytest.mark.parametrize('modules', door_groups(), ids=lambda m: '-'.join(m))
def test_playbook_door_agrees_with_the_runner(modules, two_sims, direct):
    playbook_sim, runner_sim = two_sims
    report = Report('door', '-'.join(modules) + ('' if direct else '-normal'))
    strategies = dict((m, module_strategy(m)) for m in modules)

    # An ansible-playbook run takes seconds: a failing example is reported as drawn, not shrunk (the
    # in-process quartet of test_generated_modules.py shrinks the same params in milliseconds).
    @harness_settings(1 if not LONG else max(1, examples(1) // 25), shrink=False)
    @given(st.data())
    def example(data):
        drawn = [(m, resolve(data.draw(strategies[m], label=m), playbook_sim.facts)) for m in modules]
        tasks = []
        for module, params in drawn:
            for step, check in STEPS:
                tasks.append({'name': '{0} {1}'.format(module, step), 'pve.ops.' + module: params,
                              'check_mode': check, 'ignore_errors': True})
        run = run_tasks(playbook_sim.fresh(), tasks, play_vars={'pveops_direct_execution': direct})
        assert run.rc == 0, run
        sim = runner_sim.fresh()
        for module, params in drawn:
            for step, check in STEPS:
                name = '{0} {1}'.format(module, step)
                before = sim.stats()['writes']
                result = run_module(module, dict(connection(sim), **params), check_mode=check)
                writes = sim.stats()['writes'] - before
                door = run.results[name]
                assert (bool(door.get('changed')), bool(door.get('failed'))) == (
                    bool(result.get('changed')), bool(result.get('failed'))), (name, params, door, result)
                assert run.writes[name] == writes, (name, params, run.writes[name], writes)
                if check:
                    assert writes == 0, (name, params, result)
        report.count('agreed')
    try:
        example()
    except BaseException as exc:
        report.failed(exc)
        raise
    finally:
        report.write()
