"""[identity] options: tokens, Fernet keys and password hashing."""

from oslo_config import cfg

identity_group = cfg.OptGroup('identity', title='Identity service options')

identity_opts = [
    cfg.IntOpt('token_expiration',
               default=3600, min=1,
               help='Seconds a token stays valid after it is issued.'),
    cfg.StrOpt('fernet_key_repository',
               default='$state_path/fernet-keys',
               help='Directory of Fernet keys (0 is staged, the highest is primary).'),
    cfg.StrOpt('credential_key_repository',
               default='$state_path/credential-keys',
               help='Directory of the Fernet keys that encrypt stored credentials '
                    '(/v3/credentials, EC2); created with a key on first use.'),
    cfg.IntOpt('max_active_keys',
               default=3, min=2,
               help='Keys kept by "nova-lite-manage fernet rotate"; older keys are '
                    'removed and tokens they signed stop validating.'),
    cfg.IntOpt('bcrypt_rounds',
               default=12, min=4, max=31,
               help='log2 of the bcrypt work factor for new password hashes.'),
    cfg.StrOpt('region_id',
               default='RegionOne',
               help='Region that bootstrap creates and endpoints belong to.'),
    cfg.StrOpt('public_base_url',
               default='http://127.0.0.1',
               help='Scheme and host the catalog endpoints are built from; each '
                    'service adds its own port.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(identity_group)
    conf.register_opts(identity_opts, group=identity_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(identity_group, identity_opts)]
