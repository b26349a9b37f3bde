# SPDX-License-Identifier: AGPL-3.0-or-later
"""HA rules (/cluster/ha/rules, rules.cfg): node affinity and resource affinity.

Follows pve-ha-manager (PVE/API2/HA/Rules.pm, PVE/HA/Rules.pm and its NodeAffinity and ResourceAffinity
plugins):

- list (GET, filtered by `type` and by `resource`), create (POST), read, update (PUT with `delete` and
  `digest`; the `type` given must be the rule's), delete.
- `resources` (a list of HA resource ids, each already an HA resource: "cannot use unmanaged resource(s)")
  and `nodes` (`node[:priority]`, each a cluster node: "cannot use non-existent node(s)") are kept in
  PVE's canonical form (sorted, comma separated).
- The type's own properties: `nodes` (required) and `strict` for node-affinity, `affinity` (required) for
  resource-affinity; a property of the other type is refused.
- The parameters are checked against the type's own schema (fakepve's schema describes the rule types as
  variants that its generic check does not read): PVE's 400 naming each bad or unknown parameter.
- The HA groups of PVE 9 (deprecated in favour of these rules) are not modelled.
"""

import hashlib
import re

from fakepve import PveError
from fakepve import schema as pve_schema
from fakepve.routing import StatefulRoutes, check_digest, die, param_error, split_list

TYPES = ('node-affinity', 'resource-affinity')
# Properties by rule type (the common ones: resources, comment, disable).
OWN = {'node-affinity': ('nodes', 'strict'), 'resource-affinity': ('affinity',)}
REQUIRED = {'node-affinity': ('nodes',), 'resource-affinity': ('affinity',)}
KEYS = ('resources', 'nodes', 'strict', 'affinity', 'disable', 'comment')
NODE_RE = re.compile(r'^([a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?)(?::(\d+))?$')


def _flat_spec(method, template, kind):
    """The method's parameters for rules of ``kind`` (all types when it is none of them) as one flat schema."""
    props = {}

    def walk(part):
        for sub in part.get('allOf') or ():
            walk(sub)
        if 'oneOf' in part:
            props['type'] = dict(part['type-property-schema'])
            for variant in part['oneOf']:
                own = variant.get('instance-type')
                if kind in TYPES and own != kind:
                    continue
                for key, sch in variant.get('properties', {}).items():
                    if key in ('nodes', 'strict', 'affinity') and key not in OWN.get(own, ()):
                        continue  # PVE 9.2's schema: affinity belongs to resource-affinity rules only
                    if kind not in TYPES and key in ('nodes', 'affinity'):
                        sch = dict(sch, optional=1)
                    props.setdefault(key, sch)
        props.update(part.get('properties') or {})
    walk(pve_schema.load().paths[template][method].get('parameters') or {})
    return {'additionalProperties': 0, 'properties': props}


def _checked(method, template, values):
    kind = values.get('type')
    checked, errors = pve_schema.validate(_flat_spec(method, template, kind), values)
    if errors:
        raise PveError(400, 'Parameter verification failed.', errors)
    return checked


def _flag(value):
    return 1 if str(value).lower() in ('1', 'true', 'yes', 'on') else 0


class HaRulesApi(StatefulRoutes):
    """Mixin of PveSim: HA rules."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # rule id -> config (type and the properties set), in the order created.
        self.ha_rules = {}

    def _routes_ha_rules(self):
        one = '/cluster/ha/rules/{rule}'
        return [('GET', '/cluster/ha/rules', self._hr_list), ('POST', '/cluster/ha/rules', self._hr_create),
                ('GET', one, self._hr_read), ('PUT', one, self._hr_update), ('DELETE', one, self._hr_delete)]

    def _save_ha_rules(self):
        return self.ha_rules

    def _restore_ha_rules(self, data):
        self.ha_rules = dict((k, dict(v)) for k, v in (data or {}).items())

    # -------------------------------------------------------------- helpers

    def _hr_digest(self):
        text = '\n'.join('{0}: {1}\n{2}'.format(conf['type'], rule, sorted(conf.items()))
                         for rule, conf in self.ha_rules.items())
        return hashlib.sha1(text.encode()).hexdigest()

    def _hr_resources(self, text):
        sids = []
        for item in split_list(text):
            sids.append(self._ha_sid(item, field='resources'))
        if not sids:
            raise param_error(resources='property is missing and it is not optional')
        configured = set(self._ha_sids())
        unmanaged = sorted(s for s in set(sids) if s not in configured)
        if unmanaged:
            raise die('cannot use unmanaged resource(s) {0}.'.format(', '.join(unmanaged)))
        return ','.join(sorted(set(sids), key=lambda s: (s.split(':')[0], int(s.split(':')[1]))))

    def _hr_nodes(self, text):
        nodes = {}
        for item in split_list(text):
            found = NODE_RE.match(item)
            if not found:
                raise param_error(nodes="invalid format - value '{0}' does not look like a valid node name".format(
                    item))
            nodes[found.group(1)] = found.group(2)
        missing = sorted(n for n in nodes if n not in self.nodes)
        if missing:
            raise die('cannot use non-existent node(s) {0}.'.format(', '.join(missing)))
        return ','.join(n if p is None else '{0}:{1}'.format(n, p) for n, p in sorted(nodes.items()))

    def _hr_values(self, kind, v):
        values = {}
        for key in KEYS:
            if v.get(key) is None:
                continue
            if key in ('nodes', 'strict', 'affinity') and key not in OWN[kind]:
                raise param_error(**{key: "property is not defined for rule type '{0}'".format(kind)})
            value = v[key]
            if key == 'resources':
                value = self._hr_resources(value)
            elif key == 'nodes':
                value = self._hr_nodes(value)
            elif key in ('strict', 'disable'):
                value = _flag(value)
            values[key] = value
        return values

    def _hr_rule(self, rule):
        conf = self.ha_rules.get(rule)
        if conf is None:
            raise die("HA rule '{0}' does not exist".format(rule))
        return conf

    def _hr_entry(self, rule, conf):
        out = dict(rule=rule, type=conf['type'])
        out.update((k, conf[k]) for k in KEYS if k in conf)
        return out

    # -------------------------------------------------------------- handlers

    async def _hr_list(self, v, user):
        wanted = self._ha_sid(v['resource'], field='resource') if v.get('resource') else None
        out = []
        for rule, conf in self.ha_rules.items():
            if v.get('type') and conf['type'] != v['type']:
                continue
            if wanted and wanted not in conf['resources'].split(','):
                continue
            out.append(self._hr_entry(rule, conf))
        return out

    async def _hr_read(self, v, user):
        conf = self._hr_rule(v['rule'])
        return dict(self._hr_entry(v['rule'], conf), digest=self._hr_digest())

    async def _hr_create(self, v, user):
        v = _checked('POST', '/cluster/ha/rules', v)
        kind = v['type']
        if v['rule'] in self.ha_rules:
            raise die("HA rule '{0}' already defined".format(v['rule']))
        values = self._hr_values(kind, v)
        for key in ('resources',) + REQUIRED[kind]:
            if key not in values:
                raise param_error(**{key: 'property is missing and it is not optional'})
        self.ha_rules[v['rule']] = dict(values, type=kind)
        return None

    async def _hr_update(self, v, user):
        v = _checked('PUT', '/cluster/ha/rules/{rule}', v)
        conf = self._hr_rule(v['rule'])
        check_digest(self._hr_digest(), v.get('digest'))
        if v['type'] != conf['type']:
            raise param_error(type="rule '{0}' is of type '{1}'".format(v['rule'], conf['type']))
        values = self._hr_values(conf['type'], v)
        deletes = split_list(v.get('delete'))
        for key in deletes:
            if key in values:
                raise param_error(delete="cannot set and delete property '{0}' at the same time!".format(key))
            if key in ('resources',) + REQUIRED[conf['type']]:
                raise param_error(delete="cannot delete required property '{0}'".format(key))
        after = dict((k, x) for k, x in conf.items() if k not in deletes)
        after.update(values)
        self.ha_rules[v['rule']] = after
        return None

    async def _hr_delete(self, v, user):
        self._hr_rule(v['rule'])
        del self.ha_rules[v['rule']]
        return None
