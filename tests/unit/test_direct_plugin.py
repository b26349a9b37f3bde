# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Direct execution's wiring (plugins/action/<module>.py) and its pieces that need no playbook: the task
environment is set and restored exactly, and the on/off setting is read strictly."""

import importlib
import os

import pytest
from ansible.errors import AnsibleError

from ansible_collections.pve.ops.plugins.plugin_utils import direct

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                 if f.endswith('.py') and f != '__init__.py')
ACTIONS = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, 'plugins', 'action'))
                 if f.endswith('.py') and f != '__init__.py')


def test_every_module_runs_through_the_direct_execution_action():
    assert ACTIONS == MODULES
    for name in MODULES:
        plugin = importlib.import_module('ansible_collections.pve.ops.plugins.action.' + name)
        assert issubclass(plugin.ActionModule, direct.DirectExecutionAction), name
        # A class of its own: the plugin loader sets attributes on the class it loads.
        assert plugin.ActionModule is not direct.DirectExecutionAction, name


def test_task_environment_is_set_while_the_module_runs_and_restored_after(monkeypatch):
    monkeypatch.setenv('PVEOPS_T_KEPT', 'before')
    monkeypatch.delenv('PVEOPS_T_NEW', raising=False)
    with direct.task_environment({'PVEOPS_T_KEPT': 'during', 'PVEOPS_T_NEW': 8006}):
        assert os.environ['PVEOPS_T_KEPT'] == 'during'
        assert os.environ['PVEOPS_T_NEW'] == '8006'  # as text, as a shell prefix gives it
    assert os.environ['PVEOPS_T_KEPT'] == 'before'
    assert 'PVEOPS_T_NEW' not in os.environ
    with pytest.raises(RuntimeError):
        with direct.task_environment({'PVEOPS_T_NEW': 'x'}):
            raise RuntimeError('the module failed')
    assert 'PVEOPS_T_NEW' not in os.environ


@pytest.mark.parametrize('value, expected', [(None, True), ('false', False), ('no', False), (False, False),
                                             ('yes', True), ('1', True), (True, True)])
def test_the_setting_is_read_as_a_boolean(monkeypatch, value, expected):
    monkeypatch.delenv(direct.ENV, raising=False)
    variables = {} if value is None else {direct.VARIABLE: value}
    assert direct.option_enabled(variables) is expected


def test_the_variable_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv(direct.ENV, 'false')
    assert direct.option_enabled({}) is False
    assert direct.option_enabled({direct.VARIABLE: True}) is True


@pytest.mark.parametrize('value', ['maybe', 'ture', 2])
def test_a_setting_that_is_no_boolean_is_refused(monkeypatch, value):
    monkeypatch.delenv(direct.ENV, raising=False)
    with pytest.raises(AnsibleError, match='direct_execution') as err:
        direct.option_enabled({direct.VARIABLE: value})
    assert repr(value) in str(err.value)
