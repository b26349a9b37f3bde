# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the generative harness knows about each state module, kept small and declarative.

For every state module a ``Knowledge``: value strategies for the options that need domain values (names
that exist in the harness seed beside fresh ones, valid property strings, sizes), options never drawn,
``derive`` (dependent values: a realm's settings by its type, a firewall rule's ports by its protocol),
when the params are idempotent, and ``readback``: what the module's info counterpart (or its result)
must show afterwards, after PVE's own normalisation.

The harness seed is the demo seed plus a few objects made through the API (``harness_seed``), so every
module meets existing resources as well as fresh names: group ``ops`` (alice), role ``Ops``, token
``alice@pve!ci``, LDAP realm ``corp``, cluster firewall rule ``ssh``, security group ``web``, alias ``office``, IP set ``mon``, VM 100's
firewall on, HA resource ``vm:103``, snapshots ``pre`` of VM 102 and CT 201, backup job ``nightly``, SDN vlan
zone ``hz`` with vnet ``hweb`` and its subnet 10.30.0.0/24 (applied).
Strings such as ``@task0`` are facts of the seed (the UPIDs of its tasks), filled in at run time.
"""

import copy
import string

from hypothesis import strategies as st

from tests.helpers.argspec_strategies import TEXT, WORD

NODES = ['pve1', 'pve2', 'pve3']
VMS = {100: 'web01', 101: 'db01', 102: 'build01', 103: 'monitor01', 9000: 'debian-12-cloudinit'}
CTS = {200: 'proxy01', 201: 'cache01'}
GUESTS = {**VMS, **CTS}
USERS = ['alice@pve', 'bob@pve', 'root@pam']
STORAGES = ['local', 'local-lvm', 'backup-nfs']
VM_BACKUP = 'backup-nfs:backup/vzdump-qemu-100-2025_11_23-02_00_04.vma.zst'
CT_BACKUP = 'backup-nfs:backup/vzdump-lxc-200-2025_11_23-02_10_11.tar.zst'
ISO = 'local:iso/debian-12.7.0-amd64-netinst.iso'
CT_TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst'
PRIVILEGES = ['VM.Audit', 'VM.PowerMgmt', 'VM.Console', 'VM.Config.CPU', 'VM.Config.Memory', 'VM.Snapshot',
              'Datastore.Audit', 'Datastore.AllocateSpace', 'Sys.Audit', 'Pool.Audit']


def one_of_or_fresh(existing, fresh):
    return st.one_of(st.sampled_from(list(existing)), fresh)


def lists(strategy, max_size=3):
    return st.lists(strategy, max_size=max_size, unique=True)


def _mostly(draw):
    """True three times in four: an example made consistent; the rest stay as drawn, to be refused. (Not on the
    draw of 0: Hypothesis favours its simplest values, so they would stay as drawn mostly.)"""
    return draw(st.integers(0, 3)) != 3


IDENT = st.builds(lambda a, b: a + b, st.sampled_from(string.ascii_lowercase),
                  st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8))
FRESH_VMID = st.integers(min_value=150, max_value=199)
SIZE_G = st.integers(min_value=1, max_value=64).map(lambda n: '{0}G'.format(n))
EMAIL = IDENT.map(lambda n: n + '@example.com')
TAG = st.sampled_from(['prod', 'web', 'db', 'ci', 'ops', 'cache', 'new', 'Prod'])
# The real vzdump archives of the harness (tests/helpers/generated_modules.py writes them).
VMA_FILE = 'vzdump-qemu-4101-2026_11_20-03_00_00.vma'
TAR_FILE = 'vzdump-lxc-4201-2026_11_21-04_30_00.tar'


def tag_set(tags):
    """Tags as PVE keeps them: each once, compared without case (get_unique_tags)."""
    return sorted(set(t.lower() for t in tags))
IPV4 = st.sampled_from(['192.0.2.10', '192.0.2.0/24', '198.51.100.7', '10.10.0.0/16'])
RETENTION = st.fixed_dictionaries({}, optional={
    'keep_last': st.integers(1, 10), 'keep_daily': st.integers(1, 14), 'keep_weekly': st.integers(1, 8),
    'keep_monthly': st.integers(1, 12)})
ALL_RETENTION = st.one_of(RETENTION, st.just({'keep_all': True}))


class Knowledge:
    """One module's knowledge (see the module docstring)."""

    def __init__(self, values=None, omit=(), require=(), fixed=None, derive=None, idempotent=True,
                 deterministic=True, readback=None, no_diff=False, writes_unchanged=False, rerun_refused=False):
        self.values = dict(values or {})
        self.omit = tuple(omit)
        self.require = tuple(require)
        self.fixed = dict(fixed or {})
        self._derive = derive
        self._idempotent = idempotent
        self._deterministic = deterministic
        self._readback = readback
        self._no_diff = no_diff
        self._writes_unchanged = writes_unchanged
        self._rerun_refused = rerun_refused

    def derive(self, draw, params):
        return self._derive(draw, params) if self._derive else params

    def _ask(self, value, params):
        return value(params) if callable(value) else value

    def idempotent(self, params):
        return self._ask(self._idempotent, params)

    def deterministic(self, params):
        return self._ask(self._deterministic, params)

    def no_diff(self, params):
        return self._ask(self._no_diff, params)

    def writes_unchanged(self, params):
        return self._ask(self._writes_unchanged, params)

    def rerun_refused(self, params):
        return self._ask(self._rerun_refused, params)

    def readback(self, quartet, params, result):
        if result.get('failed') or self._readback is None:
            return []
        problems = []
        self._readback(quartet, params, result, problems)
        return problems


def same(problems, label, asked, shown):
    """Note a difference; an empty string or list and an absent value are the same (PVE deletes empty options;
    an empty list of an option of another interface type, bond_slaves: [] on a bridge, is shown as none)."""
    if asked != shown and not (asked in ('', None, []) and shown in ('', None, [])):
        problems.append('{0}: asked {1!r}, shows {2!r}'.format(label, asked, shown))


def given(params, *names):
    """The names among params that were given (not None)."""
    return [n for n in names if params.get(n) is not None]


def members(asked, shown, append):
    """What a member list should show: exactly asked, or at least asked with append."""
    asked, shown = set(asked), set(shown or ())
    return (asked <= shown) if append else (asked == shown)


# ------------------------------------------------------------------------------------------ access

def _group_readback(q, p, result, problems):
    found = q.info('group_info', {'groupid': p['groupid']}).get('groups') or []
    if p.get('state') == 'absent':
        same(problems, 'group exists', False, bool(found))
        return
    group = found[0] if found else {}
    if p.get('comment') is not None:
        same(problems, 'comment', p['comment'], group.get('comment'))
    if p.get('members') is not None and not members(p['members'], group.get('members'), p.get('append')):
        same(problems, 'members', sorted(p['members']), sorted(group.get('members') or []))


def _role_readback(q, p, result, problems):
    found = q.info('role_info', {'roleid': p['roleid']}).get('roles') or []
    if p.get('state') == 'absent':
        same(problems, 'role exists', False, bool(found))
        return
    role = found[0] if found else {}
    if p.get('privileges') is not None and not members(p['privileges'], role.get('privileges'), p.get('append')):
        same(problems, 'privileges', sorted(p['privileges']), sorted(role.get('privileges') or []))


def _user_derive(draw, p):
    if p['userid'] == 'root@pam':
        p.pop('password', None)  # the harness logs in as root@pam
    return p


def _user_readback(q, p, result, problems):
    found = q.info('user_info', {'userid': p['userid']}).get('users') or []
    if p.get('state') == 'absent':
        same(problems, 'user exists', False, bool(found))
        return
    user = found[0] if found else {}
    for key in given(p, 'email', 'firstname', 'lastname', 'comment', 'enable', 'expire', 'keys'):
        same(problems, key, p[key], user.get(key))
    if p.get('groups') is not None and not members(p['groups'], user.get('groups'), p.get('append')):
        same(problems, 'groups', sorted(p['groups']), sorted(user.get('groups') or []))


def _acl_readback(q, p, result, problems):
    entries = q.info('acl_info', {'path': p['path']}).get('acl') or []
    shown = set((e['roleid'], e['type'], e['ugid'], bool(e.get('propagate'))) for e in entries)
    asked = set()
    for kind, key in (('user', 'users'), ('group', 'groups'), ('token', 'tokens')):
        for ugid in p.get(key) or []:
            for role in p['roles']:
                asked.add((role, kind, ugid))
    present = set(e[:3] for e in shown)
    if p.get('state') == 'absent':
        same(problems, 'entries left', [], sorted(asked & present))
        return
    same(problems, 'entries missing', [], sorted(asked - present))
    propagate = p.get('propagate', True)
    wrong = sorted(e for e in shown if e[:3] in asked and e[3] != propagate)
    same(problems, 'entries with another propagate', [], wrong)
    if p.get('exclusive') and asked:
        same(problems, 'other entries on the path', [], sorted(present - asked))


def _token_full(p):
    tokenid = p['tokenid']
    return tokenid if '!' in tokenid else '{0}!{1}'.format(p.get('userid'), tokenid)


def _token_readback(q, p, result, problems):
    full = _token_full(p)
    userid, tokenid = full.split('!', 1)
    found = [t for t in q.info('token_info', {'userid': userid}).get('tokens') or [] if t['tokenid'] == tokenid]
    if p.get('state') == 'absent':
        same(problems, 'token exists', False, bool(found))
        return
    token = found[0] if found else {}
    for key in given(p, 'privsep', 'expire', 'comment'):
        same(problems, key, p[key], token.get(key))


REALM_SETTINGS = {
    'ldap': st.fixed_dictionaries({'server1': st.sampled_from(['ldap.example.com', '192.0.2.20']),
                                   'base_dn': st.sampled_from(['dc=example,dc=com', 'ou=people,dc=example,dc=org']),
                                   'user_attr': st.sampled_from(['uid', 'cn'])},
                                  optional={'port': st.integers(1, 65535), 'mode': st.sampled_from(['ldap', 'ldaps'])}),
    'ad': st.fixed_dictionaries({'server1': st.just('dc1.example.com'), 'domain': st.just('example.com')}),
    'openid': st.fixed_dictionaries({'issuer-url': st.just('https://id.example.com/realms/pve'),
                                     'client-id': st.sampled_from(['pve', 'proxmox'])}),
    'pam': st.just({}),
    'pve': st.just({}),
}


def _realm_derive(draw, p):
    name = p.get('realm', p.get('name'))
    if name in ('pam', 'pve'):
        p['type'] = draw(st.sampled_from([name, name, 'ldap']))
    elif name == 'corp':
        p['type'] = draw(st.sampled_from(['ldap', 'ldap', 'ad']))
    if 'settings' in p:
        p['settings'] = draw(REALM_SETTINGS[p['type']])
    if p['type'] != 'ldap' and p['type'] != 'ad':
        p.pop('bind_password', None)
    if p['type'] != 'openid':
        p.pop('client_key', None)
    if p['type'] in ('ldap', 'ad') and p.get('sync'):
        # pvesim has no directory server: its sync task fails as PVE's does when the server cannot be reached,
        # which no module can know beforehand (a pam or pve realm with sync stays: it is refused before any write)
        p.pop('sync')
    return p


def _realm_readback(q, p, result, problems):
    realm = result.get('realm') or {}
    if p.get('state') == 'absent':
        same(problems, 'realm in the result', {}, realm or {})
        return
    settings = realm.get('settings') or {}
    if p.get('comment') is not None:
        same(problems, 'comment', p['comment'], settings.get('comment'))
    if p.get('default') is not None:
        same(problems, 'default', p['default'], bool(_int(settings.get('default', 0))))
    for key, value in (p.get('settings') or {}).items():
        same(problems, 'settings.' + key, str(value), _str(settings.get(key)))


def _pool_readback(q, p, result, problems):
    poolid = p.get('poolid', p.get('name'))
    found = q.info('pool_info', {'poolid': poolid}).get('pools') or []
    if p.get('state') == 'absent':
        same(problems, 'pool exists', False, bool(found))
        return
    pool = found[0] if found else {}
    if p.get('comment') is not None:
        same(problems, 'comment', p['comment'], pool.get('comment'))
    if p.get('vms') is not None:
        asked = set(_vmid(v) for v in p['vms'])
        if not members(asked, pool.get('vms'), p.get('append')):
            same(problems, 'vms', sorted(asked), sorted(pool.get('vms') or []))
    if p.get('storage') is not None and not members(p['storage'], pool.get('storage'), p.get('append')):
        same(problems, 'storage', sorted(p['storage']), sorted(pool.get('storage') or []))


def _vmid(ref):
    if str(ref).isdigit():
        return int(ref)
    return next(vmid for vmid, name in GUESTS.items() if name == ref)


ACCESS = {
    'group': Knowledge(
        values={'groupid': one_of_or_fresh(['ops'], IDENT), 'comment': TEXT,
                'members': lists(st.sampled_from(USERS))},
        readback=_group_readback),
    'role': Knowledge(
        values={'roleid': one_of_or_fresh(['Ops', 'PVEAuditor'], IDENT.map(str.capitalize)),
                'privileges': lists(st.sampled_from(PRIVILEGES), 4)},
        readback=_role_readback),
    'user': Knowledge(
        values={'userid': one_of_or_fresh(USERS, IDENT.map(lambda n: n + '@pve')),
                'password': st.sampled_from(['correct-horse-1', 'battery-staple-2']), 'email': EMAIL,
                'firstname': WORD, 'lastname': WORD, 'comment': TEXT,
                'expire': st.sampled_from([0, 4102444800]), 'keys': st.just(''),
                'groups': lists(st.sampled_from(['ops']))},
        omit=('force',), derive=_user_derive, readback=_user_readback,
        # a disabled user cannot log in, so update_password=always cannot tell its password: set every run
        idempotent=lambda p: not (p.get('password') and p.get('update_password') == 'always'
                                  and p.get('enable') is False)),
    'acl': Knowledge(
        values={'path': st.sampled_from(['/', '/vms', '/vms/100', '/pool/demo', '/storage/local', '/nodes/pve1',
                                         '/access/groups']),
                'roles': lists(st.sampled_from(['PVEAuditor', 'PVEVMUser', 'Ops', 'NoAccess']), 2),
                'users': lists(st.sampled_from(['alice@pve', 'bob@pve'])), 'groups': lists(st.just('ops')),
                'tokens': lists(st.just('alice@pve!ci'))},
        omit=('force',), readback=_acl_readback),
    'token': Knowledge(
        values={'userid': st.sampled_from(USERS),
                'tokenid': st.one_of(st.sampled_from(['ci', 'alice@pve!ci']), IDENT),
                'expire': st.sampled_from([0, 4102444800]), 'comment': TEXT},
        omit=('force',), idempotent=lambda p: not p.get('regenerate'), readback=_token_readback),
    'realm': Knowledge(
        values={'realm': one_of_or_fresh(['pam', 'pve', 'corp'], IDENT), 'comment': TEXT,
                'bind_password': st.just('bind-secret-1'), 'client_key': st.just('client-key-1')},
        derive=_realm_derive, omit=('timeout', 'sync_scope'),
        idempotent=lambda p: not p.get('sync') and not (
            p.get('update_secret') == 'always' and (p.get('bind_password') or p.get('client_key'))),
        readback=_realm_readback),
    'pool': Knowledge(
        values={'poolid': one_of_or_fresh(['demo'], st.one_of(IDENT, IDENT.map(lambda n: 'demo/' + n))),
                'comment': TEXT,
                'vms': lists(st.sampled_from(['100', 'web01', '102', 'build01', '200', '201', 'cache01'])),
                'storage': lists(st.sampled_from(STORAGES))},
        readback=_pool_readback),
}


# ---------------------------------------------------------------------------------------- firewall

MACROS = st.sampled_from(['SSH', 'HTTP', 'HTTPS', 'Ping', 'DNS'])
RULE_FIELDS = {
    'action': st.sampled_from(['ACCEPT', 'DROP', 'REJECT']), 'macro': MACROS, 'source': IPV4, 'dest': IPV4,
    'proto': st.sampled_from(['tcp', 'udp', 'icmp']), 'dport': st.sampled_from(['22', '80,443', '8000:8100']),
    'sport': st.sampled_from(['1024:65535', '53']), 'icmp_type': st.sampled_from(['echo-request', 'any']),
    'iface': st.sampled_from(['net0', 'vmbr0']),
}


def _fix_rule(p, level):
    """A rule PVE takes: ports with tcp/udp only, an ICMP type with icmp only, a guest's iface netN."""
    if p.get('type') == 'group':
        p['action'] = 'web'
        for key in ('macro', 'proto', 'dport', 'sport', 'icmp_type', 'source', 'dest'):
            p.pop(key, None)
    if p.get('proto') not in ('tcp', 'udp'):
        p.pop('dport', None)
        p.pop('sport', None)
    if p.get('proto') != 'icmp':
        p.pop('icmp_type', None)
    if p.get('macro'):
        p.pop('proto', None)
        p.pop('dport', None)
        p.pop('sport', None)
        p.pop('icmp_type', None)
    if 'iface' in p:
        p['iface'] = 'net0' if level in ('vm', 'container') else 'vmbr0'
    if level in ('vm', 'container', 'group') and p.get('type') in ('forward', 'group' if level == 'group' else ''):
        p['type'] = 'in'
    return p


def _target(draw, p, levels):
    level = p.get('level', 'cluster')
    for key in ('node', 'vmid', 'name', 'group'):
        p.pop(key, None)
    if level == 'node':
        p['node'] = draw(st.sampled_from(NODES))
    elif level in ('vm', 'container'):
        guests = VMS if level == 'vm' else CTS
        vmid = draw(st.one_of(st.sampled_from(sorted(guests)), FRESH_VMID))
        if vmid in guests and draw(st.booleans()):
            p['name'] = guests[vmid]
        else:
            p['vmid'] = vmid
    elif level == 'group':
        p['group'] = draw(one_of_or_fresh(['web'], IDENT))
    return p


def _rule_derive(draw, p):
    _target(draw, p, None)
    if p.get('state', 'present') == 'present' or p.get('identify_by') == 'fields':
        p.setdefault('action', 'ACCEPT')
    if 'comment' in p:
        p['comment'] = draw(one_of_or_fresh(['ssh'], IDENT))
    return _fix_rule(p, p.get('level', 'cluster'))


def _rule_match(rule, p):
    for key in ('type', 'action', 'macro', 'source', 'dest', 'proto', 'dport', 'sport', 'iface', 'icmp_type'):
        want = p.get(key, 'in' if key == 'type' else None)
        have = rule.get(key)
        if key == 'macro' and want and have:
            want, have = want.lower(), have.lower()
        if want != have:
            return False
    return (p.get('log') or 'nolog') == (rule.get('log') or 'nolog')


def _firewall_rules(q, p):
    args = dict((k, p[k]) for k in ('level', 'node', 'vmid', 'name', 'group') if k in p)
    info = q.info('firewall_info', dict(args, gather=['rules']))
    return (info.get('firewall') or {}).get('rules') or []


def _rule_readback(q, p, result, problems):
    rules = _firewall_rules(q, p)
    by_comment = p.get('comment') is not None and p.get('identify_by') != 'fields'
    if by_comment:
        found = [r for r in rules if r.get('comment') == p['comment']]
    else:
        found = [r for r in rules if _rule_match(r, p)]
    if p.get('state') == 'absent' and p.get('pos') is not None:
        # pos chooses among the matching rules: only the one at pos goes (the others shift up into place)
        removed = result.get('removed')
        if removed not in (0, 1):
            same(problems, 'rules removed at one position', '0 or 1', removed)
        elif removed == 0:
            same(problems, 'matching rule left at pos', [], [r for r in found if r.get('pos') == p['pos']])
        return
    if p.get('state') == 'absent':
        same(problems, 'matching rules left', [], found)
        return
    if len(found) != 1:
        same(problems, 'rules found', 1, len(found))
        return
    rule = found[0]
    if by_comment and not _rule_match(rule, p):
        same(problems, 'rule fields', dict((k, p[k]) for k in p if k in RULE_FIELDS or k in ('type', 'log')), rule)
    same(problems, 'enable', p.get('enable', True), bool(rule.get('enable')))
    if p.get('pos') is not None:
        same(problems, 'pos', min(p['pos'], len(rules) - 1), rule.get('pos'))


OPTION_VALUES = {
    'cluster': st.fixed_dictionaries({}, optional={'ebtables': st.booleans(), 'policy_forward': st.sampled_from(
        ['ACCEPT', 'DROP']), 'log_ratelimit': st.just('enable=1,burst=10,rate=5/second')}),
    'node': st.fixed_dictionaries({}, optional={'nf_conntrack_max': st.integers(32768, 999999),
                                                'log_level_in': st.sampled_from(['info', 'nolog']),
                                                'tcpflags': st.booleans(), 'nosmurfs': st.booleans()}),
    'vm': st.fixed_dictionaries({}, optional={'macfilter': st.booleans(), 'ipfilter': st.booleans(),
                                              'dhcp': st.booleans(), 'log_level_in': st.sampled_from(['info', 'nolog'])}),
}
OPTION_VALUES['container'] = OPTION_VALUES['vm']


def _options_derive(draw, p):
    _target(draw, p, None)
    level = p.get('level', 'cluster')
    if 'options' in p:
        p['options'] = draw(OPTION_VALUES[level])
    if level == 'node':
        p.pop('policy_in', None)
        p.pop('policy_out', None)
    return p


def _bool01(value):
    return int(value) if isinstance(value, bool) else value


def _options_readback(q, p, result, problems):
    args = dict((k, p[k]) for k in ('level', 'node', 'vmid', 'name') if k in p)
    shown = (q.info('firewall_info', dict(args, gather=['options'])).get('firewall') or {}).get('options') or {}
    asked = dict(p.get('options') or {})
    for key in ('enable', 'policy_in', 'policy_out'):
        if p.get(key) is not None:
            asked[key] = p[key]
    for key, value in asked.items():
        same(problems, key, _bool01(value), _bool01(shown.get(key)))


def _group_rules_derive(draw, p):
    if 'rules' in p:
        p['rules'] = [_fix_rule(dict((k, v) for k, v in rule.items() if v is not None), 'group')
                      for rule in p['rules']]
        for rule in p['rules']:
            rule.setdefault('action', 'ACCEPT')
    return p


def _security_group_readback(q, p, result, problems):
    name = p.get('name', p.get('group'))
    groups = [g for g in q.info('firewall_info', {'gather': ['groups']}).get('groups') or [] if g['name'] == name]
    if p.get('state') == 'absent':
        same(problems, 'group exists', False, bool(groups))
        return
    group = groups[0] if groups else {}
    if p.get('comment') is not None:
        same(problems, 'comment', p['comment'], group.get('comment') or '')
    if p.get('rules') is not None:
        rules = group.get('rules') or []
        same(problems, 'number of rules', len(p['rules']), len(rules))
        for asked, rule in zip(p['rules'], rules, strict=False):
            if not _rule_match(rule, asked) or bool(rule.get('enable')) != asked.get('enable', True):
                same(problems, 'rule {0}'.format(rule.get('pos')), asked, rule)


def _ha_derive(draw, p):
    for key in ('sid', 'vmid', 'name'):
        p.pop(key, None)
    vmid = draw(st.sampled_from([103, 100, 200, 102, 177]))
    how = draw(st.sampled_from(['sid', 'bare', 'vmid', 'name']))
    if how == 'sid':
        p['sid'] = '{0}:{1}'.format('ct' if vmid in CTS else 'vm', vmid)
    elif how == 'bare':
        p['sid'] = str(vmid)
    elif how == 'name' and vmid in GUESTS:
        p['name'] = GUESTS[vmid]
    else:
        p['vmid'] = vmid
    return p


def _ha_readback(q, p, result, problems):
    sid = result.get('sid')
    found = [r for r in q.info('ha_info', {'gather': ['resources']}).get('resources') or [] if r['sid'] == sid]
    if p.get('state') == 'absent':
        same(problems, 'HA resource exists', False, bool(found))
        return
    resource = found[0] if found else {}
    for key, shown in (('ha_state', 'state'), ('max_restart', 'max_restart'), ('max_relocate', 'max_relocate'),
                       ('comment', 'comment')):
        if p.get(key) is not None:
            same(problems, key, p[key], resource.get(shown))


FIREWALL = {
    'firewall_rule': Knowledge(values=RULE_FIELDS, derive=_rule_derive, readback=_rule_readback,
                               omit=('node', 'vmid', 'name', 'group')),
    'firewall_options': Knowledge(derive=_options_derive, readback=_options_readback,
                                  omit=('node', 'vmid', 'name')),
    'security_group': Knowledge(
        values={'name': one_of_or_fresh(['web'], IDENT), 'comment': TEXT,
                'rules': st.lists(st.fixed_dictionaries(
                    {'type': st.sampled_from(['in', 'out'])},
                    optional=dict(RULE_FIELDS, enable=st.booleans(), comment=IDENT,
                                  log=st.sampled_from(['info', 'nolog']))), max_size=3)},
        derive=_group_rules_derive, readback=_security_group_readback),
    'ha_resource': Knowledge(values={'max_restart': st.integers(0, 5), 'max_relocate': st.integers(0, 5),
                                     'comment': TEXT}, derive=_ha_derive, readback=_ha_readback,
                             omit=('sid', 'vmid', 'name')),
}


# ------------------------------------------------------------------------------------ tasks, console

def _console_derive(draw, p):
    for key in ('vmid', 'name'):
        p.pop(key, None)
    vmid = draw(st.one_of(st.sampled_from(sorted(GUESTS)), FRESH_VMID))
    if vmid in GUESTS and draw(st.booleans()):
        p['name'] = GUESTS[vmid]
    else:
        p['vmid'] = vmid
    return p


def _node_derive(draw, p):
    # A node that is shut down cannot be read or configured: a shutdown run takes no settings.
    if p.get('state') == 'stopped':
        for key in ('description', 'wakeonlan', 'startall_onboot_delay', 'ballooning_target', 'dns', 'timezone',
                    'hosts'):
            p.pop(key, None)
    return p


def _node_repository_readback(q, p, result, problems):
    listed = q.sim.proxmoxer().nodes(p['node']).apt.repositories.get()
    status = next((r.get('status') for r in listed['standard-repos'] if r['handle'] == p['handle']), None)
    same(problems, 'enabled', p.get('state', 'present') == 'present', bool(status))


def _node_readback(q, p, result, problems):
    node = q.info('node_info', {'node': p['node'], 'gather': ['config', 'dns', 'time']}).get('node') or {}
    config = node.get('config') or {}
    if p.get('description') is not None:
        same(problems, 'description', p['description'].strip(), (config.get('description') or '').strip())
    for option, key in (('startall_onboot_delay', 'startall-onboot-delay'), ('ballooning_target', 'ballooning-target')):
        if p.get(option) is not None:
            same(problems, option, p[option], config.get(key))
    if p.get('wakeonlan') is not None:
        same(problems, 'wakeonlan', p['wakeonlan'].lower(), (config.get('wakeonlan') or '').lower())
    for key, value in (p.get('dns') or {}).items():
        if value:
            same(problems, 'dns.' + key, value, (node.get('dns') or {}).get(key))
    if p.get('timezone') is not None:
        same(problems, 'timezone', p['timezone'], (node.get('time') or {}).get('timezone'))
    if p.get('state') == 'stopped' and not result.get('failed'):
        same(problems, 'status', 'offline', result['node']['status'])


NODE_SETTINGS = {
    'node': st.sampled_from(NODES * 4 + ['pve9']), 'target': st.sampled_from(NODES), 'description': TEXT,
    'wakeonlan': st.sampled_from(['aa:bb:cc:00:11:22', 'AA:BB:CC:00:11:33,broadcast-address=192.0.2.255']),
    'startall_onboot_delay': st.integers(0, 300), 'ballooning_target': st.integers(0, 100),
    'dns': st.fixed_dictionaries({}, optional={'search': st.sampled_from(['example.com', 'pvesim.lan']),
                                               'dns1': st.sampled_from(['192.0.2.53', '198.51.100.53']),
                                               'dns2': st.sampled_from(['192.0.2.54', '2001:db8::53'])}),
    'timezone': st.sampled_from(['UTC', 'Europe/Vienna', 'America/New_York']),
    'hosts': st.sampled_from(['127.0.0.1 localhost\n', '127.0.0.1 localhost\n192.0.2.11 pve1.example.com pve1\n']),
}


OTHER = {
    'task': Knowledge(values={'upid': st.sampled_from([
        '@task0', '@task1', 'UPID:pve1:000FFFFF:00001B58:6744A1C0:qmstart:100:root@pam:', 'not-a-upid'])},
        omit=('timeout',)),
    # A ticket is a write request that changes no configuration: always changed false, never a diff.
    'console': Knowledge(derive=_console_derive, omit=('vmid', 'name'), idempotent=False,
                         writes_unchanged=True),
    # A reboot is always a change (Ansible's restarted); waiting is bounded by the module's own timeout.
    'node': Knowledge(values=NODE_SETTINGS, derive=_node_derive, omit=('timeout', 'wait'),
                      idempotent=lambda p: p.get('state') != 'restarted', readback=_node_readback),
    # SSH to pve1's endpoint of the harness simulator; a refresh is a write request each time (no change).
    'node_updates': Knowledge(
        fixed={'node': 'pve1', 'ssh_host': '127.0.0.1', 'ssh_port': '@ssh_port', 'ssh_password': '@ssh_password',
               'ssh_host_key_fingerprint': '@ssh_fingerprint'},
        omit=('ssh_known_hosts', 'ssh_private_key_file', 'ssh_user', 'timeout'),
        idempotent=lambda p: not p.get('refresh'), writes_unchanged=lambda p: bool(p.get('refresh')),
        readback=lambda q, p, result, problems: p.get('state') == 'latest' and same(
            problems, 'pending after the upgrade', [], result.get('updates'))),
    # The node's standard repositories as PVE lists them afterwards: present is enabled, absent leaves none enabled.
    'node_repository': Knowledge(values={'node': st.sampled_from(NODES)}, readback=_node_repository_readback),
    # Real archives (@vma_file, @tar_file) copied over SFTP to pve1's endpoint; names valid, of the other kind, or bad.
    'backup_archive': Knowledge(
        values={'storage': st.sampled_from(['backup-nfs', 'local', 'local-lvm']),
                'src': st.sampled_from(['@vma_file', '@tar_file']),
                'name': st.sampled_from([VMA_FILE, TAR_FILE, 'vzdump-qemu-4102-2026_11_20-03_00_00.vma.gz',
                                         'vzdump-lxc-4101-2026_11_20-03_00_00.vma', 'backup.tar'])},
        fixed={'node': 'pve1', 'ssh_host': '127.0.0.1', 'ssh_port': '@ssh_port', 'ssh_password': '@ssh_password',
               'ssh_host_key_fingerprint': '@ssh_fingerprint'},
        omit=('ssh_known_hosts', 'ssh_private_key_file', 'ssh_user', 'timeout'),
        readback=lambda q, p, result, problems: _archive_readback(q, p, result, problems)),
}


def _archive_readback(q, p, result, problems):
    listed = q.info('storage_info', {'name': p['storage'], 'gather': ['content']}).get('content') or []
    found = [v for v in listed if v.get('volid') == result.get('volid')]
    same(problems, 'backup listed', p.get('state') != 'absent', bool(found))
    if found and p.get('state') != 'absent':
        same(problems, 'size', (result.get('archive') or {}).get('size'), found[0].get('size'))


# ------------------------------------------------------------------------------------------- guests

def _guest_ref(draw, p, guests, fresh=True):
    """vmid and/or name of an existing guest, or a fresh vmid (with or without a fresh name)."""
    for key in ('vmid', 'name', 'hostname'):
        p.pop(key, None)
    vmid = draw(st.one_of(st.sampled_from(sorted(guests)), FRESH_VMID) if fresh else st.sampled_from(sorted(guests)))
    how = draw(st.sampled_from(['vmid', 'name', 'both']))
    if vmid in guests:
        if how != 'name':
            p['vmid'] = vmid
        if how != 'vmid':
            p['name'] = guests[vmid]
    else:
        if how != 'name':
            p['vmid'] = vmid
        if how != 'vmid':
            p['name'] = draw(IDENT)
    return p


def _snapshot_derive(draw, p):
    _guest_ref(draw, p, GUESTS)
    if p.get('state') != 'rollback':
        p.pop('start', None)
    return p


def _snapshot_readback(q, p, result, problems):
    guest = result.get('guest') or {}
    module = 'container_info' if guest.get('type') == 'lxc' else 'vm_info'
    found = q.info(module, {'vmid': guest.get('vmid'), 'gather': ['snapshots']})
    items = (found.get('vms') or found.get('containers') or [{}])[0].get('snapshots') or []
    snap = [s for s in items if s.get('name') == p['snapname']]
    if p.get('state') == 'absent':
        same(problems, 'snapshot exists', False, bool(snap))
        return
    same(problems, 'snapshot exists', True, bool(snap))
    if snap and p.get('description') is not None and p.get('state', 'present') == 'present':
        # the description is set by state=present; a rollback leaves it alone
        same(problems, 'description', p['description'], snap[0].get('description') or '')


DISK_OPTIONS = st.fixed_dictionaries({}, optional={'discard': st.just('on'), 'cache': st.just('none')})
DISK = st.one_of(
    st.fixed_dictionaries({'slot': st.sampled_from(['scsi1', 'scsi2', 'virtio1']), 'storage': st.just('local-lvm'),
                           'size': SIZE_G}, optional={'options': st.one_of(DISK_OPTIONS, st.just({'iothread': 1}))}),
    st.fixed_dictionaries({'slot': st.just('sata1'), 'storage': st.just('local-lvm'), 'size': SIZE_G},
                          optional={'options': st.one_of(DISK_OPTIONS, st.just({'ssd': 1}))}))
EFIDISK = st.fixed_dictionaries({'slot': st.just('efidisk0'), 'storage': st.just('local-lvm'),
                                 'size': st.sampled_from(['4M', '528K'])})
CDROM = st.fixed_dictionaries({'slot': st.just('ide2'), 'volume': st.just(ISO),
                               'options': st.just({'media': 'cdrom'})})
VM_NET = st.fixed_dictionaries({'index': st.integers(0, 2), 'bridge': st.just('vmbr0')}, optional={
    'model': st.sampled_from(['virtio', 'e1000']), 'tag': st.integers(1, 4094), 'firewall': st.booleans()})
VM_CONFIG = st.fixed_dictionaries({}, optional={'vga': st.sampled_from(['serial0', 'std']),
                                                'scsihw': st.just('virtio-scsi-single'), 'template': st.just(1),
                                                'hotplug': st.just('disk,network,usb')})


def _vm_derive(draw, p):
    _guest_ref(draw, p, VMS)
    if p.get('clone'):
        p.pop('disks', None)
    if p.get('memory') is not None and p.get('balloon') is not None:
        p['balloon'] = min(p['balloon'], p['memory'])
    if p.get('state') != 'absent':
        p.pop('purge', None)
    return p


def _vm_readback(q, p, result, problems):
    vm = result.get('vm') or {}
    vmid = vm.get('vmid', p.get('vmid'))
    found = (q.info('vm_info', {'vmid': vmid, 'gather': ['config', 'pending']}).get('vms') or []) if vmid else []
    if p.get('state') == 'absent':
        same(problems, 'VM exists', False, bool(found))
        return
    if not found:
        problems.append('VM {0} not found after apply'.format(vmid))
        return
    shown = found[0]
    if p.get('update') is False:
        return  # an existing VM's configuration is left alone
    config = dict(shown.get('config') or {})
    config.update(_pending(shown))
    for key in given(p, 'cores', 'sockets', 'memory', 'balloon'):
        same(problems, key, p[key], _int(config.get(key)))
    for key in given(p, 'cpu', 'ostype', 'boot', 'agent', 'startup', 'description', 'ciuser', 'nameserver',
                     'searchdomain'):
        same(problems, key, str(p[key]), _str(config.get(key)))
    if p.get('onboot') is not None:
        same(problems, 'onboot', int(p['onboot']), _int(config.get('onboot', 0)))
    if p.get('tags') is not None:
        same(problems, 'tags', tag_set(p['tags']), tag_set(shown.get('tags') or []))
    if p.get('name') and p.get('vmid') is not None:
        same(problems, 'name', p['name'], shown.get('name'))
    if p.get('state') in ('started', 'stopped'):
        same(problems, 'status', 'running' if p['state'] == 'started' else 'stopped', shown.get('status'))
    for key, value in (p.get('config') or {}).items():
        if key == 'template':
            same(problems, 'template', bool(value), shown.get('template'))
        else:
            same(problems, 'config.' + key, str(value), _str(config.get(key)))


def _pending(shown):
    """The values a guest's pending section will give its config (vm_info: {key: {current, pending}})."""
    out = {}
    for key, value in (shown.get('pending') or {}).items():
        if isinstance(value, dict):
            if value.get('delete'):
                out[key] = None
            elif 'pending' in value:
                out[key] = value['pending']
        else:
            out[key] = value
    return out


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _str(value):
    return None if value is None else str(value)


CT_NET = st.fixed_dictionaries({'index': st.integers(0, 2), 'bridge': st.just('vmbr0')}, optional={
    'name': st.sampled_from(['eth0', 'eth1']), 'ip': st.sampled_from(['dhcp', '192.0.2.10/24']),
    'firewall': st.booleans(), 'tag': st.integers(1, 4094)})
CT_MOUNT = st.fixed_dictionaries({'index': st.integers(0, 2), 'storage': st.just('local-lvm'), 'size': SIZE_G,
                                  'path': st.sampled_from(['/mnt/data', '/srv'])})


def _ct_derive(draw, p):
    _guest_ref(draw, p, CTS)
    if p.get('clone') and p.get('ostemplate'):
        p.pop('ostemplate')
    if p.get('state') != 'absent':
        p.pop('purge', None)
    return p


def _ct_readback(q, p, result, problems):
    ct = result.get('container') or {}
    vmid = ct.get('vmid', p.get('vmid'))
    found = (q.info('container_info', {'vmid': vmid, 'gather': ['config', 'pending']}).get('containers')
             or []) if vmid else []
    if p.get('state') == 'absent':
        same(problems, 'container exists', False, bool(found))
        return
    if not found:
        problems.append('container {0} not found after apply'.format(vmid))
        return
    shown = found[0]
    if p.get('update') is False:
        return  # an existing container's configuration is left alone
    config = dict(shown.get('config') or {})
    config.update(_pending(shown))
    for key in given(p, 'cores', 'cpuunits', 'memory', 'swap'):
        same(problems, key, p[key], _int(config.get(key)))
    for key in given(p, 'startup', 'description', 'nameserver', 'searchdomain'):
        same(problems, key, p[key], _str(config.get(key)))
    if p.get('onboot') is not None:
        same(problems, 'onboot', int(p['onboot']), _int(config.get('onboot', 0)))
    if p.get('tags') is not None:
        same(problems, 'tags', tag_set(p['tags']), tag_set(shown.get('tags') or []))
    if p.get('state') in ('started', 'stopped'):
        same(problems, 'status', 'running' if p['state'] == 'started' else 'stopped', shown.get('status'))


GUEST_OMIT = ('vmid', 'name', 'timeout', 'wait', 'migrate')
GUESTS_KNOWLEDGE = {
    'snapshot': Knowledge(values={'snapname': one_of_or_fresh(['pre'], IDENT), 'description': TEXT},
                          derive=_snapshot_derive, omit=('vmid', 'name', 'timeout', 'wait'),
                          idempotent=lambda p: p.get('state') != 'rollback', readback=_snapshot_readback),
    'vm': Knowledge(
        values={'node': st.sampled_from(NODES), 'clone': st.sampled_from(['9000', 'debian-12-cloudinit', '102']),
                'storage': st.just('local-lvm'), 'pool': st.just('demo'), 'cores': st.integers(1, 8),
                'sockets': st.integers(1, 2), 'cpu': st.sampled_from(['host', 'x86-64-v2-AES', 'kvm64']),
                'memory': st.sampled_from([512, 1024, 2048, 4096, 3072]), 'balloon': st.sampled_from([0, 512, 1024]),
                'ostype': st.sampled_from(['l26', 'win11', 'other']),
                'disks': st.lists(st.one_of(DISK, EFIDISK, CDROM), max_size=2, unique_by=lambda d: d['slot']),
                'nets': st.lists(VM_NET, max_size=2, unique_by=lambda n: n['index']),
                'boot': st.sampled_from(['order=scsi0', 'order=scsi0;ide2']),
                'agent': st.sampled_from(['1', '0', 'enabled=1,fstrim_cloned_disks=1']),
                'startup': st.sampled_from(['order=2,up=30', 'order=1']), 'description': TEXT,
                'tags': st.lists(TAG, max_size=3), 'ciuser': WORD, 'cipassword': st.just('cloud-init-pw'),
                'sshkeys': st.just('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHarness harness@example'),
                'ipconfig': st.sampled_from([{0: 'ip=dhcp'}, ['ip=dhcp'], {'0': 'ip=192.0.2.30/24,gw=192.0.2.1'}]),
                'nameserver': st.just('192.0.2.53'), 'searchdomain': st.just('example.com'), 'config': VM_CONFIG},
        derive=_vm_derive, omit=GUEST_OMIT, idempotent=lambda p: p.get('state') != 'restarted',
        readback=_vm_readback),
    'container': Knowledge(
        values={'node': st.sampled_from(NODES), 'ostemplate': st.just(CT_TEMPLATE),
                'clone': st.sampled_from(['201', 'cache01']), 'storage': st.just('local-lvm'),
                'cores': st.integers(1, 4), 'cpulimit': st.sampled_from([0, 1, 1.5, 2]),
                'cpuunits': st.sampled_from([100, 1024, 2048]), 'memory': st.sampled_from([256, 512, 1024, 2048]),
                'swap': st.sampled_from([0, 256, 512]),
                'rootfs': st.fixed_dictionaries({'storage': st.just('local-lvm'), 'size': SIZE_G}),
                'mounts': st.lists(CT_MOUNT, max_size=2, unique_by=lambda m: m['index']),
                'nets': st.lists(CT_NET, max_size=2, unique_by=lambda n: n['index']),
                'features': st.sampled_from([{'nesting': True}, {'nesting': True, 'keyctl': True}, ['nesting'], {}]),
                'startup': st.sampled_from(['order=2,up=30', 'order=1']), 'description': TEXT,
                'tags': st.lists(TAG, max_size=3), 'pool': st.just('demo'), 'nameserver': st.just('192.0.2.53'),
                'searchdomain': st.just('example.com'), 'ostype': st.sampled_from(['debian', 'ubuntu']),
                'password': st.just('container-pw-1'),
                'ssh_public_keys': st.just('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHarness harness@example'),
                'config': st.sampled_from([{}, {'protection': True}, {'timezone': 'host'}])},
        derive=_ct_derive, omit=GUEST_OMIT, idempotent=lambda p: p.get('state') != 'restarted',
        readback=_ct_readback),
}


# ------------------------------------------------------------------------------- storage and backup

STORAGE_TYPES = {
    'dir': {'path': st.sampled_from(['/srv/images', '/mnt/extra'])},
    'nfs': {'server': st.just('192.0.2.60'), 'export': st.just('/export/pve')},
    'lvmthin': {'vgname': st.just('pve'), 'thinpool': st.just('data2')},
    'cifs': {'server': st.just('192.0.2.61'), 'share': st.just('pve')},
    'pbs': {'server': st.just('192.0.2.62'), 'datastore': st.just('store1'), 'username': st.just('backup@pbs')},
}
CONTENT = {'dir': ['iso', 'vztmpl', 'backup', 'images', 'rootdir', 'snippets'], 'nfs': ['iso', 'backup', 'images'],
           'lvmthin': ['images', 'rootdir'], 'cifs': ['iso', 'backup'], 'pbs': ['backup']}
EXISTING_TYPES = {'local': 'dir', 'local-lvm': 'lvmthin', 'backup-nfs': 'nfs'}


def _storage_derive(draw, p):
    name = p.get('name', p.get('storage'))
    kind = EXISTING_TYPES.get(name) or draw(st.sampled_from(sorted(STORAGE_TYPES)))
    if name not in EXISTING_TYPES or 'type' in p:
        p['type'] = kind
    for other, fields in STORAGE_TYPES.items():
        for field in fields:
            if other != kind or name in EXISTING_TYPES:
                p.pop(field, None)
    if name not in EXISTING_TYPES:
        for field, strategy in STORAGE_TYPES[kind].items():
            p[field] = draw(strategy)
    if 'content' in p:
        p['content'] = draw(lists(st.sampled_from(CONTENT[kind]), 3))
    for field in ('shared', 'namespace', 'fingerprint', 'port', 'domain', 'subdir', 'pool'):
        p.pop(field, None)
    if kind not in ('dir', 'nfs', 'cifs') and 'options' in p:
        p['options'] = draw(st.sampled_from([{}, {'max-protected-backups': 3}] if kind == 'pbs' else [{}]))
    if kind != 'pbs':
        p.pop('encryption_key', None)
    if kind not in ('cifs', 'pbs'):
        p.pop('password', None)
    return p


def _storage_readback(q, p, result, problems):
    name = p.get('name', p.get('storage'))
    found = q.info('storage_info', {'name': name, 'gather': ['config']}).get('storages') or []
    if p.get('state') == 'absent':
        same(problems, 'storage exists', False, bool(found))
        return
    shown = found[0] if found else {}
    if p.get('content') is not None and p['content']:
        same(problems, 'content', sorted(set(p['content'])), sorted(shown.get('content') or []))
    if p.get('nodes') is not None:
        same(problems, 'nodes', sorted(set(p['nodes'])), sorted(shown.get('nodes') or []))
    if p.get('enabled') is not None:
        same(problems, 'enabled', p['enabled'], shown.get('enabled'))
    if p.get('retention') is not None:
        same(problems, 'retention', dict((k, v) for k, v in p['retention'].items() if v is not None),
             shown.get('prune-backups') or {})


def _backup_readback(q, p, result, problems):
    volids = result.get('volids') or []
    content = q.info('storage_info', {'name': p['storage'], 'gather': ['content'], 'content': 'backup'})
    shown = set(v['volid'] for v in content.get('content') or [])
    same(problems, 'backups missing', [], sorted(set(volids) - shown))


def _backup_job_readback(q, p, result, problems):
    job = result.get('job') or {}
    if p.get('state') == 'absent':
        same(problems, 'job in the result', {}, job or {})
        return
    for key in given(p, 'schedule', 'storage', 'mode', 'compress', 'comment', 'mailto', 'node', 'enabled'):
        same(problems, key, p[key], job.get(key))


def _content_derive(draw, p):
    storage = p['storage']
    if storage == 'backup-nfs':
        p['content'] = 'backup'
        p['volume'] = draw(st.sampled_from([VM_BACKUP, CT_BACKUP, 'backup-nfs:backup/vzdump-qemu-404.vma.zst']))
        for key in ('src', 'url', 'checksum', 'checksum_algorithm', 'filename', 'verify_certificates'):
            p.pop(key, None)
    else:
        p.pop('notes', None)
        p.pop('protected', None)
        if p.get('state') == 'absent':
            p.pop('url', None)
            p.pop('src', None)
        if p.get('url') or p.get('src'):
            p['content'] = draw(st.sampled_from(['iso', 'vztmpl']))
    return p


def _content_readback(q, p, result, problems):
    volume = result.get('volume') or {}
    listed = q.info('storage_info', {'name': p['storage'], 'gather': ['content']}).get('content') or []
    volid = volume.get('volid') or p.get('volume')
    found = [v for v in listed if v.get('volid') == volid]
    if p.get('state') == 'absent':
        same(problems, 'volume exists', False, bool(found))
        return
    if found:
        for key in given(p, 'notes', 'protected'):
            same(problems, key, p[key], found[0].get(key))


def _prune_readback(q, p, result, problems):
    storage = result.get('storage') or p.get('storage')
    if not storage:
        return
    listed = q.info('storage_info', {'name': storage, 'gather': ['content'], 'content': 'backup'}).get('content') or []
    shown = set(v['volid'] for v in listed)
    removed = [v.get('volid', v) if isinstance(v, dict) else v for v in result.get('removed') or []]
    same(problems, 'removed backups still listed', [], sorted(shown & set(removed)))


def _restore_readback(q, p, result, problems):
    guest = result.get('guest') or {}
    vmid = guest.get('vmid') or p.get('vmid')
    if not vmid:
        return
    kind = 'container_info' if 'lxc' in p['archive'] else 'vm_info'
    found = q.info(kind, {'vmid': vmid}).get('vms' if kind == 'vm_info' else 'containers') or []
    same(problems, 'restored guest exists', True, bool(found))


def _restore_derive(draw, p):
    """Mostly a restore that can happen: the archive of the kind asked for and a free vmid, or, with force, a
    stopped guest of the archive's kind on its node (VM 102 on pve1, CT 201 on pve3)."""
    if not _mostly(draw):
        return p
    if p.get('force'):
        p['vmid'] = draw(st.sampled_from([102, 201]))
        p['archive'] = VM_BACKUP if p['vmid'] == 102 else CT_BACKUP
        if p.get('guest_type'):
            p['guest_type'] = 'qemu' if p['vmid'] == 102 else 'lxc'
        p['node'] = 'pve1' if p['vmid'] == 102 else 'pve3'  # where the seed keeps them
        return p
    if not p.get('skip_existing'):
        p['vmid'] = draw(st.integers(300, 399))
    if p.get('guest_type') in ('qemu', 'lxc'):
        p['archive'] = VM_BACKUP if p['guest_type'] == 'qemu' else CT_BACKUP
    return p


STORAGE = {
    'storage': Knowledge(
        values={'name': one_of_or_fresh(STORAGES, IDENT), 'nodes': lists(st.sampled_from(NODES)),
                'retention': ALL_RETENTION, 'password': st.just('share-secret-1'),
                'encryption_key': st.just('autogen'),
                'options': st.sampled_from([{}, {'mkdir': False}, {'max-protected-backups': 3}])},
        derive=_storage_derive, omit=('path',),
        idempotent=lambda p: not (p.get('update_secrets') == 'always' and (p.get('password') or p.get('encryption_key'))),
        readback=_storage_readback),
    'storage_content': Knowledge(
        values={'storage': st.sampled_from(['local', 'backup-nfs']), 'node': st.sampled_from(NODES),
                'volume': st.sampled_from([ISO, 'iso/missing.iso']), 'notes': TEXT,
                'url': st.just('https://example.invalid/images/tiny.iso'), 'src': st.just('@iso_file'),
                'filename': st.just('tiny.iso')},
        derive=_content_derive, omit=('timeout', 'checksum', 'checksum_algorithm', 'force'),
        readback=_content_readback),
    'backup': Knowledge(
        values={'vmids': lists(st.sampled_from([100, 102, 200, 201, 177]), 2), 'pool': st.just('demo'),
                'exclude': lists(st.sampled_from([100, 200])), 'storage': st.sampled_from(['backup-nfs', 'local']),
                'notes': st.just('{{guestname}} harness'), 'max_age': st.sampled_from(['1d', '12h', '3600'])},
        omit=('timeout', 'all', 'prune'), idempotent=lambda p: bool(p.get('max_age')),
        deterministic=lambda p: bool(p.get('max_age')), readback=_backup_readback),
    'backup_job': Knowledge(
        values={'id': one_of_or_fresh(['nightly'], IDENT.map(lambda n: 'job-' + n)),
                'schedule': st.sampled_from(['daily', 'sat 02:00', '*-*-* 21:30', '02:00']),
                'storage': st.sampled_from(['backup-nfs', 'local']), 'vmids': lists(st.sampled_from([100, 101, 200])),
                'pool': st.just('demo'), 'exclude': lists(st.sampled_from([100, 200])),
                'node': st.sampled_from(NODES), 'notes_template': st.just('{{guestname}}'),
                'mailto': st.just('ops@example.com'), 'comment': TEXT, 'retention': ALL_RETENTION},
        readback=_backup_job_readback),
    'backup_prune': Knowledge(
        values={'storage': st.sampled_from(['backup-nfs', 'local']), 'node': st.sampled_from(NODES),
                'job': st.sampled_from(['nightly', 'missing-job']), 'vmid': st.sampled_from([100, 200]),
                'retention': ALL_RETENTION},
        omit=('timeout',), readback=_prune_readback),
    'restore': Knowledge(
        derive=_restore_derive,
        values={'archive': st.sampled_from([VM_BACKUP, CT_BACKUP]), 'node': st.sampled_from(NODES),
                'vmid': st.one_of(st.sampled_from([100, 102, 201]), st.integers(300, 399)),
                'storage': st.just('local-lvm'), 'pool': st.just('demo')},
        omit=('timeout',), idempotent=lambda p: not p.get('force'), readback=_restore_readback,
        # restored once, the vmid is taken: a re-run fails unless skip_existing (or force, which restores again,
        # but not over the guest it has just started: PVE restores over no running guest)
        rerun_refused=lambda p: not p.get('skip_existing') and (not p.get('force') or bool(p.get('start')))),
}

# ------------------------------------------------------------------------------------------- cluster

def _cluster_options_readback(q, p, result, problems):
    from ansible_collections.pve.ops.plugins.module_utils.cluster.options import options_view
    shown = options_view(q.info('cluster_info', {'gather': ['options']}).get('options') or {})
    for key in p.get('absent') or []:
        # PVE shows mac_prefix's default when datacenter.cfg has none
        removed = 'BC:24:11' if key == 'mac_prefix' else None
        same(problems, key + ' removed', removed, shown.get(key))
    for key, value in (result.get('options') or {}).items():
        same(problems, key, value, shown.get(key))


def _ha_rule_derive(draw, p):
    if _mostly(draw) and p.get('state') != 'absent':
        p = dict((k, v) for k, v in p.items() if v is not None)
        p['name'] = draw(st.sampled_from(['web-rule', 'keep-apart']))
        p.setdefault('type', draw(st.sampled_from(['node-affinity', 'resource-affinity'])))
        # the seed's one HA resource is vm:103 (given as vm:103 or 103)
        p['resources'] = [draw(st.sampled_from(['vm:103', '103']))]
        if p['type'] == 'node-affinity':
            p['nodes'] = draw(lists(st.sampled_from(['pve1', 'pve2:2', 'pve3:1']), 3)) or ['pve1']
        else:
            p.setdefault('affinity', draw(st.sampled_from(['positive', 'negative'])))
    kind = p.get('type')
    if kind == 'resource-affinity':
        p.pop('nodes', None)
        p.pop('strict', None)
    elif kind == 'node-affinity':
        p.pop('affinity', None)
    return p


def _ha_rule_readback(q, p, result, problems):
    found = [r for r in q.info('ha_info', {'gather': ['rules']}).get('rules') or [] if r['name'] == p['name']]
    if p.get('state') == 'absent':
        same(problems, 'rule exists', False, bool(found))
        return
    same(problems, 'rule', result.get('ha_rule'), found[0] if found else None)


_TARGET_OPTIONS = {'sendmail': ('mailto', 'mailto_user', 'from_address', 'author'),
                   'smtp': ('server', 'port', 'mode', 'username', 'password', 'mailto', 'mailto_user', 'from_address',
                            'author'),
                   'gotify': ('server', 'token'),
                   'webhook': ('url', 'method', 'headers', 'body', 'secrets')}


# What a new target of each type needs, mostly given (the seed's mail-to-root is PVE's sendmail target).
_TARGET_NEEDS = {'sendmail': {'mailto': ['root@example.com']}, 'smtp': {'server': 'mail.example.org',
                 'from_address': 'pve@example.com', 'mailto': ['root@example.com']},
                 'gotify': {'server': 'https://gotify.example.org', 'token': 'gotify-token-1'},
                 'webhook': {'url': 'https://chat.example.org/hook', 'method': 'post'}}


def _notification_target_derive(draw, p):
    if _mostly(draw) and p.get('state') != 'absent':
        p = dict((k, v) for k, v in p.items() if v is not None)
        p['name'] = draw(st.sampled_from(['mail-to-root', 'ops-mail', 'chat']))
        if p['name'] == 'mail-to-root':
            p['type'] = 'sendmail'
        kind = p.setdefault('type', draw(st.sampled_from(sorted(_TARGET_NEEDS))))
        for option, value in _TARGET_NEEDS[kind].items():
            if not p.get(option):
                p[option] = value
    kind = p.get('type')
    if kind in _TARGET_OPTIONS:
        for option in set(o for options in _TARGET_OPTIONS.values() for o in options) - set(_TARGET_OPTIONS[kind]):
            p.pop(option, None)
    return p


def _notification_target_idempotent(p):
    # update_secret=always writes a secret on every run: PVE never shows one to compare
    given = {'smtp': p.get('password'), 'gotify': p.get('token'), 'webhook': p.get('secrets') is not None}
    return not (p.get('update_secret') == 'always' and given.get(p.get('type')))


def _notification_readback(kind):
    def readback(q, p, result, problems):
        found = [t for t in q.info('notification_info', {'gather': [kind + 's']}).get(kind + 's') or []
                 if t['name'] == p['name']]
        if p.get('state') == 'absent':
            same(problems, kind + ' exists', False, bool(found))
            return
        same(problems, kind, result.get('notification_' + kind), found[0] if found else None)
    return readback


_BW = st.integers(0, 500000)
CLUSTER = {
    'ha_rule': Knowledge(
        values={'name': st.sampled_from(['web-rule', 'keep-apart', '1bad']),
                'resources': lists(st.sampled_from(['vm:103', '103', 'vm:100', 'ct:200']), 2),
                'nodes': lists(st.sampled_from(['pve1', 'pve2:2', 'pve3:1', 'pve9']), 3), 'comment': TEXT},
        derive=_ha_rule_derive, readback=_ha_rule_readback),
    'notification_target': Knowledge(
        values={'name': st.sampled_from(['mail-to-root', 'ops-mail', 'chat', '1bad']),
                'mailto': lists(EMAIL, 2), 'mailto_user': lists(st.sampled_from(['root@pam', 'alice@pve']), 2),
                'from_address': EMAIL, 'author': WORD, 'comment': TEXT,
                'server': st.sampled_from(['mail.example.org', 'https://gotify.example.org', '']),
                'port': st.integers(1, 65535), 'username': WORD,
                'password': st.sampled_from(['smtp-secret-1', 'smtp-secret-2']),
                'token': st.sampled_from(['gotify-token-1', 'gotify-token-2']),
                'url': st.sampled_from(['https://chat.example.org/hook', 'http://192.0.2.9:8080/x']),
                'headers': st.fixed_dictionaries({}, optional={'Content-Type': st.just('application/json'),
                                                               'X-Team': WORD}),
                'body': st.sampled_from(['', '{"text": "alert"}', 'plain body']),
                'secrets': st.fixed_dictionaries({}, optional={'key': st.just('webhook-secret-1'),
                                                               'other': st.just('webhook-secret-2')})},
        derive=_notification_target_derive, idempotent=_notification_target_idempotent,
        readback=_notification_readback('target')),
    # the harness seed has no ZFS pool, so a new job is refused as PVE refuses it (missing replicate feature)
    'replication': Knowledge(
        values={'vmid': st.sampled_from([100, 150, 999]), 'target': st.sampled_from(['pve1', 'pve2', 'pve9']),
                'schedule': st.sampled_from(['', '*/5', 'daily', 'not a schedule']), 'rate': st.sampled_from([0, 10.5, 50]),
                'comment': TEXT}),
    'notification_matcher': Knowledge(
        values={'name': st.sampled_from(['default-matcher', 'ops-errors', '1bad']),
                'targets': lists(st.sampled_from(['mail-to-root', 'ghost']), 2),
                'match_severity': lists(st.sampled_from(['error', 'warning,error', 'info', 'fatal']), 2),
                'match_field': lists(st.sampled_from(['exact:type=vzdump', 'regex:hostname=^pve', 'type=x']), 2),
                'match_calendar': lists(st.sampled_from(['mon..fri 8-17', '*-*-* 00:00']), 1), 'comment': TEXT},
        readback=_notification_readback('matcher')),
    'cluster_options': Knowledge(
        values={'email_from': EMAIL, 'http_proxy': st.sampled_from(['http://proxy.example.com:3128', 'ftp://x']),
                'mac_prefix': st.sampled_from(['BC:24:11', 'bc:24:11', '02:00:00']),
                'description': st.sampled_from(['', 'Demo', 'Line one\nline two']), 'max_workers': st.integers(0, 8),
                'migration': st.fixed_dictionaries({}, optional={
                    'type': st.sampled_from(['secure', 'insecure']),
                    'network': st.sampled_from(['10.10.0.0/16', '192.0.2.0/24'])}),
                'bwlimit': st.fixed_dictionaries({}, optional=dict((k, _BW) for k in (
                    'default', 'clone', 'migration', 'move', 'restore'))),
                'tag_style': st.fixed_dictionaries({}, optional={
                    'shape': st.sampled_from(['full', 'circle', 'dense', 'none']),
                    'ordering': st.sampled_from(['config', 'alphabetical']),
                    'color_map': st.sampled_from(['prod:ff0000', 'prod:ff0000:ffffff;web:00ff00']),
                    'case_sensitive': st.booleans()}),
                'next_id': st.fixed_dictionaries({}, optional={'lower': st.integers(100, 5000),
                                                               'upper': st.integers(100, 2000000)}),
                'registered_tags': lists(st.sampled_from(['prod', 'infra', 'web']), 3)},
        readback=_cluster_options_readback),
    # The harness seed is one three-node cluster with no standalone node to join (the join seed has them:
    # tests/integration/test_cluster_membership.py), so the joining node's API is never drawn: a join is a clean
    # refusal; creating the cluster it is in is no change; removals are refused (online, guests, the local node).
    # force is not drawn: a forced removal of a node holding guests is what pvesim refuses (501) after the request.
    'cluster': Knowledge(
        values={'name': st.sampled_from(['demo-cluster', 'lab']), 'node': st.sampled_from(['pve1', 'pve3', 'pve9']),
                'links': lists(st.sampled_from(['192.0.2.50', '10.10.10.5,priority=1']), 2)},
        omit=('node_api_host', 'node_api_port', 'node_password', 'password', 'fingerprint', 'timeout', 'force')),
}


# ------------------------------------------------------------------------------------------ network

IFACES = ['vmbr0', 'vmbr1', 'bond0', 'eno2', 'eno1.20', 'vlan30']
PORTS = st.sampled_from(['eno1', 'eno2', 'eno9'])


def _sdn_zone_derive(draw, p):
    """Mostly a zone with a type and only that type's options (pve-network's, as the module has them)."""
    from ansible_collections.pve.ops.plugins.module_utils.network.sdn import TYPE_OPTIONS, ZONE_KEYS
    if not _mostly(draw) or p.get('state') == 'absent':
        return p
    p = dict((k, v) for k, v in p.items() if v is not None)
    kind = p.setdefault('type', draw(st.sampled_from(sorted(TYPE_OPTIONS))))
    return dict((k, v) for k, v in p.items() if k not in ZONE_KEYS or k in TYPE_OPTIONS.get(kind, ()))


def _iface_type_of(iface):
    """The type an interface's name implies (vmbr0 a bridge, bond0 a bond, eno1.20 and vlan30 VLANs)."""
    if iface.startswith('vmbr'):
        return 'bridge'
    if iface.startswith('bond'):
        return 'bond'
    if '.' in iface or iface.startswith('vlan'):
        return 'vlan'
    return 'eth'


def _iface_derive(draw, p):
    """Mostly consistent arguments (an interface named, its type given, only that type's options; a revert with
    nothing else), so that most examples reach PVE; the rest stay as drawn, to be refused. A VLAN left unnamed
    takes its name from its raw device and id half the time."""
    if not _mostly(draw):
        return p
    p = dict((k, v) for k, v in p.items() if v is not None)
    if p.get('state') == 'reverted':
        return dict((k, v) for k, v in p.items() if k in ('node', 'state', 'timeout'))
    if p.get('type') == 'vlan' and draw(st.booleans()):
        p.pop('iface', None)
        p.setdefault('vlan_raw_device', 'eno1')
        p.setdefault('vlan_id', 40)
    else:
        if 'iface' not in p:
            p['iface'] = draw(st.sampled_from(IFACES))
        p['type'] = _iface_type_of(p['iface'])
    # the options that belong to one interface type, as the module has them (it refuses them on another)
    from ansible_collections.pve.ops.plugins.module_utils.network.interfaces import ONLY
    kind = p.get('type')
    p = dict((k, v) for k, v in p.items() if ONLY.get(k, kind) == kind)
    if kind == 'vlan' and '.' in p.get('iface', ''):
        p.pop('vlan_id', None)  # the name says them (eno1.20)
        p.pop('vlan_raw_device', None)
    elif kind == 'vlan' and p.get('iface'):
        p.setdefault('vlan_raw_device', 'eno1')  # vlan30 does not say them
        p.setdefault('vlan_id', 30)
    return p


def _iface_readback(q, p, result, problems):
    listed = q.info('network_info', {'node': p['node']})
    if p.get('state') == 'reverted':
        same(problems, 'pending after revert', False, listed.get('pending'))
        return
    shown = dict((i['iface'], i) for i in listed.get('interfaces') or [])
    iface = result['diff']['before'].get('iface') or (result.get('interface') or {}).get('iface')
    if p.get('state') == 'absent':
        same(problems, 'interface exists', False, iface in shown)
        return
    entry = shown.get(iface) or {}
    for option in ('bridge_ports', 'bond_slaves'):
        if p.get(option) is not None:
            same(problems, option, p[option], entry.get(option))
    for option in ('mtu', 'bridge_vlan_aware', 'autostart', 'comments', 'bond_mode', 'vlan_id'):
        if p.get(option) is not None:
            same(problems, option, p[option], entry.get(option))
    if p.get('apply'):
        same(problems, 'pending after apply', False, result.get('pending'))


def _fw_object_derive(draw, p):
    if p.get('level', 'cluster') == 'cluster':
        p.pop('vmid', None)
        p.pop('guest', None)
    elif p.get('vmid') is None and not p.get('guest'):
        p['vmid'] = draw(st.sampled_from([100, 200] if p['level'] == 'vm' else [200, 201]))
    return p


def _fw_args(p):
    return dict((k, p[k]) for k in ('level', 'vmid') if p.get(k) is not None)


def _fw_alias_readback(q, p, result, problems):
    if p.get('guest'):
        return
    shown = dict((a['name'].lower(), a) for a in (q.info('firewall_info', dict(_fw_args(p), gather=['aliases']))
                                                  .get('firewall') or {}).get('aliases') or [])
    entry = shown.get(p['alias'].lower())
    if p.get('state') == 'absent':
        same(problems, 'alias exists', False, entry is not None)
    elif p.get('comment') is not None:
        same(problems, 'comment', p['comment'], (entry or {}).get('comment') or '')


def _fw_ipset_readback(q, p, result, problems):
    if p.get('guest'):
        return
    shown = dict((s['name'], s) for s in (q.info('firewall_info', dict(_fw_args(p), gather=['ipsets']))
                                          .get('firewall') or {}).get('ipsets') or [])
    entry = shown.get(p['ipset'])
    if p.get('state') == 'absent':
        same(problems, 'ipset exists', False, entry is not None)
    elif p.get('entries') is not None:
        same(problems, 'number of entries', len(p['entries']), len((entry or {}).get('entries') or []))


NETWORK = {
    'firewall_alias': Knowledge(
        values={'alias': one_of_or_fresh(['office'], IDENT), 'cidr': st.one_of(IPV4, st.just('2001:db8::/32')),
                'comment': st.sampled_from(['', 'office', 'lab']), 'level': st.sampled_from(['cluster', 'vm', 'container']),
                'guest': st.sampled_from(['web01', 'proxy01'])},
        derive=_fw_object_derive, readback=_fw_alias_readback),
    'firewall_ipset': Knowledge(
        values={'ipset': one_of_or_fresh(['mon'], IDENT), 'comment': st.sampled_from(['', 'scrapers']),
                'level': st.sampled_from(['cluster', 'vm', 'container']), 'guest': st.sampled_from(['web01', 'proxy01']),
                'entries': st.lists(st.fixed_dictionaries(
                    {'cidr': st.sampled_from(['192.0.2.10', '192.0.2.0/24', '198.51.100.7/32', '10.10.0.0/16',
                                              '2001:db8::1', 'office', 'dc/office', 'nosuch'])},
                    optional={'nomatch': st.booleans(), 'comment': st.sampled_from(['', 'x'])}),
                    max_size=3, unique_by=lambda e: e['cidr'])},
        derive=_fw_object_derive, readback=_fw_ipset_readback),
    # Nothing is pending in the harness seed: applying is no change and sends nothing.
    'sdn_apply': Knowledge(omit=('timeout',)),
    # Zones of each type with the options PVE wants of it, and others it refuses (a clean refusal passes).
    'sdn_zone': Knowledge(derive=_sdn_zone_derive, values={
        'zone': st.sampled_from(['lab', 'flat', 'z9']), 'bridge': st.sampled_from(['vmbr0', 'vmbr9']),
        'tag': st.integers(0, 4094), 'mtu': st.sampled_from([1450, 1500, 9000]),
        'peers': st.lists(st.sampled_from(['192.0.2.10', '192.0.2.11']), max_size=2, unique=True),
        'nodes': st.lists(st.sampled_from(['pve1', 'pve2']), max_size=2, unique=True),
        'ipam': st.sampled_from(['pve', 'other']), 'controller': st.just('evpnctl'),
        'vrf_vxlan': st.integers(1, 100)}),
    # The seed's vlan zone hz holds vnet hweb (tag 30) with subnet 10.30.0.0/24, applied.
    'sdn_vnet': Knowledge(values={
        'vnet': st.sampled_from(['hweb', 'v2', 'ab']), 'zone': st.sampled_from(['hz', 'nozone']),
        'tag': st.sampled_from([30, 31, 5000]), 'alias': st.sampled_from(['', 'web tier'])}),
    'sdn_subnet': Knowledge(values={
        'vnet': st.sampled_from(['hweb', 'nov']),
        'subnet': st.sampled_from(['10.30.0.0/24', '10.31.0.0/24', '10.31.0.9/24']),
        'gateway': st.sampled_from(['', '10.30.0.1', '10.31.0.1', 'gw']),
        'dhcp_range': st.lists(st.sampled_from([{'start': '10.30.0.100', 'end': '10.30.0.150'},
                                                {'start': '10.31.0.100', 'end': '10.31.0.150'},
                                                {'start': '10.30.0.140', 'end': '10.30.0.120'}]),
                               max_size=2, unique_by=lambda r: r['start'])}),
    'network_interface': Knowledge(
        values={'node': st.sampled_from(NODES), 'iface': st.sampled_from(IFACES),
                'bridge_ports': lists(PORTS, 2), 'bond_slaves': lists(PORTS, 2),
                'bridge_vids': st.sampled_from(['2-4094', '10 20', '100-200']),
                'bond_primary': st.sampled_from(['eno2', 'eno1']),
                'vlan_raw_device': st.sampled_from(['eno1', 'eno2', 'vmbr0', 'eno9']),
                'vlan_id': st.one_of(st.sampled_from([20, 30]), st.integers(1, 4094)),
                'cidr': st.sampled_from(['10.50.0.1/24', '10.51.0.2/16', '', '192.0.2.11/24', '10.0.0.1']),
                'gateway': st.sampled_from(['10.50.0.254', '']), 'cidr6': st.sampled_from(['2001:db8::5/64', '']),
                'gateway6': st.sampled_from(['2001:db8::1', '']), 'mtu': st.sampled_from([1500, 9000, 1400]),
                'comments': st.sampled_from(['', 'uplink', 'storage vlan'])},
        omit=('timeout',), derive=_iface_derive, readback=_iface_readback),
}

KNOWLEDGE = dict(ACCESS, **FIREWALL, **OTHER, **GUESTS_KNOWLEDGE, **STORAGE, **CLUSTER, **NETWORK)
STATE_MODULES = sorted(KNOWLEDGE)

# Values by option name for every module (the info modules' filters, mostly); a module's own values win.
COMMON = {
    'node': st.sampled_from(NODES + ['pve9']), 'vmid': one_of_or_fresh(sorted(GUESTS), FRESH_VMID),
    'name': st.sampled_from(sorted(GUESTS.values())), 'userid': one_of_or_fresh(USERS, st.just('nobody@pve')),
    'groupid': st.sampled_from(['ops', 'missing']), 'roleid': st.sampled_from(['Ops', 'PVEAuditor', 'Missing']),
    'poolid': st.sampled_from(['demo', 'missing']), 'upid': st.sampled_from(['@task0', '@task1', 'not-a-upid']),
    'path': st.sampled_from(['/', '/vms/100', '/pool/demo', '/storage/local']), 'tokenid': st.sampled_from(['ci']),
    'storage': st.sampled_from(STORAGES), 'tags': lists(TAG, 2), 'pool': st.just('demo'),
    'privileges': lists(st.sampled_from(PRIVILEGES), 2), 'limit': st.integers(0, 50), 'log_lines': st.integers(0, 80),
    'user': st.sampled_from(USERS), 'ugid': st.sampled_from(['bob@pve', 'ops']), 'group': st.sampled_from(['web']),
}
INFO = {
    'storage_info': Knowledge(values={'name': st.sampled_from(STORAGES + ['missing'])}),
    'firewall_info': Knowledge(derive=_options_derive, omit=('node', 'vmid', 'name', 'group')),
    'task_info': Knowledge(values={'type': st.sampled_from(['qmsnapshot', 'vzdump'])}),
    'sdn_info': Knowledge(values={'zone': st.sampled_from(['lab', 'zz'])}),
}


def knowledge_for(module):
    """The module's knowledge (an info module's may be the default), with COMMON's values beneath its own."""
    know = copy.copy(KNOWLEDGE.get(module) or INFO.get(module) or Knowledge())
    know.values = dict(COMMON, **know.values)
    return know


# ------------------------------------------------------------------------------------- the seed

def harness_seed(sim):
    """Add the harness's existing objects to a demo simulator through the API; returns the facts
    (``@name`` -> value) the knowledge refers to."""
    api = sim.proxmoxer()
    api.access.groups.post(groupid='ops', comment='Operators')
    api.access.users('alice@pve').put(groups='ops')
    api.access.roles.post(roleid='Ops', privs='VM.Audit,VM.PowerMgmt')
    api.access.users('alice@pve').token('ci').post(privsep=1)
    api.access.domains.post(realm='corp', type='ldap', server1='ldap.example.com', base_dn='dc=example,dc=com',
                            user_attr='uid')
    api.cluster.firewall.rules.post(type='in', action='ACCEPT', macro='SSH', comment='ssh', enable=1)
    api.cluster.firewall.groups.post(group='web', comment='Web servers')
    api.cluster.firewall.groups('web').post(type='in', action='ACCEPT', macro='HTTP', enable=1)
    api.cluster.firewall.aliases.post(name='office', cidr='192.0.2.0/24', comment='office')
    api.cluster.firewall.ipset.post(name='mon', comment='scrapers')
    api.cluster.firewall.ipset('mon').post(cidr='192.0.2.10')
    api.nodes('pve1').qemu(100).firewall.options.put(enable=1)
    api.cluster.ha.resources.post(sid='vm:103', max_restart=2)
    tasks = [api.nodes('pve1').qemu(102).snapshot.post(snapname='pre', description='before'),
             api.nodes('pve3').lxc(201).snapshot.post(snapname='pre')]
    api.cluster.sdn.zones.post(zone='hz', type='vlan', bridge='vmbr0')
    api.cluster.sdn.vnets.post(vnet='hweb', zone='hz', tag=30)
    api.cluster.sdn.vnets('hweb').subnets.post(subnet='10.30.0.0/24', type='subnet', gateway='10.30.0.1')
    api.cluster.sdn.put()
    api.cluster.backup.post(id='nightly', schedule='02:00', storage='backup-nfs', vmid='100,200', mode='snapshot')
    facts = dict(('@task{0}'.format(i), upid) for i, upid in enumerate(tasks))
    endpoint = sim.call(lambda: dict(sim.pve.ssh_endpoints['pve1']))
    facts.update({'@ssh_port': endpoint['port'], '@ssh_fingerprint': endpoint['fingerprint'],
                  '@ssh_password': sim.root_password})
    return facts


def refers_to_missing_guest(args):
    """True when the arguments name a guest (by vmid, or by name alone) that is not in the harness seed."""
    if args.get('vmid') is not None:
        return args['vmid'] not in GUESTS
    return args.get('name') is not None and args['name'] not in GUESTS.values()


def resolve(value, facts):
    """value with the seed's facts (``@task0``, ``@iso_file``) filled in."""
    if isinstance(value, str) and value in facts:
        return facts[value]
    if isinstance(value, dict):
        return dict((k, resolve(v, facts)) for k, v in value.items())
    if isinstance(value, list):
        return [resolve(v, facts) for v in value]
    return value
