# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pieces of the generated MCP tool tests: valid arguments per tool, invalid variations of them, the
lifecycle tools and their own options, and the guests' configurations to compare."""

from hypothesis import strategies as st

from mcp_adapter import paging
from tests.helpers.argspec_strategies import params_strategy
from tests.helpers.generated_modules import module_spec
from tests.helpers.module_knowledge import knowledge_for

POWER = ('timeout', 'wait')
SNAPSHOT = ('snapname', 'description', 'vmstate', 'start', 'wait', 'timeout')
# Power, snapshot and console tools -> their own options (besides vmid, name and node).
LIFECYCLE = dict(
    [(name, POWER) for name in ('start_vm', 'shutdown_vm', 'stop_vm', 'reboot_vm', 'migrate_vm', 'start_container',
                                'shutdown_container', 'stop_container', 'reboot_container', 'migrate_container')]
    + [('delete_vm', POWER + ('force', 'purge')), ('delete_container', POWER + ('force', 'purge'))]
    + [(name, SNAPSHOT) for name in ('create_vm_snapshot', 'delete_vm_snapshot', 'restore_vm_snapshot',
                                     'create_container_snapshot', 'delete_container_snapshot',
                                     'restore_container_snapshot')]
    + [('get_vm_console', ('type',))])
# Tools that act on one guest: given one that does not exist, they answer not-found. (A delete of a guest
# that does not exist is satisfied: absent, no change.)
NOT_FOUND = set(n for n in LIFECYCLE if not n.startswith('delete_')) | {'update_vm_config', 'update_container_config'}
# The tools whose examples also make a real call (not a dry run) on the guest.
GUEST_TOOLS = set(LIFECYCLE) | NOT_FOUND
BOGUS = 'bogus_option'
WRONG = {'integer': ['abc', 1.5, True, [1]], 'number': ['abc', [1]], 'boolean': ['maybe', [True], 2],
         'array': [{'x': 1}], 'object': [[1, 2], 'not-a-dict']}


def tool_strategy(tool):
    """Valid arguments of the tool: its module's params limited to the options the tool offers (the fixed
    ones left to the tool, no aliases: the adapter takes the option names)."""
    module = tool.module.name
    know = knowledge_for(module)
    spec = module_spec(module)
    offered = set(tool.input_schema['properties'])
    omit = tuple(know.omit) + tuple(k for k in spec if k not in offered and k not in tool.fixed)
    required = tuple(tool.input_schema.get('required', ()))
    base = params_strategy(spec, tool.module.kwargs, know.values, omit, required, dict(tool.fixed), aliases=False)

    @st.composite
    def arguments(draw):
        params = know.derive(draw, draw(base))
        out = dict((k, v) for k, v in params.items() if k in offered and k not in tool.fixed)
        if paging.key_of(tool):
            # The paging arguments are the adapter's, with its bounds (the module's argument_spec, where a module
            # pages itself, does not bound them): drawn from those.
            out.update((k, draw(PAGING[k])) for k in paging.PAGING_ARGS if k in out)
        return out
    return arguments()


PAGING = {paging.LIMIT: st.integers(paging.MIN_LIMIT, paging.MAX_LIMIT), paging.OFFSET: st.integers(0, 50),
          paging.FIELDS: st.lists(st.text(st.characters(codec='ascii', categories=('L', 'N')), min_size=1,
                                          max_size=8), max_size=3)}


def invalid_variation(tool, args, spec):
    """(field, arguments) with one thing wrong with the arguments, naming the field that is wrong."""
    props = tool.input_schema['properties']
    kinds = [('unknown', BOGUS)]
    for name, prop in sorted(props.items()):
        types = prop.get('type')
        if types in WRONG:
            kinds.append(('type', name))
        if prop.get('enum'):
            kinds.append(('enum', name))
    kinds += [('fixed', name) for name in sorted(tool.fixed)]
    kinds += [('required', name) for name in tool.input_schema.get('required', ()) if name in args]

    @st.composite
    def variation(draw):
        kind, field = draw(st.sampled_from(kinds))
        bad = dict(args)
        if kind == 'unknown':
            bad[BOGUS] = 1
        elif kind == 'type':
            bad[field] = draw(st.sampled_from(WRONG[props[field]['type']]))
        elif kind == 'enum':
            bad[field] = 'not-a-choice'
        elif kind == 'fixed':
            bad[field] = tool.fixed[field]
        else:
            del bad[field]
        return field, bad
    return variation()


def guest_configs(sim):
    """vmid -> configuration of every guest (without what PVE itself keeps there: snapshot parent, lock)."""
    def read():
        out = {}
        for guest in list(sim.pve.vms) + list(sim.pve.cts):
            out[guest.vmid] = dict((k, v) for k, v in guest.config.items() if k not in ('parent', 'lock'))
        return out
    return sim.call(read)


def text_of(result):
    return ' '.join(getattr(c, 'text', '') for c in result.content or [])
