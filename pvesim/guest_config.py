# SPDX-License-Identifier: AGPL-3.0-or-later
"""Guest config values with the types PVE gives them, stored and shown.

PVE keeps a guest's config as text and types each value when it reads the file
(qemu-server's and pve-container's check_type): a boolean becomes 0 or 1, an integer an
integer, a property string (agent, memory, net0, ...) stays a string, and so does a number
(cpulimit: the text as written). Every config answer (GET config, pending, snapshot configs)
is such a read, so the answers here carry those types, whatever the store holds.

The QEMU store itself is typed too: fakepve's PUT/POST /nodes/{node}/qemu/{vmid}/config
check the request against the schema and then store the raw request values (the string
'3' for cores=3); `_apply_config` here stores them as the schema types them, as fakepve's
LXC store does, and seeds store theirs the same way (`stored_config`).

GET /nodes/{node}/qemu/{vmid}/config follows qemu-server's vm_config: the pending changes
applied unless `current=1`, or the config of `snapshot`.
"""

import functools

from fakepve import PveError
from fakepve import schema as pve_schema
from fakepve.routing import check_digest, die
from fakepve.server import ok, params

from .answers import patch_data

CONFIG = {'qemu': '/nodes/{node}/qemu/{vmid}/config', 'lxc': '/nodes/{node}/lxc/{vmid}/config'}
# Parameters of PUT/POST config that are not config keys.
NOT_CONFIG = ('node', 'vmid', 'digest', 'delete', 'revert', 'skiplock', 'force', 'background_delay')


@functools.cache
def _properties(kind):
    return pve_schema.load().paths[CONFIG[kind]]['GET']['returns']['properties']


def key_schema(kind, key):
    """The schema of a config key (net0 finds net[n]), or None for a key PVE does not know."""
    props = _properties(kind)
    if key in props:
        return props[key]
    base = key.rstrip('0123456789')
    return props.get(base + '[n]') if base != key else None


def stored(kind, key, value):
    """A config value as the store keeps it: typed by the schema as a checked request value is."""
    sch = key_schema(kind, key)
    if sch is None or value is None:
        return value
    coerced, err = pve_schema.check_value(sch, value)
    return value if err else coerced


def shown(kind, key, value):
    """A config value as PVE's answers carry it (check_type on the text of the config file)."""
    sch = key_schema(kind, key)
    if sch is None or value is None or isinstance(value, (dict, list)):
        return value
    kind_of = sch.get('type')
    if kind_of == 'boolean':
        text = pve_schema.parse_boolean(str(value) if not isinstance(value, bool) else str(int(value)))
        return int(text) if text is not None else value
    if kind_of == 'integer':
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return str(value)


def stored_config(kind, config):
    return dict((key, stored(kind, key, value)) for key, value in config.items())


def shown_config(kind, config):
    return dict((key, shown(kind, key, value)) for key, value in config.items())


def shown_pending(kind, items):
    """Pending entries as PVE lists them: value and pending typed like the config key they belong to."""
    out = []
    for item in items:
        item = dict(item)
        for field in ('value', 'pending'):
            if field in item:
                item[field] = shown(kind, item['key'], item[field])
        out.append(item)
    return out


class GuestConfigViews:
    """Mixin of PveSim: typed guest config stores and answers."""

    # ------------------------------------------------------------- QEMU store

    async def _apply_config(self, vm, user, p):
        # qemu-server's update_vm: PVE::Tools::assert_if_modified on the digest given (fakepve's lxc checks it).
        check_digest(vm.digest(), p.get('digest'))
        typed = dict((key, value if key in NOT_CONFIG else stored('qemu', key, value)) for key, value in p.items())
        reverts = [k for k in str(typed.pop('revert', '') or '').split(',') if k]
        typed.pop('force', None)
        typed.pop('background_delay', None)
        for key in reverts:
            if key in typed:
                raise PveError(400, 'Parameter verification failed.', {
                    'revert': "you can't use '-{0}' and '-revert {0}' at the same time".format(key)})
        result = await super()._apply_config(vm, user, typed)
        for key in reverts:
            vm.pending.pop(key, None)
        return result

    # --------------------------------------------------------------- answers

    async def _config_get(self, request):
        checked = self._verify(request, await params(request))
        vm = self._vm(request, 'VM.Audit')
        if checked.get('snapshot') and checked.get('current'):
            text = "cannot use 'snapshot' parameter with 'current'"
            raise PveError(400, 'Parameter verification failed.', {'snapshot': text, 'current': text})
        if checked.get('snapshot'):
            snap = vm.snapshots.get(checked['snapshot'])
            if snap is None:
                raise die("snapshot '{0}' does not exist".format(checked['snapshot']))
            config = dict((k, v) for k, v in snap.items() if k != 'snapstate')
        else:
            config = dict(vm.config)
            if not checked.get('current'):
                for key, value in vm.pending.items():
                    if value is None:
                        config.pop(key, None)
                    else:
                        config[key] = value
        config = shown_config('qemu', config)
        config['digest'] = vm.digest()
        return ok(config)

    async def _pending(self, request):
        return patch_data(await super()._pending(request), lambda items: shown_pending('qemu', items))

    async def _qm_snapshot_config_get(self, v, user):
        return shown_config('qemu', await super()._qm_snapshot_config_get(v, user))

    # ------------------------------------------------------------------- LXC

    async def _lxc_config_get(self, user, v):
        return shown_config('lxc', await super()._lxc_config_get(user, v))

    async def _lxc_pending(self, user, v):
        return shown_pending('lxc', await super()._lxc_pending(user, v))

    async def _lxc_snapshot_config_get(self, user, v):
        return shown_config('lxc', await super()._lxc_snapshot_config_get(user, v))
