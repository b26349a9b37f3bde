# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Sphinx configuration of the rendered collection docs (scripts/build_docs.py; made with antsibull-docs
# sphinx-init, then trimmed). Offline: no intersphinx inventories, so references into docs.ansible.com stay
# unresolved (build_docs.py allows those, and only those).
project = 'pve.ops'
copyright = 'pve.ops contributors'
title = 'pve.ops: an Ansible collection for Proxmox VE'
html_short_title = 'pve.ops'
extensions = ['sphinx.ext.autodoc', 'sphinx_antsibull_ext']
pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'
html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False
default_role = 'any'
nitpicky = False
