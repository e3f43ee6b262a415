"""Tempest against a fresh ``nova-lite-all``: start, seed, configure, run, count."""
