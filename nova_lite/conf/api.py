"""[api] options: where the REST APIs listen and what they accept."""

from oslo_config import cfg

api_group = cfg.OptGroup('api', title='REST API options')

api_opts = [
    cfg.HostAddressOpt('listen_host', default='127.0.0.1',
                       help='Address every REST API binds to.'),
    cfg.PortOpt('identity_port', default=5000, help='Identity v3 API port.'),
    cfg.PortOpt('compute_port', default=8774, help='Compute v2.1 API port.'),
    cfg.PortOpt('image_port', default=9292, help='Image v2 API port.'),
    cfg.PortOpt('network_port', default=9696, help='Network v2.0 API port.'),
    cfg.PortOpt('volume_port', default=8776, help='Block storage v3 API port.'),
    cfg.IntOpt('max_request_body_size', default=1024 * 1024, min=1024,
               help='Largest JSON request body, in bytes (larger is 413). Image '
                    'uploads are limited by [image] image_size_cap instead.'),
    cfg.IntOpt('wsgi_threads', default=16, min=1,
               help='Threads of each REST API\'s WSGI server: the requests it works '
                    'on at once. Idle keep-alive connections take no thread; ready '
                    'requests beyond this wait in a queue.'),
    cfg.IntOpt('listen_backlog', default=1024, min=1,
               help='Listen queue of each REST API (connections not yet accepted; '
                    'the kernel caps it at net.core.somaxconn).'),
    cfg.IntOpt('max_keepalive_connections', default=1000, min=0,
               help='Idle keep-alive connections each REST API keeps open; past '
                    'this, responses say "Connection: close" and clients reconnect. '
                    'Each takes a file descriptor, no thread.'),
    cfg.IntOpt('client_socket_timeout', default=60, min=1,
               help='Seconds a REST API connection may stay idle between requests '
                    '(or take to send a request) before the server closes it.'),
    cfg.FloatOpt('policy_reload_interval', default=1.0, min=0,
                 help='Seconds between two looks at the policy files ([oslo_policy] '
                      'policy_file and policy_dirs): a changed policy file is in force '
                      'at most this long after the change. 0 looks on every policy '
                      'check, as oslo.policy itself does.'),
    cfg.IntOpt('shutdown_timeout', default=30, min=0,
               help='Seconds a stopping API waits for requests in flight.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(api_group, api_opts)]
