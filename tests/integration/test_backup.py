# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.backup, restore, backup_job and backup_prune through ansible-playbook against pvesim."""

import time

from tests.helpers.playbook import quartet, run_tasks

# PVE generates these anew on every restore (qemu-server restore_update_config_line).
GENERATED = ('digest', 'vmgenid')


def _backup_now(sim, node, vmid, storage='backup-nfs'):
    px = sim.proxmoxer()
    upid = px.nodes(node).vzdump.post(vmid=str(vmid), storage=storage, compress='zstd')
    assert px.nodes(node).tasks(upid).status.get()['exitstatus'] == 'OK'
    items = px.nodes(node).storage(storage).content.get(content='backup', vmid=vmid)
    return max(items, key=lambda i: i['ctime'])['volid']


def test_backup_quartet_with_max_age(pvesim):
    # The demo seed's backups of 100 and 200 are two days old: one day means back up again, once.
    run = quartet(pvesim, 'pve.ops.backup', dict(vmids=[100, 200], storage='backup-nfs', max_age='1d',
                                                 notes='{{ "{{" }}guestname{{ "}}" }} by ansible'))
    applied = run.results['t apply']
    assert sorted(b['vmid'] for b in applied['backups']) == [100, 200]
    for item in applied['backups']:
        kind = 'qemu' if item['vmid'] == 100 else 'lxc'
        assert item['volid'].startswith('backup-nfs:backup/vzdump-{0}-{1}-'.format(kind, item['vmid']))
    assert {b['notes'] for b in applied['backups']} == {'web01 by ansible', 'proxy01 by ansible'}
    assert run.results['t check']['planned'] and not run.results['t check']['backups']
    assert sorted(s['vmid'] for s in run.results['t idem']['up_to_date']) == [100, 200]


def test_backup_job_quartet_and_update(pvesim):
    args = dict(id='nightly', schedule='02:00', pool='demo', storage='backup-nfs', mode='snapshot', compress='zstd',
                retention=dict(keep_daily=7, keep_weekly=4), notes_template='nightly')
    run = quartet(pvesim, 'pve.ops.backup_job', args)
    job = run.results['t apply']['job']
    assert job['prune-backups'] == {'keep_daily': 7, 'keep_weekly': 4} and job['pool'] == 'demo'
    tasks = [
        {'name': 'switch to vmids', 'pve.ops.backup_job': dict(id='nightly', vmids=[101, 100], enabled=False)},
        {'name': 'again', 'pve.ops.backup_job': dict(id='nightly', vmids=[100, 101], enabled=False)},
        {'name': 'both', 'pve.ops.backup_job': dict(id='nightly', vmids=[100], all=True), 'ignore_errors': True},
        {'name': 'bad retention', 'ignore_errors': True,
         'pve.ops.backup_job': dict(id='nightly', retention=dict(keep_all=True, keep_last=2))},
        {'name': 'retention list', 'ignore_errors': True, 'pve.ops.backup_job': dict(id='nightly', retention=[1])},
        {'name': 'retention text', 'ignore_errors': True,
         'pve.ops.backup_job': dict(id='nightly', retention='not-a-dict')},
        {'name': 'absent', 'pve.ops.backup_job': dict(id='nightly', state='absent')},
        {'name': 'absent again', 'pve.ops.backup_job': dict(id='nightly', state='absent')},
    ]
    run = run_tasks(pvesim, tasks)
    assert run.rc == 0, run
    switched = run.results['switch to vmids']
    assert switched['changed'] and switched['job']['vmid'] == [100, 101] and 'pool' not in switched['job']
    assert switched['job']['enabled'] is False
    assert run.results['again']['changed'] is False and run.writes['again'] == 0
    assert run.status['both'] == 'failed' and 'mutually exclusive' in run.results['both']['msg']
    assert run.status['bad retention'] == 'failed' and run.writes['bad retention'] == 0
    assert 'keep_all' in run.results['bad retention']['msg']
    # A list for a dict option: Ansible's own message naming it (through AnsiballZ / direct execution too).
    assert run.status['retention list'] == 'failed' and run.writes['retention list'] == 0
    assert "argument 'retention' is of type list" in run.results['retention list']['msg']
    assert run.status['retention text'] == 'failed' and run.writes['retention text'] == 0
    assert "argument 'retention' is of type str" in run.results['retention text']['msg']
    assert run.results['absent']['changed'] and not run.results['absent again']['changed']
    assert run.writes['absent again'] == 0


def test_prune_quartet_keeps_what_the_rules_say(pvesim):
    day = 86400
    now = int(time.time()) // day * day - day  # yesterday 00:00 UTC, so the days are whole
    made = [pvesim.call(pvesim.pve.add_backup, 'backup-nfs', 102, now - n * day + 3600) for n in range(6)]
    extra = pvesim.call(pvesim.pve.add_backup, 'backup-nfs', 102, now + 7200)  # a second one yesterday
    protected = pvesim.call(pvesim.pve.add_backup, 'backup-nfs', 102, now - 10 * day, 'qemu', None, True)
    run = quartet(pvesim, 'pve.ops.backup_prune',
                  dict(storage='backup-nfs', vmid=102, retention=dict(keep_last=1, keep_daily=2)))
    check, applied = run.results['t check'], run.results['t apply']
    # keep-last 1 keeps the newest (extra); keep-daily 2 the newest of the two days before it.
    assert sorted(applied['kept']) == sorted([extra, made[1], made[2], protected])
    assert sorted(applied['removed']) == sorted([made[0]] + made[3:])
    assert check['removed'] == applied['removed']
    left = pvesim.proxmoxer().nodes('pve1').storage('backup-nfs').content.get(content='backup', vmid=102)
    assert sorted(i['volid'] for i in left) == sorted(applied['kept'])


def test_restore_quartet_to_a_new_vmid(pvesim):
    archive = _backup_now(pvesim, 'pve1', 102)
    run = quartet(pvesim, 'pve.ops.restore', dict(archive=archive, node='pve1', vmid=302, unique=True,
                                                  skip_existing=True))
    guest = run.results['t apply']['guest']
    assert guest['vmid'] == 302 and guest['type'] == 'qemu' and guest['name'] == 'build01'
    assert run.results['t idem']['restored'] is False and 'skip_existing' in run.results['t idem']['msg']
    px = pvesim.proxmoxer()
    original = px.nodes('pve1').qemu(102).config.get()
    assert original['net0'].split(',')[0] != guest['config']['net0'].split(',')[0]  # unique: a new MAC


def test_disaster_recovery_story(pvesim):
    """Back up a running VM and a running container, destroy both, restore both: nothing lost."""
    px = pvesim.proxmoxer()
    before_vm = px.nodes('pve1').qemu(100).config.get()
    before_ct = px.nodes('pve2').lxc(200).config.get()
    assert px.nodes('pve1').qemu(100).status.current.get()['status'] == 'running'
    run = run_tasks(pvesim, [
        {'name': 'backup', 'pve.ops.backup': dict(vmids=[100, 200], storage='backup-nfs', mode='snapshot'),
         'register': 'taken'},
    ])
    assert run.rc == 0, run
    volids = dict((b['vmid'], b['volid']) for b in run.results['backup']['backups'])
    assert set(volids) == {100, 200}
    assert px.nodes('pve1').qemu(100).status.current.get()['status'] == 'running'  # snapshot mode

    # The disaster: both guests are gone.
    for node, kind, vmid in (('pve1', 'qemu', 100), ('pve2', 'lxc', 200)):
        guest = getattr(px.nodes(node), kind)(vmid)
        upid = guest.status.stop.post()
        assert px.nodes(node).tasks(upid).status.get()['exitstatus'] == 'OK'
        upid = guest.delete(purge=1)
        assert px.nodes(node).tasks(upid).status.get()['exitstatus'] == 'OK'
    vmids = [g['vmid'] for g in px.cluster.resources.get(type='vm')]
    assert 100 not in vmids and 200 not in vmids

    run = run_tasks(pvesim, [
        {'name': 'restore vm', 'pve.ops.restore': dict(archive=volids[100], node='pve1')},
        {'name': 'restore ct', 'pve.ops.restore': dict(archive=volids[200], node='pve2')},
        {'name': 'restore vm again', 'pve.ops.restore': dict(archive=volids[100], node='pve1'),
         'ignore_errors': True},
        {'name': 'restore vm again, skip', 'pve.ops.restore': dict(archive=volids[100], node='pve1',
                                                                   skip_existing=True)},
    ])
    assert run.results['restore vm']['changed'] and run.results['restore ct']['changed']
    # A guest that exists is a failure by default (the play must not report a restore that did not happen).
    assert run.status['restore vm again'] == 'failed' and run.writes['restore vm again'] == 0
    assert 'guest 100 exists' in run.results['restore vm again']['msg']
    assert run.results['restore vm again, skip']['changed'] is False and run.writes['restore vm again, skip'] == 0
    assert run.results['restore vm again, skip']['restored'] is False
    after_vm = px.nodes('pve1').qemu(100).config.get()
    after_ct = px.nodes('pve2').lxc(200).config.get()
    strip = lambda cfg: dict((k, v) for k, v in cfg.items() if k not in GENERATED)  # noqa: E731
    assert strip(after_vm) == strip(before_vm)
    assert strip(after_ct) == strip(before_ct)
    assert after_vm['vmgenid'] != before_vm['vmgenid']


def test_backup_errors_change_nothing(pvesim):
    run = run_tasks(pvesim, [
        {'name': 'unknown guest', 'pve.ops.backup': dict(vmids=[999], storage='backup-nfs'), 'ignore_errors': True},
        {'name': 'bad max_age', 'pve.ops.backup': dict(vmids=[100], storage='backup-nfs', max_age='soon'),
         'ignore_errors': True},
        {'name': 'not a backup storage', 'pve.ops.backup': dict(vmids=[100], storage='local-lvm'),
         'ignore_errors': True},
        {'name': 'restore missing', 'ignore_errors': True,
         'pve.ops.restore': dict(archive='backup-nfs:backup/vzdump-qemu-100-2020_01_01-00_00_00.vma.zst',
                                 node='pve1', vmid=400)},
    ])
    assert run.results['unknown guest']['msg'].startswith('vmids:') and run.writes['unknown guest'] == 0
    assert 'max_age' in run.results['bad max_age']['msg'] and run.writes['bad max_age'] == 0
    assert run.status['not a backup storage'] == 'failed'
    assert "wrong content type" in run.results['not a backup storage']['msg'] or \
        'backup' in run.results['not a backup storage']['msg']
    assert 'does not exist' in run.results['restore missing']['msg'] and run.writes['restore missing'] == 0


def test_backup_playbook(pvesim):
    import os
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING='False', ANSIBLE_INVENTORY_UNPARSED_WARNING='False',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, **pvesim.env())
    cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'),
           os.path.join(root, 'playbooks', 'backup.yml'), '-i', 'localhost,', '-c', 'local']
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert 'changed=2' in first.stdout, first.stdout[-2000:]
    job = pvesim.proxmoxer().cluster.backup('nightly-demo').get()
    assert job['prune-backups'] in ('keep-daily=7,keep-monthly=6,keep-weekly=4',
                                    {'keep-daily': 7, 'keep-weekly': 4, 'keep-monthly': 6})
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert second.returncode == 0 and 'changed=0' in second.stdout, second.stdout[-2000:]
