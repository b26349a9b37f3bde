# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The keep rules of a backup retention (PVE's prune-backups), shared by storage, backup_job and
    # backup_prune (module_utils/storage.py retention_argument_spec). A module gives its own description.
    DOCUMENTATION = r'''
options:
  retention:
    description: Backup retention (C(prune-backups)) as keep rules.
    type: dict
    suboptions:
      keep_all:
        description: Keep every backup (cannot be combined with the other rules).
        type: bool
      keep_last:
        description: Keep the last N backups.
        type: int
      keep_hourly:
        description: Keep the newest backup of each of the last N hours that have one.
        type: int
      keep_daily:
        description: Keep the newest backup of each of the last N days that have one.
        type: int
      keep_weekly:
        description: Keep the newest backup of each of the last N ISO weeks that have one.
        type: int
      keep_monthly:
        description: Keep the newest backup of each of the last N months that have one.
        type: int
      keep_yearly:
        description: Keep the newest backup of each of the last N years that have one.
        type: int
'''
