# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The container config comparison as data: (options, current config) -> the writes it plans, or the error."""

import pytest

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.guests.container import create_params, plan_existing, validate

NET0 = 'name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:00:C8:00,ip=192.0.2.200/24,gw=192.0.2.1,type=veth'
CONFIG = {'hostname': 'proxy01', 'memory': 512, 'swap': 512, 'cores': 1, 'onboot': 1, 'unprivileged': 1,
          'rootfs': 'local-lvm:vm-200-disk-0,size=8G', 'features': 'nesting=1', 'net0': NET0,
          'tags': 'prod;proxy', 'description': 'Reverse proxy\n', 'startup': 'order=2,up=30',
          'mp0': 'local-lvm:vm-200-disk-1,mp=/srv,size=10G'}
NET_SAME = {'index': 0, 'bridge': 'vmbr0', 'firewall': True, 'ip': '192.0.2.200/24', 'gw': '192.0.2.1'}

SAME = [
    {'cores': 1, 'memory': 512, 'swap': 512},
    {'onboot': True, 'unprivileged': True},
    {'tags': ['Proxy', 'prod']},
    {'description': 'Reverse proxy'},
    {'startup': 'up=30,order=2'},
    {'features': {'nesting': True, 'keyctl': False}},
    {'features': ['nesting']},
    {'features': 'nesting=1'},
    {'nets': [NET_SAME]},
    {'nets': [dict(NET_SAME, name='eth0', hwaddr='bc:24:11:00:c8:00', link_down=False)]},
    {'rootfs': {'size': '8G', 'storage': 'local-lvm'}},
    {'rootfs': {'size': 8}},
    {'rootfs': {'size': '8192M'}},
    {'mounts': [{'index': 0, 'size': '10G', 'path': '/srv'}]},
    {'cpulimit': 0},
    {'config': {'onboot': True}},
]

CHANGES = [
    ({'cores': 2}, {'cores': 2}, []),
    ({'onboot': False}, {'onboot': 0}, []),
    ({'tags': ['prod']}, {'tags': 'prod'}, []),
    ({'features': {'nesting': True, 'keyctl': True}}, {'features': 'keyctl=1,nesting=1'}, []),
    ({'features': {'mount': ['nfs', 'cifs']}}, {'features': 'mount=nfs;cifs'}, []),
    ({'nets': [dict(NET_SAME, firewall=False)]},
     {'net0': 'name=eth0,bridge=vmbr0,firewall=0,gw=192.0.2.1,hwaddr=BC:24:11:00:C8:00,ip=192.0.2.200/24,type=veth'},
     []),
    ({'nets': [{'index': 1, 'bridge': 'vmbr1', 'ip': 'dhcp', 'tag': 5}]},
     {'net1': 'name=eth1,bridge=vmbr1,ip=dhcp,tag=5,type=veth'}, []),
    ({'rootfs': {'size': '12G'}}, {}, [('rootfs', '12G')]),
    ({'rootfs': {'size': '12G', 'options': {'quota': True}}},
     {'rootfs': 'local-lvm:vm-200-disk-0,quota=1,size=12G'}, [('rootfs', '12G')]),
    ({'mounts': [{'index': 0, 'path': '/data'}]}, {'mp0': 'local-lvm:vm-200-disk-1,mp=/data,size=10G'}, []),
    ({'mounts': [{'index': 1, 'storage': 'local-lvm', 'size': '512M', 'path': '/x'}]},
     {'mp1': 'local-lvm:0.5,mp=/x'}, []),
    ({'vmid': 200, 'name': 'proxy02'}, {'hostname': 'proxy02'}, []),
    ({'config': {'protection': True}}, {'protection': 1}, []),
]

ERRORS = [
    ({'rootfs': {'size': '4G'}}, 'rootfs', 'cannot shrink'),
    ({'rootfs': {'storage': 'local', 'size': '8G'}}, 'rootfs', 'does not move volumes'),
    ({'mounts': [{'index': 0, 'size': '1G'}]}, 'mounts', 'cannot shrink'),
    ({'unprivileged': False}, 'unprivileged', 'cannot change'),
    ({'features': {'bogus': True}}, 'features', 'unknown feature'),
    ({'nets': [{'index': 0, 'ip': '10.0.0.1'}]}, 'nets', 'prefix'),
]


@pytest.mark.parametrize('options', SAME)
def test_converged(options):
    plan = plan_existing(options, dict(CONFIG), 200)
    assert not plan, (plan.sets, plan.resizes)


@pytest.mark.parametrize('options,sets,resizes', CHANGES)
def test_changes(options, sets, resizes):
    plan = plan_existing(options, dict(CONFIG), 200)
    assert plan.sets == sets and plan.resizes == resizes and plan.deletes == []


@pytest.mark.parametrize('options,deletes', [
    ({'tags': []}, ['tags']),
    ({'description': ''}, ['description']),
    ({'config': {'protection': None, 'timezone': ''}}, []),  # neither is set: nothing to delete
    ({'config': {'onboot': ''}}, ['onboot']),
])
def test_empty_values_mean_not_set(options, deletes):
    plan = plan_existing(options, dict(CONFIG), 200)
    assert plan.sets == {} and plan.deletes == deletes
    # Nothing set: an empty value is already converged.
    unset = dict((k, v) for k, v in CONFIG.items() if k not in ('tags', 'description', 'onboot'))
    assert not plan_existing(options, unset, 200)


def test_no_features_deletes_them():
    plan = plan_existing({'features': {}}, dict(CONFIG), 200)
    assert plan.sets == {} and plan.deletes == ['features']


@pytest.mark.parametrize('options,field,text', ERRORS)
def test_refused(options, field, text):
    with pytest.raises(errors.InvalidArgumentError) as err:
        plan_existing(options, dict(CONFIG), 200)
    assert err.value.field == field and text in str(err.value)


@pytest.mark.parametrize('options,field', [
    ({'vmid': 200, 'nets': [{'index': 0}, {'index': 0}]}, 'nets'),
    ({'vmid': 200, 'nets': [{'index': 40}]}, 'nets'),
    ({'vmid': 200, 'mounts': [{'index': 0, 'size': 'big'}]}, 'mounts'),
    ({'vmid': 200, 'config': {'net0': 'x'}}, 'config'),
    ({'vmid': 200, 'config': {'password': 'x'}}, 'config'),
    ({}, 'vmid'),
    # Values nested in the options, checked before any request (PVE's formats and ranges).
    ({'vmid': 99}, 'vmid'),
    ({'vmid': 1000000000}, 'vmid'),
    ({'vmid': 200, 'clone': '12'}, 'clone'),
    ({'name': 'bad_name!'}, 'name'),
    ({'vmid': 200, 'tags': ['ok', '-bad']}, 'tags'),
    ({'vmid': 200, 'rootfs': {'size': '0'}}, 'rootfs'),
    ({'vmid': 200, 'rootfs': {'size': '8G', 'options': {'acl': '1,ro=1'}}}, 'rootfs'),
    ({'vmid': 200, 'rootfs': {'volume': 'local-lvm:x,size=1G'}}, 'rootfs'),
    ({'vmid': 200, 'rootfs': {'size': '8G', 'options': {'mountoptions': 'noatime;rw'}}}, 'rootfs'),
    ({'vmid': 200, 'mounts': [{'index': 0, 'size': '1G', 'path': 'srv'}]}, 'mounts'),
    ({'vmid': 200, 'mounts': [{'index': 0, 'size': '-1G', 'path': '/srv'}]}, 'mounts'),
    ({'vmid': 200, 'nets': [{'index': 0, 'bridge': 'vmbr0,firewall=0'}]}, 'nets'),
    ({'vmid': 200, 'nets': [{'index': 0, 'tag': 4095}]}, 'nets'),
    ({'vmid': 200, 'nets': [{'index': 0, 'mtu': 10}]}, 'nets'),
    ({'vmid': 200, 'nets': [{'index': 0, 'hwaddr': '01:00:5E:00:00:01'}]}, 'nets'),
    ({'vmid': 200, 'nets': [{'index': 0, 'ip': '300.1.1.1/24'}]}, 'nets'),
    ({'vmid': 200, 'nets': [{'index': 0, 'gw6': '192.0.2.1'}]}, 'nets'),
    ({'vmid': 200, 'nets': [{'index': 0, 'rate': -1}]}, 'nets'),
    ({'vmid': 200, 'config': {'lock': 'x'}}, 'config'),
    ({'vmid': 200, 'config': {'template': 1}}, 'config'),
    ({'vmid': 200, 'config': {'protection': [1]}}, 'config'),
])
def test_validate(options, field):
    with pytest.raises(errors.InvalidArgumentError) as err:
        validate(options)
    assert err.value.field == field


def test_create_params():
    params = create_params({'name': 'web02', 'storage': 'local-lvm', 'rootfs': {'size': '8G'}, 'password': 'pw',
                            'nets': [{'index': 0, 'bridge': 'vmbr0', 'ip': 'dhcp', 'firewall': True}],
                            'mounts': [{'index': 0, 'size': '1.5G', 'path': '/srv'}], 'tags': ['b', 'A'],
                            'features': ['nesting'], 'onboot': True, 'pool': 'demo'}, 105, 'local:vztmpl/x.tar.zst')
    assert params == {'hostname': 'web02', 'storage': 'local-lvm', 'rootfs': 'local-lvm:8', 'password': 'pw',
                      'net0': 'name=eth0,bridge=vmbr0,firewall=1,ip=dhcp,type=veth', 'mp0': 'local-lvm:1.5,mp=/srv',
                      # tags as given, sorted as PVE sorts them: PVE applies its case rule (codec's tags)
                      'tags': 'A;b', 'features': 'nesting=1', 'onboot': 1, 'pool': 'demo', 'vmid': 105,
                      'ostemplate': 'local:vztmpl/x.tar.zst'}
