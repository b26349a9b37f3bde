# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""add_node_to_cluster and remove_node_from_cluster through the SDK client against pvesim, with the seed's
parameter names, their effect read back from the simulator's API."""

from tests.mcp.mcp_support import adapter, call, writes
from tests.mcp.test_tools import a_standalone_node


def _members(sim):
    return sorted(n['node'] for n in sim.proxmoxer().cluster.config.nodes.get())


def test_add_then_remove_a_node(pvesim):
    node = a_standalone_node(pvesim)
    server = adapter(pvesim)
    args = dict(node, node_name=node.pop('node'), cluster_name='demo-cluster', cluster_network='192.0.2.44')
    unconfirmed = call(server, 'add_node_to_cluster', args)
    assert unconfirmed.is_error and unconfirmed.structured_content['confirmation_required'] is True
    added = call(server, 'add_node_to_cluster', dict(args, confirm=True))
    assert not added.is_error and added.structured_content['changed'] is True, added.content[0].text
    assert _members(pvesim) == ['pve1', 'pve2', 'pve3', 'pve4']
    assert [n['ring0_addr'] for n in pvesim.proxmoxer().cluster.config.nodes.get() if n['node'] == 'pve4'] == [
        '192.0.2.44']
    assert 'pve4' in [n['node'] for n in pvesim.proxmoxer().nodes.get()]
    again = call(server, 'add_node_to_cluster', dict(args, confirm=True))
    assert again.structured_content['changed'] is False
    # online: refused unless forced
    before = writes(pvesim)
    refused = call(server, 'remove_node_from_cluster', {'node_name': 'pve4', 'confirm': True})
    assert refused.is_error and 'online' in refused.content[0].text and writes(pvesim) == before
    removed = call(server, 'remove_node_from_cluster', {'node_name': 'pve4', 'force': True, 'confirm': True})
    assert not removed.is_error and removed.structured_content['changed'] is True, removed.content[0].text
    assert _members(pvesim) == ['pve1', 'pve2', 'pve3']
    assert 'pve4' not in [n['node'] for n in pvesim.proxmoxer().nodes.get()]
    gone = call(server, 'remove_node_from_cluster', {'node_name': 'pve4', 'force': True, 'confirm': True})
    assert gone.structured_content['changed'] is False
