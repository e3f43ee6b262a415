"""Sphinx configuration for the nova_lite documentation."""

project = 'nova_lite'
author = 'nova_lite developers'
copyright = '2025, nova_lite developers'

extensions = [
    'oslo_config.sphinxext',
]

master_doc = 'index'
exclude_patterns = ['build']
pygments_style = 'sphinx'

html_theme = 'alabaster'
html_title = 'nova_lite'
html_static_path: list[str] = []
