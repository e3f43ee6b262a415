"""Clients the boot flow and the compute host use to reach the other services.

Each service API checks the caller's token with identity before it acts
(steps 21, 24 and 27 of the boot). :mod:`.local` reaches the service managers
in the same process; an HTTP transport over keystoneauth1 sessions belongs to
the REST APIs and has the same surface.
"""
