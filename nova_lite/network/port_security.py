"""Which security groups a port has, whether its port security is on, and each
project's default group, which a port gets when it names no groups.

Neutron's rules: a port with port security off has no groups (naming some is a
400; turning it off while the port keeps groups is a 409); a port that names no
groups gets its project's default group unless its owner is a network device
(``network:...``, a router or DHCP port, which neutron trusts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db.models import network_security as models
from nova_lite.network import access, sg_rules, validators

DEFAULT_NAME = 'default'
DEFAULT_DESCRIPTION = 'Default security group'
TRUSTED_OWNER_PREFIX = 'network:'


class PortSecurityAndIPRequiredForSecurityGroups(exception.Invalid):
    msg_fmt = ('Port security must be enabled and port must have an IP address in order '
               'to use security groups.')


class PortSecurityPortHasSecurityGroup(exception.Conflict):
    msg_fmt = ('Port has security group associated. Cannot disable port security or IP '
               'address until security group is removed')


def insert_group(session: orm.Session, project_id: str | None, name: str,
                 description: str, stateful: bool) -> models.SecurityGroup:
    """A new group with neutron's egress rules."""
    group = models.SecurityGroup(name=name, description=description, project_id=project_id,
                                 stateful=stateful)
    session.add(group)
    session.flush()
    for rule in sg_rules.default_rules():
        session.add(models.SecurityGroupRule(security_group_id=group.id,
                                             project_id=project_id, **rule))
    session.flush()
    return group


def default_group_id(session: orm.Session, project_id: str) -> str:
    """``project_id``'s default group, made (with neutron's rules) if it has none."""
    wanted = sa.select(models.DefaultSecurityGroup.security_group_id).where(
        models.DefaultSecurityGroup.project_id == project_id)
    found = session.scalar(wanted)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            group = insert_group(session, project_id, DEFAULT_NAME, DEFAULT_DESCRIPTION, True)
            for ethertype in sg_rules.ETHERTYPES:
                session.add(models.SecurityGroupRule(
                    security_group_id=group.id, project_id=project_id, direction='ingress',
                    ethertype=ethertype, remote_group_id=group.id))
            session.add(models.DefaultSecurityGroup(project_id=project_id,
                                                    security_group_id=group.id))
            session.flush()
            return group.id
    except sa_exc.IntegrityError:  # a concurrent request made it first
        return session.scalars(wanted).one()


def _checked_groups(session: orm.Session, ctx: nl_context.RequestContext,
                    project_id: str | None, group_ids: Any) -> list[str]:
    """The named groups, each existing and of the port's project (any, for an admin)."""
    if not isinstance(group_ids, list | tuple):
        raise exception.InvalidInput(field='security_groups', reason='must be a list of ids')
    wanted: list[str] = []
    for index, group_id in enumerate(group_ids):
        validators.string(f'security_groups.{index}', group_id)
        if group_id not in wanted:
            wanted.append(group_id)
    valid = {row.id for row in session.scalars(sa.select(models.SecurityGroup).where(
        models.SecurityGroup.id.in_(wanted)))
        if access.is_admin(ctx) or row.project_id == project_id}
    missing = [group_id for group_id in wanted if group_id not in valid]
    if missing:
        raise exception.NotFound(resource='SecurityGroup', id=', '.join(missing))
    return wanted


def bind_new_port(session: orm.Session, ctx: nl_context.RequestContext, port_id: str,
                  project_id: str | None, device_owner: str, security_groups: Any,
                  port_security_enabled: Any) -> None:
    """Record a new port's port security and groups."""
    enabled = (True if port_security_enabled is None
               else validators.boolean('port_security_enabled', port_security_enabled))
    if security_groups is not None:
        groups = _checked_groups(session, ctx, project_id, security_groups)
        if groups and not enabled:
            raise PortSecurityAndIPRequiredForSecurityGroups()
    elif enabled and project_id and not device_owner.startswith(TRUSTED_OWNER_PREFIX):
        groups = [default_group_id(session, project_id)]
    else:
        groups = []
    if not enabled:
        session.add(models.PortSecurityBinding(port_id=port_id, port_security_enabled=False))
    session.add_all(models.SecurityGroupPortBinding(port_id=port_id, security_group_id=group)
                    for group in groups)
    session.flush()


def update_port(session: orm.Session, ctx: nl_context.RequestContext, port_id: str,
                project_id: str | None, security_groups: Any,
                port_security_enabled: Any) -> bool:
    """Change a port's groups and port security (None leaves one as it is); whether
    anything changed."""
    if security_groups is None and port_security_enabled is None:
        return False
    current_enabled, current_groups = port_security_of(session, [port_id])[port_id]
    enabled = (current_enabled if port_security_enabled is None
               else validators.boolean('port_security_enabled', port_security_enabled))
    groups = (current_groups if security_groups is None
              else _checked_groups(session, ctx, project_id, security_groups))
    if groups and not enabled:
        if security_groups is None:
            raise PortSecurityPortHasSecurityGroup()
        raise PortSecurityAndIPRequiredForSecurityGroups()
    session.execute(sa.delete(models.PortSecurityBinding).where(
        models.PortSecurityBinding.port_id == port_id))
    if not enabled:
        session.add(models.PortSecurityBinding(port_id=port_id, port_security_enabled=False))
    session.execute(sa.delete(models.SecurityGroupPortBinding).where(
        models.SecurityGroupPortBinding.port_id == port_id))
    session.add_all(models.SecurityGroupPortBinding(port_id=port_id, security_group_id=group)
                    for group in groups)
    session.flush()
    return True


def port_security_of(session: orm.Session,
                     port_ids: Iterable[str]) -> dict[str, tuple[bool, list[str]]]:
    """Each port's (port_security_enabled, security group ids)."""
    ids = list(port_ids)
    groups: dict[str, list[str]] = defaultdict(list)
    disabled: set[str] = set()
    if ids:
        for port_id, group_id in session.execute(
                sa.select(models.SecurityGroupPortBinding.port_id,
                          models.SecurityGroupPortBinding.security_group_id)
                .where(models.SecurityGroupPortBinding.port_id.in_(ids))
                .order_by(models.SecurityGroupPortBinding.security_group_id)):
            groups[port_id].append(group_id)
        disabled = set(session.scalars(sa.select(models.PortSecurityBinding.port_id).where(
            models.PortSecurityBinding.port_id.in_(ids),
            models.PortSecurityBinding.port_security_enabled.is_(False))))
    return {port_id: (port_id not in disabled, groups[port_id]) for port_id in ids}


def with_port_security(session: orm.Session,
                       ports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``ports`` (port dicts) with their ``security_groups`` and ``port_security_enabled``."""
    known = port_security_of(session, [port['id'] for port in ports])
    for port in ports:
        enabled, groups = known[port['id']]
        port['security_groups'] = groups
        port['port_security_enabled'] = enabled
    return ports
