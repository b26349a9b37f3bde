# SPDX-License-Identifier: AGPL-3.0-or-later
"""An SSH endpoint per node (asyncssh's server on 127.0.0.1, a free port, a host key made at start), for what
PVE's API cannot do: the package upgrade the node updates module runs. Also POST /nodes/{node}/apt/update.

- `sim.ssh_endpoints[node]`: {'host', 'port', 'fingerprint', 'public_key'} (the host key's SHA256 fingerprint,
  as `ssh-keygen -lf` prints it, and its OpenSSH public key line), once the simulator has started. Logins: `root` with the simulator's root password,
  or a key in `sim.ssh_authorized_keys` (OpenSSH public key lines). A node that is offline refuses the session.
- Commands (exec requests; a shell is refused). Only these, compared as argument lists; anything else exits 127
  with `pvesim: command not modelled`:
  - `env DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Options::=--force-confdef -o
    Dpkg::Options::=--force-confold dist-upgrade`: installs the node's pending updates (`apt_updates` in
    node_settings, see node_details.py), printing apt's lines (`Setting up <package> (<version>) ...`); an
    updated kernel (proxmox-kernel-*, pve-kernel-*) or one of REBOOT_PACKAGES sets the reboot-required marker;
  - `test -e /run/reboot-required`: exit 0 while the marker is set (a reboot clears it);
  - `sha256sum -- <path>`: the checksum of a file in a backup storage's dump directory (node_sftp.py).
- SFTP: the backup storages' `dump/` directories (node_sftp.py).
- POST /nodes/{node}/apt/update: an `aptupdate` task that reads the simulated repositories; the pending updates
  stay what the node's state says (the simulated mirrors change only by `publish_update`).
- `publish_update(node, package, version, old_version, ...)` (the fault of that name, POST /_sim/faults): a new
  version of a package appears on the node's mirror, pending until an upgrade installs it (a kernel sets the
  reboot-required marker then).
- GET /_sim/ssh (hooks.py) answers `ssh_endpoints`, so that a playbook outside the test process finds them.
"""

import shlex

import asyncssh
from fakepve.routing import StatefulRoutes

from .node_details import DEFAULT_APT_UPDATES

UPGRADE = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-y', '-o', 'Dpkg::Options::=--force-confdef', '-o',
           'Dpkg::Options::=--force-confold', 'dist-upgrade']
REBOOT_MARKER = ['test', '-e', '/run/reboot-required']
SHA256SUM = ['sha256sum', '--']
REBOOT_PACKAGES = ('libc6', 'systemd', 'dbus', 'linux-image-amd64')
REBOOT_PREFIXES = ('proxmox-kernel-', 'pve-kernel-')


def _needs_reboot(package):
    return package in REBOOT_PACKAGES or package.startswith(REBOOT_PREFIXES)


class _Server(asyncssh.SSHServer):
    def __init__(self, sim, node):
        self.sim, self.node = sim, node

    def begin_auth(self, username):
        return True

    def password_auth_supported(self):
        return True

    def validate_password(self, username, password):
        return username == 'root' and password == self.sim.root_password

    def public_key_auth_supported(self):
        return True

    def validate_public_key(self, username, key):
        if username != 'root':
            return False
        for line in self.sim.ssh_authorized_keys:
            try:
                if asyncssh.import_public_key(line) == key:
                    return True
            except (asyncssh.KeyImportError, ValueError):
                continue
        return False


class NodeSshApi(StatefulRoutes):
    """Mixin of PveSim: the nodes' SSH endpoints and the package index refresh."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ssh_endpoints = {}
        self.ssh_authorized_keys = []
        self._ssh_servers = {}

    def _routes_node_ssh(self):
        return [('POST', '/nodes/{node}/apt/update', self._ns_apt_update)]

    async def start(self, certfile, keyfile):
        await super().start(certfile, keyfile)
        for node in sorted(self.nodes):
            await self.start_ssh(node)

    async def start_ssh(self, node):
        """Serve SSH for node on 127.0.0.1 (a free port) with a new host key."""
        if node in self._ssh_servers:
            return self.ssh_endpoints[node]
        key = asyncssh.generate_private_key('ssh-ed25519')
        server = await asyncssh.create_server(
            lambda: _Server(self, node), '127.0.0.1', 0, server_host_keys=[key],
            process_factory=lambda process: self._ssh_process(node, process), allow_scp=False,
            sftp_factory=self.sftp_factory(node))
        port = server.sockets[0].getsockname()[1]
        self._ssh_servers[node] = server
        self.ssh_endpoints[node] = {'host': '127.0.0.1', 'port': port,
                                    'fingerprint': key.get_fingerprint('sha256'),
                                    'public_key': key.export_public_key('openssh').decode().strip()}
        return self.ssh_endpoints[node]

    async def stop(self, *args, **kwargs):
        for server in self._ssh_servers.values():
            server.close()
        self._ssh_servers = {}
        await super().stop(*args, **kwargs)

    def publish_update(self, node, package, version, old_version, title=None, origin='Proxmox', section='admin',
                       priority='optional', arch='amd64', description=None):
        """A new version of package on node's mirror: pending (GET apt/update) until an upgrade installs it."""
        conf = self.node_conf(node)
        pending = [pkg for pkg in conf.get('apt_updates', [dict(p) for p in DEFAULT_APT_UPDATES])
                   if pkg['Package'] != package]
        pending.append({'Package': package, 'Title': title or package, 'Origin': origin, 'Section': section,
                        'Priority': priority, 'Arch': arch, 'OldVersion': old_version, 'Version': version,
                        'Description': description or title or package})
        conf['apt_updates'] = sorted(pending, key=lambda pkg: pkg['Package'])

    # -------------------------------------------------------------- commands

    def _ssh_process(self, node, process):
        try:
            if not self.nodes.get(node, {}).get('online', True):
                process.stderr.write('ssh: connect to host {0}: No route to host\n'.format(node))
                process.exit(255)
                return
            command = process.command
            if command is None:
                process.stderr.write('pvesim: interactive shells are not modelled; send a command\n')
                process.exit(1)
                return
            try:
                argv = shlex.split(command)
            except ValueError:
                argv = None
            if argv == UPGRADE:
                process.stdout.write(self._upgrade(node))
                process.exit(0)
            elif argv == REBOOT_MARKER:
                process.exit(0 if self.node_conf(node).get('reboot_required') else 1)
            elif argv and len(argv) == 3 and argv[:2] == SHA256SUM:
                status, out, err = self.dump_sha256(node, argv[2])
                process.stdout.write(out)
                process.stderr.write(err)
                process.exit(status)
            else:
                process.stderr.write('pvesim: command not modelled: {0}\n'.format(command))
                process.exit(127)
        except Exception as exc:
            process.stderr.write('pvesim: {0}\n'.format(exc))
            process.exit(1)

    def _upgrade(self, node):
        conf = self.node_conf(node)
        pending = [dict(pkg) for pkg in conf.get('apt_updates', DEFAULT_APT_UPDATES)]
        lines = ['Reading package lists...', 'Building dependency tree...', 'Reading state information...',
                 'Calculating upgrade...']
        if pending:
            lines.append('The following packages will be upgraded:')
            lines.append('  ' + ' '.join(p['Package'] for p in pending))
        lines.append('{0} upgraded, 0 newly installed, 0 to remove and 0 not upgraded.'.format(len(pending)))
        for pkg in pending:
            lines.append('Preparing to unpack .../{0}_{1}_{2}.deb ...'.format(pkg['Package'], pkg['Version'],
                                                                             pkg.get('Arch', 'amd64')))
            lines.append('Unpacking {0} ({1}) over ({2}) ...'.format(pkg['Package'], pkg['Version'],
                                                                    pkg.get('OldVersion', '')))
        for pkg in pending:
            lines.append('Setting up {0} ({1}) ...'.format(pkg['Package'], pkg['Version']))
            if _needs_reboot(pkg['Package']):
                conf['reboot_required'] = True
        conf['apt_updates'] = []
        return '\n'.join(lines) + '\n'

    # ------------------------------------------------------------------ api

    async def _ns_apt_update(self, v, user):
        node = v['node']

        async def body():
            await self.pause(5)
            return None
        log = ['starting apt-get update', 'Hit:1 http://deb.debian.org/debian trixie InRelease',
               'Hit:2 http://deb.debian.org/debian trixie-updates InRelease',
               'Hit:3 http://security.debian.org/debian-security trixie-security InRelease',
               'Hit:4 http://download.proxmox.com/debian/pve trixie InRelease', 'Reading package lists...']
        return await self.task(node, 'aptupdate', '', user, body, log=log)
