# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # What every pve.ops module shares.
    DOCUMENTATION = r'''
options: {}
attributes:
  action_group:
    description: Use C(group/pve.ops.all) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - pve.ops.all
'''

    # For read-only _info modules.
    INFO_MODULE = r'''
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: This module only reads; it never changes anything.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details: This module never changes anything.
'''

    # For state modules.
    STATE_MODULE = r'''
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - Check mode makes no write request at all.
      - Where the task depends on an object an earlier task of the play would create (a pool, a storage, a
        guest, a backup, a user), check mode says so in a warning and reports what would happen, instead of
        failing.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: The result always carries C(diff) with C(before) and C(after).
notes:
  - Values are checked against PVE's ranges and formats before any request; a bad value fails naming the option.
  - An object the credentials may not see is never taken as absent; the task fails naming the privilege and the
    path that would show it.
  - When the answer to a write is lost (connection reset, read timeout), the module reads the resource back. It
    reports C(changed=true) with a warning when the write took effect; a failure with C(outcome=not applied)
    when it did not; and a failure with C(changed=true), C(outcome=unknown) and how to check (the task's UPID)
    when that cannot be known.
'''
