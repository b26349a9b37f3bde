# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the simulator does with requests no stateful handler takes.

Reads never answer with invented values. A GET nobody models answers only where the answer
follows from what the simulator knows:

- a directory index (GET /nodes/{node}, /cluster/sdn, ...) lists the children the schema gives the
  path, as PVE's index handlers do;
- a list of things the simulator never has (SDN zones, ACME accounts, PCI mappings:
  NOT_CONFIGURED) is empty, as on a cluster where nobody configured them;
- every other GET is refused: 501 `pvesim: 'GET /nodes/{node}/ceph/mon' is not modelled ...`.

Writes nobody models are checked (parameters, permissions) and answered from the schema's
`returns` (a task that ends OK), changing nothing; in strict mode (`PveSim(strict=True)`,
`pvesim serve --strict`) they are refused with 501 instead. PveSim counts every request answered
this way per schema template (`generic` in /_sim/stats), so a test can see where it relied on it.
"""

from fakepve import PveError
from fakepve import schema as pve_schema

READS = ('GET', 'HEAD')
# Lists that are empty because the simulator has none of these (nobody configured them).
NOT_CONFIGURED = frozenset((
    '/access/tfa', '/cluster/acme/account', '/cluster/ha/groups', '/cluster/ha/rules', '/cluster/jobs/realm-sync',
    '/cluster/mapping/dir', '/cluster/mapping/pci', '/cluster/mapping/usb', '/cluster/metrics/server',
    '/cluster/qemu/custom-cpu-models',
    '/cluster/sdn/controllers', '/cluster/sdn/dns', '/cluster/sdn/fabrics/fabric', '/cluster/sdn/fabrics/node',
    '/cluster/sdn/prefix-lists', '/cluster/sdn/route-maps', '/cluster/sdn/route-maps/entries',
    '/nodes/{node}/disks/directory', '/nodes/{node}/disks/zfs', '/nodes/{node}/scan/zfs',
))


def index_key(template, info):
    """The key a directory index lists its children under ('subdir', 'name', ...), or None if the method is
    not a directory index: an array whose items name nothing but the child, at a path with fixed children."""
    returns = info.get('returns') or {}
    links = returns.get('links') or []
    if returns.get('type') != 'array' or not links:
        return None
    key = links[0].get('href', '').strip('{}')
    props = set((returns.get('items') or {}).get('properties') or {})
    prefix = template.rstrip('/') + '/{'
    if not key or not props <= {key} or any(path.startswith(prefix) for path in pve_schema.load().paths):
        return None
    return key


# Why a read is refused: (template prefix or suffix, reason); the first that fits.
WHY = (
    ('/cluster/ceph', 'the simulator has no Ceph'), ('/nodes/{node}/ceph', 'the simulator has no Ceph'),
    ('/rrd', 'RRD graphs are not rendered; rrddata has the series'),
    ('/cluster/acme/', 'it needs the ACME directory on the network'),
    ('/nodes/{node}/scan/', 'the simulated network has no such servers'),
    ('/nodes/{node}/query-', 'the simulator has no network access'),
)


def not_modelled(method, template, why=None):
    if why is None:
        why = next((reason for part, reason in WHY if template.startswith(part) or template.endswith(part)),
                   'the simulator cannot answer it faithfully')
    return PveError(501, "pvesim: '{0} {1}' is not modelled ({2})".format(method, template, why))


class GenericPolicy:
    """Mixin of PveSim: the reads that follow from the schema, refusals, and strict mode for writes."""

    async def synthesise(self, match, method, info, user, values):
        modelled = getattr(self, '_unroutable_reads', dict)().get(match.template) if method in READS else None
        if modelled is not None:
            return await modelled(values, user)
        self.stats.answered_generically(method, match.template)
        if method in READS:
            return self._generic_read(match.template, info)
        if self.strict:
            raise PveError(501, "pvesim: '{0} {1}' is not modelled by the simulator (strict mode refuses "
                                "writes it would only pretend to do)".format(method, match.template))
        return await super().synthesise(match, method, info, user, values)

    def _generic_read(self, template, info):
        if template in NOT_CONFIGURED:
            return []
        key = index_key(template, info)
        if key is not None:
            return [{key: child} for child in pve_schema.load().children(template)]
        raise not_modelled('GET', template)
