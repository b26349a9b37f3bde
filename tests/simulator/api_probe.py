# SPDX-License-Identifier: AGPL-3.0-or-later
"""Calls every GET endpoint of the official PVE schema that a seeded simulator can answer.

    probe = Probe(server, schema_paths)        # a started pvesim.testing.SimServer, logged in as root@pam
    for call in probe.calls(): ...             # Call(template, path, query, status, data, message)

A template is callable when each of its path parameters can be filled from what the simulator lists:
`{vmid}` in /nodes/{node}/qemu/{vmid} takes the vmids GET /nodes/{node}/qemu answers (the key its
`links` name), at most PER_LEVEL of them, so a listing of nothing makes its items uncallable. Required
query parameters take the values of QUERY, chosen from the demo seed. Websocket endpoints and file
downloads (not JSON) are left out.
"""

import collections
import re
import urllib.parse

PER_LEVEL = 3
VARIABLE = re.compile(r'\{([\w-]+)\}')
# Not JSON answers: websocket upgrades and file downloads.
NOT_JSON = ('vncwebsocket', 'mtunnelwebsocket', '/file-restore/download')
# Values for required query parameters, from the demo seed.
QUERY = {
    'timeframe': 'hour', 'ds': 'cpu', 'feature': 'snapshot', 'type': 'user', 'file': '/etc/hostname',
    'schedule': 'sat 02:00', 'name': 'pve-manager', 'disk': '/dev/nvme0n1', 'vg': 'pve',
    'server': '192.0.2.50', 'volume': 'backup-nfs:backup/vzdump-qemu-100-2025_11_23-02_00_04.vma.zst',
}

Call = collections.namedtuple('Call', 'template path query status data message')


class Probe:
    def __init__(self, server, paths, userid='root@pam', password=None):
        import requests
        self.paths = paths
        self.cafile = server.cafile
        self.base = server.url + '/api2/json'
        self.session = requests.Session()
        login = self.session.post(self.base + '/access/ticket', verify=self.cafile, data={
            'username': userid, 'password': password or server.root_password}).json()['data']
        self.session.cookies.set('PVEAuthCookie', login['ticket'])
        self.session.headers['CSRFPreventionToken'] = login['CSRFPreventionToken']
        self._cache = {}

    def request(self, method, path, params=None):
        """(status, data, message, errors) of a request; GETs are cached until forget()."""
        params = params or {}
        key = (path, tuple(sorted(params.items())))
        if method == 'GET' and key in self._cache:
            return self._cache[key]
        if method == 'GET':
            response = self.session.get(self.base + path, params=params, verify=self.cafile)
        else:
            response = self.session.request(method, self.base + path, data=params, verify=self.cafile)
        body = response.json()
        answer = (response.status_code, body.get('data'), body.get('message') or '', body.get('errors'))
        if method == 'GET':
            self._cache[key] = answer
        return answer

    def forget(self):
        self._cache.clear()

    # ----------------------------------------------------------- templates

    def templates(self):
        """The GET templates of the schema that answer JSON, sorted."""
        return sorted(t for t, methods in self.paths.items() if 'GET' in methods and not any(
            part in t for part in NOT_JSON))

    def required_query(self, template):
        """{name: value} of the required query parameters, or None if one has no value in QUERY."""
        props = (self.paths[template]['GET'].get('parameters') or {}).get('properties', {})
        names = [k for k, v in props.items() if not v.get('optional') and '{' + k + '}' not in template]
        if any(k not in QUERY for k in names):
            return None
        return dict((k, QUERY[k]) for k in names)

    def instances(self, template):
        """The paths of a template with its parameters filled from the listings above it."""
        prefixes, at = [''], 0
        for var in VARIABLE.finditer(template):
            listing = template[:var.start() - 1]
            step = []
            for prefix in prefixes:
                parent = prefix + template[at:var.start() - 1]
                step.extend(parent + '/' + urllib.parse.quote(str(value), safe='')
                            for value in self._listed(listing, parent, var.group(1)))
            prefixes, at = step, var.end()
        return [prefix + template[at:] for prefix in prefixes]

    def _listed(self, listing, path, var):
        info = self.paths.get(listing, {}).get('GET')
        if info is None:
            return []
        status, data, _message, _errors = self.request('GET', path)
        if status != 200 or not isinstance(data, list):
            return []
        links = (info.get('returns') or {}).get('links') or []
        key = links[0]['href'].strip('{}') if links else var
        values = [item.get(key, item.get(var)) for item in data if isinstance(item, dict)]
        return [v for v in values if v is not None][:PER_LEVEL]

    def calls(self):
        """A Call for every callable instance of every GET template (uncallable ones: path None)."""
        for template in self.templates():
            query = self.required_query(template)
            paths = self.instances(template) if query is not None else []
            if not paths:
                yield Call(template, None, query, None, None, '')
            for path in paths:
                status, data, message, _errors = self.request('GET', path, query)
                yield Call(template, path, query, status, data, message)
