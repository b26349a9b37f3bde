# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pieces the generated module tests share: each module's strategy, the harness simulator, and the
check of one example with the known findings set aside (see known_findings.py)."""

import os

from hypothesis import strategies as st

from ansible_collections.pve.ops.plugins.module_utils.module import CONNECTION_OPTIONS
from mcp_adapter.runner import module_info
from pvesim.archives import tar_bytes, vma_bytes
from pvesim.testing import serve
from tests.helpers.argspec_strategies import aliased, canonical, params_strategy
from tests.helpers.harness import Broken, Quartet
from tests.helpers.known_findings import known_finding
from tests.helpers.module_knowledge import KNOWLEDGE, TAR_FILE, VMA_FILE, harness_seed, knowledge_for, resolve


def module_spec(name):
    """The module's argument_spec without the connection options."""
    return dict((k, v) for k, v in module_info(name).argument_spec.items() if k not in CONNECTION_OPTIONS)


def module_strategy(name):
    """Params for pve.ops.<name>: drawn from its argument_spec and MODULE_KWARGS with its knowledge."""
    know = knowledge_for(name)
    spec = module_spec(name)
    base = params_strategy(spec, module_info(name).kwargs, know.values, know.omit, know.require, know.fixed,
                           aliases=False)

    @st.composite
    def draw_params(draw):
        return aliased(draw, know.derive(draw, draw(base)), spec, know.fixed)
    return draw_params()


class HarnessSim:
    """A simulator with the harness seed, rolled back to it before each example."""

    def __init__(self, pki, folder):
        self.sim = serve(*pki)
        self.facts = harness_seed(self.sim)
        iso = os.path.join(folder, 'tiny.iso')
        with open(iso, 'wb') as fh:
            fh.write(b'\0' * 4096)
        self.facts['@iso_file'] = iso
        for fact, name, data in (('@vma_file', VMA_FILE, vma_bytes('cores: 1\nmemory: 512\nname: harness-vm\n')),
                                 ('@tar_file', TAR_FILE, tar_bytes('hostname: harness-ct\nmemory: 256\n'))):
            self.facts[fact] = os.path.join(folder, name)
            with open(self.facts[fact], 'wb') as fh:
                fh.write(data)
        self.sim.checkpoint()

    def fresh(self):
        self.sim.rollback()
        return self.sim

    def stop(self):
        self.sim.stop()


def check_example(harness, module, params, report=None, known=True):
    """Run the quartet of module on params on a rolled-back simulator; returns (outcome, quartet). A broken
    promise that a known finding explains is counted (report.known_failure) instead of raised, unless
    known=False."""
    params = resolve(params, harness.facts)
    quartet = Quartet(harness.fresh(), module, KNOWLEDGE[module])
    try:
        outcome = quartet.run(params, canonical(params, module_spec(module)))
    except Broken as exc:
        finding = known_finding(module, canonical(params, module_spec(module)), str(exc)) if known else None
        if finding is None:
            raise
        if report is not None:
            report.known_failure(finding)
        outcome = 'known'
    if report is not None:
        report.count(outcome)
    return outcome, quartet
