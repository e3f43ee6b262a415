"""[database] options."""

from oslo_config import cfg

database_group = cfg.OptGroup('database', title='Database options')

database_opts = [
    cfg.StrOpt('connection',
               default='sqlite:///$state_path/nova_lite.sqlite',
               secret=True,
               help='SQLAlchemy URL of the database every service shares. SQLite '
                    '(WAL journal) by default; for example '
                    'postgresql+psycopg://user@127.0.0.1/nova_lite in production.'),
    cfg.BoolOpt('connection_debug',
                default=False,
                help='Log every SQL statement.'),
    cfg.IntOpt('pool_size',
               default=10, min=1,
               help='Connections kept open per process (not used by SQLite).'),
    cfg.IntOpt('sqlite_busy_timeout_ms',
               default=30000, min=0,
               help='How long SQLite waits on a locked database before failing.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(database_group)
    conf.register_opts(database_opts, group=database_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(database_group, database_opts)]
