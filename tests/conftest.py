# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pytest setup: the pvesim fixtures (pvesim, pvesim_factory, pvesim_pki)."""

pytest_plugins = ['pvesim.testing']
