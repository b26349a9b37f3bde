# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.network_interface through real ansible-playbook against pvesim (each node: eno1 in vmbr0, which
carries the node's address, and an unused eno2)."""

from tests.helpers.playbook import quartet, run_tasks

NI = 'pve.ops.network_interface'


def ifaces(sim, node):
    return dict((i['iface'], i) for i in sim.proxmoxer().nodes(node).network.get())


def pending(sim, node):
    session = sim.proxmoxer()._store['session']
    return 'changes' in session.request('GET', '{0}/api2/json/nodes/{1}/network'.format(sim.url, node)).json()


def test_bridge_quartet_applied(pvesim):
    args = {'node': 'pve1', 'iface': 'vmbr1', 'type': 'bridge', 'bridge_ports': ['eno2'], 'bridge_vlan_aware': True,
            'autostart': True, 'comments': 'guest trunk', 'apply': True}
    run = quartet(pvesim, NI, args)
    after = run.results['t apply']['interface']
    assert after['bridge_ports'] == ['eno2'] and after['bridge_vids'] == '2-4094' and after['active'] is True
    assert run.results['t apply']['applied'] is True and run.results['t apply']['pending'] is False
    assert run.results['t apply']['tasks'] and ':srvreload:networking:' in run.results['t apply']['tasks'][0]
    assert run.writes['t apply'] == 2  # POST the bridge, PUT the node's network (the apply task)
    assert run.results['t idem']['interface'] == after
    vmbr1 = ifaces(pvesim, 'pve1')['vmbr1']
    assert vmbr1['active'] == 1 and vmbr1['comments'] == 'guest trunk\n' and not pending(pvesim, 'pve1')


def test_vlan_quartet_staged_then_applied(pvesim):
    args = {'node': 'pve2', 'type': 'vlan', 'vlan_raw_device': 'eno1', 'vlan_id': 20, 'cidr': '10.20.0.12/24',
            'autostart': True}
    run = quartet(pvesim, NI, args)
    assert run.results['t apply']['interface']['iface'] == 'eno1.20'
    assert run.results['t apply']['pending'] is True and run.results['t idem']['pending'] is True
    assert '+iface eno1.20 inet static' in run.results['t idem']['changes']
    assert 'active' not in ifaces(pvesim, 'pve2')['eno1.20']
    # Applying what is staged is a change once, then nothing.
    out = run_tasks(pvesim, [{'name': 'apply', NI: dict(args, apply=True)},
                             {'name': 'again', NI: dict(args, apply=True)}])
    assert out.results['apply']['changed'] is True and out.results['apply']['applied'] is True
    assert out.results['again']['changed'] is False and out.writes['again'] == 0
    assert ifaces(pvesim, 'pve2')['eno1.20']['active'] == 1


def test_bond_and_nic_settings_quartets(pvesim):
    quartet(pvesim, NI, {'node': 'pve3', 'iface': 'eno2', 'mtu': 9000, 'comments': 'jumbo'})
    quartet(pvesim, NI, {'node': 'pve3', 'iface': 'bond0', 'type': 'bond', 'bond_slaves': ['eno2'],
                         'bond_mode': 'active-backup', 'bond_primary': 'eno2', 'mtu': 9000})
    bond = ifaces(pvesim, 'pve3')['bond0']
    assert bond['slaves'] == 'eno2' and bond['bond_mode'] == 'active-backup' and bond['bond-primary'] == 'eno2'


def test_absent_quartet_and_address_changes(pvesim):
    api = pvesim.proxmoxer().nodes('pve1')
    api.network.post(iface='vmbr7', type='bridge', cidr='10.7.0.1/24', comments='old')
    api.network.put()
    out = run_tasks(pvesim, [
        {'name': 'v6 and no comment', NI: {'node': 'pve1', 'iface': 'vmbr7', 'cidr6': '2001:DB8::1/64',
                                           'comments': ''}},
        {'name': 'again', NI: {'node': 'pve1', 'iface': 'vmbr7', 'cidr6': '2001:db8::1/64', 'comments': ''}},
    ])
    assert out.results['v6 and no comment']['changed'] is True and out.results['again']['changed'] is False
    vmbr7 = ifaces(pvesim, 'pve1')['vmbr7']
    assert vmbr7['cidr'] == '10.7.0.1/24' and vmbr7['cidr6'] == '2001:db8::1/64' and 'comments' not in vmbr7
    quartet(pvesim, NI, {'node': 'pve1', 'iface': 'vmbr7', 'state': 'absent'})
    assert 'vmbr7' not in ifaces(pvesim, 'pve1')


def test_refusals_send_nothing(pvesim):
    before = ifaces(pvesim, 'pve1')
    cases = [
        ('cut management', {'iface': 'vmbr0', 'cidr': '192.0.2.99/24'}, 'management'),
        ('remove management', {'iface': 'vmbr0', 'state': 'absent'}, 'management'),
        ('ports of management', {'iface': 'vmbr0', 'bridge_ports': []}, 'management'),
        ('remove nic', {'iface': 'eno2', 'state': 'absent'}, 'physical interface'),
        ('create nic', {'iface': 'eno9', 'type': 'eth'}, 'cannot be created'),
        ('no type', {'iface': 'vmbr9'}, 'type is required'),
        ('type change', {'iface': 'vmbr0', 'type': 'bond'}, 'changing the type'),
        ('wrong family', {'iface': 'vmbr9', 'type': 'bridge', 'cidr': '2001:db8::1/64'}, 'IPv4'),
        ('no prefix', {'iface': 'vmbr9', 'type': 'bridge', 'cidr': '10.0.0.1'}, 'prefix'),
        ('gateway alone', {'iface': 'vmbr9', 'type': 'bridge', 'gateway': '10.0.0.1'}, 'gateway'),
        ('bond option on a bridge', {'iface': 'vmbr9', 'type': 'bridge', 'bond_mode': '802.3ad'}, 'bond_mode'),
        ('vlan without its ids', {'iface': 'vlan9', 'type': 'vlan'}, 'vlan_raw_device'),
        ('vlan name disagrees', {'iface': 'eno1.9', 'type': 'vlan', 'vlan_id': 10}, 'iface'),
        ('vlan id out of range', {'type': 'vlan', 'vlan_raw_device': 'eno1', 'vlan_id': 5000}, 'vlan_id'),
        ('missing port', {'iface': 'vmbr9', 'type': 'bridge', 'bridge_ports': ['eno9']}, 'eno9'),
        ('second gateway', {'iface': 'vmbr9', 'type': 'bridge', 'cidr': '10.9.0.1/24', 'gateway': '10.9.0.254'},
         'has the default gateway'),
        ('bridge above its port', {'iface': 'vmbr9', 'type': 'bridge', 'bridge_ports': ['eno2'], 'mtu': 9000},
         'above the 1500 of eno2'),
        ('port used twice', {'iface': 'vmbr9', 'type': 'bridge', 'bridge_ports': ['eno1']}, 'already used'),
    ]
    out = run_tasks(pvesim, [{'name': name, NI: dict(args, node='pve1'), 'ignore_errors': True}
                             for name, args, _ in cases])
    for name, _args, words in cases:
        assert out.results[name]['failed'] is True, name
        assert words in out.results[name]['msg'], (name, out.results[name]['msg'])
        assert out.writes[name] == 0, name
    assert ifaces(pvesim, 'pve1') == before and not pending(pvesim, 'pve1')
    forced = run_tasks(pvesim, [{'name': 'forced', NI: {'node': 'pve1', 'iface': 'vmbr0', 'cidr': '192.0.2.99/24',
                                                        'gateway': '192.0.2.1', 'force': True}}])
    assert forced.results['forced']['changed'] is True and ifaces(pvesim, 'pve1')['vmbr0']['cidr'] == '192.0.2.99/24'
