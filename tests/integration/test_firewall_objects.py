# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.firewall_alias and pve.ops.firewall_ipset through real ansible-playbook against pvesim, and rules
that refer to them."""

from tests.helpers.playbook import quartet, run_tasks

ALIAS, IPSET = 'pve.ops.firewall_alias', 'pve.ops.firewall_ipset'


def test_cluster_alias_quartets_and_a_rule_on_it(pvesim):
    run = quartet(pvesim, ALIAS, {'alias': 'office', 'cidr': '192.0.2.0/24', 'comment': 'head office'})
    assert run.results['t apply']['alias'] == {'alias': 'office', 'cidr': '192.0.2.0/24', 'comment': 'head office'}
    quartet(pvesim, ALIAS, {'alias': 'Office', 'cidr': '198.51.100.0/24'})  # PVE compares names without case
    api = pvesim.proxmoxer()
    assert api.cluster.firewall.aliases('office').get()['comment'] == 'head office'  # the comment was kept
    out = run_tasks(pvesim, [{'name': 'rule', 'pve.ops.firewall_rule': {
        'action': 'ACCEPT', 'macro': 'SSH', 'source': 'office', 'comment': 'ssh-office'}}])
    assert out.results['rule']['changed'] is True
    quartet(pvesim, ALIAS, {'alias': 'spare', 'cidr': '10.9.9.9'}, name='spare')
    quartet(pvesim, ALIAS, {'alias': 'spare', 'state': 'absent'}, name='gone')
    assert [a['name'] for a in api.cluster.firewall.aliases.get()] == ['office']


def test_guest_ipset_quartet_with_aliases_and_exact_entries(pvesim):
    pvesim.proxmoxer().cluster.firewall.aliases.post(name='db', cidr='10.0.5.5')
    args = {'ipset': 'scrapers', 'level': 'vm', 'vmid': 100, 'comment': 'monitoring',
            'entries': [{'cidr': '192.0.2.20/32'}, {'cidr': '198.51.100.9/28', 'comment': 'net'},
                        {'cidr': 'dc/db', 'nomatch': True}]}
    run = quartet(pvesim, IPSET, args)
    entries = run.results['t apply']['ipset']['entries']
    assert [e['cidr'] for e in entries] == ['192.0.2.20', '198.51.100.0/28', 'dc/db']
    assert run.results['t apply']['vmid'] == 100 and run.results['t apply']['level'] == 'vm'
    api = pvesim.proxmoxer().nodes('pve1').qemu(100).firewall
    assert sorted(e['cidr'] for e in api.ipset('scrapers').get()) == ['192.0.2.20', '198.51.100.0/28', 'dc/db']
    quartet(pvesim, IPSET, dict(args, entries=[{'cidr': '192.0.2.20', 'comment': 'one'}], comment=''), name='fewer')
    assert [(e['cidr'], e.get('comment')) for e in api.ipset('scrapers').get()] == [('192.0.2.20', 'one')]
    out = run_tasks(pvesim, [{'name': 'rule', 'pve.ops.firewall_rule': {
        'level': 'vm', 'vmid': 100, 'action': 'ACCEPT', 'source': '+scrapers', 'proto': 'tcp', 'dport': '9100',
        'comment': 'node-exporter'}}])
    assert out.results['rule']['changed'] is True
    quartet(pvesim, IPSET, {'ipset': 'scrapers', 'level': 'vm', 'guest': 'web01', 'state': 'absent'}, name='gone')
    assert api.ipset.get() == []


def test_refusals_send_nothing(pvesim):
    cases = [
        ('alias without cidr', ALIAS, {'alias': 'newone'}, 'cidr is required'),
        ('alias bad cidr', ALIAS, {'alias': 'newone', 'cidr': '10.0.0.300'}, 'cidr'),
        ('alias on a node', ALIAS, {'alias': 'newone', 'cidr': '10.0.0.1', 'level': 'node'}, 'level'),
        ('ipset unknown alias', IPSET, {'ipset': 'x1', 'entries': [{'cidr': 'nosuch'}]}, 'no alias'),
        ('ipset zero prefix', IPSET, {'ipset': 'x1', 'entries': [{'cidr': '0.0.0.0/0'}]}, 'zero prefix'),
        ('ipset twice', IPSET, {'ipset': 'x1', 'entries': [{'cidr': '10.0.0.1'}, {'cidr': '10.0.0.1/32'}]},
         'twice'),
        ('ipset missing guest', IPSET, {'ipset': 'x1', 'level': 'vm', 'vmid': 999}, '999'),
    ]
    out = run_tasks(pvesim, [{'name': n, m: a, 'ignore_errors': True} for n, m, a, _w in cases])
    for name, _m, _a, words in cases:
        assert out.results[name]['failed'] is True and words in out.results[name]['msg'], (name, out.results[name])
        assert out.writes[name] == 0, name
