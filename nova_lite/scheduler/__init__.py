"""The scheduler: filters and weighs compute hosts, then claims resources on one.

``rpcapi`` is the client other services use, ``manager`` the RPC endpoint,
``claims`` the atomic resource accounting on the ``compute_nodes`` table.
"""
