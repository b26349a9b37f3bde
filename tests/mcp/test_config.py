# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settings precedence (flags > environment > config file) and the pve-mcp command line."""

import os
import subprocess
import sys

import pytest

from mcp_adapter import config

PVE_MCP = os.path.join(os.path.dirname(sys.executable), 'pve-mcp')


def test_precedence(tmp_path):
    path = tmp_path / 'pve-mcp.yml'
    path.write_text('mode: full\ndeny: ["delete_*"]\naudit_log: /tmp/a.jsonl\n'
                    'connection: {api_host: file.example.com, api_user: a@pve, api_port: 8006}\n')
    env = {'PVE_MCP_CONFIG': str(path), 'PVE_MCP_MODE': 'write', 'PROXMOX_HOST': 'env.example.com',
           'PROXMOX_PORT': '8443', 'PROXMOX_VALIDATE_CERTS': 'false'}
    settings = config.load({'allow': ['get_*,list_*']}, environ=env)
    assert settings.mode == 'write'
    assert settings.deny == ['delete_*'] and settings.allow == ['get_*', 'list_*']
    assert settings.audit_log == '/tmp/a.jsonl'
    assert settings.connection == dict(api_host='env.example.com', api_user='a@pve', api_port=8443,
                                       validate_certs=False)
    assert config.load({'mode': 'read-only'}, environ=env).mode == 'read-only'
    assert config.load({}, environ={}).mode == 'read-only'


def test_bad_settings_are_named(tmp_path):
    with pytest.raises(ValueError, match='unknown mode'):
        config.load({'mode': 'yolo'}, environ={})
    path = tmp_path / 'bad.yml'
    path.write_text('mode: full\npasword: x\n')
    with pytest.raises(ValueError, match='unknown settings pasword'):
        config.load({'config': str(path)}, environ={})


def test_list_tools_command():
    env = dict(os.environ, PVE_MCP_MODE='read-only')
    out = subprocess.run([PVE_MCP, '--list-tools', '--deny', 'get_task_*'], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = [line.split('\t') for line in out.stdout.splitlines()]
    assert rows and all(kind == 'read' for _, kind, _ in rows)
    assert ['get_nodes', 'read', 'pve.ops.node_info'] in rows
    assert not any(name.startswith('get_task_') for name, _, _ in rows)
