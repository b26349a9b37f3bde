# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which tools an agent may see and call: a mode plus allow / deny lists of tool-name patterns.

Modes: ``read-only`` (the default: only read-only tools), ``write`` (everything but destructive tools),
``full`` (everything). ``allow`` (when given) keeps only matching tools; ``deny`` removes matching ones.
Patterns are shell globs (``get_*``, ``*_vm``). ``toolsets`` (when given) keeps the tools of those toolsets
(mcp_adapter/toolsets.py); ``enable`` adds one while the server runs (dynamic discovery). The same check runs
when tools are listed and when one is called, so a tool that is not listed cannot be called either.
"""

from __future__ import annotations

import fnmatch

from mcp_adapter import toolsets as toolsets_mod

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
    def __init__(self, mode=READ_ONLY, allow=None, deny=None, toolsets=None):
        self.mode = parse_mode(mode)
        self.allow = parse_patterns(allow)
        self.deny = parse_patterns(deny)
        self.toolsets = None if toolsets is None else set(toolsets)
        self.dynamic = False  # set by the adapter when enable_toolset is offered

    def enable(self, toolset):
        """Enable a toolset (True when it was not enabled yet)."""
        if self.toolsets is None or toolset in self.toolsets:
            return False
        self.toolsets.add(toolset)
        return True

    def refusal(self, tool, name=None):
        """Why the tool may not be listed or called (None when it may). name: the name it is called by, when
        that is another name of the same call (catalogue.SAME_AS): the lists apply to both names."""
        if tool.destructive and self.mode != FULL:
            return ('{0} is destructive and the adapter runs in {1} mode; destructive tools need mode full '
                    '(--mode full or PVE_MCP_MODE=full)'.format(tool.name, self.mode))
        if not tool.read_only and self.mode == READ_ONLY:
            return ('{0} changes things and the adapter runs in read-only mode; start it with --mode write '
                    '(or PVE_MCP_MODE=write) to allow changes'.format(tool.name))
        if self.toolsets is not None:
            toolset = toolsets_mod.of(tool)
            if toolset not in self.toolsets:
                return ('{0} is in the toolset {1}, which is not enabled (enabled: {2}); start the server with '
                        '--toolsets {1} (or all){3}'.format(name or tool.name, toolset,
                                                           ', '.join(sorted(self.toolsets)) or 'none',
                                                           ', or call enable_toolset' if self.dynamic else ''))
        return self.name_refusal(tool.name, name)

    def name_refusal(self, tool_name, name=None):
        """Why the allow / deny lists refuse a tool name (or the other name it is called by); None when not."""
        names = [tool_name] + ([name] if name and name != tool_name else [])
        if self.allow and not any(fnmatch.fnmatchcase(n, p) for p in self.allow for n in names):
            return '{0} is not in the allow list ({1})'.format(names[-1], ', '.join(self.allow))
        for pattern in self.deny:
            for each in names:
                if fnmatch.fnmatchcase(each, pattern):
                    return '{0} is denied by the pattern {1!r}'.format(each, pattern)
        return None

    def visible(self, tools):
        return [t for t in tools if self.refusal(t) is None]

    def describe(self):
        out = 'mode {0}'.format(self.mode)
        if self.allow:
            out += ', allow ' + ','.join(self.allow)
        if self.deny:
            out += ', deny ' + ','.join(self.deny)
        if self.toolsets is not None:
            out += ', toolsets ' + (','.join(t for t in toolsets_mod.names() if t in self.toolsets) or 'none')
        return out
