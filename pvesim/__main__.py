# SPDX-License-Identifier: AGPL-3.0-or-later
"""python -m pvesim: the command line (pvesim.cli)."""

import sys

from .cli import main

sys.exit(main())
