# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/mcp_demo.py runs its session against a simulator and says every step behaved."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_mcp_demo_against_a_simulator(pvesim):
    env = dict(os.environ)
    env.update(pvesim.env())
    proc = subprocess.run([sys.executable, os.path.join(ROOT, 'scripts', 'mcp_demo.py')], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'every step behaved as described' in proc.stdout
    assert 'write requests the simulator saw: 0' in proc.stdout
    assert '"refused": "not confirmed"' in proc.stdout
    assert pvesim.root_password not in proc.stdout.replace('demo-cluster', '')
