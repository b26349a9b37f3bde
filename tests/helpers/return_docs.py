# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a module returns is what its RETURN documents: the result keys that RETURN leaves out."""

import functools
import importlib

import yaml

# Keys every module may return that Ansible documents itself (common return values).
COMMON = frozenset(('changed', 'failed', 'msg', 'warnings', 'deprecations', 'invocation', 'skipped', 'exception'))


@functools.cache
def documented(module):
    """The top-level keys of the module's RETURN."""
    mod = importlib.import_module('ansible_collections.pve.ops.plugins.modules.' + module)
    return frozenset(yaml.safe_load(mod.RETURN) or {})


def undocumented(module, result):
    """The keys of a successful result that neither RETURN nor Ansible's common return values document."""
    if result.get('failed'):
        return []
    return sorted(k for k in result if k not in COMMON and not k.startswith('_ansible') and k not in documented(module))
