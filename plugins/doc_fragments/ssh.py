# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The SSH options of the modules that do over SSH what PVE's API cannot (module_utils/nodes/ssh.py).
    DOCUMENTATION = r'''
options:
  ssh_host:
    description:
      - The address to reach the node at over SSH; by default the node's address in the cluster status.
      - Falls back to the environment variable E(PVEOPS_SSH_HOST).
    type: str
  ssh_port:
    description:
      - The node's SSH port.
      - Falls back to the environment variable E(PVEOPS_SSH_PORT).
    type: int
    default: 22
  ssh_user:
    description:
      - The user to log in as on the node (it must be allowed to run C(apt-get)).
      - Falls back to the environment variable E(PVEOPS_SSH_USER).
    type: str
    default: root
  ssh_private_key_file:
    description:
      - A private key file to log in with; without it (and without O(ssh_password)) no key is offered.
      - Falls back to the environment variable E(PVEOPS_SSH_PRIVATE_KEY_FILE).
    type: path
  ssh_password:
    description:
      - A password to log in with.
      - Falls back to the environment variable E(PVEOPS_SSH_PASSWORD).
    type: str
  ssh_known_hosts:
    description:
      - The known_hosts file the node's host key is verified against (by default C(~/.ssh/known_hosts)).
      - The host key is always verified; an unknown or changed key fails the task before any command runs.
      - Falls back to the environment variable E(PVEOPS_SSH_KNOWN_HOSTS).
    type: path
  ssh_host_key_fingerprint:
    description:
      - Verify the node's host key against this SHA256 fingerprint (C(SHA256:...), as C(ssh-keygen -lf) prints
        it) instead of a known_hosts file.
      - Falls back to the environment variable E(PVEOPS_SSH_HOST_KEY_FINGERPRINT).
    type: str
notes:
  - SSH goes through the asyncssh Python package, which must be installed where the module runs.
  - Commands are fixed by the module; no option is put into a command line.
'''
