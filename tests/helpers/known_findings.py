# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failures the harness found in areas other branches are fixing (see /work/notes/harness-findings.md).

Each entry: (finding id, module, predicate on the params, regular expression the failure message matches).
A generated example that breaks a promise in a way an entry explains is counted as known instead of
failing the suite. Remove an entry once the branch that fixes it has merged (the finding says which); its
regression case in the tests is marked xfail(strict=True) with the same id, so the merge makes it pass
and the strict xfail then says to remove both.
"""

import re


def _has(key, *values):
    return lambda p: key in p and (not values or p[key] in values)


# fmt: off
KNOWN = [
    # outcomes (backup_job, storage, storage_content, restore)
    ('storage_content-empty-notes', 'storage_content', _has('notes', ''), r'notes'),
    # sim-fidelity: PUT /pools and POST /cluster/firewall/groups ignore comment='' (PVE sets the empty comment)
    ('pool-empty-comment-ignored-by-pvesim', 'pool', _has('comment', ''), r'comment'),
    ('security_group-empty-comment-ignored-by-pvesim', 'security_group', _has('comment', ''), r'comment'),
    # sim-fidelity (issue 10: the seeded backup of VM 100 cannot be restored)
    # guests (vm, container, snapshot)
    ('snapshot-of-template', 'snapshot', lambda p: p.get('vmid') == 9000 or p.get('name') == 'debian-12-cloudinit',
     r"snapshot if it's a template"),
    ('snapshot-empty-description', 'snapshot', _has('description', ''), r'description'),
    ('vm-linked-clone-of-vm', 'vm', lambda p: p.get('clone') in ('102',) and p.get('full') is False,
     r'Linked clone feature'),
    ('container-ostype-on-create', 'container', _has('ostype'), r'ostype'),
    ('container-default-storage', 'container', lambda p: not p.get('storage') and not (p.get('rootfs') or {}).get(
        'storage'), r"does not support container directories"),
    ('container-clone-to-local-storage-elsewhere', 'container', lambda p: bool(p.get('clone')),
     r"can't clone to non-shared storage|can't clone CT to node"),
    ('container-linked-clone-of-container', 'container', lambda p: p.get('clone') and p.get('full') is False,
     r'Linked clone feature'),
    ('container-clone-unprivileged', 'container', lambda p: p.get('clone') and 'unprivileged' in p,
     r'unprivileged cannot change after creation'),
]
# fmt: on


def known_finding(module, params, message):
    """The id of the known finding that explains this failure, or None."""
    for finding, name, applies, pattern in KNOWN:
        if name == module and applies(params) and re.search(pattern, message):
            return finding
    return None


# MCP tools: (finding id, tool name pattern, predicate on the arguments, pattern of the failure message).
# fmt: off
KNOWN_TOOLS = [
]
# fmt: on


def known_tool_finding(tool, args, message):
    """The id of the known finding that explains this failure of an MCP tool, or None."""
    for finding, names, applies, pattern in KNOWN_TOOLS:
        if re.search(names, tool) and applies(args) and re.search(pattern, message):
            return finding
    return None
