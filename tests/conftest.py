# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pytest setup: the pvesim fixtures (pvesim, pvesim_factory, pvesim_pki)."""

pytest_plugins = ['pvesim.testing']

import os  # noqa: E402

if os.environ.get('PVEOPS_RECORD_CALLS'):
    # Bootstrapping scripts/module_calls.yml: every API call an in-process module run makes, by module (the
    # module is the pve.ops module frame on the stack), recorded as the harness records them
    # (tests/helpers/api_calls.check). Off unless asked for; the harness checks the table.
    import sys
    from urllib.parse import unquote

    from ansible_collections.pve.ops.plugins.module_utils import client as _client
    from tests.helpers import api_calls

    _request = _client.ProxmoxClient.request
    _PREFIX = 'ansible_collections.pve.ops.plugins.modules.'

    def _recording_request(self, method, segments, params=None, idempotent=None):
        frame = sys._getframe(1)
        while frame is not None and not frame.f_globals.get('__name__', '').startswith(_PREFIX):
            frame = frame.f_back
        if frame is not None and not (method == 'POST' and tuple(segments) == ('access', 'ticket')):
            path = unquote('/' + _client.api_path(*segments))
            api_calls.check(frame.f_globals['__name__'][len(_PREFIX):], {(method, api_calls.template(method, path))})
        return _request(self, method, segments, params, idempotent)

    _client.ProxmoxClient.request = _recording_request
