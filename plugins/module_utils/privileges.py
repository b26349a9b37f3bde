# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a refused call needs, and what the credentials hold there: the words of a 403 PVE left unnamed.

PVE names the privilege and the path when a plain check fails, but says only "Permission check failed"
when a combined one does (``or``, ``and``, "you yourself, or User.Modify on a group of the user") or when
a handler checks what its schema only describes. For those calls ``_permissions_table.CHECKS``
(generated from the official schema by scripts/gen_permissions.py) holds the check; ``explain`` fills in
the call's path and parameters, asks ``GET /access/permissions?path=...`` what the credentials hold on
each path it names, and words it: "needs VM.Allocate on /vms/150 (not held) or VM.Allocate on /pool/dev
(not held)".

``holds`` answers whether the credentials hold a privilege on a path, and ``require_visible`` raises
NotVisibleError unless they do, for area logic that must tell "does not exist" from "may not be seen" (a
listing PVE filters by privilege): a missing object is reported as absent only when it would be listed.
"""

from __future__ import annotations

from urllib.parse import unquote

from ansible_collections.pve.ops.plugins.module_utils import errors
from ansible_collections.pve.ops.plugins.module_utils._permissions_table import CHECKS

# At most this many paths are looked up to say what the credentials hold.
MAX_LOOKUPS = 6


def match(method, path):
    """(template, {name: value}) of the table's entry for an API path such as nodes/pve1/qemu, or None."""
    segments = [unquote(s) for s in path.strip('/').split('/')]
    best = None
    for (verb, template), check in CHECKS.items():
        parts = template.strip('/').split('/')
        if verb != method or len(parts) != len(segments):
            continue
        values, literal = {}, 0
        for part, seg in zip(parts, segments):
            if part.startswith('{'):
                values[part[1:-1]] = seg
            elif part == seg:
                literal += 1
            else:
                break
        else:
            if best is None or literal > best[0]:
                best = (literal, template, values, check)
    return None if best is None else (best[1], best[2], best[3])


def _fill(path, values):
    """The path with its placeholders filled: a list of paths (one per element of a comma list), or []."""
    out = [path]
    while out and '{' in out[0]:
        name = out[0][out[0].index('{') + 1:out[0].index('}')]
        value = values.get(name)
        if value in (None, ''):
            return []
        items = [v for v in str(value).replace(';', ',').split(',') if v]
        out = [p.replace('{' + name + '}', item, 1) for p in out for item in items]
    return out


def _realm(userid):
    return str(userid).rpartition('@')[2]


def resolve(check, values, identity):
    """The check as a tree of ('perm', path, privs, any) / ('self', userid) / ('owner', user) /
    ('group_of', userid, privs) / ('or', [...]) / ('and', [...]); None where it does not apply."""
    kind = check[0]
    if kind in ('or', 'and'):
        subs = []
        for sub in (resolve(c, values, identity) for c in check[1:]):
            if sub is not None:
                subs.extend(sub[1] if sub[0] == kind else [sub])
        if not subs:
            return None
        return subs[0] if len(subs) == 1 else (kind, subs)
    if kind == 'perm':
        any_of = bool(dict(zip(check[3::2], check[4::2])).get('any'))
        paths = _fill(check[1], values)
        leaves = [('perm', p, list(check[2]), any_of) for p in paths]
        if not leaves:
            return None
        return leaves[0] if len(leaves) == 1 else ('and', leaves)
    if kind == 'perm-modify':
        paths = _fill(check[1], values)
        return ('perm', paths[0], ['Permissions.Modify'], False) if paths else None
    if kind == 'owner':
        upid = values.get('upid') or ''
        parts = upid.split(':')
        return ('owner', parts[7] if len(parts) > 7 else None)
    userid = values.get('userid')
    if kind == 'userid-param':
        if userid is None:
            return None
        if check[1] == 'self':
            return ('self', userid)
        return ('perm', '/access/realm/' + _realm(userid), [check[1]], False)
    if kind == 'userid-group':
        privs = list(check[1])
        options = dict(zip(check[2::2], check[3::2]))
        groups = [g for g in str(values.get('groups') or '').split(',') if g] if options.get('groups_param') else []
        whole = ('perm', '/access/groups', privs, True)
        parts = []
        if groups:
            parts.append(('and', [('perm', '/access/groups/' + g, privs, True) for g in groups])
                         if len(groups) > 1 else ('perm', '/access/groups/' + groups[0], privs, True))
        if options.get('groups_param') != 'create' and userid is not None:
            parts.append(('group_of', userid, privs))
        if not parts:
            return whole
        return ('or', [whole, parts[0]]) if len(parts) == 1 else ('or', [whole, ('and', parts)])
    return None


def _leaves(tree):
    if tree[0] in ('or', 'and'):
        for sub in tree[1]:
            yield from _leaves(sub)
    else:
        yield tree


def held(client, path):
    """The privileges the client's credentials hold on a path (GET /access/permissions?path=...), cached."""
    cache = client.__dict__.setdefault('_held', {})
    if path not in cache:
        answer = client.get('access', 'permissions', path=path) or {}
        cache[path] = set(answer.get(path) or {})
    return cache[path]


def holds(client, path, privileges, any_of=True):
    """Whether the credentials hold the privileges (any of them, or all) on a path."""
    have = held(client, path)
    return (any if any_of else all)(p in have for p in privileges)


def require_visible(client, what, path, privileges, also=None):
    """Unless the credentials hold one of ``privileges`` on ``path`` (so that a listing PVE filters by them is
    complete there), raise NotVisibleError. ``what`` is the question ("user bob@pve exists"); ``also`` more
    the message should say ("creating it needs ...")."""
    if getattr(client, 'identity', None) == 'root@pam' or holds(client, path, privileges):
        return
    raise errors.NotVisibleError(
        'cannot tell whether {0}: PVE lists only what these credentials may see, and seeing it needs {1} on {2} '
        '(not held){3}'.format(what, ' or '.join(privileges), path, '; ' + also if also else ''),
        privilege='|'.join(privileges), acl_path=path)


def _satisfied(tree, have, identity):
    kind = tree[0]
    if kind == 'or':
        return any(_satisfied(s, have, identity) for s in tree[1])
    if kind == 'and':
        return all(_satisfied(s, have, identity) for s in tree[1])
    if kind == 'perm':
        got = have.get(tree[1])
        if got is None:
            return None
        return (any if tree[3] else all)(p in got for p in tree[2])
    if kind == 'self':
        return identity.split('!')[0] == tree[1]
    if kind == 'owner':
        return tree[1] is not None and identity == tree[1]
    return None


def _words(tree, have, top=True):
    kind = tree[0]
    if kind in ('or', 'and'):
        text = (' or ' if kind == 'or' else ' and ').join(_words(s, have, False) for s in tree[1])
        return text if top else '(' + text + ')'
    if kind == 'perm':
        privs = (' or ' if tree[3] else ' and ').join(tree[2])
        text = '{0} on {1}'.format(privs, tree[1])
        if tree[1] in have:
            got = [p for p in tree[2] if p in have[tree[1]]]
            text += ' (not held)' if not got else ' (held)' if len(got) == len(tree[2]) or tree[3] else \
                ' (held: {0})'.format(', '.join(got))
        return text
    if kind == 'self':
        return 'being {0} yourself'.format(tree[1])
    if kind == 'owner':
        return 'being the owner of the task{0}'.format(' ({0})'.format(tree[1]) if tree[1] else '')
    if kind == 'group_of':
        return '{0} on a group {1} is a member of'.format(' or '.join(tree[2]), tree[1])
    return str(tree)


def _first_missing(tree, have, identity):
    """(privilege, path) of the first requirement the credentials do not meet, for the error's details."""
    for leaf in _leaves(tree):
        if leaf[0] == 'perm' and _satisfied(leaf, have, identity) is not True:
            return '|'.join(leaf[2]), leaf[1]
    return None, None


def explain(client, method, path, params):
    """(words, privilege, acl path) of what the call needs, or None when the table does not know the call."""
    found = match(method, path)
    if found is None:
        return None
    _template, values, check = found
    merged = dict((k, v) for k, v in (params or {}).items() if not hasattr(v, 'read'))
    merged.update(values)
    values = merged
    identity = getattr(client, 'identity', '') or ''
    tree = resolve(check, values, identity)
    if tree is None:
        return None
    have = {}
    for leaf in list(_leaves(tree))[:MAX_LOOKUPS]:
        if leaf[0] == 'perm' and leaf[1] not in have:
            try:
                have[leaf[1]] = held(client, leaf[1])
            except errors.PveOpsError:
                break
    priv, acl_path = _first_missing(tree, have, identity)
    return _words(tree, have), priv, acl_path
