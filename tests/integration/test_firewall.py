# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.firewall_rule, security_group, firewall_options and firewall_info through ansible-playbook
against pvesim (fakepve's stateful firewall)."""

from tests.helpers.playbook import run_tasks

QUARTET = ('check', 'apply', 'idem check', 'idem')


def quartets(sim, cases):
    """Several quartets in one playbook: cases is [(label, module, args)]. Asserts changed true/true/false/
    false and no write in the check and idempotent runs; returns the run."""
    tasks = []
    for label, module, args in cases:
        for step in QUARTET:
            task = {'name': '{0} {1}'.format(label, step), module: dict(args)}
            if 'check' in step:
                task['check_mode'] = True
            tasks.append(task)
    run = run_tasks(sim, tasks)
    assert run.rc == 0, run
    for label, _module, _args in cases:
        names = ['{0} {1}'.format(label, step) for step in QUARTET]
        assert [run.results[n]['changed'] for n in names] == [True, True, False, False], (label, run)
        for n in (names[0], names[2], names[3]):
            assert run.writes[n] == 0, (n, run.writes[n])
    return run


def fields(rules):
    """API rules without digest/pos/ipversion, for comparing."""
    return [dict((k, v) for k, v in r.items() if k not in ('digest', 'pos', 'ipversion')) for r in rules]


def test_rule_quartets_at_every_level(pvesim):
    api = pvesim.proxmoxer()
    api.cluster.firewall.groups.post(group='webserver')
    run = quartets(pvesim, [
        ('cluster', 'pve.ops.firewall_rule', dict(comment='ssh-mgmt', action='ACCEPT', macro='ssh',
                                                  source='10.0.0.0/24', log='info')),
        ('node', 'pve.ops.firewall_rule', dict(level='node', node='pve2', action='DROP', proto='tcp',
                                               dport='8006', iface='vmbr0')),
        ('vm', 'pve.ops.firewall_rule', dict(level='vm', name='web01', action='ACCEPT', proto='tcp',
                                             dport='80,443', iface='net0', comment='web')),
        ('ct', 'pve.ops.firewall_rule', dict(level='container', vmid=200, type='group', action='webserver')),
        ('group', 'pve.ops.firewall_rule', dict(level='group', group='webserver', action='ACCEPT',
                                                macro='HTTPS', comment='https')),
    ])
    assert fields(api.cluster.firewall.rules.get()) == [
        {'type': 'in', 'action': 'ACCEPT', 'macro': 'SSH', 'source': '10.0.0.0/24', 'log': 'info', 'enable': 1,
         'comment': 'ssh-mgmt'}]
    assert fields(api.nodes('pve2').firewall.rules.get()) == [
        {'type': 'in', 'action': 'DROP', 'proto': 'tcp', 'dport': '8006', 'iface': 'vmbr0', 'enable': 1}]
    assert fields(api.nodes('pve1').qemu(100).firewall.rules.get())[0]['dport'] == '80,443'
    assert fields(api.nodes('pve2').lxc(200).firewall.rules.get()) == [
        {'type': 'group', 'action': 'webserver', 'enable': 1}]
    assert fields(api.cluster.firewall.groups('webserver').get())[0]['macro'] == 'HTTPS'
    vm = run.results['vm apply']
    assert (vm['level'], vm['node'], vm['vmid']) == ('vm', 'pve1', 100)
    assert vm['rule']['pos'] == 0 and vm['diff']['before'] == {}
    assert run.results['cluster check']['diff']['after']['macro'] == 'ssh'


def test_rule_identity_order_update_and_absent(pvesim):
    api = pvesim.proxmoxer()
    rule = dict(level='vm', vmid=101)
    run = run_tasks(pvesim, [
        {'name': 'a', 'pve.ops.firewall_rule': dict(rule, comment='a', action='ACCEPT', macro='SSH')},
        {'name': 'b', 'pve.ops.firewall_rule': dict(rule, comment='b', action='ACCEPT', macro='HTTP')},
        {'name': 'c', 'pve.ops.firewall_rule': dict(rule, comment='c', action='DROP', proto='udp')},
        # the rule with comment b changes in place: fields not given go, new ones come, enable off
        {'name': 'b update', 'pve.ops.firewall_rule': dict(rule, comment='b', action='REJECT', proto='tcp',
                                                           dport='8080', enable=False)},
        {'name': 'c first check', 'pve.ops.firewall_rule': dict(rule, comment='c', action='DROP', proto='udp',
                                                                pos=0), 'check_mode': True},
        {'name': 'c first', 'pve.ops.firewall_rule': dict(rule, comment='c', action='DROP', proto='udp', pos=0)},
        {'name': 'a last', 'pve.ops.firewall_rule': dict(rule, comment='a', action='ACCEPT', macro='SSH', pos=99)},
        {'name': 'a last again', 'pve.ops.firewall_rule': dict(rule, comment='a', action='ACCEPT', macro='SSH',
                                                               pos=99)},
        # identified by fields: the comment is added to the rule with these match fields
        {'name': 'by fields', 'pve.ops.firewall_rule': dict(rule, action='DROP', proto='udp', identify_by='fields',
                                                            comment='c2')},
        {'name': 'info', 'pve.ops.firewall_info': dict(level='vm', name='db01')},
        {'name': 'b absent check', 'pve.ops.firewall_rule': dict(rule, comment='b', state='absent'),
         'check_mode': True},
        {'name': 'b absent', 'pve.ops.firewall_rule': dict(rule, comment='b', state='absent')},
        {'name': 'b absent again', 'pve.ops.firewall_rule': dict(rule, comment='b', state='absent')},
        {'name': 'fields absent', 'pve.ops.firewall_rule': dict(rule, action='DROP', proto='udp', state='absent')},
    ])
    assert run.rc == 0, run
    info = run.results['info']['firewall']['rules']
    assert [r['comment'] for r in info] == ['c2', 'b', 'a']
    assert info[1] == {'pos': 1, 'type': 'in', 'action': 'REJECT', 'proto': 'tcp', 'dport': '8080',
                       'enable': False, 'comment': 'b'}
    assert run.results['b update']['diff']['before']['macro'] == 'HTTP'
    assert 'macro' not in run.results['b update']['diff']['after']
    # new rules go to the end: a, b, c in task order
    assert run.results['c']['rule']['pos'] == 2
    assert run.results['c first check']['changed'] and run.writes['c first check'] == 0
    assert run.results['c first']['rule']['pos'] == 0 and run.writes['c first'] == 1
    assert run.results['a last']['changed'] and not run.results['a last again']['changed']
    assert run.writes['a last again'] == 0
    assert run.results['by fields']['changed'] and run.results['by fields']['rule']['comment'] == 'c2'
    assert run.results['b absent check']['changed'] and run.writes['b absent check'] == 0
    assert run.results['b absent']['removed'] == 1 and not run.results['b absent again']['changed']
    assert run.results['fields absent']['changed']
    assert [r['comment'] for r in api.nodes('pve2').qemu(101).firewall.rules.get()] == ['a']


def test_rule_errors_change_nothing(pvesim):
    run = run_tasks(pvesim, [
        {'name': 'forward on vm', 'pve.ops.firewall_rule': dict(level='vm', vmid=100, type='forward',
                                                                action='ACCEPT'), 'ignore_errors': True},
        {'name': 'bad action', 'pve.ops.firewall_rule': dict(action='ALLOW', comment='x'), 'ignore_errors': True},
        {'name': 'no group', 'pve.ops.firewall_rule': dict(type='group', action='nosuch'), 'ignore_errors': True},
        {'name': 'no such guest', 'pve.ops.firewall_rule': dict(level='container', vmid=100, action='ACCEPT'),
         'ignore_errors': True},
        {'name': 'no node', 'pve.ops.firewall_rule': dict(level='node', action='ACCEPT'), 'ignore_errors': True},
        {'name': 'ct iface', 'pve.ops.firewall_rule': dict(level='container', vmid=200, action='ACCEPT',
                                                           iface='eth0'), 'ignore_errors': True},
        {'name': 'bad port (PVE)', 'pve.ops.firewall_rule': dict(action='ACCEPT', proto='tcp', dport='99999'),
         'ignore_errors': True},
        {'name': 'dup a', 'pve.ops.firewall_rule': dict(action='ACCEPT', macro='DNS', comment='dup',
                                                        identify_by='fields')},
        {'name': 'dup b', 'pve.ops.firewall_rule': dict(action='ACCEPT', macro='NTP', comment='dup',
                                                        identify_by='fields')},
        {'name': 'dup', 'pve.ops.firewall_rule': dict(action='ACCEPT', macro='SSH', comment='dup'),
         'ignore_errors': True},
    ])
    assert run.rc == 0, run
    expected = {'forward on vm': 'type', 'bad action': 'action', 'no group': 'action', 'no such guest': 'vmid',
                'no node': 'node', 'ct iface': 'iface', 'dup': 'comment'}
    for name, field in expected.items():
        assert run.status[name] == 'failed' and run.writes[name] == 0, (name, run.results[name])
        assert run.results[name].get('field') == field, (name, run.results[name])
    assert run.status['bad port (PVE)'] == 'failed' and 'dport' in run.results['bad port (PVE)']['msg']
    assert 'positions 0, 1' in run.results['dup']['msg']


def test_security_group(pvesim):
    api = pvesim.proxmoxer()
    rules = [dict(action='ACCEPT', macro='HTTP'), dict(action='ACCEPT', macro='HTTPS', comment='tls'),
             dict(action='ACCEPT', proto='tcp', dport='22', source='192.0.2.0/24', type='in', log='info')]
    run = quartets(pvesim, [('web', 'pve.ops.security_group', dict(name='web', comment='web servers', rules=rules)),
                            ('empty', 'pve.ops.security_group', dict(name='empty-1'))])
    assert [r['comment'] for r in run.results['web apply']['group']['rules'] if 'comment' in r] == ['tls']
    assert fields(api.cluster.firewall.groups('web').get()) == [
        {'type': 'in', 'action': 'ACCEPT', 'macro': 'HTTP', 'enable': 1},
        {'type': 'in', 'action': 'ACCEPT', 'macro': 'HTTPS', 'enable': 1, 'comment': 'tls'},
        {'type': 'in', 'action': 'ACCEPT', 'proto': 'tcp', 'dport': '22', 'source': '192.0.2.0/24', 'log': 'info',
         'enable': 1}]
    new_rules = [dict(action='ACCEPT', macro='HTTPS', comment='tls'), dict(action='DROP', proto='tcp', dport='22')]
    run = run_tasks(pvesim, [
        {'name': 'comment only', 'pve.ops.security_group': dict(name='web', comment='web tier')},
        {'name': 'rules', 'pve.ops.security_group': dict(name='web', rules=new_rules)},
        {'name': 'rules again', 'pve.ops.security_group': dict(name='web', rules=new_rules)},
        {'name': 'use it', 'pve.ops.firewall_rule': dict(type='group', action='web', comment='web-group')},
        {'name': 'groups', 'pve.ops.firewall_info': dict(gather=['groups'])},
        {'name': 'bad name', 'pve.ops.security_group': dict(name='9bad'), 'ignore_errors': True},
        {'name': 'group in group', 'pve.ops.security_group': dict(name='web', rules=[
            dict(type='group', action='empty-1')]), 'ignore_errors': True},
        {'name': 'absent check', 'pve.ops.security_group': dict(name='web', state='absent'), 'check_mode': True},
        {'name': 'absent', 'pve.ops.security_group': dict(name='web', state='absent')},
        {'name': 'absent again', 'pve.ops.security_group': dict(name='web', state='absent')},
    ])
    assert run.rc == 0, run
    assert run.results['comment only']['changed'] and run.writes['comment only'] == 1
    assert run.results['rules']['changed'] and not run.results['rules again']['changed']
    assert run.writes['rules again'] == 0
    groups = dict((g['name'], g) for g in run.results['groups']['groups'])
    assert groups['web']['comment'] == 'web tier'
    assert [(r['pos'], r['action']) for r in groups['web']['rules']] == [(0, 'ACCEPT'), (1, 'DROP')]
    assert groups['empty-1']['rules'] == []
    for name, field in (('bad name', 'name'), ('group in group', 'rules[0].type')):
        assert run.status[name] == 'failed' and run.writes[name] == 0
        assert run.results[name]['field'] == field, run.results[name]
    assert run.results['absent check']['changed'] and run.writes['absent check'] == 0
    assert run.writes['absent'] == 3  # two rules, then the group
    assert not run.results['absent again']['changed'] and run.writes['absent again'] == 0
    assert [g['group'] for g in api.cluster.firewall.groups.get()] == ['empty-1']


def test_options_and_info(pvesim):
    api = pvesim.proxmoxer()
    api.cluster.firewall.aliases.post(name='office', cidr='192.0.2.0/24', comment='HQ')
    api.cluster.firewall.ipset.post(name='admins', comment='admin hosts')
    api.cluster.firewall.ipset('admins').post(cidr='192.0.2.10')
    run = quartets(pvesim, [
        ('cluster', 'pve.ops.firewall_options', dict(enable=True, policy_in='DROP', policy_out='ACCEPT')),
        ('vm', 'pve.ops.firewall_options', dict(level='vm', name='web01', enable=True, options={'ipfilter': True,
                                                                                             'log_level_in': 'info'})),
        ('node', 'pve.ops.firewall_options', dict(level='node', node='pve3', enable=False)),
    ])
    assert run.results['vm apply']['options']['ipfilter'] == 1
    run = run_tasks(pvesim, [
        {'name': 'cluster', 'pve.ops.firewall_info': dict(gather=['rules', 'options', 'aliases', 'ipsets'])},
        {'name': 'vm', 'pve.ops.firewall_info': dict(level='vm', vmid=100)},
        {'name': 'node', 'pve.ops.firewall_info': dict(level='node', node='pve3', gather=['options', 'aliases'])},
        {'name': 'policy forward on vm', 'pve.ops.firewall_options': dict(level='vm', vmid=100, options={
            'policy_forward': 'DROP'}), 'ignore_errors': True},
        {'name': 'no group', 'pve.ops.firewall_info': dict(level='group', group='nosuch'), 'ignore_errors': True},
    ])
    assert run.rc == 0, run
    assert all(run.writes[n] == 0 for n in run.writes)
    cluster = run.results['cluster']['firewall']
    assert cluster['options']['policy_in'] == 'DROP' and cluster['options']['enable'] == 1
    assert cluster['rules'] == []
    assert cluster['aliases'] == [{'name': 'office', 'cidr': '192.0.2.0/24', 'comment': 'HQ', 'ipversion': 4}]
    assert cluster['ipsets'] == [{'name': 'admins', 'comment': 'admin hosts', 'entries': [{'cidr': '192.0.2.10'}]}]
    vm = run.results['vm']['firewall']
    assert vm['options'] == {'enable': 1, 'ipfilter': 1, 'log_level_in': 'info'} and vm['node'] == 'pve1'
    assert run.results['node']['firewall'] == {'level': 'node', 'node': 'pve3', 'options': {'enable': 0}}
    assert run.status['policy forward on vm'] == 'failed'
    assert run.status['no group'] == 'failed' and 'nosuch' in run.results['no group']['msg']


def test_absent_with_pos_removes_one_of_two_identical_rules(pvesim):
    api = pvesim.proxmoxer()
    for comment in ('first', 'second'):
        api.cluster.firewall.rules.post(type='in', action='DROP', proto='tcp', dport='23', enable=1,
                                        comment=comment)
    api.cluster.firewall.rules.post(type='in', action='ACCEPT', macro='SSH', enable=1)  # pos 0, the others 1, 2
    rule = dict(state='absent', identify_by='fields', action='DROP', proto='tcp', dport='23', pos=2)
    cases = [
        ('pos alone', dict(state='absent', pos=0)),
        ('not the rule at pos', dict(rule, pos=0)),
        ('check', dict(rule)),
        ('apply', dict(rule)),
        ('again', dict(rule)),
    ]
    tasks = [dict({'name': label, 'pve.ops.firewall_rule': args, 'ignore_errors': True},
                  **({'check_mode': True} if label == 'check' else {})) for label, args in cases]
    run = run_tasks(pvesim, tasks)
    assert run.status['pos alone'] == 'failed' and run.requests['pos alone'] == 0, run
    assert "needs the rule's action" in run.results['pos alone']['msg']
    assert run.results['not the rule at pos']['changed'] is False and run.writes['not the rule at pos'] == 0
    assert run.results['check']['changed'] is True and run.writes['check'] == 0
    assert run.results['apply']['changed'] is True and run.results['apply']['removed'] == 1
    assert run.results['again']['changed'] is False and run.writes['again'] == 0
    # PVE put each new rule on top: SSH, second, first; the one at position 2 went
    assert [r.get('comment') for r in api.cluster.firewall.rules.get()] == [None, 'second']
