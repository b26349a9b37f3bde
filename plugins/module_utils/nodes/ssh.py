# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SSH to a node, for what PVE's API cannot do (installing package updates, copying backup archives), with asyncssh.

The node's host key is always verified: against a known_hosts file (``ssh_known_hosts``, by default the user's
``~/.ssh/known_hosts``), or against a SHA256 fingerprint (``ssh_host_key_fingerprint``, as ``ssh-keygen -lf``
prints it). Commands are fixed argument lists of this module (never text from the caller), joined with
``shlex.join`` for the remote side.
"""

from __future__ import annotations

import asyncio
import os
import shlex

from ansible.module_utils.basic import env_fallback

from ansible_collections.pve.ops.plugins.module_utils import errors

try:
    import asyncssh
except ImportError:  # pragma: no cover - said when SSH is used
    asyncssh = None

CONNECT_TIMEOUT = 30


def ssh_argument_spec():
    """The SSH options (doc fragment pve.ops.ssh), with their environment fallbacks."""
    return dict(
        ssh_host=dict(type='str', fallback=(env_fallback, ['PVEOPS_SSH_HOST'])),
        ssh_port=dict(type='int', default=22, fallback=(env_fallback, ['PVEOPS_SSH_PORT'])),
        ssh_user=dict(type='str', default='root', fallback=(env_fallback, ['PVEOPS_SSH_USER'])),
        ssh_private_key_file=dict(type='path', fallback=(env_fallback, ['PVEOPS_SSH_PRIVATE_KEY_FILE'])),
        ssh_password=dict(type='str', no_log=True, fallback=(env_fallback, ['PVEOPS_SSH_PASSWORD'])),
        ssh_known_hosts=dict(type='path', fallback=(env_fallback, ['PVEOPS_SSH_KNOWN_HOSTS'])),
        ssh_host_key_fingerprint=dict(type='str', no_log=False, fallback=(env_fallback, ['PVEOPS_SSH_HOST_KEY_FINGERPRINT'])),
    )


def node_address(client, node):
    """The node's address as the cluster knows it (/cluster/status ``ip``)."""
    for item in client.get('cluster', 'status') or []:
        if item.get('type') == 'node' and item.get('name') == node and item.get('ip'):
            return item['ip']
    raise errors.InvalidArgumentError('ssh_host: the cluster names no address for node {0}; give ssh_host'.format(node),
                                      field='ssh_host')


class _Client(asyncssh.SSHClient if asyncssh else object):
    def __init__(self, fingerprint):
        self._fingerprint = fingerprint

    def validate_host_public_key(self, host, addr, port, key):
        return self._fingerprint is not None and key.get_fingerprint('sha256') == self._fingerprint


class NodeShell:
    """One SSH connection's settings; ``run(argv)`` and ``sftp(work)`` each open and close it."""

    def __init__(self, params, host):
        if asyncssh is None:
            raise errors.PveOpsError('the asyncssh Python package is required for this (pip install asyncssh)')
        self.host, self.port, self.user = host, params['ssh_port'], params['ssh_user']
        self._password = params.get('ssh_password')
        self._key = params.get('ssh_private_key_file')
        self._fingerprint = params.get('ssh_host_key_fingerprint')
        known = params.get('ssh_known_hosts')
        if self._fingerprint:
            if not self._fingerprint.startswith('SHA256:'):
                raise errors.InvalidArgumentError('ssh_host_key_fingerprint: expected SHA256:<base64>, as ssh-keygen '
                                                  '-lf prints it', field='ssh_host_key_fingerprint')
            self._known_hosts = ([], [], [])
        else:
            known = known or os.path.expanduser('~/.ssh/known_hosts')
            if not os.path.exists(known):
                raise errors.InvalidArgumentError(
                    'ssh_known_hosts: {0} does not exist; the host key of the node must be verified (give '
                    'ssh_known_hosts or ssh_host_key_fingerprint)'.format(known), field='ssh_known_hosts')
            self._known_hosts = known

    def _options(self):
        options = dict(host=self.host, port=self.port, username=self.user, known_hosts=self._known_hosts,
                       client_factory=lambda: _Client(self._fingerprint), connect_timeout=CONNECT_TIMEOUT,
                       agent_path=None)
        if self._key:
            options['client_keys'] = [self._key]
        else:
            options['client_keys'] = None
        if self._password is not None:
            options['password'] = self._password
        return options

    def _do(self, work):
        async def main():
            try:
                async with asyncssh.connect(**self._options()) as conn:
                    return await work(conn)
            except asyncssh.HostKeyNotVerifiable as exc:
                raise errors.PveOpsError('ssh {0}:{1}: the host key is not the one expected ({2})'.format(
                    self.host, self.port, exc)) from None
            except asyncssh.PermissionDenied:
                raise errors.PveOpsError('ssh {0}@{1}:{2}: permission denied (check ssh_user and its key or '
                                         'password)'.format(self.user, self.host, self.port)) from None
            except (OSError, asyncssh.Error) as exc:
                raise errors.ConnectionFailedError('ssh {0}:{1}: {2}'.format(self.host, self.port, exc)) from None
        return asyncio.run(main())

    def run(self, argv, check=True):
        """(exit status, stdout, stderr) of a fixed command."""
        command = shlex.join(argv)

        async def work(conn):
            return await conn.run(command, check=False)
        done = self._do(work)
        if check and done.exit_status != 0:
            raise errors.PveOpsError('ssh {0}: {1!r} failed with exit status {2}: {3}'.format(
                self.host, command, done.exit_status, (done.stderr or done.stdout or '').strip()[-500:]))
        return done.exit_status, done.stdout or '', done.stderr or ''

    def sftp(self, work):
        """What ``await work(sftp)`` returns, with an SFTP session on the node (asyncssh's SFTPClient)."""
        async def session(conn):
            try:
                async with conn.start_sftp_client() as client:
                    return await work(client)
            except asyncssh.SFTPError as exc:
                raise errors.PveOpsError('sftp {0}:{1}: {2}'.format(self.host, self.port, exc.reason)) from None
        return self._do(session)
