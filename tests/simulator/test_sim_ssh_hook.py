# SPDX-License-Identifier: AGPL-3.0-or-later
"""GET /_sim/ssh (each node's SSH endpoint, for playbooks outside the test process) and the publish_update fault
(a new package version on a node's mirror, pending until an upgrade installs it)."""

import json
import ssl
import urllib.request


def _hook(sim, path, body=None):
    context = ssl.create_default_context(cafile=sim.cafile)
    request = urllib.request.Request(sim.url + path, data=None if body is None else json.dumps(body).encode(),
                                     method='GET' if body is None else 'POST')
    with urllib.request.urlopen(request, context=context, timeout=30) as answer:
        return json.loads(answer.read())


def test_ssh_endpoints_are_answered(pvesim):
    endpoints = _hook(pvesim, '/_sim/ssh')
    assert sorted(endpoints) == ['pve1', 'pve2', 'pve3']
    assert endpoints == pvesim.call(lambda: dict((n, dict(e)) for n, e in pvesim.pve.ssh_endpoints.items()))
    assert all(e['host'] == '127.0.0.1' and e['fingerprint'].startswith('SHA256:') for e in endpoints.values())


def test_publish_update_is_pending_until_upgraded(pvesim):
    answer = _hook(pvesim, '/_sim/faults', {'publish_update': {'node': 'pve3', 'package': 'proxmox-kernel-6.17.2-2-pve-signed',
                                                               'old_version': '6.17.2-1', 'version': '6.17.2-2'}})
    assert answer['applied'] == ['publish_update']
    pending = pvesim.proxmoxer().nodes('pve3').apt.update.get()
    assert [p['Package'] for p in pending] == ['proxmox-kernel-6.17.2-2-pve-signed', 'pve-manager', 'tzdata']
    assert [p['Package'] for p in pvesim.proxmoxer().nodes('pve1').apt.update.get()] == ['pve-manager', 'tzdata']
    output = pvesim.call(lambda: pvesim.pve._upgrade('pve3'))
    assert 'Setting up proxmox-kernel-6.17.2-2-pve-signed (6.17.2-2) ...' in output
    assert pvesim.proxmoxer().nodes('pve3').apt.update.get() == []
    assert pvesim.call(lambda: pvesim.pve.node_conf('pve3').get('reboot_required')) is True
