# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runner core (plugins/plugin_utils/inprocess.py) relies on a few private parts of AnsibleModule
(``inprocess.PRIVATE_HOOKS``). Each one has a test here that fails when ansible-core changes under it: the
hook still exists with the same signature, core still calls it where the runner expects, and the runner's
override still has its effect on a real AnsibleModule run."""

import inspect
import locale
import threading

import pytest
from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common import arg_spec, warnings

from ansible_collections.pve.ops.plugins.plugin_utils import inprocess

SPEC = dict(name=dict(type='str', aliases=['label']), secret=dict(type='str', no_log=True),
            fail=dict(type='bool', default=False))


def _main(module_class):
    module = module_class(argument_spec=SPEC, supports_check_mode=True)
    module.warn('warned by {0}'.format(module.params['name']))
    if module.params['fail']:
        module.fail_json(msg='failed with {0}'.format(module.params['secret']))
    module.exit_json(changed=True, echo=module.params['secret'], name=module.params['name'])


def _run(**params):
    return inprocess.run_main(_main, 'pve.ops.test', params, argument_spec=SPEC)


def _called_by(function, name):
    return name in function.__code__.co_names


def test_the_hooks_are_the_documented_ones():
    assert inprocess.PRIVATE_HOOKS == ('_load_params', '_check_locale', '_log_invocation', 'validator',
                                       '_record_module_result')
    overridden = set(k for k in vars(inprocess.CallModule) if k.startswith('_') and not k.startswith('__')
                     and not k.startswith('_pveops'))
    assert overridden == set(h for h in inprocess.PRIVATE_HOOKS if h.startswith('_'))


@pytest.mark.parametrize('hook', ['_load_params', '_check_locale', '_log_invocation'])
def test_init_hooks_exist_take_no_arguments_and_are_called_by_init(hook):
    assert list(inspect.signature(getattr(AnsibleModule, hook)).parameters) == ['self']
    assert _called_by(AnsibleModule.__init__, hook)


def test_load_params_hands_in_the_call_params():
    result = _run(name='a', secret='s3cr3t-value')
    assert result['name'] == 'a' and result['changed'] is True
    assert result['invocation']['module_args']['name'] == 'a'


def test_check_locale_is_skipped(monkeypatch):
    def setlocale(*args, **kwargs):
        raise AssertionError('setlocale is process-global')
    monkeypatch.setattr(locale, 'setlocale', setlocale)
    assert _run(name='a')['changed'] is True


def test_log_invocation_is_skipped(monkeypatch):
    def log(self, *args, **kwargs):
        raise AssertionError('no syslog / journal line per call')
    monkeypatch.setattr(AnsibleModule, 'log', log)
    assert _run(name='a')['changed'] is True


def test_validator_is_assigned_then_validated_and_its_messages_stay_with_the_call():
    assert _called_by(AnsibleModule.__init__, 'validator')
    assert 'validate' in AnsibleModule.__init__.__code__.co_names
    assert issubclass(arg_spec.ModuleArgumentSpecValidator, arg_spec.ArgumentSpecValidator)
    result = arg_spec.ArgumentSpecValidator(SPEC).validate(dict(name='a', label='b'))
    assert result._warnings == [{'option': 'name', 'alias': 'label'}] and result._deprecations == []
    before = list(warnings.get_warnings())
    out = _run(name='a', label='b')
    assert 'Both option name and its alias label are set.' in out['warnings']
    assert list(warnings.get_warnings()) == before


def test_record_module_result_is_core_s_output_hook_and_nothing_is_printed(capsys):
    assert list(inspect.signature(AnsibleModule._record_module_result).parameters) == ['self', 'o']
    assert _called_by(AnsibleModule._return_formatted, '_record_module_result')
    for exit_ in (AnsibleModule.exit_json, AnsibleModule.fail_json):
        assert _called_by(exit_, '_return_formatted') and _called_by(exit_, 'exit')
    ok = _run(name='a', secret='s3cr3t-value')
    failed = _run(name='a', secret='s3cr3t-value', fail=True)
    assert capsys.readouterr().out == ''
    # core's masking (no_log values), invocation and failure shape, recorded instead of printed
    assert ok['echo'] == ok['invocation']['module_args']['secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert failed['failed'] is True and 's3cr3t-value' not in failed['msg'] and 'failed with' in failed['msg']
    assert ok['warnings'] == ['warned by a']
    assert 'exception' not in failed


def test_a_traceback_only_when_the_caller_asks_for_one(monkeypatch):
    # core decides from a process-global whether to capture one (the controller overrides this callable);
    # with capture on, the caller's _ansible_tracebacks_for still decides, as for a plain task.
    from ansible.module_utils._internal import _traceback
    monkeypatch.setattr(_traceback, '_is_traceback_enabled', lambda event: True)
    plain = _run(name='a', fail=True)
    traced = inprocess.run_main(_main, 'pve.ops.test', dict(name='a', fail=True), argument_spec=SPEC,
                                internal=dict(_ansible_tracebacks_for=['error']))
    assert 'exception' not in plain
    assert 'Traceback' in traced['exception']


def test_concurrent_calls_keep_their_own_warnings():
    results = {}

    def call(name):
        results[name] = _run(name=name)
    threads = [threading.Thread(target=call, args=('n{0}'.format(i),)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == sorted('n{0}'.format(i) for i in range(8))
    for name, result in results.items():
        assert result['warnings'] == ['warned by {0}'.format(name)], name


def test_public_overrides_keep_core_s_signatures():
    for name in ('warn', 'deprecate', 'error_as_warning'):
        core = inspect.signature(getattr(AnsibleModule, name))
        ours = inspect.signature(getattr(inprocess.CallModule, name))
        assert list(core.parameters) == list(ours.parameters), name
    assert basic.AnsibleModule is AnsibleModule
