# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The formats and ranges the guest value checks use are PVE's: compared with the official schema
(../shared/pve-api/pve-9.2-api.json, or the file PVE_API_SCHEMA names; skipped where it is absent)."""

import json
import os
import re

import pytest

from ansible_collections.pve.ops.plugins.module_utils.guests import checks, vm
from ansible_collections.pve.ops.plugins.module_utils.guests import lookup as guests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.environ.get('PVE_API_SCHEMA') or os.path.join(ROOT, '..', 'shared', 'pve-api', 'pve-9.2-api.json')


@pytest.fixture(scope='module')
def paths():
    if not os.path.exists(SCHEMA):
        pytest.skip('the official PVE API schema is not at {0} (set PVE_API_SCHEMA)'.format(SCHEMA))
    with open(SCHEMA) as fh:
        return json.load(fh)['paths']


def config(paths, kind):
    return paths['/nodes/{node}/%s/{vmid}/config' % kind]['PUT']['parameters']['properties']


def test_vmid_range(paths):
    vmid = paths['/nodes/{node}/qemu']['POST']['parameters']['properties']['vmid']
    assert (vmid['minimum'], vmid['maximum']) == (guests.VMID_MIN, guests.VMID_MAX)


def test_qemu_nets_and_disks(paths):
    props = config(paths, 'qemu')
    net = props['net[n]']['format']
    assert sorted(vm.NET_MODELS) == sorted(net['model']['enum'])
    assert (net['tag']['minimum'], net['tag']['maximum']) == (1, 4094)
    assert (net['mtu']['minimum'], net['mtu']['maximum']) == (1, 65520)
    assert (net['queues']['minimum'], net['queues']['maximum']) == (0, 64)
    assert net['rate']['minimum'] == 0
    formats = set(props['scsi[n]']['format']['format']['enum'])
    assert {'raw', 'qcow2', 'vmdk'} <= formats
    # The slots the module knows are the schema's drive keys.
    for slot in ('ide3', 'sata5', 'scsi30', 'virtio15', 'efidisk0', 'tpmstate0'):
        assert vm.DISK_SLOT.match(slot)
    for slot in ('ide4', 'sata6', 'scsi31', 'virtio16', 'efidisk1'):
        assert not vm.DISK_SLOT.match(slot)
    assert vm.NET_SLOT.match('net31') and not vm.NET_SLOT.match('net32')
    # efidisk0 and tpmstate0: PVE ignores the size asked for.
    for slot in vm.FIXED_SIZE_SLOTS:
        assert 'SIZE_IN_GiB is ignored' in props[slot]['description']


def test_lxc_nets_and_mount_points(paths):
    props = config(paths, 'lxc')
    net = props['net[n]']['format']
    assert (net['tag']['minimum'], net['tag']['maximum']) == (1, 4094)
    assert (net['mtu']['minimum'], net['mtu']['maximum']) == (64, 65535)
    assert net['bridge']['pattern'] == net['name']['pattern'] == r'[-_.\w\d]+'
    pattern = props['mp[n]']['format']['mountoptions']['pattern']
    assert sorted(checks.MOUNT_OPTIONS) == sorted(re.search(r'\(([a-z|]+)\)', pattern).group(1).split('|'))


@pytest.mark.parametrize('text, good', [
    ('web01', True), ('app01.example.com', True), ('a', True), ('-web', False), ('web_01', False), ('', False),
])
def test_dns_name(text, good):
    assert bool(checks.DNS_NAME.match(text)) is good


@pytest.mark.parametrize('mac, good', [
    ('BC:24:11:00:00:01', True), ('bc:24:11:00:00:01', True), ('01:00:5E:00:00:01', False), ('BC:24:11:00:00', False),
])
def test_unicast_mac(mac, good):
    assert bool(checks.MAC.match(mac)) is good
