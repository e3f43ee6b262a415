"""The block storage service's operations as TaskFlow linear flows.

Each create, copy, snapshot, extend and delete runs as a flow whose first task
undoes the record (``error``, ``error_deleting`` or the row removed) when a
later task fails, and whose other tasks each undo their own step. Names are in
:mod:`.keys`; :mod:`.runner` runs a flow and saves its run.
"""
