# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON Schemas and descriptions of the tools, generated from each module's argument_spec and DOCUMENTATION.

Input schema: one property per module option (types, choices as enums, defaults, list elements, dict
suboptions, descriptions from DOCUMENTATION), ``required`` from the spec, required_together / required_by
as ``dependentRequired``, mutually_exclusive and required_if as ``dependentSchemas`` (kept off the top
level: several MCP clients refuse a top-level anyOf / allOf / oneOf), required_one_of in the description.
Fixed arguments of the tool and the connection options are not offered. Mutating tools add
``check_mode``; destructive ones add ``confirm``.

Output schema: an object with ``changed``, ``diff``, ``msg`` and the module's RETURN keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ansible_collections.pve.ops.plugins.module_utils.module import CONNECTION_OPTIONS

# Adapter arguments, never passed to the module.
CHECK_MODE = 'check_mode'
CONFIRM = 'confirm'
ADAPTER_ARGS = (CHECK_MODE, CONFIRM)

_TYPES: dict[str, dict[str, Any]] = {
    'str': {'type': 'string'},
    'path': {'type': 'string'},
    'int': {'type': 'integer'},
    'float': {'type': 'number'},
    'bool': {'type': 'boolean'},
    'list': {'type': 'array'},
    'dict': {'type': 'object'},
    'raw': {},
    'json': {'type': ['string', 'object', 'array']},
    'jsonarg': {'type': ['string', 'object', 'array']},
    'bytes': {'type': ['string', 'integer']},
    'bits': {'type': ['string', 'integer']},
}
_RETURN_TYPES = {
    'str': 'string', 'int': 'integer', 'float': 'number', 'bool': 'boolean', 'list': 'array', 'dict': 'object',
    'path': 'string',
}
# Ansible's documentation markup: C(x), O(x), V(x), I(x), B(x), M(x), RV(x), E(x), P(x), U(url), L(text,url).
_MARKUP = re.compile(r'\b(?:[COVIBMEPU]|RV)\((.*?)\)')
_LINK = re.compile(r'\bL\(([^,]*),[^)]*\)')


def plain(text: object) -> str:
    """A DOCUMENTATION description (string or list of strings) as plain text."""
    if text is None:
        return ''
    if isinstance(text, (list, tuple)):
        text = ' '.join(str(t) for t in text)
    text = _LINK.sub(r'\1', str(text))
    return _MARKUP.sub(lambda m: m.group(1), text)


def option_schema(spec: Mapping[str, Any], doc: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema of one argument_spec entry (doc: its DOCUMENTATION entry, for the description)."""
    doc = doc or {}
    kind = spec.get('type', 'str')
    out = dict(_TYPES.get(kind, {}))
    choices = spec.get('choices')
    if kind == 'list':
        elements = spec.get('elements')
        item = dict(_TYPES.get(elements, {})) if elements else {}
        if elements == 'dict' and spec.get('options'):
            item = _object_schema(spec['options'], (doc.get('suboptions') or {}), spec)
        if choices:
            item['enum'] = list(choices)
        if item:
            out['items'] = item
    elif kind == 'dict' and spec.get('options'):
        out = _object_schema(spec['options'], (doc.get('suboptions') or {}), spec)
    elif choices:
        out['enum'] = list(choices)
    description = plain(doc.get('description'))
    if description:
        out['description'] = description
    if spec.get('default') is not None:
        out['default'] = spec['default']
    if spec.get('no_log'):
        out['writeOnly'] = True
    return out


def _object_schema(options: Mapping[str, Any], docs: Mapping[str, Any],
                   parent_spec: Mapping[str, Any] | None = None) -> dict[str, Any]:
    properties = {}
    required = []
    for name, sub in options.items():
        properties[name] = option_schema(sub, docs.get(name))
        if sub.get('required'):
            required.append(name)
    out: dict[str, Any] = {'type': 'object', 'properties': properties, 'additionalProperties': False}
    if required:
        out['required'] = required
    if parent_spec:
        _constraints(out, parent_spec, fixed={}, hidden=set())
    return out


def _constraints(out: dict[str, Any], kwargs: Mapping[str, Any], fixed: Mapping[str, Any],
                 hidden: set[str]) -> list[str]:
    """Add the AnsibleModule cross-field rules (kwargs: MODULE_KWARGS or a spec with apply_defaults etc.)."""
    properties = out['properties']
    required = set(out.get('required', []))
    dependent_required: dict[str, Any] = {}
    dependent_schemas: dict[str, list[Any]] = {}
    notes: list[str] = []

    def offered(key: str) -> bool:
        return key in properties

    for group in kwargs.get('mutually_exclusive') or []:
        group = list(group)
        fixed_members = [k for k in group if k in fixed]
        if fixed_members:
            # The tool fixes one of them: the others cannot be given.
            for key in group:
                if key not in fixed:
                    hidden.add(key)
            continue
        members = [k for k in group if offered(k)]
        for key in members:
            others = [k for k in members if k != key]
            if others:
                dependent_schemas.setdefault(key, []).append(
                    {'not': {'anyOf': [{'required': [o]} for o in others]}})
        if len(members) > 1:
            notes.append('Give at most one of: {0}.'.format(', '.join(members)))
    for group in kwargs.get('required_together') or []:
        group = list(group)
        if any(k in fixed for k in group):
            required.update(k for k in group if k not in fixed)
            continue
        members = [k for k in group if offered(k)]
        for key in members:
            dependent_required.setdefault(key, []).extend(k for k in members if k != key)
    for group in kwargs.get('required_one_of') or []:
        group = list(group)
        if any(k in fixed for k in group):
            continue
        members = [k for k in group if offered(k)]
        if len(members) == 1:
            required.add(members[0])
        elif members:
            notes.append('Give at least one of: {0}.'.format(', '.join(members)))
    for rule in kwargs.get('required_if') or []:
        key, value, needs = rule[0], rule[1], list(rule[2])
        any_of = len(rule) > 3 and rule[3]
        if key in fixed:
            if fixed[key] == value:
                if any_of:
                    notes.append('Give at least one of: {0}.'.format(', '.join(n for n in needs if offered(n))))
                else:
                    required.update(n for n in needs if n not in fixed)
            continue
        needs = [n for n in needs if n not in fixed]
        if not needs or not offered(key):
            continue
        then = {'anyOf': [{'required': [n]} for n in needs]} if any_of else {'required': needs}
        dependent_schemas.setdefault(key, []).append(
            {'if': {'properties': {key: {'const': value}}}, 'then': then})
        notes.append('When {0} is {1}, give {2} {3}.'.format(key, value, 'one of' if any_of else 'also',
                                                             ', '.join(needs)))
    for key, needs in (kwargs.get('required_by') or {}).items():
        needs = [needs] if isinstance(needs, str) else list(needs)
        if key in fixed:
            required.update(n for n in needs if n not in fixed)
            continue
        needs = [n for n in needs if n not in fixed and offered(n)]
        if needs and offered(key):
            dependent_required.setdefault(key, []).extend(needs)

    for key in hidden:
        properties.pop(key, None)
        required.discard(key)
        dependent_required.pop(key, None)
        dependent_schemas.pop(key, None)
    dependent_required = dict((k, sorted(set(v) - hidden)) for k, v in dependent_required.items())
    dependent_required = dict((k, v) for k, v in dependent_required.items() if v)
    if dependent_required:
        out['dependentRequired'] = dependent_required
    if dependent_schemas:
        out['dependentSchemas'] = dict(
            (k, v[0] if len(v) == 1 else {'allOf': v}) for k, v in dependent_schemas.items())
    if required:
        out['required'] = sorted(required)
    else:
        out.pop('required', None)
    return notes


def module_options(tool: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(argument_spec, doc options) of the module without the connection options."""
    spec = dict((k, v) for k, v in tool.module.argument_spec.items() if k not in CONNECTION_OPTIONS)
    docs = tool.module.doc.get('options') or {}
    return spec, docs


def input_schema(tool: Any) -> dict[str, Any]:
    spec, docs = module_options(tool)
    hidden = set(tool.hidden)
    properties: dict[str, Any] = {}
    required = set(tool.entry.require)
    for name, opt in spec.items():
        if name in tool.fixed or name in hidden:
            continue
        properties[name] = option_schema(opt, docs.get(name))
        if opt.get('required'):
            required.add(name)
    out = {'type': 'object', 'properties': properties, 'additionalProperties': False}
    if required:
        out['required'] = sorted(required)
    tool.constraint_notes = _constraints(out, tool.module.kwargs, tool.fixed, hidden)
    for name in (CHECK_MODE, CONFIRM):
        if name in properties:
            raise ValueError('{0} has an option named {1}, which the adapter reserves'.format(tool.module.fqcn, name))
    if not tool.read_only:
        properties[CHECK_MODE] = {
            'type': 'boolean', 'default': False,
            'description': 'Dry run (Ansible check mode): report what would change, with the diff, and change '
                           'nothing.'}
    if tool.destructive:
        properties[CONFIRM] = {
            'type': 'boolean', 'default': False,
            'description': 'This tool is destructive: set true to confirm. Clients that support elicitation ask '
                           'their user instead (then this argument is not enough). Without confirmation nothing '
                           'happens and the answer shows the dry-run diff.'}
    return out


def output_schema(tool: Any) -> dict[str, Any]:
    properties = {
        'changed': {'type': 'boolean', 'description': 'Whether anything changed (or would, in check mode).'},
        'failed': {'type': 'boolean'},
        'msg': {'type': 'string'},
        'diff': {'type': 'object', 'description': 'before / after of what changed.'},
        'tasks': {'type': 'array', 'description': 'The tasks (UPIDs) the module waited on.'},
        'warnings': {'type': 'array', 'items': {'type': 'string'}},
        'check_mode': {'type': 'boolean', 'description': 'True when this was a dry run.'},
    }
    for key, doc in (tool.module.returns or {}).items():
        if key in properties:
            continue
        prop: dict[str, Any] = {}
        kind = _RETURN_TYPES.get(str((doc or {}).get('type')))
        if kind:
            prop['type'] = [kind, 'null']
        description = plain((doc or {}).get('description'))
        if description:
            prop['description'] = description
        properties[key] = prop
    return {'type': 'object', 'properties': properties, 'required': ['changed'], 'additionalProperties': True}


def describe(tool: Any) -> str:
    """The tool description: the catalogue's summary, the module's documentation and the safety notes."""
    doc = tool.module.doc
    parts = []
    if tool.entry.summary:
        parts.append(tool.entry.summary)
    module_text = plain(doc.get('short_description'))
    details = plain(doc.get('description'))
    line = 'Runs the Ansible module {0}'.format(tool.module.fqcn)
    if tool.fixed:
        line += ' with ' + ', '.join('{0}={1}'.format(k, _show(v)) for k, v in sorted(tool.fixed.items()))
    parts.append('{0} ({1}).'.format(line, module_text.rstrip('.')) if module_text else line + '.')
    if details:
        parts.append(details)
    parts.extend(getattr(tool, 'constraint_notes', []))
    if tool.read_only:
        parts.append('Read-only.')
    else:
        parts.append('Changes only what differs; check_mode: true is a dry run that returns the diff.')
    if tool.destructive:
        parts.append('Destructive: needs confirmation (elicitation, or confirm: true); without it nothing happens.')
    return ' '.join(parts)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, list):
        return '[' + ', '.join(str(v) for v in value) + ']'
    return str(value)
