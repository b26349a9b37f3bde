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


class _Shell:
    def env_prefix(self, **env):
        return ' '.join('{0}={1}'.format(k, v) for k, v in env.items())


class _Templar:
    def template(self, value):
        return value


def _action(action='pve.ops.vm_info', environment=None, transport='local', become=False, async_val=0):
    from types import SimpleNamespace
    task = SimpleNamespace(action=action, _resolved_action=action, collections=None, async_val=async_val,
                           environment=environment)
    connection = SimpleNamespace(transport=transport, _shell=_Shell())
    return direct.DirectExecutionAction(task, connection, SimpleNamespace(become=become), None, _Templar())


def _reason(action, task_vars=None):
    module, reason = action._direct_module(task_vars or {})
    return 'direct' if module is not None else reason


def test_which_tasks_direct_execution_serves(monkeypatch):
    monkeypatch.delenv(direct.ENV, raising=False)
    assert _reason(_action()) == 'direct'
    assert _reason(_action(environment=[{'PROXMOX_HOST': 'h'}, {'https_proxy': 'p'}])) == 'direct'
    assert _reason(_action(), {direct.VARIABLE: 'off'}) == 'turned off'
    assert _reason(_action(async_val=30)) == 'an async task'
    assert _reason(_action(transport='ssh')) == "connection 'ssh': the module runs on the target host"
    assert _reason(_action(become=True)) == 'become: the module runs as another user'
    assert _reason(_action('ansible.builtin.ping')) == 'not a pve.ops module'
    assert _reason(_action('pve.ops.no_such_module')).startswith('cannot import pve.ops.no_such_module')
    assert _reason(_action(environment=[{'A=B': '1'}])) == "environment names the process environment cannot take: 'A=B'"
    monkeypatch.setattr(direct, 'HAS_PROXMOXER', False)
    assert _reason(_action()) == "proxmoxer is not importable in the controller's Python"


def test_the_collection_never_imports_the_adapter():
    # Direct execution must work with the collection installed alone (an execution environment).
    for folder, _dirs, files in os.walk(os.path.join(ROOT, 'plugins')):
        for name in files:
            if name.endswith('.py'):
                with open(os.path.join(folder, name)) as fh:
                    text = fh.read()
                assert 'import mcp_adapter' not in text and 'from mcp_adapter' not in text, name
