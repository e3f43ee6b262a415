"""``nova-lite-manage``: database, Fernet keys, conductor keys and bootstrap."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from oslo_config import cfg

from nova_lite.cmd import audit, config

AUTHTOKEN_GROUP = 'keystone_authtoken'


def _add_parsers(subparsers: Any) -> None:
    audit.add_parser(subparsers)
    db = subparsers.add_parser('db', help='database schema')
    db_sub = db.add_subparsers(dest='db_command')
    db_sub.add_parser('sync', help='upgrade the schema to the latest migration')
    db_sub.add_parser('version', help='print the current migration')
    fernet = subparsers.add_parser('fernet', help='Fernet token keys')
    fernet_sub = fernet.add_subparsers(dest='fernet_command')
    fernet_sub.add_parser('setup', help='create the key repository (idempotent)')
    fernet_sub.add_parser('rotate', help='promote the staged key, add a new staged key')
    conductor_keys = subparsers.add_parser(
        'conductor-keys', help='the conductors\' keys, which seal users\' tokens in saved boots')
    conductor_keys_sub = conductor_keys.add_subparsers(dest='conductor_keys_command')
    conductor_keys_sub.add_parser('setup', help='create the key repository (idempotent)')
    conductor_keys_sub.add_parser('rotate',
                                  help='promote the staged key, add a new staged key')
    boot = subparsers.add_parser('bootstrap', help='create the admin user, project, roles, '
                                                   'region and catalog (idempotent)')
    boot.add_argument('--bootstrap-password', default=None,
                      help='admin password (default: $OS_BOOTSTRAP_PASSWORD or a prompt)')
    boot.add_argument('--bootstrap-username', default='admin')
    boot.add_argument('--bootstrap-project-name', default='admin')
    boot.add_argument('--service-password', default=None,
                      help='password of the services\' own user (default: '
                           '[keystone_authtoken] password; none: no service user)')
    boot.add_argument('--service-username', default=None,
                      help='the services\' own user (default: [keystone_authtoken] '
                           'username, else nova_lite)')
    boot.add_argument('--clouds-yaml', default=None, metavar='PATH',
                      help='write (or update) the admin cloud entry in this clouds.yaml')
    boot.add_argument('--cloud-name', default='nova-lite',
                      help='name of the clouds.yaml entry (default: nova-lite)')


def _db(conf: cfg.ConfigOpts) -> int:
    from nova_lite.db import api as db_api
    from nova_lite.db import migration

    database = db_api.Database.from_conf(conf)
    try:
        if conf.command.db_command == 'sync':
            migration.upgrade(database)
            print(f'database at revision {migration.current_revision(database)}')
        elif conf.command.db_command == 'version':
            print(migration.current_revision(database) or 'empty')
        else:
            print('usage: nova-lite-manage db {sync,version}', file=sys.stderr)
            return 2
    finally:
        database.dispose()
    return 0


def _fernet(conf: cfg.ConfigOpts) -> int:
    from nova_lite.common import fernet_keys

    repo = conf.identity.fernet_key_repository
    if conf.command.fernet_command == 'setup':
        fernet_keys.setup(repo)
    elif conf.command.fernet_command == 'rotate':
        fernet_keys.rotate(repo, conf.identity.max_active_keys)
    else:
        print('usage: nova-lite-manage fernet {setup,rotate}', file=sys.stderr)
        return 2
    print(f'{repo}: keys {", ".join(sorted(os.listdir(repo), key=int))}')
    return 0


def _conductor_keys(conf: cfg.ConfigOpts) -> int:
    from nova_lite.common import fernet_keys
    from nova_lite.conductor import token_seal

    repo = conf.conductor.token_key_repository
    if conf.command.conductor_keys_command == 'setup':
        indexes = fernet_keys.setup(repo)
    elif conf.command.conductor_keys_command == 'rotate':
        indexes = token_seal.rotate_repository(repo, conf.conductor.token_max_active_keys)
    else:
        print('usage: nova-lite-manage conductor-keys {setup,rotate}', file=sys.stderr)
        return 2
    print(f'{repo}: keys {", ".join(str(index) for index in indexes)}')
    return 0


def _register_service_auth_opts(conf: cfg.ConfigOpts) -> None:
    """[keystone_authtoken] as keystonemiddleware and its 'password' plugin read it."""
    from keystoneauth1 import loading as ks_loading
    from keystonemiddleware import auth_token

    groups = [*auth_token.list_opts(),
              (AUTHTOKEN_GROUP, ks_loading.get_auth_plugin_conf_options('password'))]
    for group, opts in groups:
        for opt in opts:
            try:
                conf.register_opt(opt, group=group)
            except cfg.DuplicateOptError:  # registered already, another way: keep that
                pass


def _service_credentials(conf: cfg.ConfigOpts) -> tuple[str | None, str]:
    """The service user's password (None: no service user) and name."""
    from nova_lite.identity import bootstrap

    _register_service_auth_opts(conf)
    args = conf.command
    configured = conf[AUTHTOKEN_GROUP]
    password = args.service_password or configured.get('password') or None
    username = (args.service_username or configured.get('username')
                or bootstrap.DEFAULT_SERVICE_USER)
    return password, username


def _write_clouds_yaml(conf: cfg.ConfigOpts, password: str) -> str:
    from nova_lite.identity import catalog, clouds_yaml

    args = conf.command
    identity = next(s for s in catalog.SERVICES if s.type == 'identity')
    entry = clouds_yaml.cloud_entry(
        auth_url=catalog.service_url(conf.identity.public_base_url, identity,
                                     conf.api.identity_port),
        username=args.bootstrap_username, password=password,
        project_name=args.bootstrap_project_name, region_name=conf.identity.region_id)
    clouds_yaml.write_cloud(args.clouds_yaml, args.cloud_name, entry)
    return f'wrote cloud {args.cloud_name} to {args.clouds_yaml}'


def _bootstrap(conf: cfg.ConfigOpts) -> int:
    from nova_lite.common import fernet_keys
    from nova_lite.db import api as db_api
    from nova_lite.db import migration
    from nova_lite.identity import bootstrap
    from nova_lite.identity import manager as identity_manager

    args = conf.command
    password = (args.bootstrap_password or os.environ.get('OS_BOOTSTRAP_PASSWORD')
                or (getpass.getpass('admin password: ') if sys.stdin.isatty() else None))
    if not password:
        print('bootstrap needs --bootstrap-password or OS_BOOTSTRAP_PASSWORD',
              file=sys.stderr)
        return 2
    service_password, service_user = _service_credentials(conf)
    if args.clouds_yaml:  # a file we could not update fails before anything changes
        from nova_lite.identity import clouds_yaml

        clouds_yaml.read_document(args.clouds_yaml)
    database = db_api.Database.from_conf(conf)
    try:
        migration.upgrade(database)
        fernet_keys.setup(conf.identity.fernet_key_repository)
        summary = bootstrap.bootstrap(identity_manager.IdentityManager(conf, database),
                                      password=password, admin_user=args.bootstrap_username,
                                      admin_project=args.bootstrap_project_name,
                                      service_password=service_password,
                                      service_user=service_user)
    finally:
        database.dispose()
    if args.clouds_yaml:
        summary['clouds_yaml'] = _write_clouds_yaml(conf, password)
    for key, value in summary.items():
        print(f'{key}: {value}')
    return 0


def main(argv: list[str] | None = None) -> int:
    conf = cfg.ConfigOpts()
    conf.register_cli_opt(cfg.SubCommandOpt('command', title='Commands',
                                            handler=_add_parsers))
    config.parse_args(conf, sys.argv[1:] if argv is None else argv)
    handlers = {'db': _db, 'fernet': _fernet, 'conductor-keys': _conductor_keys,
                'bootstrap': _bootstrap, 'audit': audit.run}
    return config.run_command(handlers[conf.command.name], conf)


if __name__ == '__main__':
    sys.exit(main())
