"""``nova-lite-all`` with no configuration: a cloud of its own in the user's data directory.

When no configuration file is given or found, ``nova-lite-all`` picks a state
directory (``$NOVA_LITE_STATE_PATH``, else ``$XDG_DATA_HOME/nova-lite``, else
``~/.local/share/nova-lite``) and, the first time, writes a configuration
file there with a generated service password, migrates the database, makes
the key repositories, bootstraps identity with a generated admin password and
writes a ``nova-lite`` entry into the user's ``clouds.yaml``. Every later
start finds that file and changes nothing.

The secrets are kept in the state directory, readable by their owner only:
``nova-lite.conf`` (the service password) and ``admin-password``. The admin
password is written under a temporary name and renamed only once the bootstrap
that uses both succeeded: until that file exists the state is not initialized,
so a first start that dies half way is simply done again (bootstrap resets the
passwords of users it already made).
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import stat
from collections.abc import Sequence

from oslo_config import cfg

from nova_lite.common import exception

CONFIG_NAME = 'nova-lite.conf'
ADMIN_PASSWORD_NAME = 'admin-password'
LOG_NAME = 'nova-lite-all.log'
DEFAULT_CLOUD_NAME = 'nova-lite'
STATE_PATH_ENV = 'NOVA_LITE_STATE_PATH'
PENDING_SUFFIX = '.new'

_CONFIG_ARGS = ('--config-file', '--config-dir')


def config_given(argv: Sequence[str], project: str = 'nova-lite') -> bool:
    """Whether the command line names a configuration, or oslo.config finds one of its
    default files (``~/.nova-lite/nova-lite.conf``, ``/etc/nova-lite/nova-lite.conf``...)."""
    if any(arg in _CONFIG_ARGS or arg.startswith(tuple(f'{a}=' for a in _CONFIG_ARGS))
           for arg in argv):
        return True
    return bool(cfg.find_config_files(project=project))


def default_state_path() -> str:
    """``$NOVA_LITE_STATE_PATH``, else the XDG data directory's ``nova-lite``."""
    explicit = os.environ.get(STATE_PATH_ENV)
    if explicit:
        return os.path.abspath(os.path.expanduser(explicit))
    data_home = os.environ.get('XDG_DATA_HOME') or os.path.join(
        os.path.expanduser('~'), '.local', 'share')
    return os.path.join(os.path.abspath(data_home), 'nova-lite')


def default_clouds_yaml() -> str:
    """Where openstacksdk looks for the user's clouds.yaml first after the cwd."""
    config_home = os.environ.get('XDG_CONFIG_HOME') or os.path.join(
        os.path.expanduser('~'), '.config')
    return os.path.join(config_home, 'openstack', 'clouds.yaml')


@dataclasses.dataclass(frozen=True)
class StateFiles:
    """The files of a zero-configuration cloud, in its state directory."""

    state_path: str

    @property
    def config_file(self) -> str:
        return os.path.join(self.state_path, CONFIG_NAME)

    @property
    def admin_password_file(self) -> str:
        return os.path.join(self.state_path, ADMIN_PASSWORD_NAME)

    @property
    def log_file(self) -> str:
        return os.path.join(self.state_path, LOG_NAME)

    def initialized(self) -> bool:
        return os.path.isfile(self.admin_password_file) and os.path.isfile(self.config_file)

    def read_admin_password(self) -> str:
        with open(self.admin_password_file, encoding='utf-8') as stream:
            return stream.read().strip()


@dataclasses.dataclass(frozen=True)
class FirstStart:
    """What a first start generated; written for good by :func:`commit`."""

    files: StateFiles
    admin_password: str
    service_password: str


def make_private_directory(path: str) -> None:
    """``path`` exists, owned by us and mode 0700 (tightened if it was more open)."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode & 0o077:
        os.chmod(path, mode & 0o700)


def _write_private(path: str, text: str) -> None:
    """Writes ``text`` to ``path`` with mode 0600 (replacing any earlier file)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, 'w', encoding='utf-8') as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())


def _config_text(files: StateFiles, service_password: str) -> str:
    return (
        '# Written by nova-lite-all on its first start, with no configuration given.\n'
        '# It is yours to edit; nova-lite-all reads it from now on. Every option and\n'
        '# its default: etc/nova-lite/nova-lite.conf.sample in the source tree.\n'
        '[DEFAULT]\n'
        f'state_path = {files.state_path}\n'
        f'log_file = {files.log_file}\n'
        '\n'
        '[keystone_authtoken]\n'
        '# The services\' own user (nova_lite, project service) checks tokens with it.\n'
        f'password = {service_password}\n')


def prepare_first_start(state_path: str) -> FirstStart:
    """Generates the passwords and writes the configuration with the service one.

    The caller parses the configuration file, bootstraps (:func:`bootstrap_identity`),
    then calls :func:`commit`.
    """
    files = StateFiles(state_path)
    make_private_directory(state_path)
    first = FirstStart(files, admin_password=secrets.token_urlsafe(18),
                       service_password=secrets.token_urlsafe(24))
    _write_private(files.config_file, _config_text(files, first.service_password))
    _write_private(files.admin_password_file + PENDING_SUFFIX, first.admin_password + '\n')
    return first


def commit(first: FirstStart) -> None:
    """The bootstrap succeeded: the state is initialized from now on."""
    files = first.files
    os.replace(files.admin_password_file + PENDING_SUFFIX, files.admin_password_file)


def bootstrap_identity(conf: cfg.ConfigOpts, first: FirstStart) -> list[str]:
    """Bootstraps identity with the generated passwords, on a migrated database.

    Returns what bootstrap created (nothing is logged with a password in it).
    """
    from nova_lite.db import api as db_api
    from nova_lite.identity import bootstrap
    from nova_lite.identity import manager as identity_manager

    database = db_api.Database.from_conf(conf)
    try:
        summary = bootstrap.bootstrap(identity_manager.IdentityManager(conf, database),
                                      password=first.admin_password,
                                      service_password=first.service_password)
    finally:
        database.dispose()
    return list(summary['changed'])


def admin_cloud_entry(conf: cfg.ConfigOpts, admin_password: str) -> dict[str, object]:
    from nova_lite.identity import catalog, clouds_yaml

    identity = next(s for s in catalog.SERVICES if s.type == 'identity')
    return clouds_yaml.cloud_entry(
        auth_url=catalog.service_url(conf.identity.public_base_url, identity,
                                     conf.api.identity_port),
        username='admin', password=admin_password, project_name='admin',
        region_name=conf.identity.region_id)


def ensure_cloud_entry(conf: cfg.ConfigOpts, path: str, name: str, admin_password: str,
                       *, replace: bool) -> bool:
    """Writes the admin entry ``name`` into the clouds.yaml at ``path``; True if written.

    ``replace`` (a first start, new passwords): the entry is written whatever
    was there. Otherwise an entry already there is left alone, so a second
    start changes nothing; only a missing one is written again.
    """
    from nova_lite.identity import clouds_yaml

    document = clouds_yaml.read_document(path)
    if not replace and name in (document.get('clouds') or {}):
        return False
    clouds_yaml.write_cloud(path, name, admin_cloud_entry(conf, admin_password))
    return True


def check_private_file(path: str) -> None:
    """Refuses (like ssh for its keys) a secret file that others may read."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode & 0o077:
        raise exception.NovaLiteError(
            f'{path} holds a password and is readable by group or others '
            f'(mode {mode:04o}); run "chmod 600 {path}"')
