"""Host filters: each one removes the hosts that cannot take the request.

Filters are entry points in the ``nova_lite.scheduler.filters`` namespace;
``[scheduler] enabled_filters`` names the ones to run, in order.
"""
