# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Node reads: the node list, and one node's status, version, time and DNS."""

from __future__ import annotations

NODE_SUBSETS = ('status', 'version', 'time', 'dns')


def list_nodes(client):
    return sorted(client.get('nodes') or [], key=lambda item: item.get('node', ''))


def node_facts(client, node, gather):
    """One node: {'node': name, <subset>: data} with one request per subset."""
    facts = dict(node=node)
    for subset in NODE_SUBSETS:
        if subset in gather:
            facts[subset] = client.get('nodes', node, subset)
    return facts
