# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment's requirement files agree with pyproject.toml, the one place ranges are pinned.

requirements.txt (announced by meta/execution-environment.yml) holds exactly the packages the shipped plugins
import beyond the standard library and Ansible, each with pyproject.toml's range; execution-environment.yml's
pip packages (ansible-core, ansible-runner) have pyproject.toml's ranges too, and it installs the tarball of
galaxy.yml's version.
"""

import ast
import os
import sys
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Imported by the plugins, installed by a requirement: urllib3 is requests' own dependency (client.py tells its
# connection errors apart).
COMES_WITH = {'urllib3': 'requests'}


def _pyproject():
    with open(os.path.join(ROOT, 'pyproject.toml'), 'rb') as handle:
        project = tomllib.load(handle)['project']
    reqs = [Requirement(r) for r in project['dependencies'] + project['optional-dependencies']['dev']]
    return reqs


def _pinned(name, python='3.11'):
    """pyproject.toml's requirement of `name` for the execution environment's Python."""
    found = [r for r in _pyproject() if canonicalize_name(r.name) == canonicalize_name(name)
             and (r.marker is None or r.marker.evaluate({'python_version': python}))]
    assert len(found) == 1, 'pyproject.toml pins {0} {1} times for Python {2}'.format(name, len(found), python)
    return found[0]


def _requirements_txt():
    out = []
    with open(os.path.join(ROOT, 'requirements.txt')) as handle:
        for line in handle:
            line = line.split('#', 1)[0].strip()
            if line:
                out.append(Requirement(line))
    return out


def _plugin_imports():
    """The top-level modules the shipped plugins import, beyond the standard library and Ansible."""
    found = set()
    for base, _dirs, files in os.walk(os.path.join(ROOT, 'plugins')):
        for name in files:
            if not name.endswith('.py'):
                continue
            with open(os.path.join(base, name)) as handle:
                tree = ast.parse(handle.read())
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for full in names:
                    top = full.split('.')[0]
                    if top not in sys.stdlib_module_names and top not in ('ansible', 'ansible_collections'):
                        found.add(COMES_WITH.get(top, top))
    return found


def test_meta_execution_environment_names_the_files():
    with open(os.path.join(ROOT, 'meta', 'execution-environment.yml')) as handle:
        meta = yaml.safe_load(handle)
    assert meta == {'version': 1, 'dependencies': {'python': 'requirements.txt', 'system': 'bindep.txt'}}
    for name in meta['dependencies'].values():
        assert os.path.isfile(os.path.join(ROOT, name))


def test_requirements_txt_is_what_the_plugins_import_with_pyprojects_ranges():
    reqs = _requirements_txt()
    assert sorted(canonicalize_name(r.name) for r in reqs) == sorted(_plugin_imports()) == ['asyncssh', 'proxmoxer', 'requests']
    for req in reqs:
        pinned = _pinned(req.name)
        assert req.specifier == pinned.specifier, '{0}: requirements.txt says {1}, pyproject.toml {2}'.format(
            req.name, req.specifier, pinned.specifier)
        assert req.marker is None and not req.extras


def test_execution_environment_definition_agrees_with_pyproject_and_galaxy():
    with open(os.path.join(ROOT, 'execution-environment.yml')) as handle:
        ee = yaml.safe_load(handle)
    deps = ee['dependencies']
    python = deps['python_interpreter']['package_system'].replace('python', '')
    for key in ('ansible_core', 'ansible_runner'):
        req = Requirement(deps[key]['package_pip'])
        pinned = _pinned(req.name, python=python)
        assert req.specifier == pinned.specifier, '{0}: execution-environment.yml says {1}, pyproject.toml {2}'.format(
            req.name, req.specifier, pinned.specifier)
    assert deps['python'] == 'requirements.txt' and deps['system'] == 'bindep.txt'
    with open(os.path.join(ROOT, 'galaxy.yml')) as handle:
        version = yaml.safe_load(handle)['version']
    assert deps['galaxy']['collections'] == [
        {'name': '/build/collections/pve-ops-{0}.tar.gz'.format(version), 'type': 'file'}]


def _yaml_blocks(path):
    with open(path) as handle:
        text = handle.read()
    blocks, inside, current = [], False, []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith('```'):
            if inside:
                blocks.append(yaml.safe_load('\n'.join(current)))
                inside, current = False, []
            elif stripped == '```yaml':
                inside, indent, current = True, len(line) - len(line.lstrip()), []
            continue
        if inside:
            current.append(line[indent:])
    return blocks


def test_awx_docs_show_the_credential_type_file_and_a_survey_of_the_playbooks_variables():
    with open(os.path.join(ROOT, 'docs', 'awx', 'credential_type.yml')) as handle:
        ctype = yaml.safe_load(handle)
    blocks = _yaml_blocks(os.path.join(ROOT, 'docs', 'awx.md'))
    assert ctype in blocks
    injected = set(ctype['injectors']['env'])
    # Every connection option's own PROXMOX_* variable (the first of its doc fragment's env entries) is injected.
    from ansible_collections.pve.ops.plugins.doc_fragments.connection import ModuleDocFragment
    fragment = yaml.safe_load(ModuleDocFragment.PLUGIN)['options']
    # (url, community.proxmox's PROXMOX_URL, is another way to say PROXMOX_HOST and PROXMOX_PORT.)
    assert injected == set(option['env'][0]['name'] for name, option in fragment.items()
                           if option.get('env') and name != 'url')
    surveys = [b for b in blocks if isinstance(b, dict) and 'spec' in b]
    assert len(surveys) == 1
    with open(os.path.join(ROOT, 'playbooks', 'snapshot.yml')) as handle:
        play = yaml.safe_load(handle)[0]
    assert set(q['variable'] for q in surveys[0]['spec']) == set(play['vars'])
