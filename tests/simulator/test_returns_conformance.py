# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every GET of the official PVE 9.2 schema that the demo seed can answer conforms to its `returns`.

The probe (api_probe.py) fills each template's path parameters from what the simulator lists and
checks every answer strictly (returns_check.py): a digit string is not an integer, a boolean is 0
or 1, no placeholder. It runs on the demo seed as it starts, and again after a representative write
to each modelled object. An endpoint answers 200 and conforms, or refuses with 501 because pvesim
does not model it (NOT_MODELLED, checked both ways), or fails as PVE fails for that instance
(EXPECTED_ERRORS: an agent call to a stopped VM, ...).

DEVIATIONS are the places where PVE 9.2 itself sends another type than its schema says; pvesim
sends what PVE sends, and the answer is held to the schema of what PVE sends instead. Each names
the PVE source that makes it so.

The schema is ../shared/pve-api/pve-9.2-api.json beside the repository (present in CI), or the
file PVE_API_SCHEMA names.
"""

import json
import os
import re

import pytest

from pvesim import DEFAULT_ROOT_PASSWORD
from pvesim.seeds import DEMO_TOKEN, DEMO_USERS
from pvesim.testing import serve
from tests.simulator.api_probe import Probe
from tests.simulator.returns_check import problems, property_schema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.environ.get('PVE_API_SCHEMA') or os.path.join(ROOT, '..', 'shared', 'pve-api', 'pve-9.2-api.json')

NUMERIC_TEXT = {'type': 'string', 'pattern': r'\d+(\.\d+)?'}


def _config_key(kind):
    """A deviation for a pending entry's value: the schema of the config key the entry is for."""
    def schema(item, paths=None):
        props = PATHS['/nodes/{node}/' + kind + '/{vmid}/config']['GET']['returns']['properties']
        found = property_schema(props, item.get('key', ''))
        return _as_pve_reads(found) if found is not None else {'type': 'string', 'optional': 1}
    return schema


def _as_pve_reads(sch):
    """A config key's schema as PVE's check_type reads it from the config file: numbers stay text."""
    return NUMERIC_TEXT if sch.get('type') == 'number' else sch


def _object_of(fmt):
    return {'type': 'object', 'properties': fmt}


PATHS = {}
# template -> {place: the schema of what PVE sends there}
DEVIATIONS = {
    # JSON::XS writes a scalar last used as a string as a string: pve-manager's nextid loop uses the id
    # as a hash key (PVE/API2/Cluster.pm nextid).
    '/cluster/nextid': {'': {'type': 'string', 'pattern': r'[1-9]\d{2,8}'}},
    # pve-container's vmstatus passes the pressure stall figures on as read from the cgroup (strings);
    # qemu-server multiplies them by 1 (numbers).
    '/nodes/{node}/lxc': dict(('[].pressure{0}{1}'.format(r, k), NUMERIC_TEXT)
                              for r in ('cpu', 'io', 'memory') for k in ('some', 'full')),
    '/nodes/{node}/lxc/{vmid}/status/current': dict(('pressure{0}{1}'.format(r, k), NUMERIC_TEXT)
                                                    for r in ('cpu', 'io', 'memory') for k in ('some', 'full')),
    # PVE::LXC::get_interfaces returns nothing (null) for a container that is not running.
    '/nodes/{node}/lxc/{vmid}/interfaces': {'': {'type': 'array', 'optional': 1}},
    # pve-guest-common's config_with_pending_array passes the config values on as check_type typed them.
    '/nodes/{node}/qemu/{vmid}/pending': {'[].value': _config_key('qemu'), '[].pending': _config_key('qemu')},
    '/nodes/{node}/lxc/{vmid}/pending': {'[].value': _config_key('lxc'), '[].pending': _config_key('lxc')},
    '/nodes/{node}/qemu/{vmid}/cloudinit': {'[].value': _config_key('qemu'), '[].pending': _config_key('qemu')},
    # check_type returns a number option as the text of the config file (QemuServer.pm, LXC/Config.pm).
    '/nodes/{node}/qemu/{vmid}/config': {'cpulimit': NUMERIC_TEXT, 'migrate_downtime': NUMERIC_TEXT},
    '/nodes/{node}/lxc/{vmid}/config': {'cpulimit': NUMERIC_TEXT},
    # PVE::Corosync parses corosync.conf into text; the join information passes it on.
    '/cluster/config/join': {'nodelist[].nodeid': NUMERIC_TEXT, 'nodelist[].quorum_votes': NUMERIC_TEXT},
    # pve-storage's Diskmanage sets osdid-list to undef (null) for a disk that holds no Ceph OSD.
    '/nodes/{node}/disks/list': {'[].osdid-list': {'type': 'array', 'optional': 1, 'items': {'type': 'integer'}}},
    # PVE::Network::Interfaces keeps the netmask as the prefix length of the address ('24').
    '/nodes/{node}/network': {'[].netmask': {'type': 'string', 'pattern': r'\d{1,3}'}},
    # pve-manager's read_pool answers the pool's index entry, which has its poolid.
    '/pools/{poolid}': {'poolid': {'type': 'string', 'format': 'pve-poolid'}},
    # proxmox-apt's APTRepositoryInfo.index is a usize.
    '/nodes/{node}/apt/repositories': {'infos[].index': {'type': 'integer', 'minimum': 0}},
    # qemu-server answers JSON::true or JSON::false.
    '/nodes/{node}/capabilities/qemu/migration': {'has-dbus-vmstate': {'type': 'any'}},
    # read_vzdump_defaults parses performance and fleecing into hashes and leaves them so.
    '/nodes/{node}/vzdump/defaults': {
        'performance': _object_of({'max-workers': {'type': 'integer', 'optional': 1},
                                   'pbs-entries-max': {'type': 'integer', 'optional': 1}}),
        'fleecing': _object_of({'enabled': {'type': 'boolean', 'optional': 1},
                                'storage': {'type': 'string', 'optional': 1}})},
}
# template -> [(status, message pattern)]: what PVE answers for some instances the listings lead to.
EXPECTED_ERRORS = {
    '/nodes/{node}/qemu/{vmid}/agent/': [(500, r'VM \d+ is not running')],
    '/snapshot/{snapname}': [(500, r"snapshot 'current' does not exist")],
    '/nodes/{node}/storage/{storage}/prunebackups': [(500, r"storage '[\w-]+' does not support backups")],
}
# The GETs pvesim refuses with 501: what it does not model (docs/simulator.md, "What is refused").
CEPH = ('cfg/db', 'cfg/raw', 'crush', 'fs', 'log', 'mds', 'mgr', 'mon', 'osd', 'pool', 'status')
NOT_MODELLED = frozenset((
    '/cluster/acme/challenge-schema', '/cluster/acme/meta', '/cluster/acme/tos',
    '/cluster/ceph/flags', '/cluster/ceph/metadata', '/cluster/jobs/schedule-analyze', '/cluster/metrics/export',
    '/nodes/{node}/rrd', '/nodes/{node}/qemu/{vmid}/rrd', '/nodes/{node}/lxc/{vmid}/rrd',
    '/nodes/{node}/storage/{storage}/rrd', '/nodes/{node}/scan/cifs', '/nodes/{node}/storage/{storage}/identity',
    '/nodes/{node}/storage/{storage}/import-metadata') + tuple('/nodes/{node}/ceph/' + p for p in CEPH))
VM, CT = '/nodes/pve1/qemu/102', '/nodes/pve3/lxc/201'
FW_RULE = {'type': 'in', 'action': 'ACCEPT', 'proto': 'tcp', 'dport': '22', 'enable': 1, 'comment': 'ssh'}
# A representative write to each modelled object: (method, path, parameters).
WRITES = [
    ('POST', '/access/groups', {'groupid': 'ops', 'comment': 'Operators'}),
    ('POST', '/access/users', {'userid': 'carol@pve', 'groups': 'ops', 'email': 'carol@example.org',
                               'expire': 0, 'enable': 1}),
    ('POST', '/access/users/carol@pve/token/ci', {'comment': 'CI runs', 'privsep': 1}),
    ('POST', '/access/roles', {'roleid': 'Operator', 'privs': 'VM.Audit,VM.PowerMgmt'}),
    ('PUT', '/access/acl', {'path': '/vms/102', 'roles': 'Operator', 'groups': 'ops'}),
    ('PUT', '/access/domains/pve', {'comment': 'Proxmox VE users'}),
    ('POST', '/pools', {'poolid': 'ops', 'comment': 'Operations'}),
    ('PUT', '/pools', {'poolid': 'ops', 'vms': '102'}),
    ('POST', '/storage', {'storage': 'scratch', 'type': 'dir', 'path': '/srv/scratch', 'content': 'iso,backup'}),
    ('PUT', VM + '/config', {'cores': '3', 'memory': '3072', 'cpulimit': '1.5', 'agent': 'enabled=1,fstrim_cloned_disks=1',
                             'description': 'build host'}),
    ('PUT', '/nodes/pve1/qemu/100/config', {'memory': '6144', 'balloon': '2048', 'onboot': '0'}),
    ('POST', '/nodes/pve1/qemu/100/snapshot', {'snapname': 'before_upgrade', 'description': 'pre-upgrade'}),
    ('POST', '/nodes/pve1/qemu/9000/clone', {'newid': '120', 'name': 'app01', 'full': '1'}),
    ('POST', '/nodes/pve1/qemu', {'vmid': '130', 'name': 'db02', 'memory': '2048', 'cores': '2',
                                  'scsi0': 'local-lvm:8', 'net0': 'virtio,bridge=vmbr0', 'ostype': 'l26'}),
    ('PUT', '/nodes/pve1/qemu/130/resize', {'disk': 'scsi0', 'size': '+2G'}),
    ('PUT', CT + '/config', {'cores': '3', 'cpulimit': '0.5', 'swap': '256', 'description': 'cache'}),
    ('PUT', '/nodes/pve2/lxc/200/config', {'memory': '768'}),
    ('POST', '/nodes/pve2/lxc/200/snapshot', {'snapname': 'daily', 'description': 'daily'}),
    ('POST', '/cluster/firewall/rules', FW_RULE),
    ('POST', '/cluster/firewall/aliases', {'name': 'office', 'cidr': '192.0.2.0/24'}),
    ('POST', '/cluster/firewall/ipset', {'name': 'admins', 'comment': 'admin hosts'}),
    ('POST', '/cluster/firewall/ipset/admins', {'cidr': '192.0.2.10'}),
    ('POST', '/cluster/firewall/groups', {'group': 'webserver', 'comment': 'web'}),
    ('POST', '/cluster/firewall/groups/webserver', dict(FW_RULE, dport='443')),
    ('POST', '/nodes/pve1/firewall/rules', FW_RULE),
    ('POST', VM + '/firewall/rules', FW_RULE),
    ('POST', VM + '/firewall/aliases', {'name': 'gateway', 'cidr': '192.0.2.1'}),
    ('POST', VM + '/firewall/ipset', {'name': 'ipfilter-net0'}),
    ('POST', VM + '/firewall/ipset/ipfilter-net0', {'cidr': '192.0.2.102'}),
    ('POST', CT + '/firewall/rules', FW_RULE),
    ('POST', CT + '/firewall/aliases', {'name': 'gateway', 'cidr': '192.0.2.1'}),
    ('POST', CT + '/firewall/ipset', {'name': 'ipfilter-net0'}),
    ('POST', CT + '/firewall/ipset/ipfilter-net0', {'cidr': '192.0.2.201'}),
    ('POST', '/nodes/pve1/vzdump', {'vmid': '102', 'storage': 'backup-nfs', 'mode': 'snapshot', 'compress': 'zstd'}),
    ('POST', '/cluster/backup', {'schedule': 'sat 02:00', 'storage': 'backup-nfs', 'vmid': '100,101',
                                 'mode': 'snapshot', 'enabled': 1, 'comment': 'weekly'}),
    ('POST', '/cluster/ha/resources', {'sid': 'vm:103', 'state': 'started', 'comment': 'monitoring'}),
    ('PUT', '/nodes/pve2/dns', {'search': 'example.org', 'dns1': '192.0.2.53'}),
    ('PUT', '/nodes/pve2/time', {'timezone': 'Europe/Berlin'}),
    ('PUT', '/nodes/pve2/config', {'description': 'second node'}),
    ('POST', '/nodes/pve2/hosts', {'data': '127.0.0.1 localhost\n192.0.2.12 pve2.example.org pve2\n'}),
    ('PUT', '/cluster/options', {'keyboard': 'de', 'description': 'demo cluster', 'max_workers': '4'}),
    ('POST', '/cluster/notifications/endpoints/smtp', {'name': 'ops-mail', 'server': 'mail.example.org',
                                                      'from-address': 'pve@example.org', 'mailto': 'ops@example.org',
                                                      'password': 'x', 'comment': 'ops'}),
    ('POST', '/cluster/notifications/endpoints/gotify', {'name': 'phone', 'server': 'https://gotify.example.org',
                                                        'token': 't'}),
    ('POST', '/cluster/notifications/endpoints/webhook', {'name': 'chat', 'url': 'https://chat.example.org/hook',
                                                         'method': 'post', 'header': 'name=X-A,value=YQ==',
                                                         'secret': 'name=key,value=cw=='}),
    ('POST', '/storage', {'storage': 'tank', 'type': 'zfspool', 'pool': 'rpool/data', 'content': 'images'}),
    ('POST', '/nodes/pve1/qemu', {'vmid': '151', 'name': 'zvm', 'memory': '512', 'scsi0': 'tank:4'}),
    ('POST', '/cluster/replication', {'id': '151-0', 'type': 'local', 'target': 'pve2', 'rate': '10',
                                      'comment': 'to pve2'}),
    ('POST', '/cluster/notifications/matchers', {'name': 'errors', 'target': 'ops-mail', 'match-severity': 'error',
                                                 'match-field': 'exact:type=vzdump', 'mode': 'any'}),
    ('POST', '/cluster/sdn/zones', {'zone': 'lab', 'type': 'simple', 'ipam': 'pve', 'dhcp': 'dnsmasq'}),
    ('POST', '/cluster/sdn/vnets', {'vnet': 'web', 'zone': 'lab', 'alias': 'web tier'}),
    ('POST', '/cluster/sdn/vnets/web/subnets', {'subnet': '10.20.0.0/24', 'type': 'subnet', 'gateway': '10.20.0.1',
                                                'snat': 1,
                                                'dhcp-range': 'start-address=10.20.0.10,end-address=10.20.0.99'}),
    ('PUT', '/cluster/sdn', {}),
]


@pytest.fixture(scope='module')
def paths():
    if not os.path.exists(SCHEMA):
        pytest.skip('the official PVE API schema is not at {0} (set PVE_API_SCHEMA)'.format(SCHEMA))
    with open(SCHEMA) as fh:
        PATHS.update(json.load(fh)['paths'])
    return PATHS


@pytest.fixture(scope='module')
def server(pvesim_pki):
    sim = serve(*pvesim_pki, seed='demo')
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture(scope='module')
def demo(pvesim_pki, paths):
    """(survey, state document as JSON) of the demo seed as it starts, on a simulator of its own."""
    sim = serve(*pvesim_pki, seed='demo')
    try:
        return survey(Probe(sim, paths), paths), json.dumps(sim.call(sim.pve.dump_state))
    finally:
        sim.stop()


def _expected_error(call):
    for part, allowed in EXPECTED_ERRORS.items():
        if part in call.template and any(call.status == s and re.search(m, call.message) for s, m in allowed):
            return True
    return False


def survey(probe, paths):
    """{'conforming': [paths], 'nonconforming': {path: problems}, 'refused': {templates}, 'errors': {path: ...},
    'uncallable': [templates]} of one pass over every GET template."""
    out = {'conforming': [], 'nonconforming': {}, 'refused': set(), 'errors': {}, 'expected': [], 'uncallable': [],
           'answers': {}}
    for call in probe.calls():
        if call.path is None:
            out['uncallable'].append(call.template)
        elif call.status == 200:
            out['answers'][call.path] = call.data
            found = problems(paths[call.template]['GET'].get('returns'), call.data, DEVIATIONS.get(call.template))
            if found:
                out['nonconforming'][call.path] = found[:5]
            else:
                out['conforming'].append(call.path)
        elif call.status == 501 and 'pvesim:' in call.message and 'not modelled' in call.message:
            out['refused'].add(call.template)
        elif _expected_error(call):
            out['expected'].append(call.path)
        else:
            out['errors'][call.path] = (call.status, call.message.strip())
    return out


# Callable once the writes made an SDN zone and vnet, and refused as not modelled.
NOT_MODELLED_SDN = frozenset((
    '/nodes/{node}/sdn/zones/{zone}/bridges', '/nodes/{node}/sdn/zones/{zone}/ip-vrf',
    '/cluster/sdn/vnets/{vnet}/firewall/options', '/cluster/sdn/vnets/{vnet}/firewall/rules'))


def _conforms(result, refused=NOT_MODELLED):
    assert result['nonconforming'] == {}
    assert result['errors'] == {}
    assert result['refused'] == refused


def test_every_callable_get_conforms_on_the_demo_seed(demo):
    result = demo[0]
    _conforms(result)
    assert len(result['conforming']) > 500


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_no_secret_of_the_demo_is_part_of_another_value(demo):
    """Ansible's no_log masks every occurrence of a secret in a result: a secret inside a name, an id or a
    domain would hide it (root@pam!********, ********.lan)."""
    secrets = [DEFAULT_ROOT_PASSWORD, DEMO_TOKEN[1]] + sorted(DEMO_USERS.values())
    answers = demo[0]['answers']
    assert len(answers) > 500
    found = [(path, text[:60]) for path, data in answers.items() for text in _strings(data)
             if any(secret in text for secret in secrets)]
    assert found == []
    # In the state (--state), each secret is only its own value (root's password is not saved).
    assert [demo[1].count(secret) for secret in secrets] == [0, 1, 1, 1]


def test_every_callable_get_conforms_after_a_write_to_each_object(server, paths):
    probe = Probe(server, paths)
    failed = [(method, path, answer[0], answer[2]) for method, path, params in WRITES
              for answer in [probe.request(method, path, params)] if answer[0] != 200]
    assert failed == []
    result = survey(probe, paths)
    _conforms(result, NOT_MODELLED | NOT_MODELLED_SDN)
    # The objects written are read back through their own endpoints too.
    assert set(result['uncallable']).isdisjoint({
        '/access/groups/{groupid}', '/nodes/{node}/tasks/{upid}/status', '/cluster/ha/resources/{sid}',
        '/cluster/firewall/groups/{group}/{pos}', '/nodes/{node}/qemu/{vmid}/firewall/ipset/{name}/{cidr}',
        '/nodes/{node}/lxc/{vmid}/firewall/rules/{pos}', '/cluster/backup/{id}', '/access/users/{userid}/token/{tokenid}'})
