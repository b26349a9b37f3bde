# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pve.ops.sdn_subnet: direct execution in the controller, or normal module execution (plugin_utils/direct.py)."""

from __future__ import annotations

from ansible_collections.pve.ops.plugins.plugin_utils.direct import DirectExecutionAction


class ActionModule(DirectExecutionAction):
    pass
