# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX / AAP: the execution environment's build context, and a job run the way AWX runs it.

- ``ansible-builder create`` on the repository's execution-environment.yml (with the collection tarball built
  beside it, as the file's comment says) makes a build context whose Python requirements include proxmoxer,
  and ``ansible-builder introspect`` of the installed tarball finds the collection's requirements
  (meta/execution-environment.yml). No container engine is needed for either.
- A job through ansible-runner, as AWX runs one: a private data directory with the project (playbooks/
  snapshot.yml), an inventory update (``ansible-inventory`` of a pve.ops.proxmox source, through ansible-runner)
  whose JSON becomes the job's inventory script, the credential of docs/awx/credential_type.yml injected as
  AWX injects it (its injectors rendered with the credential's inputs, the CA file template written to a file),
  survey answers as extra variables, and the job's events and artifacts read back.
"""

import json
import os
import shutil
import stat
import subprocess
import sys

import ansible_runner
import jinja2
import jinja2.sandbox
import pytest
import yaml

from pvesim.seeds import DEMO_TOKEN

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
VERSION = yaml.safe_load(open(os.path.join(ROOT, 'galaxy.yml')))['version']
TIMEOUT = 300


def _run(cmd, cwd, env=None):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    assert proc.returncode == 0, '{0}\n{1}\n{2}'.format(' '.join(cmd), proc.stdout[-3000:], proc.stderr[-3000:])
    return proc


def _build_tarball(dest):
    _run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(dest), ROOT], cwd=ROOT)
    tarball = dest / 'pve-ops-{0}.tar.gz'.format(VERSION)
    assert tarball.is_file()
    return tarball


def _requirement_names(lines):
    return [line.split('#', 1)[0].strip() for line in lines if line.split('#', 1)[0].strip()]


def test_ansible_builder_create_and_introspect_find_proxmoxer(tmp_path):
    work = tmp_path / 'ee'
    work.mkdir()
    for name in ('execution-environment.yml', 'requirements.txt', 'bindep.txt'):
        shutil.copy(os.path.join(ROOT, name), str(work / name))
    tarball = _build_tarball(work / 'build')
    _run([os.path.join(BIN, 'ansible-builder'), 'create', '--file', 'execution-environment.yml',
          '--context', 'context', '--output-filename', 'Containerfile'], cwd=str(work))
    context = work / 'context'
    build = context / '_build'
    python_reqs = _requirement_names((build / 'requirements.txt').read_text().splitlines())
    assert [r for r in python_reqs if r.startswith('proxmoxer')] == ['proxmoxer>=2.0,<3']
    assert 'requests>=2.31,<3' in python_reqs
    assert 'ca-certificates [platform:rpm platform:dpkg]' in (build / 'bindep.txt').read_text()
    # The collection goes in from the tarball copied into the context.
    galaxy = yaml.safe_load((build / 'requirements.yml').read_text())
    assert galaxy['collections'] == [{'name': '/build/collections/' + tarball.name, 'type': 'file'}]
    assert (build / 'collections' / tarball.name).read_bytes() == tarball.read_bytes()
    containerfile = (context / 'Containerfile').read_text()
    assert 'ansible-galaxy collection install' in containerfile and 'requirements.txt' in containerfile
    assert 'ansible-core>=2.19,<2.20' in containerfile

    # What `ansible-builder build` runs in the image: introspection of the installed collection.
    collections = tmp_path / 'collections'
    _run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '--force', '-p', str(collections),
          str(tarball)], cwd=str(tmp_path))
    proc = _run([os.path.join(BIN, 'ansible-builder'), 'introspect', str(collections)], cwd=str(tmp_path))
    found = yaml.safe_load(proc.stdout)
    assert found['python'] == ['proxmoxer>=2.0,<3  # from collection pve.ops',
                               'requests>=2.31,<3  # from collection pve.ops',
                               'asyncssh>=2.24,<3  # from collection pve.ops']
    assert found['system'] == ['ca-certificates [platform:rpm platform:dpkg]  # from collection pve.ops']


# ------------------------------------------------------------------------------------------ a job, as AWX runs it

def credential_injection(inputs, private_data_dir):
    """The environment an AWX credential of our type injects: every injector rendered, in a sandbox, with the
    credential's inputs (fields left empty are '' and booleans False, as AWX renders them), and the file
    template written to a file in the private data directory (``tower.filename.<name>``)."""
    with open(os.path.join(ROOT, 'docs', 'awx', 'credential_type.yml')) as handle:
        ctype = yaml.safe_load(handle)
    namespace = {}
    for field in ctype['inputs']['fields']:
        namespace[field['id']] = inputs.get(field['id'], False if field['type'] == 'boolean' else '')
    missing = [name for name in ctype['inputs'].get('required', []) if not namespace[name]]
    assert not missing, 'AWX refuses a credential without {0}'.format(missing)
    sandbox = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    files = {}
    for key, template in (ctype['injectors'].get('file') or {}).items():
        name = key.split('.', 1)[1]
        path = os.path.join(private_data_dir, 'env', 'credential_{0}'.format(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as handle:
            handle.write(sandbox.from_string(template).render(**namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        files[name] = path
    namespace['tower'] = {'filename': files}
    return dict((key, sandbox.from_string(value).render(**namespace))
                for key, value in ctype['injectors']['env'].items())


@pytest.fixture
def clean_environ(monkeypatch, tmp_path):
    # Nothing of the caller's PROXMOX_* may help the job: the credential is the only source.
    for key in list(os.environ):
        if key.startswith('PROXMOX_'):
            monkeypatch.delenv(key)
    monkeypatch.setenv('PATH', BIN + os.pathsep + os.environ.get('PATH', ''))
    monkeypatch.setenv('ANSIBLE_HOME', str(tmp_path / 'ansible-home'))


def _artifact_files(private):
    out = {}
    for base, _dirs, files in os.walk(os.path.join(private, 'artifacts')):
        for name in files:
            with open(os.path.join(base, name), errors='replace') as handle:
                out[os.path.join(base, name)] = handle.read()
    return out


def test_job_through_ansible_runner_as_awx_runs_it(pvesim, tmp_path, clean_environ):
    private = tmp_path / 'private'
    (private / 'project').mkdir(parents=True)
    (private / 'inventory').mkdir()
    shutil.copy(os.path.join(ROOT, 'playbooks', 'snapshot.yml'), str(private / 'project' / 'snapshot.yml'))
    token_id, token_secret = DEMO_TOKEN
    with open(pvesim.cafile) as handle:
        ca_pem = handle.read()
    envvars = credential_injection({'api_host': pvesim.host, 'api_port': str(pvesim.port), 'api_token_id': token_id,
                                    'api_token_secret': token_secret, 'ca_cert': ca_pem}, str(private))
    assert envvars['PROXMOX_VALIDATE_CERTS'] == 'true' and envvars['PROXMOX_PASSWORD'] == ''
    with open(envvars['PROXMOX_CA_PATH']) as handle:
        assert handle.read() == ca_pem
    # The execution environment's interpreter is the one with proxmoxer (this venv's, here).
    envvars['ANSIBLE_PYTHON_INTERPRETER'] = sys.executable

    # 1. The inventory update: ansible-inventory on the source, through ansible-runner, with the credential.
    source = tmp_path / 'source' / 'pve.proxmox.yml'
    source.parent.mkdir()
    source.write_text(yaml.safe_dump({'plugin': 'pve.ops.proxmox', 'keyed_groups': [
        {'key': 'proxmox_tags', 'prefix': 'tag'}]}))
    pvesim.reset_stats()
    out, err = ansible_runner.get_inventory('list', [str(source)], response_format='json', quiet=True,
                                            envvars=envvars, private_data_dir=str(tmp_path / 'update'),
                                            timeout=TIMEOUT)
    assert isinstance(out, dict), err
    stats = pvesim.stats()
    assert stats['by_path'] == {'GET /api2/json/cluster/resources': 1} and stats['writes'] == 0
    hosts = set(out['_meta']['hostvars'])
    assert hosts == {'web01', 'db01', 'build01', 'monitor01', 'proxy01', 'cache01'}
    assert set(out['tag_prod']['hosts']) == {'web01', 'db01', 'proxy01'}

    # 2. The job's inventory: AWX writes what the update stored as an inventory script.
    script = private / 'inventory' / 'hosts'
    script.write_text('#!{0}\nimport json, sys\nDATA = json.loads({1!r})\nprint(json.dumps(DATA if "--list" in '
                      'sys.argv else {{}}))\n'.format(sys.executable, json.dumps(out)))
    script.chmod(0o700)

    # 3. The job: survey answers as extra variables, the limit of the job template, the credential as envvars.
    def job(ident, state):
        pvesim.reset_stats()
        runner = ansible_runner.run(private_data_dir=str(private), playbook='snapshot.yml', ident=ident,
                                    limit='tag_prod:&proxmox_all_qemu', envvars=envvars, suppress_env_files=True,
                                    extravars={'snapshot_name': 'awx-pre-upgrade', 'snapshot_state': state},
                                    quiet=True, timeout=TIMEOUT)
        return runner, pvesim.stats()

    runner, stats = job('first', 'present')
    assert runner.status == 'successful' and runner.rc == 0, runner.stdout.read()
    events = list(runner.events)
    oks = [e['event_data'] for e in events
           if e['event'] == 'runner_on_ok' and e['event_data'].get('task') == 'Make or remove the snapshot']
    assert sorted(e['host'] for e in oks) == ['db01', 'web01']
    assert all(e['res']['changed'] for e in oks)
    assert events[-1]['event'] == 'playbook_on_stats'
    assert events[-1]['event_data']['changed'] == {'db01': 1, 'web01': 1}
    assert stats['writes'] == 2
    api = pvesim.proxmoxer()
    for node, vmid in (('pve1', 100), ('pve2', 101)):
        assert 'awx-pre-upgrade' in [s['name'] for s in api.nodes(node).qemu(vmid).snapshot.get()]

    # The artifacts AWX reads: status, rc, stdout and one file per event; the secrets in none of them.
    artifacts = private / 'artifacts' / 'first'
    assert (artifacts / 'status').read_text() == 'successful'
    assert (artifacts / 'rc').read_text() == '0'
    assert 'Make or remove the snapshot' in (artifacts / 'stdout').read_text()
    assert len(list((artifacts / 'job_events').glob('*.json'))) == len(events)
    # ansible-runner writes the job's whole environment, the injected credential with it, into the artifact
    # `command` (mode 0600), in the private data directory AWX removes after the job; no other artifact, no
    # event and no line of output holds a secret.
    for path, text in _artifact_files(str(private)).items():
        if os.path.basename(path) == 'command':
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
            continue
        assert token_secret not in text, path
    assert token_secret not in json.dumps(events)

    # The same job again: nothing to do, no write.
    runner, stats = job('second', 'present')
    assert runner.status == 'successful', runner.stdout.read()
    assert runner.stats['changed'] == {}
    assert stats['writes'] == 0

    # A survey answer the playbook refuses fails the job before any request.
    pvesim.reset_stats()
    runner = ansible_runner.run(private_data_dir=str(private), playbook='snapshot.yml', ident='refused',
                                limit='web01', envvars=envvars, suppress_env_files=True,
                                extravars={'snapshot_name': '1 bad name'}, quiet=True, timeout=TIMEOUT)
    assert runner.status == 'failed'
    failed = [e['event_data'] for e in runner.events if e['event'] == 'runner_on_failed']
    assert [e['task'] for e in failed] == ['Check the survey\'s answers']
    assert pvesim.stats()['writes'] == 0
