# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failures the harness found in areas other branches are fixing (see /work/notes/harness-findings.md).

Each entry: (finding id, module, predicate on the params, regular expression the failure message matches).
A generated example that breaks a promise in a way an entry explains is counted as known instead of
failing the suite. Remove an entry once the branch that fixes it has merged (the finding says which); its
regression case in the tests is marked xfail(strict=True) with the same id, so the merge makes it pass
and the strict xfail then says to remove both.
"""

import re


def _has(key, *values):
    return lambda p: key in p and (not values or p[key] in values)


# fmt: off
KNOWN = [
]
# fmt: on


def known_finding(module, params, message):
    """The id of the known finding that explains this failure, or None."""
    for finding, name, applies, pattern in KNOWN:
        if name == module and applies(params) and re.search(pattern, message):
            return finding
    return None


# MCP tools: (finding id, tool name pattern, predicate on the arguments, pattern of the failure message).
# fmt: off
KNOWN_TOOLS = [
]
# fmt: on


def known_tool_finding(tool, args, message):
    """The id of the known finding that explains this failure of an MCP tool, or None."""
    for finding, names, applies, pattern in KNOWN_TOOLS:
        if re.search(names, tool) and applies(args) and re.search(pattern, message):
            return finding
    return None
