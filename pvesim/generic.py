# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the simulator does with requests no stateful handler takes.

fakepve answers every method of the schema: those it does not model are checked (parameters,
permissions) and answered from the schema's `returns` (a sample value, or a task that ends OK),
changing nothing. PveSim counts them per schema template (`generic` in /_sim/stats), so a test
can see where it relied on a generic answer, and in strict mode (`PveSim(strict=True)`,
`pvesim serve --strict`) refuses the generic writes with 501 instead of a success that changes
nothing. Generic reads still answer in strict mode.
"""

from fakepve import PveError

READS = ('GET', 'HEAD')


class GenericPolicy(object):
    """Mixin of PveSim: counting, and in strict mode refusing, the writes nobody models."""

    async def synthesise(self, match, method, info, user, values):
        self.stats.answered_generically(method, match.template)
        if self.strict and method not in READS:
            raise PveError(501, "pvesim: '{0} {1}' is not modelled by the simulator (strict mode refuses "
                                "writes it would only pretend to do)".format(method, match.template))
        return await super().synthesise(match, method, info, user, values)
