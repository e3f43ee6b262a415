"""The parts of ``tools/bench_boot.py``: the cloud it starts, the REST calls, the runs,
the per-task breakdown of a boot, the Nova peer and the report."""
