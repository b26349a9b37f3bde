# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's DOCUMENTATION (with its doc fragments) agrees with its argument_spec, and
EXAMPLES / RETURN parse; every module is in the `all` action group."""

import importlib
import os

import pytest
import yaml

from ansible_collections.pve.ops.plugins.module_utils.module import connection_argument_spec
from ansible_collections.pve.ops.plugins.plugin_utils.documentation import merged_documentation

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                 if f.endswith('.py') and not f.startswith('_'))


def load_module(name):
    return importlib.import_module('ansible_collections.pve.ops.plugins.modules.' + name)


def documented_options(mod):
    doc = merged_documentation(mod.DOCUMENTATION)
    return doc, doc['options']


def compare(spec, docs, where):
    problems = []
    for name in sorted(set(spec) | set(docs)):
        here = '{0}.{1}'.format(where, name)
        if name not in docs:
            problems.append('{0}: in argument_spec, not documented'.format(here))
            continue
        if name not in spec:
            problems.append('{0}: documented, not in argument_spec'.format(here))
            continue
        s, d = spec[name], docs[name]
        if not d.get('description'):
            problems.append('{0}: no description'.format(here))
        lines = d.get('description') if isinstance(d.get('description'), list) else [d.get('description')]
        for line in lines:
            if line and not isinstance(line, str):
                # 'text: more' in a YAML list item is a mapping; ansible-doc and validate-modules refuse it.
                problems.append('{0}: description line is {1}, not text: {2!r}'.format(
                    here, type(line).__name__, line))
        if s.get('type', 'str') != d.get('type', 'str'):
            problems.append('{0}: type {1!r} in spec, {2!r} in docs'.format(here, s.get('type', 'str'), d.get('type')))
        if bool(s.get('required')) != bool(d.get('required')):
            problems.append('{0}: required differs'.format(here))
        if s.get('default') != d.get('default'):
            problems.append('{0}: default {1!r} in spec, {2!r} in docs'.format(here, s.get('default'), d.get('default')))
        if list(s.get('choices') or []) != list(d.get('choices') or []):
            problems.append('{0}: choices {1!r} in spec, {2!r} in docs'.format(here, s.get('choices'), d.get('choices')))
        if s.get('elements') != d.get('elements'):
            problems.append('{0}: elements {1!r} in spec, {2!r} in docs'.format(here, s.get('elements'), d.get('elements')))
        if sorted(s.get('aliases') or []) != sorted(d.get('aliases') or []):
            problems.append('{0}: aliases differ'.format(here))
        if s.get('options') or d.get('suboptions'):
            problems += compare(s.get('options') or {}, d.get('suboptions') or {}, here)
    return problems


@pytest.mark.parametrize('name', MODULES)
def test_documentation_matches_argument_spec(name):
    mod = load_module(name)
    doc, options = documented_options(mod)
    assert doc['module'] == name
    assert doc.get('short_description')
    # validate-modules wants a GitHub handle in every author line.
    assert doc.get('author') and all('(@' in a for a in doc['author']), doc.get('author')
    spec = connection_argument_spec()
    spec.update(mod.argument_spec())
    assert compare(spec, options, name) == []


@pytest.mark.parametrize('name', MODULES)
def test_examples_and_return_parse(name):
    mod = load_module(name)
    examples = yaml.safe_load(mod.EXAMPLES)
    assert isinstance(examples, list) and examples
    for task in examples:
        assert any(key == 'pve.ops.' + name for key in task), 'examples use the FQCN: {0}'.format(task)
    returns = yaml.safe_load(mod.RETURN)
    assert isinstance(returns, dict)
    for key, value in returns.items():
        assert value.get('description') and value.get('returned') and value.get('type'), (name, key)
    if not name.endswith('_info'):
        # State modules return before and after (for --diff); the harness checks every key they return.
        assert 'diff' in returns, '{0}: RETURN leaves out diff'.format(name)


@pytest.mark.parametrize('name', MODULES)
def test_secrets_are_no_log(name):
    spec = load_module(name).argument_spec()

    def walk(options, where):
        for key, value in options.items():
            if any(word in key for word in ('password', 'secret', 'cipassword')) and value.get('type', 'str') == 'str' and not value.get('choices'):
                assert value.get('no_log') is True, '{0}.{1} must be no_log'.format(where, key)
            walk(value.get('options') or {}, where + '.' + key)
    walk(spec, name)


def test_action_group_lists_every_module():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as fh:
        runtime = yaml.safe_load(fh)
    assert sorted(runtime['action_groups']['all']) == MODULES


def test_modules_md_is_generated_and_current():
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, os.path.join(ROOT, 'scripts', 'gen_docs.py'), '--check'],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_test_files_have_unique_basenames():
    # pytest's default import mode needs unique basenames across tests/ (a clash fails collection in CI).
    seen = {}
    for folder, _dirs, files in os.walk(os.path.join(ROOT, 'tests')):
        for name in files:
            if name.startswith('test_') and name.endswith('.py'):
                assert name not in seen, '{0} in {1} and {2}'.format(name, seen.get(name), folder)
                seen[name] = folder


def test_privileges_fragments_are_generated_and_current():
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, os.path.join(ROOT, 'scripts', 'gen_privileges.py'), '--check'],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize('name', MODULES)
def test_docs_name_the_privileges(name):
    from ansible_collections.pve.ops.plugins.doc_fragments.privileges import ModuleDocFragment
    doc = yaml.safe_load(load_module(name).DOCUMENTATION)
    assert 'pve.ops.privileges.' + name.upper() in doc['extends_documentation_fragment']
    notes = yaml.safe_load(getattr(ModuleDocFragment, name.upper()))['notes']
    assert notes[0].startswith('Privileges, from the Proxmox VE API schema') and len(notes) > 1, notes
