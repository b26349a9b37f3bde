# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection of the controller-side plugins (inventory, lookups): the modules' client, from plugin options.

The options are the modules' connection options (doc fragment ``pve.ops.connection.PLUGIN``, the
same names and PROXMOX_* environment fallbacks), so the one ``ProxmoxClient`` of module_utils serves
modules and plugins alike: there is no second HTTP stack.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ansible.errors import AnsibleError

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils.client import ProxmoxClient

# The option names, as module_utils/module.py connection_argument_spec() names them.
CONNECTION_OPTIONS = ('api_host', 'api_port', 'api_user', 'api_password', 'api_token_id', 'api_token_secret',
                      'validate_certs', 'ca_path', 'api_timeout')


def _option(plugin, name, templar):
    value, origin = plugin.get_option_and_origin(name)
    if templar is not None and isinstance(value, str) and templar.is_template(value):
        value = templar.template(value)
    return value, origin


def _level(origin):
    """How directly an option was given: the source or the lookup's arguments (2), the environment (1), else 0."""
    origin = str(origin or '')
    if origin.startswith('env:'):
        return 1
    if origin == 'default' or not origin:
        return 0
    return 2


def parse_url(url):
    """(host, port) of community.proxmox's ``url`` option (``https://host[:port]``); port None when it has none."""
    try:
        parts = urlsplit(str(url).strip())
        port = parts.port
    except ValueError as exc:
        raise errors.InvalidArgumentError('url: not a URL ({0})'.format(exc), field='url') from None
    if parts.scheme != 'https' or not parts.hostname:
        raise errors.InvalidArgumentError(
            'url: expected https://<host>[:<port>] (the Proxmox VE API is served over HTTPS), got {0!r}'.format(
                str(url)), field='url')
    if parts.path not in ('', '/', '/api2/json', '/api2/json/') or parts.query or parts.fragment or \
            parts.username or parts.password:
        raise errors.InvalidArgumentError(
            'url: expected https://<host>[:<port>] with no path, query or credentials, got {0!r}'.format(
                '{0}://{1}{2}'.format(parts.scheme, parts.hostname, parts.path)), field='url')
    return parts.hostname, port


def connection_params(plugin, templar=None):
    """The connection options of ``plugin`` as a dict, templated when ``templar`` is given and a value is a template.

    Inventory sources are trusted templates (``api_password: "{{ lookup('env', 'X') }}"``); ``!vault`` values
    arrive decrypted through str(). community.proxmox's ``url`` (or PROXMOX_URL) gives api_host and api_port
    when api_host is not given at the same level or a more direct one.
    """
    params = {}
    origins = {}
    for name in CONNECTION_OPTIONS:
        value, origins[name] = _option(plugin, name, templar)
        if value is not None and name in ('api_host', 'api_user', 'api_password', 'api_token_id', 'api_token_secret',
                                          'ca_path'):
            value = str(value)
        params[name] = value
    url, url_origin = _option(plugin, 'url', templar)
    if url not in (None, '') and (not params['api_host'] or _level(url_origin) > _level(origins['api_host'])):
        params['api_host'], port = parse_url(url)
        # A URL without a port: an api_port given (not the default), else HTTPS's 443.
        if port is None:
            port = params['api_port'] if _level(origins['api_port']) else 443
        params['api_port'] = port
    elif not params['api_host']:
        raise errors.InvalidArgumentError('api_host (or url) is required: set it in the source, or PROXMOX_HOST '
                                          '(or PROXMOX_URL) in the environment', field='api_host')
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
