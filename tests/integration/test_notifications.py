# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.notification_target, notification_matcher and notification_info through real ansible-playbook
against pvesim."""

from tests.helpers.playbook import quartet, run_tasks

SMTP = {'name': 'ops-mail', 'type': 'smtp', 'server': 'mail.example.org', 'port': 587, 'mode': 'starttls',
        'username': 'pve', 'password': 'smtp-secret-1', 'from_address': 'pve@example.org',
        'mailto': ['ops@example.org'], 'comment': 'operators'}


def test_smtp_target_quartet_secret_and_update(pvesim):
    run = quartet(pvesim, 'pve.ops.notification_target', SMTP)
    shown = run.results['t apply']['notification_target']
    assert shown == {'name': 'ops-mail', 'type': 'smtp', 'origin': 'user-created', 'enabled': True,
                     'comment': 'operators', 'server': 'mail.example.org', 'port': 587, 'mode': 'starttls',
                     'username': 'pve', 'mailto': ['ops@example.org'], 'mailto_user': [],
                     'from_address': 'pve@example.org', 'author': ''}
    assert run.writes['t apply'] == 1
    assert pvesim.pve.notification_secrets['ops-mail'] == {'password': 'smtp-secret-1'}
    assert 'smtp-secret-1' not in repr(run.results)
    # update_secret=always writes the password on every run (PVE never shows it to compare)
    args = dict(SMTP, password='smtp-secret-2', update_secret='always')
    again = run_tasks(pvesim, [{'name': 'pw', 'pve.ops.notification_target': args},
                               {'name': 'pw again', 'pve.ops.notification_target': args}])
    assert again.results['pw']['changed'] and again.results['pw again']['changed']
    assert pvesim.pve.notification_secrets['ops-mail'] == {'password': 'smtp-secret-2'}
    run = quartet(pvesim, 'pve.ops.notification_target',
                  {'name': 'ops-mail', 'type': 'smtp', 'port': 465, 'mode': 'tls', 'comment': '', 'enabled': False,
                   'mailto_user': ['root@pam']}, name='update')
    after = run.results['update apply']['notification_target']
    assert after['port'] == 465 and after['comment'] == '' and not after['enabled'] and after['mailto_user'] == ['root@pam']
    entry = pvesim.proxmoxer().cluster.notifications.endpoints.smtp('ops-mail').get()
    assert 'comment' not in entry and entry['disable'] == 1 and entry['port'] == 465
    quartet(pvesim, 'pve.ops.notification_target', {'name': 'ops-mail', 'state': 'absent'}, name='absent')


def test_webhook_and_gotify_targets_and_matcher(pvesim):
    hook = {'name': 'chat', 'type': 'webhook', 'method': 'post', 'url': 'https://chat.example.org/{{ secrets.key }}',
            'headers': {'Content-Type': 'application/json'}, 'body': '{"text": "{{ title }}"}',
            'secrets': {'key': 'chat-secret'}}
    # the URL and body hold PVE's templates: Ansible must not expand them
    hook = dict(hook, url=hook['url'].replace('{{', "{{ '{{' }}"), body=hook['body'].replace('{{', "{{ '{{' }}"))
    run = quartet(pvesim, 'pve.ops.notification_target', hook)
    shown = run.results['t apply']['notification_target']
    assert shown['headers'] == {'Content-Type': 'application/json'} and shown['secrets'] == ['key']
    assert shown['url'] == 'https://chat.example.org/{{ secrets.key }}' and shown['body'] == '{"text": "{{ title }}"}'
    assert pvesim.pve.notification_secrets['chat']['secret'] == {'key': 'Y2hhdC1zZWNyZXQ='}
    # a second secret by name is a change; the first one's value is kept
    hook['secrets'] = {'key': 'ignored on update', 'other': 'second'}
    quartet(pvesim, 'pve.ops.notification_target', hook, name='second secret')
    assert sorted(pvesim.pve.notification_secrets['chat']['secret']) == ['key', 'other']
    assert pvesim.pve.notification_secrets['chat']['secret']['key'] == 'Y2hhdC1zZWNyZXQ='
    quartet(pvesim, 'pve.ops.notification_target', {'name': 'phone', 'type': 'gotify',
                                                    'server': 'https://gotify.example.org', 'token': 'tok'})
    matcher = {'name': 'ops-errors', 'targets': ['chat', 'phone'], 'match_severity': ['error'],
               'match_field': ['exact:type=vzdump,fencing'], 'mode': 'any'}
    run = quartet(pvesim, 'pve.ops.notification_matcher', matcher)
    assert run.results['t apply']['notification_matcher'] == {
        'name': 'ops-errors', 'origin': 'user-created', 'targets': ['chat', 'phone'], 'match_severity': ['error'],
        'match_field': ['exact:type=vzdump,fencing'], 'match_calendar': [], 'mode': 'any', 'invert_match': False,
        'enabled': True, 'comment': ''}
    info = run_tasks(pvesim, [{'name': 'info', 'pve.ops.notification_info': {}}]).results['info']
    assert [t['name'] for t in info['targets']] == ['chat', 'mail-to-root', 'phone']
    assert [m['name'] for m in info['matchers']] == ['default-matcher', 'ops-errors']
    assert info['matchers'][1] == run.results['t apply']['notification_matcher']
    assert 'chat-secret' not in repr(info) and 'tok' not in repr(info['targets'])
    quartet(pvesim, 'pve.ops.notification_matcher', {'name': 'default-matcher', 'targets': ['mail-to-root', 'chat']},
            name='builtin')
    assert pvesim.proxmoxer().cluster.notifications.matchers.get()[0]['origin'] == 'modified-builtin'


def test_refusals(pvesim):
    run = run_tasks(pvesim, [
        {'name': 'no recipient', 'pve.ops.notification_target': {'name': 'nobody', 'type': 'sendmail'},
         'ignore_errors': True},
        {'name': 'wrong option', 'pve.ops.notification_target': {'name': 'g1', 'type': 'gotify', 'server': 'x',
                                                                 'token': 'gotify-token-x', 'mailto': ['a@example.org']},
         'ignore_errors': True},
        {'name': 'no token', 'pve.ops.notification_target': {'name': 'g2', 'type': 'gotify', 'server': 'x'},
         'ignore_errors': True},
        {'name': 'bad name', 'pve.ops.notification_target': {'name': '1x', 'type': 'sendmail', 'mailto': ['a@b.org']},
         'ignore_errors': True},
        {'name': 'builtin', 'pve.ops.notification_target': {'name': 'mail-to-root', 'state': 'absent'},
         'ignore_errors': True},
        {'name': 'type change', 'pve.ops.notification_target': {'name': 'mail-to-root', 'type': 'smtp'},
         'ignore_errors': True},
        {'name': 'no target', 'pve.ops.notification_matcher': {'name': 'm1', 'targets': ['ghost']},
         'ignore_errors': True},
        {'name': 'bad field', 'pve.ops.notification_matcher': {'name': 'm1', 'match_field': ['type=vzdump']},
         'ignore_errors': True},
    ])
    assert run.rc == 0, run
    for name, field in (('no recipient', 'mailto'), ('wrong option', 'mailto'), ('no token', 'token'),
                        ('bad name', 'name'), ('builtin', 'state'), ('type change', 'type'), ('no target', 'targets'),
                        ('bad field', 'match_field')):
        assert run.results[name]['failed'] and run.results[name].get('field') == field, run.results[name]
        assert run.writes[name] == 0
