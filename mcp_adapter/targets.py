# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Named targets: one server, several clusters, each with its own connection and its own policy.

In the config file::

    targets:
      prod: {connection: {api_host: pve-prod.example.com, api_token_id: mcp@pve!ro, ...}, mode: read-only}
      lab:  {connection: {api_host: pve-lab.example.com, ...}, mode: full, deny: [delete_*]}
    default_target: lab

A target's mode, allow and deny default to the server's. Without ``targets:`` the server has one target,
``default``, with the single connection (``connection:`` or the PROXMOX_* variables) and the server's policy;
the PROXMOX_* variables apply only to that single target. With two targets or more, every tool takes a
``cluster`` argument (the target's name; the default target when it is left out), listed in its schema; a tool is
listed when at least one target's policy allows it, and a call is checked against its target's policy.
"""

from __future__ import annotations

from typing import Any

from mcp_adapter.policy import Policy

CLUSTER = 'cluster'
DEFAULT = 'default'
TARGET_KEYS = ('connection', 'mode', 'allow', 'deny')


class Target:
    def __init__(self, name: str, connection: dict[str, Any], policy: Policy) -> None:
        self.name = name
        self.connection = dict(connection)
        self.policy = policy


class Targets:
    """The targets in their config order, and the default one."""

    def __init__(self, targets: list[Target], default: str | None = None) -> None:
        if not targets:
            raise ValueError('no target')
        self.by_name = dict((t.name, t) for t in targets)
        self.default = default or targets[0].name
        if self.default not in self.by_name:
            raise ValueError('default_target {0!r} is not a target: the targets are {1}'.format(
                self.default, ', '.join(self.by_name)))

    @classmethod
    def single(cls, connection: dict[str, Any], policy: Policy) -> Targets:
        return cls([Target(DEFAULT, connection, policy)])

    @property
    def default_target(self) -> Target:
        return self.by_name[self.default]

    @property
    def several(self) -> bool:
        return len(self.by_name) > 1

    def names(self) -> list[str]:
        return list(self.by_name)

    def pick(self, arguments: dict[str, Any]) -> tuple[Target | None, dict[str, Any], str | None]:
        """(target, arguments without cluster, problem) of a call: the target it names, else the default."""
        arguments = dict(arguments)
        name = arguments.pop(CLUSTER, None)
        if name is None:
            return self.default_target, arguments, None
        if not self.several:
            return None, arguments, 'unknown argument {0!r}: this server serves one cluster'.format(CLUSTER)
        if not isinstance(name, str) or name not in self.by_name:
            return None, arguments, '{0} must be one of {1}, not {2!r}'.format(CLUSTER, ', '.join(self.by_name), name)
        return self.by_name[name], arguments, None

    def schema_property(self) -> dict[str, Any]:
        return {'type': 'string', 'enum': self.names(),
                'description': 'The cluster to act on (default {0}).'.format(self.default)}

    def share_toolsets(self, policy: Policy) -> None:
        """Every target's policy offers the toolsets of ``policy`` (the same set object: enabling a toolset
        enables it for every target)."""
        for target in self.by_name.values():
            target.policy.toolsets = policy.toolsets
            target.policy.dynamic = policy.dynamic


def parse(data: Any, default: Any, mode: str, allow: list[str], deny: list[str]) -> Targets:
    """Targets from the config file's ``targets:`` mapping (name -> {connection, mode, allow, deny}) and
    ``default_target``; mode, allow and deny are the server's, for a target that does not set its own."""
    if not isinstance(data, dict) or not data:
        raise ValueError('targets: expected a mapping of target names to {connection, mode, allow, deny}')
    out = []
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise ValueError('targets.{0}: expected a mapping with connection (and mode, allow, deny)'.format(name))
        unknown = sorted(set(entry) - set(TARGET_KEYS))
        if unknown:
            raise ValueError('targets.{0}: unknown settings {1} (a target takes {2})'.format(
                name, ', '.join(unknown), ', '.join(TARGET_KEYS)))
        connection = entry.get('connection')
        if not isinstance(connection, dict) or not connection.get('api_host'):
            raise ValueError('targets.{0}.connection: expected a mapping with at least api_host'.format(name))
        policy = Policy(entry.get('mode', mode), _patterns(entry, 'allow', allow), _patterns(entry, 'deny', deny))
        out.append(Target(str(name), dict((k, v) for k, v in connection.items() if v is not None), policy))
    return Targets(out, None if default is None else str(default))


def _patterns(entry: dict[str, Any], key: str, fallback: list[str]) -> list[str]:
    if key not in entry:
        return list(fallback)
    value = entry[key]
    return value if isinstance(value, list) else [value]
