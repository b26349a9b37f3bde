# SPDX-License-Identifier: AGPL-3.0-or-later
"""Request counters behind GET /_sim/stats.

`writes` counts the requests that may change state: every method but GET, HEAD and OPTIONS,
except the login (POST /access/ticket), so a read-only module run reports 0 writes.

Only API requests are counted (paths under /api2/), the /_sim hooks never are. A request is
counted when it arrives, before authentication, so refused logins, requests that a fault drops
and requests that hang all count. `generic` counts the requests fakepve's catch-all answered
from the schema alone (keyed by schema template): the places where the simulator is not
stateful.
"""

import collections

API_PREFIX = '/api2/'
# Requests that are not writes although not GET: logging in (POST /access/ticket) changes no state.
LOGIN_SUFFIX = '/access/ticket'


class RequestStats:
    """Counters of the API requests a PveSim received since start or the last reset()."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.requests = 0
        self.writes = 0
        self.by_method = collections.Counter()
        self.by_path = collections.Counter()
        self.by_status = collections.Counter()
        self.generic = collections.Counter()

    @staticmethod
    def counts(path):
        """True if a request to path is an API request."""
        return path.startswith(API_PREFIX)

    def arrived(self, method, path):
        self.requests += 1
        if method not in ('GET', 'HEAD', 'OPTIONS') and not (method == 'POST' and path.endswith(LOGIN_SUFFIX)):
            self.writes += 1
        self.by_method[method] += 1
        self.by_path['{0} {1}'.format(method, path)] += 1

    def answered(self, status):
        self.by_status[str(status)] += 1

    def answered_generically(self, method, template):
        self.generic['{0} {1}'.format(method, template)] += 1

    def snapshot(self):
        """The JSON document GET /_sim/stats answers."""
        return {'requests': self.requests, 'writes': self.writes, 'by_method': dict(sorted(self.by_method.items())),
                'by_path': dict(sorted(self.by_path.items())), 'by_status': dict(sorted(self.by_status.items())),
                'generic': dict(sorted(self.generic.items()))}
