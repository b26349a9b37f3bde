# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalogue and its generated schemas agree with the modules (no simulator needed)."""

import os
import re

import pytest
from jsonschema import Draft202012Validator

from mcp_adapter import catalogue, paging, schema
from mcp_adapter.policy import FULL, READ_ONLY, WRITE, Policy
from tests.mcp.mcp_support import tools

TOOLS = tools()
SEED = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'seed', 'tools.tsv')
JSON_TYPES = {'str': 'string', 'path': 'string', 'int': 'integer', 'float': 'number', 'bool': 'boolean',
              'list': 'array', 'dict': 'object'}


def test_every_existing_module_is_loaded_strictly():
    loaded = catalogue.load(strict=True)
    expected = [e.name for e in catalogue.ENTRIES if catalogue.module_exists(e.module)]
    assert list(loaded) == expected


def test_a_tool_whose_module_does_not_exist_is_not_listed():
    entry = catalogue._e('frobnicate_vm', 'no_such_module', {'state': 'present'}, catalogue.W)
    assert catalogue.load([entry], strict=True) == {}


def test_every_module_backs_at_least_one_tool():
    assert catalogue.unmapped_modules(catalogue.load(strict=True)) == []


def test_an_entry_that_does_not_fit_its_module_is_refused():
    bad = catalogue._e('start_thing', 'cluster_info', {'state': 'started'}, catalogue.W)
    with pytest.raises(ValueError, match="fixed argument 'state' is not an option"):
        catalogue.load([bad], strict=True)
    bad = catalogue._e('gather_all', 'cluster_info', {'gather': ['everything']})
    with pytest.raises(ValueError, match='is not one of'):
        catalogue.load([bad], strict=True)


@pytest.mark.skipif(not os.path.exists(SEED), reason='the seed tool list is not next to the repository')
def test_seed_names_are_used_where_a_module_exists():
    with open(SEED) as fh:
        seed = set(line.split('\t')[0] for line in fh.read().splitlines()[1:] if line.strip())
    names = set(e.name for e in catalogue.ENTRIES)
    # Tools of the seed that the catalogue maps: listed exactly when their module exists.
    for entry in catalogue.ENTRIES:
        if entry.name in seed:
            assert (entry.name in TOOLS) == catalogue.module_exists(entry.module), entry
    assert len(names & seed) >= 40


def test_annotations_follow_the_kind():
    for tool in TOOLS.values():
        assert tool.read_only == (tool.kind == 'read')
        assert tool.destructive == (tool.kind == 'destructive')
        if tool.module.name.endswith('_info'):
            assert tool.read_only, tool
        if tool.fixed.get('state') == 'absent' or tool.fixed.get('state') == 'rollback' or tool.name.startswith('delete_'):
            assert tool.destructive, tool
        if tool.fixed.get('state') == 'stopped' and tool.fixed.get('force'):
            assert tool.destructive, tool


@pytest.mark.parametrize('name', sorted(TOOLS))
def test_schema_agrees_with_argument_spec(name):
    tool = TOOLS[name]
    spec, docs = schema.module_options(tool)
    generated = tool.input_schema
    Draft202012Validator.check_schema(generated)
    Draft202012Validator.check_schema(tool.output_schema)
    props = generated['properties']
    offered = set(props) - set(schema.ADAPTER_ARGS) - (set(paging.PAGING_ARGS) if paging.key_of(tool) else set())
    expected = set(spec) - set(tool.fixed) - tool.hidden
    if paging.key_of(tool) and paging.pages_itself(tool):
        # The module's own paging options, offered with the adapter's bounds (default page, at most MAX_LIMIT).
        expected -= set(paging.PAGING_ARGS)
        assert dict((k, props[k]) for k in paging.PAGING_ARGS) == paging.schema_properties()
    # Mutually exclusive with a fixed argument: not offered either.
    for group in tool.module.kwargs.get('mutually_exclusive') or []:
        if any(k in tool.fixed for k in group):
            expected -= set(k for k in group if k not in tool.fixed)
    assert offered == expected
    assert not (offered & catalogue_connection_options())
    for key in offered:
        opt, prop = spec[key], props[key]
        kind = opt.get('type', 'str')
        if kind in JSON_TYPES:
            assert prop['type'] == JSON_TYPES[kind], key
        if opt.get('choices'):
            enum = prop['items']['enum'] if kind == 'list' else prop['enum']
            assert enum == list(opt['choices']), key
        if kind == 'list' and opt.get('elements') in JSON_TYPES:
            assert prop['items']['type'] == JSON_TYPES[opt['elements']], key
        if opt.get('default') is not None and schema.COMMON_DEFAULTS.get(key, object()) != opt['default']:
            assert prop['default'] == opt['default'], key
        else:
            assert 'default' not in prop, key
        if opt.get('no_log'):
            assert prop.get('writeOnly') is True, key
        if kind == 'dict' and opt.get('options'):
            assert set(prop['properties']) == set(opt['options']), key
        if kind == 'list' and opt.get('elements') == 'dict' and opt.get('options'):
            assert set(prop['items']['properties']) == set(opt['options']), key
            for sub, sub_opt in opt['options'].items():
                if sub_opt.get('choices'):
                    assert prop['items']['properties'][sub]['enum'] == list(sub_opt['choices']), (key, sub)
        # The first sentence of the option's documentation that is about what this tool offers (shortened),
        # unless it only repeats the option's name.
        # Said once instead (the server's instructions): options every tool means alike, a read tool's filters,
        # and descriptions many tools share (the glossary, tool.shared).
        description = (docs.get(key) or {}).get('description')
        if description:
            expected = schema.short(description, tool)
            bare = (schema.says_nothing(key, expected, tool) or key in schema.COMMON_OPTIONS or key in tool.filters
                    or tool.shared.get(key) == expected or tool.scoped.get(key) == expected)
            assert prop.get('description') == (None if bare else expected), key
            assert set(re.findall(r'\w+', expected.lower())) <= set(re.findall(r'\w+', schema.plain(description).lower())), key
    required = set(generated.get('required', []))
    assert set(k for k in offered if spec[k].get('required')) <= required
    assert set(tool.entry.require) <= required
    assert required <= offered
    assert ('check_mode' in props) == (not tool.read_only)
    assert ('confirm' in props) == tool.destructive
    # Unknown arguments are the adapter's to refuse (it also takes the seed's names, which are not listed).
    assert 'additionalProperties' not in generated


def catalogue_connection_options():
    from ansible_collections.pve.ops.plugins.module_utils.module import CONNECTION_OPTIONS
    return set(CONNECTION_OPTIONS)


def test_constraints_become_json_schema():
    tool = TOOLS['get_cluster_tasks']
    assert 'node' not in tool.input_schema['properties'] and 'upid' not in tool.input_schema['properties']
    validator = Draft202012Validator(TOOLS['get_node_tasks'].input_schema)
    assert list(validator.iter_errors({'node': 'pve1', 'limit': 3})) == []
    errors = [e.message for e in validator.iter_errors({'limit': 'x'})]
    assert any("'node' is a required property" in e for e in errors)
    assert any("'x' is not of type 'integer'" in e for e in errors)
    # Fixed arguments are gone, and the adapter rejects them by name.
    assert 'log_lines' not in TOOLS['get_task_status'].input_schema['properties']


def test_markup_is_plain_text():
    assert schema.plain(['Use C(foo) with O(bar=1)', 'see L(the docs,https://x)']) == \
        'Use foo with bar=1 see the docs'


@pytest.mark.parametrize('mode,allowed', [(READ_ONLY, {'read'}), (WRITE, {'read', 'write'}),
                                          (FULL, {'read', 'write', 'destructive'})])
def test_policy_modes(mode, allowed):
    visible = Policy(mode).visible(TOOLS.values())
    assert set(t.kind for t in visible) <= allowed
    assert set(t.name for t in visible) == set(t.name for t in TOOLS.values() if t.kind in allowed)


def test_policy_allow_and_deny():
    policy = Policy(FULL, allow=['get_*,list_*'], deny=['get_task_*'])
    names = set(t.name for t in policy.visible(TOOLS.values()))
    assert 'get_nodes' in names and 'get_task_log' not in names
    assert all(n.startswith(('get_', 'list_')) for n in names)
    assert 'not in the allow list' in policy.refusal(_fake('reboot_vm', 'write'))
    assert 'denied by the pattern' in policy.refusal(TOOLS['get_task_log'])
    assert 'read-only mode' in Policy().refusal(_fake('reboot_vm', 'write'))
    assert 'destructive' in Policy(WRITE).refusal(_fake('delete_vm', 'destructive'))


def _fake(name, kind='read'):
    class T:
        pass
    t = T()
    t.name, t.kind, t.read_only, t.destructive = name, kind, kind == 'read', kind == 'destructive'
    return t


def test_docs_mcp_md_is_current():
    from mcp_adapter import docs
    with open(docs.TARGET) as fh:
        assert fh.read() == docs.render(catalogue.load(strict=True)), 'run python -m mcp_adapter.docs'


def test_shared_descriptions_are_said_once_with_one_meaning():
    glossary = schema.glossary_text(TOOLS)
    shared = dict((k, v) for tool in TOOLS.values() for k, v in tool.shared.items())
    assert shared, 'no description is shared: the glossary test checks nothing'
    for name, text in shared.items():
        assert '{0}: {1}'.format(name, text.rstrip('.')) in glossary
        for tool in TOOLS.values():
            prop = tool.input_schema['properties'].get(name)
            # Where the option is bare, it is bare because it is shared: it means the glossary's text.
            if prop is not None and 'description' not in prop and name not in tool.scoped:
                assert tool.shared.get(name) == text, (tool.name, name)
    for tool in TOOLS.values():
        for name in tool.filters:
            assert name not in shared, (tool.name, name)


def test_descriptions_shared_within_named_tools_are_said_once_for_them():
    glossary = schema.glossary_text(TOOLS)
    scoped = [(tool, name, text) for tool in TOOLS.values() for name, text in tool.scoped.items()]
    assert scoped, 'no description is shared within tools: the test checks nothing'
    for tool, name, text in scoped:
        carriers = sorted(t.name for t in TOOLS.values() if t.scoped.get(name) == text)
        assert len(carriers) >= schema.SCOPED_MIN
        # Said once, for exactly the tools that carry it, and gone from their schemas.
        sentence = 'On {0}, it means: '.format(', '.join(carriers))
        assert glossary.count(sentence) == 1, sentence
        said = glossary.split(sentence)[1].split('. On ')[0]
        assert '{0}: {1}'.format(name, text.rstrip('.')) in said, (tool.name, name)
        assert 'description' not in tool.input_schema['properties'][name]
        assert name not in tool.shared
    vm_name = TOOLS['start_vm'].scoped['name']
    assert TOOLS['start_container'].scoped['name'] != vm_name, 'one option, two meanings, each said for its tools'
