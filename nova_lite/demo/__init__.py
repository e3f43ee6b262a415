"""``nova-lite demo``: a full boot on the embedded default, every step shown."""
