# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON Schemas and descriptions of the tools, generated from each module's argument_spec and DOCUMENTATION.

Input schema: one property per option the tool offers (types, choices as enums, defaults, list elements,
dict suboptions, the first sentence of the option's documentation), ``required`` from the spec,
required_together / required_by as ``dependentRequired``, mutually_exclusive and required_if as
``dependentSchemas`` (kept off the top level: several MCP clients refuse a top-level anyOf / allOf / oneOf),
required_one_of in the schema's description. Fixed arguments of the tool, the options the catalogue hides for
it and the connection options are not offered. Mutating tools add ``check_mode``; destructive ones add
``confirm``.

Output schema: the module's RETURN keys (the envelope every result shares, changed / failed / msg / diff /
warnings / check_mode, is said once in the server's instructions, not in every tool).

Description: one sentence, the catalogue's summary of what the tool does and the main caveat: for a
destructive tool its confirmation, otherwise the module documentation's sentence that warns most about what
the tool offers (a note, or a description sentence saying not / only / needs / fails ...).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ansible_collections.pve.ops.plugins.module_utils.module import CONNECTION_OPTIONS
from mcp_adapter import paging

# Adapter arguments, never passed to the module.
CHECK_MODE = 'check_mode'
CONFIRM = 'confirm'
ADAPTER_ARGS = (CHECK_MODE, CONFIRM)
# The keys every result may carry, described once (server instructions), not per tool.
ENVELOPE = ('changed', 'failed', 'msg', 'diff', 'tasks', 'warnings', 'deprecations', 'check_mode', 'invocation')
# Options many tools share, with one meaning everywhere: described once (the server's instructions, see
# COMMON_TEXT), not in every tool's schema.
COMMON_OPTIONS = ('timeout', 'wait', CHECK_MODE, CONFIRM)
COMMON_TEXT = ('Options every tool means the same by: check_mode: true is a dry run (the diff, no change); '
               'confirm: true confirms a destructive call; wait (default true) waits for the task; timeout is '
               'the seconds to wait for it (default 300 unless the schema gives another). On read tools vmid, '
               'name, node, tags, pool and status narrow what is read (every one given must match).')
# The defaults COMMON_TEXT states: not repeated in each schema (a timeout default other than 300 stays).
COMMON_DEFAULTS = {'wait': True, 'timeout': 300}
# A read tool's filter ("Only VMs on this node."): said once by COMMON_TEXT.
_FILTER = re.compile(r'^Only (the )?\w+( \w+)? (on|in|with|of|that) ', re.I)

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


_SENTENCE_END = re.compile(r'(?<![ (]e\.g\.)(?<![ (]i\.e\.)(?<=[.!?])\s+(?=[A-Za-z0-9(`"\'])')
# A sentence that warns: what a tool does not do, only does, needs or refuses.
_CAVEAT = re.compile(r'\b(not|never|only|needs?|requires?|fails?|refused|refuses|cannot|must|lost|unless|'
                     r'without|instead|asynchronously|once)\b', re.I)
CAVEAT_LIMIT = 110
DESCRIPTION_LIMIT = 400


def raw_sentences(text: object) -> list[str]:
    """The sentences of a DOCUMENTATION description with their markup (O(x), V(x), ...)."""
    if text is None:
        return []
    if isinstance(text, (list, tuple)):
        text = ' '.join(str(t) for t in text)
    text = str(text).strip()
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()] if text else []


def sentences(text: object) -> list[str]:
    return [plain(s) for s in raw_sentences(text)]


_ASIDE = re.compile(r'\s*\([^()]*\)')
SHORT_LIMIT = 60


_ARTICLE = re.compile(r'^(The|A|An) (?=[a-z])')


def short(text: object, tool: Any = None) -> str:
    """The first sentence of a DOCUMENTATION description, as plain text (with tool, the first that is about
    what the tool offers, see _applies), without a leading article; a long one without its asides in
    parentheses."""
    found = raw_sentences(text)
    if not found:
        return ''
    first = found[0]
    if tool is not None:
        first = next((s for s in found if _applies(tool, s, None, set(tool.entry.require))), first)
    first = plain(first)
    stripped = _ARTICLE.sub('', first)
    first = stripped[:1].upper() + stripped[1:] if stripped != first else first
    if len(first) > SHORT_LIMIT:
        first = _ASIDE.sub('', first)
    if len(first) > SHORT_LIMIT:
        # The first clause, when it is a phrase of its own.
        cuts = [i for i in (first.rfind(', ', 0, SHORT_LIMIT), first.rfind('; ', 0, SHORT_LIMIT)) if i >= 40]
        if cuts:
            first = first[:max(cuts)] + '.'
    return first


_WORDS = re.compile(r"[a-z0-9]+")
# Words that add nothing to an option's name: articles, 'guest' (what every vmid names), and the phrasing of
# what the schema says already ("Guest's name, when vmid is not given": the constraint note 'vmid or name').
_FILLER = {'the', 'a', 'an', 's', 'of', 'its', 'this', 'to', 'in', 'id', 'name', 'number', 'guest', 'vmid', 'when',
           'is', 'not', 'given', 'instead', 'read'}


def says_nothing(option: str, description: str, tool: Any) -> bool:
    """Whether a description only repeats the option's name (``sport``: Source port(s); ``vmid``: The VM's
    ID): every word of it is in the option's or the tool's name."""
    known = set(_WORDS.findall(option.replace('_', ' '))) | set(tool.name.split('_')) | _FILLER
    words = set(_WORDS.findall(description.lower()))
    return bool(words) and all(any(w.startswith(k) or k.startswith(w) for k in known if len(k) > 1) or w in known
                               for w in words)


def option_schema(spec: Mapping[str, Any], doc: Mapping[str, Any] | None = None, nested: bool = False,
                  tool: Any = None) -> dict[str, Any]:
    """The JSON Schema of one argument_spec entry (doc: its DOCUMENTATION entry, for the description; a
    suboption keeps a short description only; with tool, the first sentence that applies to the tool)."""
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
    # A suboption's name says what it is under its parent's description; a top-level option gets its first
    # sentence.
    description = '' if nested else short(doc.get('description'), tool)
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
        properties[name] = option_schema(sub, docs.get(name), nested=True)
        if sub.get('required'):
            required.append(name)
    out = {'type': 'object', 'properties': properties}
    if required:
        out['required'] = required
    if parent_spec:
        _constraints(out, parent_spec, fixed={}, hidden=set())
    return out


def _one_of(members: list[str], pair: str, group: str) -> str:
    """'vmid or name, not both.' / 'vmid or name needed.' for two members, 'Give at most one of: a, b, c.'."""
    if len(members) == 2:
        return '{0} or {1}{2}{3}.'.format(members[0], members[1], ', ' if pair == 'not both' else ' ', pair)
    return 'Give {0}: {1}.'.format(group, ', '.join(members))


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
                    {'not': {'required': others}} if len(others) == 1 else
                    {'not': {'anyOf': [{'required': [o]} for o in others]}})
        if len(members) > 1:
            notes.append(_one_of(members, 'not both', 'at most one of'))
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
            notes.append(_one_of(members, 'needed', 'at least one of'))
    for rule in kwargs.get('required_if') or []:
        key, value, needs = rule[0], rule[1], list(rule[2])
        any_of = len(rule) > 3 and rule[3]
        if key in fixed:
            if fixed[key] == value:
                if any_of:
                    notes.append(_one_of([n for n in needs if offered(n)], 'needed', 'at least one of'))
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
    tool.filters = set()  # the options described as filters by COMMON_TEXT
    hidden = set(tool.hidden)
    properties: dict[str, Any] = {}
    required = set(tool.entry.require)
    for name, opt in spec.items():
        if name in tool.fixed or name in hidden:
            continue
        properties[name] = option_schema(opt, docs.get(name), tool=tool)
        text = properties[name].get('description', '')
        if text and tool.read_only and _FILTER.match(text):
            tool.filters.add(name)
        if text and (says_nothing(name, text, tool) or name in COMMON_OPTIONS or name in tool.filters):
            properties[name].pop('description')
        if name in COMMON_DEFAULTS and properties[name].get('default') == COMMON_DEFAULTS[name]:
            properties[name].pop('default')
        if opt.get('required'):
            required.add(name)
    # No additionalProperties: false: the tool also takes the seed's parameter names (hidden aliases,
    # seed.py), which a client validating against the schema would otherwise refuse; the adapter refuses
    # any other argument itself, naming the ones the tool takes (runner.argument_errors).
    out = {'type': 'object', 'properties': properties}
    if required:
        out['required'] = sorted(required)
    tool.constraint_notes = _constraints(out, tool.module.kwargs, tool.fixed, hidden)
    if tool.constraint_notes:
        out['description'] = ' '.join(tool.constraint_notes)
    # The paging arguments are the adapter's, unless the module takes them itself (then they are passed on).
    reserved = (CHECK_MODE, CONFIRM) + (paging.PAGING_ARGS if paging.key_of(tool) and not paging.pages_itself(tool)
                                        else ())
    for name in reserved:
        if name in properties:
            raise ValueError('{0} has an option named {1}, which the adapter reserves'.format(tool.module.fqcn, name))
    if paging.key_of(tool):
        properties.update(paging.schema_properties())
    if not tool.read_only:
        properties[CHECK_MODE] = {'type': 'boolean'}
    if tool.destructive:
        properties[CONFIRM] = {'type': 'boolean'}
    return out


SHARED_MIN = 2


def share_descriptions(tools: Mapping[str, Any]) -> dict[str, str]:
    """Say once what many tools say alike: an option whose description is the same in at least SHARED_MIN
    tools loses it there, and the glossary (option -> description, returned and kept on each tool as
    ``shared``) goes into the server's instructions. A tool that means something else by the option keeps
    its own description; an option some tool leaves bare for another reason is never shared, so that an
    option without a description has one meaning."""
    counts: dict[tuple[str, str], int] = {}
    # Options some tool leaves without a description for another reason (a filter, a name that says it all,
    # no documentation): sharing them would give a bare option two meanings.
    bare = set(name for tool in tools.values() for name, prop in tool.input_schema['properties'].items()
               if not prop.get('description') and name not in COMMON_OPTIONS)
    for tool in tools.values():
        for name, prop in tool.input_schema['properties'].items():
            if prop.get('description'):
                key = (name, prop['description'])
                counts[key] = counts.get(key, 0) + 1
    glossary: dict[str, str] = {}
    for (name, text), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if count >= SHARED_MIN and name not in glossary and name not in bare:
            glossary[name] = text
    for tool in tools.values():
        tool.shared = {}
        for name, prop in tool.input_schema['properties'].items():
            if name in glossary and prop.get('description') == glossary[name]:
                tool.shared[name] = prop.pop('description')
    share_within(tools)
    return glossary


SCOPED_MIN = 3


def share_within(tools: Mapping[str, Any]) -> None:
    """Say once for the tools that say it what several tools say alike about an option that means other things
    elsewhere (name: "The VM's name" on the VM tools, "Container's hostname" on the container tools): a
    description that at least SCOPED_MIN tools carry word for word leaves them, and the instructions say it once
    for those tools by name (``tool.scoped``, see glossary_text)."""
    carriers: dict[tuple[str, str], list[Any]] = {}
    for tool in tools.values():
        tool.scoped = {}
        for name, prop in tool.input_schema['properties'].items():
            if prop.get('description'):
                carriers.setdefault((name, prop['description']), []).append(tool)
    for (name, _text), found in carriers.items():
        if len(found) >= SCOPED_MIN:
            for tool in found:
                tool.scoped[name] = tool.input_schema['properties'][name].pop('description')


def glossary_text(tools: Mapping[str, Any]) -> str:
    """The instructions' sentence for the shared descriptions of these tools ('' when there are none)."""
    glossary: dict[str, str] = {}
    for tool in tools.values():
        glossary.update(getattr(tool, 'shared', {}))
    scoped: dict[tuple[str, ...], dict[str, str]] = {}
    for tool in tools.values():
        for name, text in getattr(tool, 'scoped', {}).items():
            carriers = tuple(sorted(t.name for t in tools.values() if getattr(t, 'scoped', {}).get(name) == text))
            scoped.setdefault(carriers, {})[name] = text
    parts = []
    if glossary:
        parts.append('An option without a description means: ' + _entries(glossary) + '.')
    for names, entries in sorted(scoped.items()):
        parts.append('On {0}, it means: {1}.'.format(', '.join(names), _entries(entries)))
    return ' '.join(parts)


def _entries(glossary: Mapping[str, str]) -> str:
    return '; '.join('{0}: {1}'.format(name, text.rstrip('.')) for name, text in sorted(glossary.items()))


def output_schema(tool: Any) -> dict[str, Any]:
    """The module's RETURN keys (a result also carries the envelope: changed, diff, msg, warnings, ...), each
    as an empty schema: the names say what the tool answers; their types and descriptions stay in the module's
    documentation (a key may be null, and a type that says so costs more than it tells an agent reading the
    result itself)."""
    properties: dict[str, Any] = {}
    for key, doc in (tool.module.returns or {}).items():
        if key in ENVELOPE or not _returned_here(tool, str((doc or {}).get('returned') or '')):
            continue
        properties[key] = {}
    if paging.key_of(tool):
        properties['page'] = {'type': 'object'}
    return {'type': 'object', 'properties': properties}


def _returned_here(tool: Any, returned: str) -> bool:
    """Whether a RETURN key can come back from this tool, by its ``returned`` text: a key of a gather
    subset the tool does not read, or of an option the tool leaves out or requires, cannot."""
    gather = tool.fixed.get('gather')
    if isinstance(gather, list) and 'gather' in returned:
        words = set(re.findall(r'\w+', plain(returned)))
        if not words & set(gather):
            return False
    required = set(tool.input_schema.get('required', ()))
    for option in re.findall(r'O\((\w+)\) is not given', returned):
        if option in required:
            return False
    for option in re.findall(r'O\((\w+)\) is given', returned):
        if option not in tool.input_schema['properties'] and option not in tool.fixed:
            return False
    return True


def caveat(tool: Any) -> str | None:
    """The main caveat of the tool: its confirmation when destructive, else the module documentation's
    sentence (notes first) that warns most about what the tool offers (None when none does)."""
    doc = tool.module.doc
    offered = set(tool.input_schema['properties'])
    required = set(tool.input_schema.get('required', ()))
    words = offered | set(tool.fixed) | set(str(v) for v in tool.fixed.values() if not isinstance(v, (bool, list)))
    summary = set(re.findall(r'[A-Za-z_]+', (tool.entry.summary or '').lower()))
    candidates = []
    notes = [s for note in doc.get('notes') or [] for s in raw_sentences(note)]
    for index, raw in enumerate(notes + raw_sentences(doc.get('description'))):
        sentence = plain(raw)
        if len(sentence) > CAVEAT_LIMIT or not _CAVEAT.search(sentence) or 'check mode' in sentence.lower():
            continue
        if not _applies(tool, raw, offered, required):
            continue
        mentioned = set(re.findall(r'[A-Za-z_]+', sentence.lower()))
        if len(mentioned & summary) > len(mentioned) / 2:
            continue  # it says what the summary says
        relevance = _relevance(tool, raw, offered) + len(mentioned & words & set(tool.fixed))
        if relevance == 0 and not (index < len(notes) and not _refs(tool, raw)):
            continue  # about none of what the tool offers (a note naming no option applies to every tool)
        candidates.append((-relevance, index, sentence))
    if not candidates:
        return 'destructive: needs confirmation' if tool.destructive else None
    text = sorted(candidates)[0][2].rstrip('.')
    if len(text) > SHORT_LIMIT:
        text = _ASIDE.sub('', text)
    if re.match(r'(A|[A-Z][a-z]+)\b', text) and not text.startswith(('Proxmox', 'Ansible')):
        text = text[0].lower() + text[1:]
    return text


_OPTION_REF = re.compile(r'\bO\(([\w.\[\]]+?)(?:=([^)]*))?\)')
_VALUE_REF = re.compile(r'\b[CV]\(([^)]*)\)')
# Option names that are everyday words too: a plain mention of them is no reference to the option.
_COMMON = {'name', 'node', 'type', 'state', 'content', 'comment', 'description', 'path', 'start', 'all'}


def _refs(tool: Any, raw: str) -> Any:
    """The module options a raw documentation sentence names (O(x) markup): [(option, value or None)]."""
    out = []
    for name, value in _OPTION_REF.findall(raw):
        top = re.split(r'[.\[]', name)[0]
        if top in tool.module.argument_spec:
            out.append((top, value or None))
    return out


def _applies(tool: Any, raw: str, offered: Any, required: Any) -> bool:
    """Whether a documentation sentence (raw, with its O() / V() markup) is about what this tool offers: it
    names no option the tool does not offer, sets no fixed option (O(state=absent)) or names no choice of one
    (V(absent)) other than the tool's, and does not describe leaving out an option the tool requires or
    fixes."""
    for option, value in _refs(tool, raw):
        if option in tool.fixed:
            fixed = tool.fixed[option]
            if value is not None and not isinstance(fixed, list) and value.lower() != str(fixed).lower():
                return False
        elif offered is not None and option not in offered:
            return False
        left_out = re.search(r'\b(without|no) O\({0}\)|O\({0}\) is (omitted|not given)'.format(re.escape(option)),
                             raw, re.I)
        if left_out and (option in required or option in tool.fixed):
            return False
    words = set(re.findall(r'[a-z_]+', plain(raw)))
    for option in (words & set(tool.module.argument_spec)) - _COMMON:
        if option not in tool.fixed and offered is not None and option not in offered:
            return False
    values = set(_VALUE_REF.findall(raw))
    for option, fixed in tool.fixed.items():
        choices = tool.module.argument_spec.get(option, {}).get('choices') or []
        if isinstance(fixed, list) or str(fixed) in values:
            continue
        if values & set(str(c) for c in choices):
            return False
    return True


def _relevance(tool: Any, raw: str, offered: Any) -> Any:
    fixed_values = set(str(v) for v in tool.fixed.values() if not isinstance(v, (list, bool)))
    named = set(o for o, _v in _refs(tool, raw) if o in offered or o in tool.fixed)
    return len(named) + len(set(_VALUE_REF.findall(raw)) & fixed_values)


def describe(tool: Any) -> str:
    """The tool description: one sentence, what the tool does (the catalogue's summary, else the module's
    short description) and its main caveat."""
    what = (tool.entry.summary or plain(tool.module.doc.get('short_description'))).strip().rstrip('.')
    warning = caveat(tool)
    text = what + ('; ' + warning if warning else '') + '.'
    if len(text) > DESCRIPTION_LIMIT:
        text = what + '.'
    return text


_ACRONYMS = {'vm': 'VM', 'vms': 'VMs', 'acl': 'ACL', 'api': 'API', 'ha': 'HA', 'dns': 'DNS', 'apt': 'APT'}


def title(tool: Any) -> str:
    """A short human name from the tool name: get_vm_status -> Get VM status."""
    words = [_ACRONYMS.get(w, w) for w in tool.name.split('_')]
    return ' '.join([words[0].capitalize()] + words[1:])


def _show(value: object) -> str:
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, list):
        return '[' + ', '.join(str(v) for v in value) + ']'
    return str(value)
