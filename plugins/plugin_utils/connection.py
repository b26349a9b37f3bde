# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection of the controller-side plugins (inventory, lookups): the modules' client, from plugin options.

The options are the modules' connection options (doc fragment ``pve.ops.connection.PLUGIN``, the
same names and PROXMOX_* environment fallbacks), so the one ``ProxmoxClient`` of module_utils serves
modules and plugins alike: there is no second HTTP stack.
"""

from __future__ import annotations

from ansible.errors import AnsibleError

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.client import ProxmoxClient

# The option names, as module_utils/module.py connection_argument_spec() names them.
CONNECTION_OPTIONS = ('api_host', 'api_port', 'api_user', 'api_password', 'api_token_id', 'api_token_secret',
                      'validate_certs', 'ca_path', 'api_timeout')


def connection_params(plugin, templar=None):
    """The connection options of ``plugin`` as a dict, templated when ``templar`` is given and a value is a template.

    Inventory sources are trusted templates (``api_password: "{{ lookup('env', 'X') }}"``); ``!vault`` values
    arrive decrypted through str().
    """
    params = {}
    for name in CONNECTION_OPTIONS:
        value = plugin.get_option(name)
        if templar is not None and isinstance(value, str) and templar.is_template(value):
            value = templar.template(value)
        if value is not None and name in ('api_host', 'api_user', 'api_password', 'api_token_id', 'api_token_secret',
                                          'ca_path'):
            value = str(value)
        params[name] = value
    return params


def client_from_plugin(plugin, templar=None):
    """A ProxmoxClient from the plugin's connection options; a bad option becomes an AnsibleError."""
    try:
        return ProxmoxClient.from_params(connection_params(plugin, templar))
    except errors.PveOpsError as err:
        raise as_ansible_error(err) from None


def as_ansible_error(err, what=None):
    """A typed pve.ops error as an AnsibleError (the errors never carry a secret)."""
    message = str(err)
    if what:
        message = '{0}: {1}'.format(what, message)
    return AnsibleError(message)
