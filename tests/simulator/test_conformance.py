# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every API route the simulator serves exists in the official PVE 9.2 schema, and none hides another.

The schema is ../shared/pve-api/pve-9.2-api.json beside the repository (present in CI; never copied into
the repository), or the file PVE_API_SCHEMA names.
"""

import json
import os
import re

import pytest
from fakepve.routing import StatefulRoutes

from pvesim import PveSim
from pvesim.server import added_routes, check_route_tables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.environ.get('PVE_API_SCHEMA') or os.path.join(ROOT, '..', 'shared', 'pve-api', 'pve-9.2-api.json')
API = '/api2/json'


@pytest.fixture(scope='module')
def official():
    if not os.path.exists(SCHEMA):
        pytest.skip('the official PVE API schema is not at {0} (set PVE_API_SCHEMA)'.format(SCHEMA))
    with open(SCHEMA) as fh:
        return json.load(fh)['paths']


@pytest.fixture(scope='module')
def router_routes():
    """(method, path template) of every route of the app, in registration order."""
    out = []
    for route in PveSim(port=0)._build_app().router.routes():
        info = route.resource.get_info()
        path = info.get('formatter') or info.get('path')
        out.append((route.method, re.sub(r'\{(\w+)(:[^}]*)?\}', r'{\1}', path)))
    return out


def _pattern(template):
    return re.compile('^' + re.sub(r'\\\{\w+\\\}', '[^/]+', re.escape(template)) + '$')


def test_added_routes_are_in_the_official_schema(official):
    added = added_routes(PveSim(port=0))
    assert len(added) >= 7
    missing = [(m, t, table) for m, t, table in added if m not in official.get(t, {})]
    assert missing == []


def test_every_api_route_matches_an_official_method(official, router_routes):
    served = set((m, p[len(API):]) for m, p in router_routes if p.startswith(API + '/') and m != 'HEAD'
                 and p != API + '/{tail}')
    assert len(served) > 60
    official_pairs = [(m, t) for t, methods in official.items() for m in methods]
    unmatched = []
    for method, template in sorted(served):
        # A template of fakepve's that takes a variable where PVE has fixed names (status/{action}) matches any.
        pattern = _pattern(template)
        if not any(m == method and (t == template or pattern.match(t)) for m, t in official_pairs):
            unmatched.append((method, template))
    assert unmatched == []


def test_no_route_hides_another(router_routes):
    seen, twice = set(), []
    for key in router_routes:
        if key in seen:
            twice.append(key)
        seen.add(key)
    assert twice == []


def test_hooks_live_outside_the_api(router_routes):
    hooks = sorted(set((m, p) for m, p in router_routes if p.startswith('/_sim/') and m != 'HEAD'))
    assert hooks == [('DELETE', '/_sim/faults'), ('GET', '/_sim/faults'), ('GET', '/_sim/ssh'),
                     ('GET', '/_sim/state'),
                     ('GET', '/_sim/stats'), ('POST', '/_sim/faults'), ('POST', '/_sim/reset')]


def test_a_second_table_of_the_same_name_is_refused():
    class Shadowing(StatefulRoutes):
        def _routes_cluster(self):  # fakepve's LxcApi has this table (GET /cluster/nextid)
            return []

    class Bad(Shadowing, PveSim):
        pass

    with pytest.raises(TypeError, match='_routes_cluster'):
        Bad()

    class Replacing(Shadowing):
        _replaces_routes = ('_routes_cluster',)

    check_route_tables(type('Fine', (Replacing, PveSim), {}))
