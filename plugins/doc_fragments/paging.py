# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The paging options of a listing module (module_utils/paging.py argument_spec); the module's RETURN
    # documents page.
    DOCUMENTATION = r'''
options:
  limit:
    description:
      - At most this many items of the list (those after O(offset), in the list's order).
      - RV(page) gives the total and, when there are more, RV(page.next_offset). Without it, every item from
        O(offset) on.
    type: int
  offset:
    description: The first item to return (0 is the first of the list).
    type: int
    default: 0
  fields:
    description:
      - Keep only these keys of each item listed.
      - A key that no item of the list has is refused, naming the keys there are.
      - Details of O(gather) left out of O(fields) are not read.
    type: list
    elements: str
'''
