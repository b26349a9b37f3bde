# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module's documentation as ansible-doc shows it: its DOCUMENTATION with its doc fragments merged in.

Used by the MCP adapter (tool descriptions and schemas), scripts/gen_docs.py (docs/modules.md) and the docs test.
"""

from __future__ import annotations

import importlib

from ansible.module_utils.common.yaml import yaml_load

COLLECTION = 'pve.ops'
FRAGMENTS_PACKAGE = 'ansible_collections.pve.ops.plugins.doc_fragments'


def fragment_options(ref):
    """The options of a doc fragment reference such as ``pve.ops.retention`` or ``pve.ops.attributes.INFO_MODULE``."""
    parts = ref.split('.')
    if parts[:2] != COLLECTION.split('.'):
        raise ValueError('not a {0} doc fragment: {1}'.format(COLLECTION, ref))
    fragment = importlib.import_module('{0}.{1}'.format(FRAGMENTS_PACKAGE, parts[2])).ModuleDocFragment
    return (yaml_load(getattr(fragment, parts[3] if len(parts) > 3 else 'DOCUMENTATION')) or {}).get('options') or {}


def merged_documentation(text):
    """A module's DOCUMENTATION with its doc fragments' options merged in as ansible-doc merges them
    (the fragment's option, with the module's own keys on top)."""
    doc = yaml_load(text) or {}
    options = dict(doc.get('options') or {})
    for ref in doc.get('extends_documentation_fragment') or []:
        for key, value in fragment_options(ref).items():
            merged = dict(value)
            merged.update(options.get(key) or {})
            options[key] = merged
    doc['options'] = options
    return doc
