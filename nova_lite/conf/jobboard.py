"""[jobboard] options: where boots are posted as jobs and how conductors claim them."""

from oslo_config import cfg

jobboard_group = cfg.OptGroup(
    'jobboard', title='Jobboard options',
    help='Every boot is posted as a job on a TaskFlow jobboard; a conductor claims it, '
         'keeps its claim alive while it runs the boot, and when that conductor dies '
         'another one claims the job once the claim has expired and resumes the boot '
         'from its saved logbook.')

jobboard_opts = [
    cfg.StrOpt('backend', default='database', choices=[
        ('database', 'A board in nova_lite\'s own database (the embedded default; '
                     'also shared by conductors on one PostgreSQL or MariaDB).'),
        ('redis', 'TaskFlow\'s Redis jobboard on [jobboard] redis_url.')],
        help='Which jobboard the conductors share.'),
    cfg.StrOpt('redis_url', default='redis://127.0.0.1:6379/0',
               help='The Redis server of the redis backend: redis://[:password@]host:port/db.'),
    cfg.StrOpt('namespace', default='nova_lite',
               help='Prefix of the board\'s keys (redis) or name of the board (database); '
                    'conductors of one cloud share it, two clouds must not.'),
    cfg.FloatOpt('claim_expiry', default=30.0, min=0.5,
                 help='Seconds a claim lasts unless its conductor renews it (it does so '
                      'every third of this while it runs the boot). A dead conductor\'s '
                      'boot is taken over after this plus up to one poll interval.'),
    cfg.FloatOpt('poll_interval', default=2.0, min=0.05,
                 help='Seconds between two looks at the board for jobs nobody holds.'),
    cfg.IntOpt('max_claims', default=3, min=1,
               help='A boot claimed this many times without finishing (each time its '
                    'conductor died) is moved aside: its instance goes to ERROR and '
                    'whatever it holds is freed.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(jobboard_group)
    conf.register_opts(jobboard_opts, group=jobboard_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(jobboard_group, jobboard_opts)]
