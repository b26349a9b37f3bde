# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generated arguments for every state module: the quartet on arguments nobody chose.

Each example draws params from the module's argument_spec and knowledge (tests/helpers/module_knowledge.py),
rolls the harness simulator back to its seed, and runs check / apply / read back / apply again / check
again in-process (tests/helpers/harness.py). A failing example shrinks to a minimal case; the minimal
cases stay below as regression tests. The number of examples comes from the profile (harness.py).
"""

import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcp_adapter import catalogue
from tests.helpers.generated_modules import HarnessSim, check_example, module_strategy
from tests.helpers.harness import Report, harness_settings
from tests.helpers.module_knowledge import STATE_MODULES

# Examples per module in the CI profile: the modules with more options get more.
CI_EXAMPLES = dict.fromkeys(STATE_MODULES, 12)
CI_EXAMPLES.update(vm=30, container=25, firewall_rule=20, storage=20, security_group=15, acl=15, user=15)
INFO_SUFFIX = '_info'


@pytest.fixture(scope='module')
def harness(pvesim_pki, tmp_path_factory):
    sim = HarnessSim(pvesim_pki, str(tmp_path_factory.mktemp('harness')))
    yield sim
    sim.stop()


def test_every_state_module_has_knowledge():
    modules = sorted(f[:-3] for f in os.listdir(catalogue.modules_dir())
                     if f.endswith('.py') and not f.startswith('_') and not f[:-3].endswith(INFO_SUFFIX))
    assert STATE_MODULES == modules


@pytest.mark.parametrize('module', STATE_MODULES)
def test_generated_quartet(module, harness):
    report = Report('module', module)
    strategy = module_strategy(module)

    @harness_settings(CI_EXAMPLES[module])
    @given(st.data())
    def example(data):
        check_example(harness, module, data.draw(strategy, label='params'), report)
    try:
        example()
    except BaseException as exc:
        report.failed(exc)
        raise
    finally:
        report.write()


# The minimal cases the harness found in this branch's modules, fixed: (module, params, outcome, the
# message of the refusal).
REGRESSIONS = [
    ('realm', {'realm': 'a0', 'type': 'ldap'}, 'refused', r'^settings: a new ldap realm needs .*missing: base_dn'),
    ('realm', {'realm': 'pam', 'type': 'pam', 'sync': True}, 'refused', r'^sync: only ldap and ad realms can be synced'),
]


@pytest.mark.parametrize('module,params,outcome,msg', REGRESSIONS, ids=[r[0] for r in REGRESSIONS])
def test_regression(module, params, outcome, msg, harness):
    got, quartet = check_example(harness, module, params, known=False)
    assert got == outcome
    if msg:
        assert re.search(msg, quartet.steps[-1][2]['msg']), quartet.steps[-1][2]
