"""How nova_lite processes are put together (layer L3: it may import every service).

- :mod:`.services`: what the REST APIs act through (managers, stores, RPC clients);
- :mod:`.apps`: the five REST applications, each with its port, URL and token check;
- :mod:`.api_service`: the oslo.service service that serves those applications;
- :mod:`.process`: the one process builder, the scheduler, conductor and
  compute parts that both :mod:`nova_lite.daemons` (one service per process)
  and :mod:`nova_lite.embedded` (every service in one process) run.
"""
