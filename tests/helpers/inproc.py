# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one module in-process with all its options (the MCP runner's path, without a catalogue entry).

    result = run_module(pvesim, 'storage', dict(name='x', type='dir', path='/x'), check_mode=True)

The result is the dict a playbook task would register. ``user`` / ``password`` log in as someone else; other
keywords are connection options (``api_timeout=1``).
"""

from mcp_adapter import catalogue, runner

_TOOLS = {}


def module_tool(module):
    """A catalogue Tool offering every option of pve.ops.<module> (kind 'write', nothing fixed)."""
    if module not in _TOOLS:
        entry = catalogue._e('module_' + module, module, kind=catalogue.W)
        _TOOLS[module] = catalogue.Tool(entry, catalogue.ModuleInfo(module))
    return _TOOLS[module]


def connection(sim, user='root@pam', password=None, **options):
    """The connection options for the simulator; ``options`` adds others (api_timeout, ...)."""
    return dict(api_host=sim.host, api_port=sim.port, api_user=user,
                api_password=password if password is not None else sim.root_password, ca_path=sim.cafile, **options)


def run_module(sim, module, params, check_mode=False, user='root@pam', password=None, **options):
    return runner.run(module_tool(module), params, connection(sim, user, password, **options), check_mode=check_mode)


def quartet(sim, module, params, **options):
    """check / apply / idempotent check / idempotent, in-process: changed true, true, false, false, and no write
    request but in the apply; returns the four results."""
    results = []
    for check in (True, False, True, False):
        before = sim.stats()['writes']
        result = run_module(sim, module, params, check_mode=check, **options)
        assert not result.get('failed'), (module, params, result.get('msg'))
        writes = sim.stats()['writes'] - before
        results.append(result)
        if check or len(results) == 4:
            assert writes == 0, (module, params, len(results), writes)
    assert [r['changed'] for r in results] == [True, True, False, False], (module, params, results)
    return results
