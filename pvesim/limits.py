# SPDX-License-Identifier: AGPL-3.0-or-later
"""Write validation: the schema's checks on every request, with the limits PVE's code adds to the schema.

fakepve checks a request against the method's parameter schema (types, enums, patterns, formats,
minimum and maximum, property-string keys) in its generic and stateful handlers, with PVE's 400
answer ("Parameter verification failed." and a message per parameter). pvesim makes that hold for
every route and adds what the schema does not say, so that no value it accepts can break a later
answer:

- `Validation.answer` and `resolve` hand fakepve the limited schema (`limited`), so its own checks
  enforce the limits below, with its wording ("value must have a maximum value of ...").
- fakepve's hand-written routes that take parameters without the schema's check (the VM list and
  status, power actions, config and pending reads, consoles, the monitor, /cluster/resources, the
  login, ...) are checked the same way before their handler runs (`_answer`).

The limits, stricter than the schema where PVE's code or data types set a bound the schema does not
state (docs/simulator.md, "Validation"):

- integers: within the signed 64-bit range, as Perl keeps integers (a larger one becomes a float);
- a VM's memory: at most 4194304 MiB (4 TiB), qemu-server's highest maximum memory (get_max_mem);
  PVE accepts more into the config of a stopped VM and then refuses to start it;
- a container's memory and swap: MiB whose byte count fits in 64 bits (maxmem and maxswap in bytes);
- disk sizes (`size=` of a drive or mount point, a resize, `storage:N` GiB of a new disk): at most about
  1 EiB, so that byte counts fit in 64 bits (LVM, too, refuses larger volumes).
"""

import copy
import functools
import urllib.parse

from fakepve import PveError
from fakepve import schema as pve_schema
from fakepve.server import params

# The signed 64-bit range, as fakepve compares limits: as doubles, so the top is the largest double below 2**63.
INT64_MIN, INT64_MAX = -2 ** 63, 2 ** 63 - 1024
# qemu-server: PVE::QemuServer::Memory::get_max_mem never answers more (MiB).
QEMU_MAX_MEMORY = 4194304
# MiB whose byte count fits in a signed 64-bit integer.
MAX_MIB = (2 ** 63 - 1) // 2 ** 20
# A disk size below 2**63 bytes: bytes, K, M, G or T, each with few enough digits.
DISK_SIZE = r'(?:\d{1,18}|\d{1,15}(?:\.\d+)?K|\d{1,12}(?:\.\d+)?M|\d{1,9}(?:\.\d+)?G|\d{1,6}(?:\.\d+)?T)'
# A volume that asks for a new disk of N GiB (storage:N) only with N below 10**9.
NEW_DISK_VOLUME = r'(?![^:/\s]+:\d{10,}(?:\.\d+)?$).+'
GUEST_TEMPLATES = {
    'qemu': ('/nodes/{node}/qemu', '/nodes/{node}/qemu/{vmid}/config'),
    'lxc': ('/nodes/{node}/lxc', '/nodes/{node}/lxc/{vmid}/config'),
}
RESIZE = ('/nodes/{node}/qemu/{vmid}/resize', '/nodes/{node}/lxc/{vmid}/resize')
# fakepve's hand-written routes that do not run the schema's check over all their parameters. The
# upload (a multipart body) is checked by fakepve's own code.
UNCHECKED_ROUTES = frozenset((
    ('POST', '/access/ticket'), ('GET', '/version'), ('GET', '/nodes'), ('GET', '/cluster/resources'),
    ('GET', '/cluster/status'), ('GET', '/cluster/ceph/status'), ('POST', '/nodes/{node}/storage/{storage}/download-url'),
    ('GET', '/nodes/{node}/qemu'), ('GET', '/nodes/{node}/qemu/{vmid}/status/current'),
    ('GET', '/nodes/{node}/qemu/{vmid}/config'), ('GET', '/nodes/{node}/qemu/{vmid}/pending'),
    ('POST', '/nodes/{node}/qemu/{vmid}/termproxy'), ('POST', '/nodes/{node}/qemu/{vmid}/vncproxy'),
    ('POST', '/nodes/{node}/qemu/{vmid}/monitor'),
)) | frozenset(('POST', '/nodes/{node}/qemu/{vmid}/status/' + action) for action in (
    'start', 'stop', 'shutdown', 'reboot', 'reset', 'suspend', 'resume'))


def _limit(sch, key=None, kind=None):
    """A copy of a parameter schema with pvesim's limits, recursively into property strings and items."""
    if not isinstance(sch, dict):
        return sch
    out = dict(sch)
    if out.get('type') == 'integer':
        maximum = MAX_MIB if kind == 'lxc' and key in ('memory', 'swap') else INT64_MAX
        if kind == 'qemu-memory':
            maximum = QEMU_MAX_MEMORY
        if 'maximum' not in out or float(out['maximum']) > maximum:
            out['maximum'] = maximum
        if 'minimum' not in out:
            out['minimum'] = INT64_MIN
    fmt = out.get('format')
    if fmt == 'disk-size':
        out['pattern'] = DISK_SIZE
    elif fmt in ('pve-volume-id-or-qm-path', 'pve-lxc-mp-string') and out.get('default_key'):
        out['pattern'] = NEW_DISK_VOLUME
    elif isinstance(fmt, str) and pve_schema.registered(fmt) is not None:
        fmt = pve_schema.registered(fmt)
    if isinstance(fmt, dict):
        sub_kind = 'qemu-memory' if kind == 'qemu' and key == 'memory' else kind
        out['format'] = dict((name, _limit(entry, name, sub_kind)) for name, entry in fmt.items())
    if isinstance(out.get('items'), dict):
        out['items'] = _limit(out['items'], key, kind)
    return out


@functools.cache
def limited(template):
    """The methods of a schema template, their parameters limited as above."""
    methods = copy.deepcopy(pve_schema.load().paths[template])
    kind = next((k for k, templates in GUEST_TEMPLATES.items() if template in templates), None)
    for info in methods.values():
        props = (info.get('parameters') or {}).get('properties') or {}
        for name in list(props):
            props[name] = _limit(props[name], name, kind)
        if template in RESIZE and 'size' in props:
            props['size'] = dict(props['size'], pattern=r'\+?' + DISK_SIZE)
    return methods


async def with_blank_values(request, values):
    """The request's parameters with the empty ones of a form body, which fakepve's reader drops.

    PVE keeps them: pve-http-server's decode_urlencoded splits `comment=` into the key and an empty string
    (a list assignment keeps the empty trailing field), so the API handler sees a defined empty value and
    sets it (`$pool->{comment} = $param->{comment} if defined(...)` clears a pool's comment, `groups=`
    empties a user's groups, `notes=` removes a volume's notes)."""
    if request.content_type != 'application/x-www-form-urlencoded':
        return values
    body = await request.read()  # aiohttp keeps the body: the same bytes fakepve read
    blank = [(k, v) for k, v in urllib.parse.parse_qsl(body.decode('utf-8', 'replace'), keep_blank_values=True)
             if v == '' and k not in values]
    if not blank:
        return values
    return dict(values, **dict(blank))


def limited_match(match):
    return None if match is None else pve_schema.Match(match.template, match.params, limited(match.template))


class Validation:
    """Mixin of PveSim: the limited schema for every check, and the check for fakepve's unchecked routes."""

    def resolve(self, request, prefix):
        return limited_match(super().resolve(request, prefix))

    async def answer(self, request, match, params, user, call=None):
        return await super().answer(request, limited_match(match), await with_blank_values(request, params),
                                    user, call)

    async def _answer(self, request, handler, generic, path_node):
        if generic is None and request.path.startswith(('/api2/json/', '/api2/extjs/')):
            handler = self._checked(handler)
        return await super()._answer(request, handler, generic, path_node)

    def _checked(self, handler):
        async def checked(request):
            match = self.resolve(request, '/api2/json')
            if match is not None and (request.method, match.template) in UNCHECKED_ROUTES:
                info = match.methods.get(request.method) or {}
                declared = (info.get('parameters') or {}).get('properties', {})
                values = dict(await params(request))
                values.update((k, v) for k, v in match.params.items() if k in declared)
                _values, errors = pve_schema.validate(info.get('parameters'), values)
                if errors:
                    raise PveError(400, 'Parameter verification failed.', errors)
            return await handler(request)
        return checked
