# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's notification targets and matchers (/cluster/notifications) through real proxmoxer."""

import pytest
from proxmoxer.core import ResourceException


def _refused(call, text, **kw):
    with pytest.raises(ResourceException) as err:
        call(**kw)
    assert text in str(err.value), str(err.value)
    return err.value


def test_builtins_targets_and_secrets(pvesim):
    px = pvesim.proxmoxer()
    notify = px.cluster.notifications
    assert notify.targets.get() == [{'name': 'mail-to-root', 'type': 'sendmail', 'origin': 'builtin', 'disable': 0,
                                     'comment': "Send mails to root@pam's email address"}]
    assert [m['name'] for m in notify.matchers.get()] == ['default-matcher']
    notify.endpoints.smtp.post(name='ops-mail', server='mail.example.org', **{'from-address': 'pve@example.org'},
                               mailto=['ops@example.org', 'oncall'], password='smtp-secret', port=587,
                               mode='starttls')
    notify.endpoints.gotify.post(name='phone', server='https://gotify.example.org', token='gotify-secret')
    notify.endpoints.webhook.post(name='chat', url='https://chat.example.org/hook', method='post',
                                  header=['name=Content-Type,value=YXBwbGljYXRpb24vanNvbg=='],
                                  secret=['name=key,value=c2VjcmV0', 'name=other,value=b3RoZXI='])
    smtp = notify.endpoints.smtp('ops-mail').get()
    assert smtp['mailto'] == ['ops@example.org', 'oncall'] and smtp['port'] == 587 and 'password' not in smtp
    assert 'token' not in notify.endpoints.gotify('phone').get()
    hook = notify.endpoints.webhook('chat').get()
    assert hook['secret'] == ['name=key', 'name=other'] and hook['header'][0].startswith('name=Content-Type')
    assert [(t['name'], t['type'], t['origin']) for t in notify.targets.get()] == [
        ('chat', 'webhook', 'user-created'), ('mail-to-root', 'sendmail', 'builtin'), ('ops-mail', 'smtp', 'user-created'),
        ('phone', 'gotify', 'user-created')]
    # a secret named without a value keeps the one stored; an unknown one is refused
    notify.endpoints.webhook('chat').put(secret=['name=key'])
    assert pvesim.pve.notification_secrets['chat']['secret'] == {'key': 'c2VjcmV0'}
    _refused(notify.endpoints.webhook('chat').put, "secret 'nope' not found", secret=['name=nope'])
    # the secrets never reach a GET of any of these
    text = repr([notify.endpoints.smtp.get(), notify.endpoints.gotify.get(), notify.endpoints.webhook.get()])
    assert 'smtp-secret' not in text and 'gotify-secret' not in text and 'c2VjcmV0' not in text
    notify.endpoints.smtp('ops-mail').put(delete=['password', 'port'], comment='ops')
    smtp = notify.endpoints.smtp('ops-mail').get()
    assert 'port' not in smtp and smtp['comment'] == 'ops' and 'password' not in pvesim.pve.notification_secrets.get(
        'ops-mail', {})


def test_checks_matchers_and_deletes(pvesim):
    px = pvesim.proxmoxer()
    notify = px.cluster.notifications
    _refused(notify.endpoints.sendmail.post, 'must at least provide one recipient', name='nobody')
    _refused(notify.endpoints.sendmail.post, 'an entity with the same name already exists', name='default-matcher',
             mailto='a@example.org')
    _refused(notify.endpoints.sendmail.post, 'invalid configuration ID', name='1bad', mailto='a@example.org')
    _refused(notify.endpoints.gotify.post, 'token', name='gx', server='https://g.example.org')
    _refused(notify.endpoints.webhook.post, 'name=<name>,value=<base64 value>', name='wh', url='https://x', method='post',
             header=['Content-Type: json'])
    notify.endpoints.sendmail.post(name='team', mailto='team@example.org')
    _refused(notify.matchers.post, "endpoint 'ghost' does not exist", name='m1', target=['team', 'ghost'])
    _refused(notify.matchers.post, 'invalid match-field', name='m1', target='team', **{'match-field': 'type=vzdump'})
    _refused(notify.matchers.post, "invalid severity 'fatal'", name='m1', target='team', **{'match-severity': 'fatal'})
    notify.matchers.post(name='m1', target='team', **{'match-field': ['exact:type=vzdump', 'regex:hostname=^pve']},
                         **{'match-severity': 'warning,error'}, mode='any')
    matcher = notify.matchers('m1').get()
    assert matcher['target'] == ['team'] and matcher['match-field'] == ['exact:type=vzdump', 'regex:hostname=^pve']
    _refused(notify.endpoints.sendmail('team').delete, "cannot delete 'team', referenced by: m1")
    _refused(notify.matchers('m1').put, 'detected modified configuration', comment='x', digest='0' * 64)
    notify.matchers('m1').put(digest=matcher['digest'], delete=['match-field'])
    assert 'match-field' not in notify.matchers('m1').get()
    notify.matchers('m1').delete()
    notify.endpoints.sendmail('team').delete()
    _refused(notify.endpoints.sendmail('team').get, "endpoint 'team' not found")
    # built-ins: a change makes them modified-builtin, a delete puts the built-in back
    notify.endpoints.sendmail('mail-to-root').put(mailto='admin@example.org')
    assert notify.endpoints.sendmail.get()[0]['origin'] == 'modified-builtin'
    _refused(notify.endpoints.sendmail('mail-to-root').delete, 'referenced by: default-matcher')
    notify.matchers('default-matcher').put(target='mail-to-root', comment='changed')
    notify.matchers('default-matcher').delete()
    assert notify.matchers.get()[0]['origin'] == 'builtin' and notify.matchers.get()[0]['comment'].startswith('Route')


def test_test_target_records_a_delivery(pvesim):
    px = pvesim.proxmoxer()
    px.cluster.notifications.targets('mail-to-root').test.post()
    assert [(d['target'], d['type']) for d in pvesim.pve.notification_deliveries] == [('mail-to-root', 'sendmail')]
    _refused(px.cluster.notifications.targets('ghost').test.post, "target 'ghost' does not exist")
    _refused(px.cluster.notifications.targets('default-matcher').test.post, "target 'default-matcher' does not exist")
