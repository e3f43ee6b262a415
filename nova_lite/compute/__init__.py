"""The compute service: REST API, conductor-side stores, and the host's manager."""
