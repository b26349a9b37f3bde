# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""plan / apply through the SDK client on pvesim: the plan writes nothing, apply runs the calls, refuses
when the state changed since the plan, and asks for confirmation of destructive steps."""

from tests.mcp.mcp_support import adapter, session, writes

SNAPSHOT = {'tool': 'create_vm_snapshot', 'arguments': {'vmid': 100, 'snapname': 'planned'}}


def _snapshots(sim, vmid=100):
    api = sim.proxmoxer()
    node = next(g['node'] for g in api.cluster.resources.get(type='vm') if g['vmid'] == vmid)
    return sorted(s['name'] for s in api.nodes(node).qemu(vmid).snapshot.get() if s['name'] != 'current')


def _plan(client, calls):
    return client.call_tool('plan', {'calls': calls})


def test_plan_writes_nothing_and_apply_runs_the_calls(pvesim):
    ad = adapter(pvesim, mode='write')
    calls = [SNAPSHOT, {'tool': 'update_vm_config', 'arguments': {'vmid': 100, 'description': 'planned change'}}]

    async def flow(client):
        before = writes(pvesim)
        planned = await _plan(client, calls)
        after_plan = writes(pvesim)
        applied = await client.call_tool('apply', {'plan_id': planned.structured_content['plan_id']})
        again = await _plan(client, calls)
        return before, planned, after_plan, applied, again
    before, planned, after_plan, applied, again = session(ad, flow)
    plan = planned.structured_content
    assert not planned.is_error and after_plan == before
    assert plan['check_mode'] is True and plan['changed'] is True and len(plan['plan_id']) == 64
    assert [s['changed'] for s in plan['steps']] == [True, True]
    assert 'planned change' in str(plan['steps'][1]['diff']['after'])
    assert not applied.is_error, applied.content[0].text
    assert [s['changed'] for s in applied.structured_content['steps']] == [True, True]
    assert 'planned' in _snapshots(pvesim)
    # converged: the same calls plan no change (and get another id: the state they read changed)
    assert again.structured_content['changed'] is False
    assert again.structured_content['plan_id'] != plan['plan_id']


def test_apply_is_refused_when_the_state_changed_since_the_plan(pvesim):
    ad = adapter(pvesim, mode='write')
    calls = [{'tool': 'update_vm_config', 'arguments': {'vmid': 100, 'description': 'from the plan'}}]

    async def flow(client):
        planned = await _plan(client, calls)
        # someone else changes the VM between the plan and its apply
        api = pvesim.proxmoxer()
        node = next(g['node'] for g in api.cluster.resources.get(type='vm') if g['vmid'] == 100)
        api.nodes(node).qemu(100).config.put(description='changed meanwhile')
        before = writes(pvesim)
        applied = await client.call_tool('apply', {'plan_id': planned.structured_content['plan_id']})
        return applied, before, writes(pvesim), node
    applied, before, after, node = session(ad, flow)
    assert applied.is_error and 'state changed since the plan' in applied.structured_content['msg']
    assert after == before
    config = pvesim.proxmoxer().nodes(node).qemu(100).config.get()
    assert config['description'].strip() == 'changed meanwhile'


def test_destructive_steps_need_confirmation(pvesim):
    ad = adapter(pvesim, mode='full')
    create = {'tool': 'create_vm_snapshot', 'arguments': {'vmid': 100, 'snapname': 'doomed'}}
    delete = {'tool': 'delete_vm_snapshot', 'arguments': {'vmid': 100, 'snapname': 'doomed'}}

    async def flow(client):
        made = await client.call_tool('apply', {'plan_id': (await _plan(client, [create])).structured_content['plan_id']})
        planned = await _plan(client, [delete])
        plan_id = planned.structured_content['plan_id']
        unconfirmed = await client.call_tool('apply', {'plan_id': plan_id})
        kept = _snapshots(pvesim)
        confirmed = await client.call_tool('apply', {'plan_id': plan_id, 'confirm': True})
        return made, planned, unconfirmed, kept, confirmed
    made, planned, unconfirmed, kept, confirmed = session(ad, flow)
    assert not made.is_error and planned.structured_content['steps'][0]['destructive'] is True
    assert unconfirmed.is_error and 'needs confirmation' in unconfirmed.structured_content['msg']
    assert 'doomed' in kept
    assert not confirmed.is_error, confirmed.content[0].text
    assert 'doomed' not in _snapshots(pvesim)


def test_another_replica_applies_a_plan_given_its_calls(pvesim):
    calls = [SNAPSHOT]

    async def plan_on_a(client):
        return await _plan(client, calls)
    plan_id = session(adapter(pvesim, mode='write'), plan_on_a).structured_content['plan_id']

    async def apply_on_b(client):
        missing = await client.call_tool('apply', {'plan_id': plan_id})
        applied = await client.call_tool('apply', {'plan_id': plan_id, 'calls': calls})
        return missing, applied
    missing, applied = session(adapter(pvesim, mode='write'), apply_on_b)
    assert missing.is_error and 'give its calls too' in missing.content[0].text
    assert not applied.is_error, applied.content[0].text
    assert 'planned' in _snapshots(pvesim)


def test_plan_refuses_what_the_policy_refuses(pvesim):
    async def flow(client):
        listed = [t.name for t in (await client.list_tools()).tools]
        refused = await _plan(client, [{'tool': 'delete_vm', 'arguments': {'vmid': 100}},
                                       {'tool': 'get_vms', 'arguments': {}}])
        return listed, refused
    listed, refused = session(adapter(pvesim, mode='write'), flow)
    assert 'plan' in listed and 'apply' in listed
    text = refused.content[0].text
    assert refused.is_error and 'delete_vm' in text and 'mode full' in text and 'read-only tool' in text

    async def read_only(client):
        return [t.name for t in (await client.list_tools()).tools]
    assert 'plan' not in session(adapter(pvesim, mode='read-only'), read_only)
