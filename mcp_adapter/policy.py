# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which tools an agent may see and call: a mode plus allow / deny lists of tool-name patterns.

Modes: ``read-only`` (the default: only read-only tools), ``write`` (everything but destructive tools),
``full`` (everything). ``allow`` (when given) keeps only matching tools; ``deny`` removes matching ones.
Patterns are shell globs (``get_*``, ``*_vm``). The same check runs when tools are listed and when one is
called, so a tool that is not listed cannot be called either.
"""

from __future__ import annotations

import fnmatch

READ_ONLY, WRITE, FULL = 'read-only', 'write', 'full'
MODES = (READ_ONLY, WRITE, FULL)
_ALIASES = {'readonly': READ_ONLY, 'read_only': READ_ONLY, 'ro': READ_ONLY, 'rw': WRITE}


def parse_mode(value):
    mode = _ALIASES.get(str(value).strip().lower(), str(value).strip().lower())
    if mode not in MODES:
        raise ValueError('unknown mode {0!r}: use one of {1}'.format(value, ', '.join(MODES)))
    return mode


def parse_patterns(values):
    """Patterns from a list and/or comma-separated strings."""
    out = []
    for value in values or []:
        out.extend(p.strip() for p in str(value).split(',') if p.strip())
    return out


class Policy:
    def __init__(self, mode=READ_ONLY, allow=None, deny=None):
        self.mode = parse_mode(mode)
        self.allow = parse_patterns(allow)
        self.deny = parse_patterns(deny)

    def refusal(self, tool):
        """Why the tool may not be listed or called (None when it may)."""
        if tool.destructive and self.mode != FULL:
            return ('{0} is destructive and the adapter runs in {1} mode; destructive tools need mode full '
                    '(--mode full or PVE_MCP_MODE=full)'.format(tool.name, self.mode))
        if not tool.read_only and self.mode == READ_ONLY:
            return ('{0} changes things and the adapter runs in read-only mode; start it with --mode write '
                    '(or PVE_MCP_MODE=write) to allow changes'.format(tool.name))
        if self.allow and not any(fnmatch.fnmatchcase(tool.name, p) for p in self.allow):
            return '{0} is not in the allow list ({1})'.format(tool.name, ', '.join(self.allow))
        for pattern in self.deny:
            if fnmatch.fnmatchcase(tool.name, pattern):
                return '{0} is denied by the pattern {1!r}'.format(tool.name, pattern)
        return None

    def visible(self, tools):
        return [t for t in tools if self.refusal(t) is None]

    def describe(self):
        out = 'mode {0}'.format(self.mode)
        if self.allow:
            out += ', allow ' + ','.join(self.allow)
        if self.deny:
            out += ', deny ' + ','.join(self.deny)
        return out
