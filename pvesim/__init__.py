# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim: the Proxmox VE API simulator bundled with pve.ops, built on fakepve.

    python -m pvesim serve --port 0            # see pvesim.cli
    pytest_plugins = ['pvesim.testing']        # the pvesim and pvesim_factory fixtures

PveSim (pvesim.server) is the simulator; pvesim.seeds fills it. See docs/simulator.md.
"""

from importlib import metadata

from .server import DEFAULT_ROOT_PASSWORD, PveSim

__all__ = ['DEFAULT_ROOT_PASSWORD', 'PveSim', '__version__']


def _version():
    try:
        return metadata.version('pve-ops')
    except metadata.PackageNotFoundError:
        return '0+unknown'


__version__ = _version()
