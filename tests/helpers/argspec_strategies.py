# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hypothesis strategies for a module's params, drawn from its argument_spec and MODULE_KWARGS.

    params_strategy(spec, kwargs, values={...}, omit=(...), require=(...))

gives dicts of params that AnsibleModule accepts: each option is left out (its default applies) or given a
value of its type (a choice, a bool, an int, a list of elements, a dict of suboptions, ...), sometimes
under one of its aliases; empty lists are drawn like any other list. The cross-field rules of
MODULE_KWARGS (mutually_exclusive, required_one_of, required_together, required_if, required_by) hold
in every draw. ``values`` maps an option to the strategy of its value (the per-module knowledge: names
that exist in the seed, valid property strings, sizes); ``omit`` options are never drawn, ``require``
options always are. Shrinking goes towards fewer options and no aliases.
"""

import string

from hypothesis import strategies as st

NAME_CHARS = string.ascii_lowercase + string.digits + '-'
# A plain value no option misreads: letters and digits, starting with a letter.
WORD = st.builds(lambda head, tail: head + tail, st.sampled_from(string.ascii_lowercase),
                 st.text(alphabet=NAME_CHARS, max_size=10))
TEXT = st.text(alphabet=string.ascii_letters + string.digits + ' .,-_', max_size=24)


def value_strategy(name, opt, values=None):
    """The strategy of one option's value (values: the knowledge, by option name)."""
    values = values or {}
    if name in values:
        return values[name]
    kind = opt.get('type', 'str')
    choices = opt.get('choices')
    if kind == 'list':
        elements = opt.get('elements', 'str')
        if choices:
            item = st.sampled_from(list(choices))
        elif elements == 'dict' and opt.get('options'):
            item = params_strategy(opt['options'], opt)
        else:
            item = _scalar(elements)
        return st.lists(item, max_size=3, unique_by=None if elements == 'dict' else (lambda v: v))
    if kind == 'dict':
        if opt.get('options'):
            return params_strategy(opt['options'], opt)
        return st.just({})
    if choices:
        return st.sampled_from(list(choices))
    return _scalar(kind)


def _scalar(kind):
    if kind == 'bool':
        return st.booleans()
    if kind == 'int':
        return st.integers(min_value=0, max_value=1000)
    if kind == 'float':
        return st.floats(min_value=0, max_value=64, allow_nan=False, allow_infinity=False)
    if kind in ('str', 'path'):
        return TEXT
    return st.nothing()


def params_strategy(spec, kwargs=None, values=None, omit=(), require=(), fixed=None, aliases=True):
    """A strategy of param dicts for the spec (see the module docstring); ``fixed`` params are always set
    to these values (and count as given for the cross-field rules). With ``aliases=False`` every option
    keeps its own name (give the draw to ``aliased`` later)."""
    kwargs = kwargs or {}
    values = values or {}
    fixed = dict(fixed or {})
    names = [n for n in spec if n not in omit and n not in fixed]

    @st.composite
    def draw_params(draw):
        out = dict(fixed)
        for name in names:
            opt = spec[name]
            if opt.get('required') or name in require or draw(st.booleans()):
                out[name] = draw(value_strategy(name, opt, values))
        _hold_rules(draw, out, spec, kwargs, values, omit, fixed)
        return aliased(draw, out, spec, fixed) if aliases else out
    return draw_params()


def _draw_option(draw, out, name, spec, values, omit):
    if name not in out and name in spec and name not in omit:
        out[name] = draw(value_strategy(name, spec[name], values))
        return True
    return False


def _hold_rules(draw, out, spec, kwargs, values, omit, fixed):
    for group in kwargs.get('mutually_exclusive') or []:
        given = [k for k in group if k in out]
        if len(given) > 1:
            keep = [k for k in given if k in fixed] or [draw(st.sampled_from(given))]
            for key in given:
                if key not in keep:
                    del out[key]
    for group in kwargs.get('required_one_of') or []:
        if not any(k in out for k in group):
            candidates = [k for k in group if k in spec and k not in omit]
            if candidates:
                _draw_option(draw, out, draw(st.sampled_from(candidates)), spec, values, omit)
    for group in kwargs.get('required_together') or []:
        if any(k in out for k in group):
            for key in group:
                _draw_option(draw, out, key, spec, values, omit)
    for rule in kwargs.get('required_if') or []:
        key, value, needs = rule[0], rule[1], list(rule[2])
        if out.get(key) == value:
            if len(rule) > 3 and rule[3]:
                if not any(n in out for n in needs):
                    _draw_option(draw, out, draw(st.sampled_from(needs)), spec, values, omit)
            else:
                for need in needs:
                    _draw_option(draw, out, need, spec, values, omit)
    for key, needs in (kwargs.get('required_by') or {}).items():
        if key in out:
            for need in [needs] if isinstance(needs, str) else needs:
                _draw_option(draw, out, need, spec, values, omit)


def aliased(draw, out, spec, fixed=()):
    """out with some options under one of their aliases (never the fixed ones)."""
    result = {}
    for name, value in out.items():
        aliases = spec.get(name, {}).get('aliases') or []
        if aliases and name not in fixed and draw(st.booleans()):
            name = draw(st.sampled_from(list(aliases)))
        result[name] = value
    return result


def canonical(params, spec):
    """params with aliases replaced by the option names (for comparing what was asked)."""
    names = {}
    for name, opt in spec.items():
        for alias in opt.get('aliases') or []:
            names[alias] = name
    return dict((names.get(k, k), v) for k, v in params.items())
