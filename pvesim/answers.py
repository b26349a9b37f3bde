# SPDX-License-Identifier: AGPL-3.0-or-later
"""Small helpers for refining fakepve's answers in PveSim's overrides."""

import json

from aiohttp import web
from fakepve.server import USER

__all__ = ['USER', 'patch_data', 'request_user']


def patch_data(response, fn):
    """fakepve's JSON response with its `data` passed through fn (errors pass unchanged)."""
    if response.status >= 400 or response.content_type != 'application/json':
        return response
    body = json.loads(response.text)
    return web.json_response(dict(body, data=fn(body.get('data'))), status=response.status)


def request_user(request):
    """The authenticated user (or token id) of a request, None for an anonymous one."""
    return request.get(USER)
