"""Checks a daemon makes before it listens: a configuration mistake stops the start.

A daemon whose database is not migrated, whose key repository is empty or
readable by others, or whose service credentials are missing or wrong exits
non-zero with one line naming the option or the command to run, instead of
answering every request with a 500. Each check raises :class:`Misconfigured`.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import stat
from collections.abc import Callable

from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.common import fernet_keys as key_repository

LOG = logging.getLogger(__name__)


class Misconfigured(exception.NovaLiteError):
    """The configuration (or the state it points at) cannot serve: one line says why."""


# A start-up check: returns when all is well, raises Misconfigured otherwise.
Check = Callable[[cfg.ConfigOpts], None]


def _private_directory(path: str, option: str, setup_command: str) -> None:
    """The key directory exists, is ours only (like ssh's keys) and holds keys."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        raise Misconfigured(f'{option} {path} does not exist; run "{setup_command}"') from None
    if mode & 0o077:
        raise Misconfigured(f'{option} {path} is readable by group or others (mode '
                            f'{mode:04o}); run "chmod 700 {path}"')
    if not key_repository.key_indexes(path):
        raise Misconfigured(f'{option} {path} has no keys; run "{setup_command}"')


def fernet_keys(conf: cfg.ConfigOpts) -> None:
    """The identity API signs and checks tokens with these keys."""
    _private_directory(conf.identity.fernet_key_repository,
                       '[identity] fernet_key_repository', 'nova-lite-manage fernet setup')


def conductor_keys(conf: cfg.ConfigOpts) -> None:
    """A conductor seals the users' tokens it keeps in a saved boot with these keys."""
    _private_directory(conf.conductor.token_key_repository,
                       '[conductor] token_key_repository',
                       'nova-lite-manage conductor-keys setup')


def database(conf: cfg.ConfigOpts) -> None:
    """The database answers and its schema is the one this code needs."""
    from nova_lite.db import api as db_api
    from nova_lite.db import migration

    db = db_api.Database.from_conf(conf)
    try:
        current = migration.current_revision(db)
    except Exception as exc:  # any driver's connection error
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Misconfigured(f'[database] connection: cannot reach the database '
                            f'({reason})') from None
    finally:
        db.dispose()
    head = migration.head_revision()
    if current != head:
        raise Misconfigured(f'[database] connection: the database is at migration '
                            f'{current or "none"}, this code needs {head}; run '
                            f'"nova-lite-manage db sync"')


def service_credentials(conf: cfg.ConfigOpts) -> None:
    """The services' own user can sign in with ``[keystone_authtoken]``'s credentials.

    keystonemiddleware signs in with them to check every user token: without
    them every request to the compute, image, network and block storage APIs
    would fail. The process serves the identity API itself, so the check asks
    the identity manager directly (it is not listening yet).
    """
    from nova_lite.api import endpoints
    from nova_lite.wiring import apps as api_apps

    api_apps.configure_keystone_authtoken(conf)
    group = conf[api_apps.AUTHTOKEN_GROUP]
    if group.auth_type != 'password':
        LOG.info('[keystone_authtoken] auth_type is %s: its credentials are not checked '
                 'at start', group.auth_type)
        return
    if not group.password:
        raise Misconfigured(
            '[keystone_authtoken] password is not set; set it to the service user\'s '
            'password (the one given to "nova-lite-manage bootstrap --service-password")')
    if group.auth_url.rstrip('/') != endpoints.identity_url(conf, '/v3'):
        LOG.info('[keystone_authtoken] auth_url %s is another identity service: the '
                 'service credentials are not checked at start', group.auth_url)
        return
    _sign_in(conf, group)


def _sign_in(conf: cfg.ConfigOpts, group: cfg.ConfigOpts.GroupAttr) -> None:
    from nova_lite.db import api as db_api
    from nova_lite.identity import manager as identity_manager

    db = db_api.Database.from_conf(conf)
    try:
        identity_manager.IdentityManager(conf, db).authenticate(
            password=group.password, user_name=group.username,
            user_domain_id=group.user_domain_id, user_domain_name=None
            if group.user_domain_id else group.user_domain_name,
            project_name=group.project_name, project_domain_id=group.project_domain_id,
            project_domain_name=None if group.project_domain_id
            else group.project_domain_name)
    except exception.NotAuthorized:
        raise Misconfigured(
            f'[keystone_authtoken] password: the service user {group.username} cannot '
            f'sign in to project {group.project_name} with it (wrong password, or no such '
            'user); set the password given to "nova-lite-manage bootstrap '
            '--service-password", or run bootstrap with this one') from None
    finally:
        db.dispose()


def state_path(conf: cfg.ConfigOpts) -> None:
    """Warns when the state directory is open to group or others (it holds guests' disks)."""
    path = conf.state_path
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        LOG.warning('[DEFAULT] state_path %s is readable by group or others (mode %04o): '
                    'it holds the database and the guests\' disks; run "chmod 700 %s"',
                    path, mode, path)


def api_ports(conf: cfg.ConfigOpts) -> None:
    """Every API port can be bound (else the API process would fail and be respawned)."""
    from nova_lite.wiring import apps as api_apps

    host = conf.api.listen_host
    for spec in api_apps.APIS:
        port = getattr(conf.api, spec.port_option)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise Misconfigured(f'[api] listen_host {host}: {exc.strerror}') from None
        family, kind, proto, _name, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                why = ('is in use by another process' if exc.errno == errno.EADDRINUSE
                       else f'cannot be bound ({exc.strerror})')
                raise Misconfigured(f'[api] {spec.port_option} {port} on {host} {why}; '
                                    'stop that process or choose another port') from None
