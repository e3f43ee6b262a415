"""The image service (a glance analogue): a metadata registry plus a byte store."""
