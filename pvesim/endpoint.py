# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a client needs to reach a served simulator, whether it runs in this process (testing.SimServer) or in
a process of its own (process.SimProcess): its environment variables and a logged-in proxmoxer.

A class using it has host, port, cafile and root_password.
"""

ROOT = 'root@pam'


class Endpoint:
    """env() and proxmoxer() from host, port, cafile and root_password."""

    host: str
    port: int
    cafile: str
    root_password: str

    def env(self):
        """Environment variables for a subprocess (a playbook, the MCP adapter) to reach this simulator.

        Merge them into the environment: subprocess.run(..., env={**os.environ, **sim.env()})."""
        return {'PROXMOX_HOST': self.host, 'PROXMOX_PORT': str(self.port), 'PROXMOX_USER': ROOT,
                'PROXMOX_PASSWORD': self.root_password, 'PROXMOX_CA_PATH': self.cafile,
                'PROXMOX_VALIDATE_CERTS': 'true'}

    def proxmoxer(self, **kw):
        """A logged-in proxmoxer.ProxmoxAPI verifying the certificate; keywords override (user, password,
        token_name, token_value, timeout, ...). With token_name, no password is sent."""
        import proxmoxer
        options = dict(user=ROOT, port=self.port, verify_ssl=self.cafile, timeout=10)
        if 'token_name' not in kw:
            options['password'] = self.root_password
        options.update(kw)
        return proxmoxer.ProxmoxAPI(self.host, backend='https', **options)
