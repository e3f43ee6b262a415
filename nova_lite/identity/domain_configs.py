"""Per-domain configuration (keystone's ``/v3/domains/{id}/config``), stored only.

Keystone reads these options to give a domain its own identity backend
(typically LDAP). nova_lite has no LDAP driver: it keeps and serves the
options as keystone does, but every domain still uses the SQL backend.

Keystone's answers: an unknown group or option (or a body naming another
group or option than the URL) is 403; a domain, group or option that has no
configuration is 404.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as identity_models
from nova_lite.db.models import identity_extensions as models
from nova_lite.identity import domain_config_options as options
from nova_lite.identity import resources

Config = dict[str, dict[str, Any]]


class InvalidDomainConfig(exception.Forbidden):
    msg_fmt = 'Invalid domain specific configuration: %(reason)s'


class DomainConfigNotFound(exception.NotFound):
    msg_fmt = 'Could not find %(what)s in the configuration of domain %(domain_id)s.'


def check_group_and_option(group: str | None, option: str | None) -> None:
    """403 for a group or option the API does not let one set."""
    if group is not None and group not in options.GROUPS:
        raise InvalidDomainConfig(reason=f"group '{group}' is not supported "
                                         f"(supported: {', '.join(options.GROUPS)})")
    if group is not None and option is not None and not options.is_known(group, option):
        raise InvalidDomainConfig(reason=f"option '{option}' of group '{group}' "
                                         'is not supported')


def check_config(config: Any) -> Config:
    """``config`` if it is ``{group: {option: value}}`` of supported, non-empty groups."""
    if not isinstance(config, dict) or not config:
        raise InvalidDomainConfig(reason='no options specified')
    for group, group_options in config.items():
        check_group_and_option(group, None)
        if not isinstance(group_options, dict) or not group_options:
            raise InvalidDomainConfig(
                reason=f"the value of group '{group}' must be an object of options")
        for option, value in group_options.items():
            check_group_and_option(group, option)
            if isinstance(value, dict):
                raise InvalidDomainConfig(
                    reason=f"option '{group}.{option}' must not be an object")
    return config


def _shown(rows: list[models.DomainConfigOption]) -> Config:
    config: Config = {}
    for row in rows:
        if not row.sensitive:
            config.setdefault(row.group_name, {})[row.option_name] = row.value
    return config


class DomainConfigStore:
    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def replace(self, domain_id: str, config: Config) -> tuple[Config, bool]:
        """Sets the domain's whole configuration; also whether it had none before."""
        config = check_config(config)
        with self._db.session() as session:
            rows = self._rows(session, domain_id)
            for row in rows:
                session.delete(row)
            session.flush()
            self._write(session, domain_id, config)
            return _shown(self._rows(session, domain_id)), not rows

    def get(self, domain_id: str, group: str | None = None,
            option: str | None = None) -> Any:
        """The shown configuration, one group of it, or one option's value."""
        check_group_and_option(group, option)
        with self._db.reader() as session:
            config = _shown(self._rows(session, domain_id))
        if not config:
            raise DomainConfigNotFound(what='any option', domain_id=domain_id)
        if group is None:
            return config
        if group not in config:
            raise DomainConfigNotFound(what=f"group '{group}'", domain_id=domain_id)
        if option is None:
            return config[group]
        if option not in config[group]:
            raise DomainConfigNotFound(what=f"option '{group}.{option}'", domain_id=domain_id)
        return config[group][option]

    def update(self, domain_id: str, config: Config, group: str | None = None,
               option: str | None = None) -> Config:
        """Changes (or adds) the options in ``config``; with ``group``/``option`` the
        body must name that group/option only, and it must be configured already."""
        check_group_and_option(group, option)
        if option is not None and group is not None:
            if not isinstance(config, dict) or set(config) != {option}:
                raise InvalidDomainConfig(reason=f"updating option '{option}': give that "
                                                 'option, and only that one')
            config = {group: config}
        elif group is not None and (not isinstance(config, dict) or set(config) != {group}):
            raise InvalidDomainConfig(reason=f"updating group '{group}': give that group, "
                                             'and only that one')
        config = check_config(config)
        with self._db.session() as session:
            current = _shown(self._rows(session, domain_id))
            if group is not None and group not in current:
                raise DomainConfigNotFound(what=f"group '{group}'", domain_id=domain_id)
            if option is not None and option not in current.get(group or '', {}):
                raise DomainConfigNotFound(what=f"option '{group}.{option}'",
                                           domain_id=domain_id)
            self._write(session, domain_id, config)
            return _shown(self._rows(session, domain_id))

    def delete(self, domain_id: str, group: str | None = None,
               option: str | None = None) -> None:
        """Removes the whole configuration, one group, or one option (404 if absent)."""
        check_group_and_option(group, option)
        with self._db.session() as session:
            rows = [row for row in self._rows(session, domain_id)
                    if group is None or (row.group_name == group and (
                        option is None or row.option_name == option))]
            if not rows:
                what = ('any option' if group is None else f"group '{group}'"
                        if option is None else f"option '{group}.{option}'")
                raise DomainConfigNotFound(what=what, domain_id=domain_id)
            for row in rows:
                session.delete(row)

    @staticmethod
    def defaults(group: str | None = None, option: str | None = None) -> Any:
        """Keystone's default values of the options the API shows."""
        check_group_and_option(group, option)
        if group is None:
            return {name: dict(values) for name, values in options.DEFAULTS.items()}
        if option is None:
            return dict(options.DEFAULTS[group])
        if options.is_sensitive(group, option):
            raise DomainConfigNotFound(what=f"a default for '{group}.{option}'",
                                       domain_id='(defaults)')
        return options.DEFAULTS[group][option]

    @staticmethod
    def _rows(session: orm.Session, domain_id: str) -> list[models.DomainConfigOption]:
        resources.load_row(session, identity_models.Domain, 'Domain', 'domain_id', domain_id)
        return list(session.scalars(sa.select(models.DomainConfigOption).where(
            models.DomainConfigOption.domain_id == domain_id).order_by(
            models.DomainConfigOption.group_name, models.DomainConfigOption.option_name)))

    @staticmethod
    def _write(session: orm.Session, domain_id: str, config: Config) -> None:
        for group, group_options in config.items():
            for option, value in group_options.items():
                key = {'domain_id': domain_id, 'group_name': group, 'option_name': option}
                row = session.get(models.DomainConfigOption, key)
                if row is None:
                    row = models.DomainConfigOption(**key)
                    session.add(row)
                row.value = value
                row.sensitive = options.is_sensitive(group, option)
        session.flush()

