# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every write pvesim models checks its parameters as PVE does: bad values get PVE's 400, naming them.

For each modelled write (a route of the simulator's own, not the catch-all) and a sample of its
parameters (SAMPLE of them, from the official PVE 9.2 schema), the test sends one bad value at a time:
the wrong type, a value out of range, a value outside the enumeration, a string that breaks the
format or pattern, a key the property string does not have. A candidate counts only if the official
schema itself refuses it. Every one must be answered 400 "Parameter verification failed." with an
error for that parameter, and nothing may change: the simulator's state is the same afterwards.
"""

import json
import os
import re

import pytest
from fakepve import schema as pve_schema

from pvesim import PveSim
from pvesim.limits import INT64_MAX, QEMU_MAX_MEMORY
from pvesim.testing import serve
from tests.simulator.api_probe import Probe

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.environ.get('PVE_API_SCHEMA') or os.path.join(ROOT, '..', 'shared', 'pve-api', 'pve-9.2-api.json')
API = '/api2/json'
# Parameters checked per write.
SAMPLE = 6
# Path parameters, valid by format (the check comes before any lookup).
PATH_VALUES = {'node': 'pve1', 'vmid': '102', 'storage': 'local', 'userid': 'alice@pve', 'tokenid': 'ci',
               'groupid': 'ops', 'roleid': 'Operator', 'realm': 'pve', 'poolid': 'demo', 'snapname': 'snap1',
               'pos': '0', 'name': 'office', 'group': 'webserver', 'cidr': '192.0.2.10', 'id': 'backup-1',
               'sid': 'vm:100', 'volume': 'local:iso/debian-12.7.0-amd64-netinst.iso',
               'upid': 'UPID:pve1:00001234:00005678:6560A1B2:qmstart:100:root@pam:'}
# Uploads take a multipart body; the login answers 401 to anything it cannot take.
SKIP = {('POST', '/nodes/{node}/storage/{storage}/upload'), ('POST', '/access/ticket')}


@pytest.fixture(scope='module')
def official():
    if not os.path.exists(SCHEMA):
        pytest.skip('the official PVE API schema is not at {0} (set PVE_API_SCHEMA)'.format(SCHEMA))
    with open(SCHEMA) as fh:
        return json.load(fh)['paths']


def modelled_writes(official):
    """[(method, official template)] of the writes the simulator's own routes take."""
    out = set()
    for route in PveSim(port=0)._build_app().router.routes():
        info = route.resource.get_info()
        path = info.get('formatter') or info.get('path') or ''
        if not path.startswith(API + '/') or route.method in ('GET', 'HEAD') or '{tail' in path:
            continue
        template = re.sub(r'\{([\w-]+)(:[^}]*)?\}', r'{\1}', path)[len(API):]
        rx = re.compile('^' + re.sub(r'\\\{[\w-]+\\\}', '[^/]+', re.escape(template)) + '$')
        out.update((route.method, t) for t in official if route.method in official[t] and rx.match(t))
    return sorted(out - SKIP)


def _refused(sch, value):
    return pve_schema.check_value(sch, value)[1] is not None


def bad_values(sch):
    """Values the schema refuses: wrong type, out of range, outside the enumeration, broken format."""
    kind = sch.get('type')
    candidates = []
    if kind in ('integer', 'number'):
        candidates = ['seven', str(int(float(sch['maximum'])) + 1) if 'maximum' in sch else str(2 ** 64),
                      str(int(float(sch['minimum'])) - 1) if 'minimum' in sch else None]
    elif kind == 'boolean':
        candidates = ['maybe']
    elif kind == 'string':
        fmt = sch.get('format')
        if sch.get('enum'):
            candidates.append('not-one-of-them')
        if isinstance(fmt, dict) or (isinstance(fmt, str) and pve_schema.registered(fmt)):
            candidates.append('no-such-key=1')
        elif fmt or sch.get('pattern'):
            candidates += ['bad value\n!', '-', '::', 'x' * 5000]
        if 'maxLength' in sch:
            candidates.append('x' * (int(sch['maxLength']) + 1))
    elif kind == 'array':
        return bad_values(dict(sch.get('items') or {}, optional=1))
    return [c for c in candidates if c is not None and _refused(sch, c)][:2]


def samples(official, method, template):
    """[(parameter, bad value)] for up to SAMPLE parameters of a write, in a fixed order, and a parameter the
    method does not take."""
    spec = official[template][method].get('parameters') or {}
    props = spec.get('properties') or {}
    out = [('no-such-option', '1')] if spec.get('additionalProperties', 1) in (0, '0') else []
    for name in sorted(props):
        if '{' + name + '}' in template:
            continue
        values = bad_values(props[name])
        if values:
            out.append((name.replace('[n]', '0'), values[0]))
        if len(out) > SAMPLE:
            break
    return out


def concrete(template):
    return re.sub(r'\{([\w-]+)\}', lambda m: PATH_VALUES.get(m.group(1), 'x1'), template)


@pytest.fixture(scope='module')
def server(pvesim_pki):
    sim = serve(*pvesim_pki, seed='demo')
    try:
        yield sim
    finally:
        sim.stop()


def test_bad_values_of_every_modelled_write_get_a_400_naming_them(server, official):
    probe = Probe(server, official)
    before = server.call(server.pve.dump_state)
    writes = modelled_writes(official)
    assert len(writes) > 120
    checked, wrong = 0, []
    for method, template in writes:
        for name, value in samples(official, method, template):
            status, _data, message, errors = probe.request(method, concrete(template), {name: value})
            checked += 1
            # an array parameter's errors name its item (PVE's check_prop: `mailto[0]`)
            named = [key for key in errors or {} if key == name or key.startswith(name + '[')]
            if status != 400 or not message.startswith('Parameter verification failed.') or not named:
                wrong.append((method, template, name, value[:40], status, message.strip()[:80], errors))
    assert wrong == []
    assert checked > 300
    assert server.call(server.pve.dump_state) == before


@pytest.mark.parametrize('path, params, field, message', [
    ('/nodes/pve1/qemu/102/config', {'memory': str(10 ** 30)}, 'memory', 'maximum value of 4194304'),
    ('/nodes/pve1/qemu/102/config', {'memory': str(QEMU_MAX_MEMORY + 1)}, 'memory', 'maximum value of 4194304'),
    ('/nodes/pve1/qemu/102/config', {'cores': str(2 ** 63)}, 'cores', 'maximum value of'),
    ('/nodes/pve1/qemu/102/config', {'sockets': str(INT64_MAX + 1)}, 'sockets', 'maximum value of'),
    ('/nodes/pve1/qemu/102/config', {'balloon': str(-2 ** 64)}, 'balloon', 'minimum value of 0'),
    ('/nodes/pve1/qemu/102/config', {'scsi1': 'local-lvm:99999999999'}, 'scsi1', 'scsi1.file'),
    ('/nodes/pve1/qemu/102/config', {'scsi0': 'local-lvm:vm-102-disk-0,size=99999999T'}, 'scsi0', 'scsi0.size'),
    ('/nodes/pve1/qemu/102/resize', {'disk': 'scsi0', 'size': '+99999999T'}, 'size', 'regex'),
    ('/nodes/pve3/lxc/201/config', {'memory': str(2 ** 44)}, 'memory', 'maximum value'),
    ('/nodes/pve3/lxc/201/config', {'swap': str(2 ** 60)}, 'swap', 'maximum value'),
    ('/nodes/pve1/qemu/100/status/start', {'timeout': 'soon'}, 'timeout', "type check ('integer') failed"),
    ('/nodes/pve1/qemu/100/status/stop', {'forceStop': 'maybe'}, 'forceStop', 'not defined in schema'),
])
def test_values_pve_refuses_beyond_its_schema(server, official, path, params, field, message):
    method = 'POST' if '/status/' in path else 'PUT'
    status, _data, _message, errors = Probe(server, official).request(method, path, params)
    assert status == 400 and message in (errors or {}).get(field, '')


def test_an_empty_form_value_reaches_the_handler_as_pve_keeps_it(pvesim):
    """pve-http-server keeps `comment=` as an empty string (fakepve's form reader drops it): it clears."""
    api = pvesim.proxmoxer()
    assert api.pools('demo').get()['comment']
    api.pools.put(poolid='demo', comment='')
    assert api.pools('demo').get().get('comment', '') == ''
    api.cluster.firewall.groups.post(group='web', comment='web servers')
    api.cluster.firewall.groups.post(group='web', comment='', rename='web')
    assert [g.get('comment', '') for g in api.cluster.firewall.groups.get() if g['group'] == 'web'] == ['']
    volume = 'backup-nfs:backup/vzdump-qemu-100-2025_11_23-02_00_04.vma.zst'
    content = api.nodes('pve1').storage('backup-nfs').content(volume)
    content.put(notes='kept')
    assert content.get()['notes'] == 'kept'
    content.put(notes='')
    assert content.get().get('notes', '') == ''
