"""Host weighers: rank the hosts that passed the filters, best first.

Weighers are entry points in the ``nova_lite.scheduler.weighers`` namespace;
``[scheduler] weighers`` names the ones to use.
"""
