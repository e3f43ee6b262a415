"""Security groups and their rules, as neutron keeps them.

Each project gets a ``default`` group the first time it needs one (its first
group list or show, or its first port); a new group starts with neutron's
egress rules, the default group also lets in traffic from its own members.
A caller sees its own project's groups and their rules; an admin sees all.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.api import paging, sql_paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import network as net_models
from nova_lite.db.models import network_security as models
from nova_lite.network import (
    access,
    listing,
    port_security,
    ports,
    revisions,
    sg_rules,
    tags,
    validators,
)
from nova_lite.network import quotas as quota_engine
from nova_lite.network import sg_views as views

DEFAULT_NAME = port_security.DEFAULT_NAME


class SecurityGroupRuleExists(exception.Conflict):
    msg_fmt = 'Security group rule already exists. Rule id is %(rule_id)s.'


class SecurityGroupInUse(exception.Conflict):
    msg_fmt = 'Security Group %(id)s in use.'


class SecurityGroupCannotRemoveDefault(exception.Conflict):
    msg_fmt = 'Insufficient rights for removing default security group.'


class SecurityGroupCannotUpdateDefault(exception.Conflict):
    msg_fmt = 'Updating default security group not allowed.'


class SecurityGroupDefaultAlreadyExists(exception.Conflict):
    msg_fmt = 'Default security group already exists.'


def _visible(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    if access.is_admin(ctx):
        return sa.true()
    return models.SecurityGroup.project_id == ctx.project_id


def _not_default_name(name: str) -> None:
    if name.lower() == DEFAULT_NAME:
        raise SecurityGroupDefaultAlreadyExists()


GROUP_FILTERS: dict[str, listing.Condition] = {
    name: (lambda column: lambda values: column.in_(values))(
        getattr(models.SecurityGroup, name))
    for name in ('id', 'name', 'project_id', 'description', 'stateful', 'revision_number')}
GROUP_FILTERS.update(tags.filter_conditions(models.SecurityGroup.id))
RULE_FILTERS: dict[str, listing.Condition] = {
    name: (lambda column: lambda values: column.in_(values))(
        getattr(models.SecurityGroupRule, name))
    for name in ('id', 'security_group_id', 'direction', 'ethertype', 'protocol',
                 'port_range_min', 'port_range_max', 'remote_group_id', 'remote_ip_prefix',
                 'project_id', 'description', 'revision_number')}


class SecurityGroupMethods:
    """The security group half of the network manager (mixed into NetworkManager)."""

    conf: cfg.ConfigOpts
    db: db_api.Database
    quotas: quota_engine.NetworkQuotas
    rng: random.Random

    # -- groups -------------------------------------------------------------------

    def ensure_default_security_group(self, project_id: str | None) -> str | None:
        """The id of ``project_id``'s default group, made with its rules if missing."""
        if not project_id:
            return None
        with self.db.reader() as session:  # the usual case: no write lock taken
            found = session.scalar(sa.select(models.DefaultSecurityGroup.security_group_id)
                                   .where(models.DefaultSecurityGroup.project_id
                                          == project_id))
        if found is not None:
            return found
        with self.db.session() as session:
            return port_security.default_group_id(session, project_id)

    def create_security_group(self, ctx: nl_context.RequestContext, name: str = '',
                              description: str = '', stateful: bool = True, *,
                              project_id: str | None = None) -> dict[str, Any]:
        validators.string('name', name)
        validators.string('description', description)
        validators.boolean('stateful', stateful)
        _not_default_name(name)
        owner = ports.owner_project(ctx, project_id)
        with self.db.session() as session:
            made_default = 0
            if owner:
                made_default = int(_default_group_of(session, owner) is None)
                port_security.default_group_id(session, owner)
            group = port_security.insert_group(session, owner, name, description, stateful)
            session.flush()
            # A default group made just now is not counted (neutron counts before
            # its plugin makes it): making the default group never fails on quota.
            self.quotas.check(session, owner, quota_engine.SECURITY_GROUP,
                              uncounted=made_default)
            return _group_dict(session, group)

    def get_security_group(self, ctx: nl_context.RequestContext,
                           group_id: str) -> dict[str, Any]:
        self.ensure_default_security_group(ctx.project_id)
        with self.db.reader() as session:
            return _group_dict(session, _get_group(session, ctx, group_id))

    def page_security_groups(self, ctx: nl_context.RequestContext,
                             filters: listing.Filters = (),
                             request: paging.PageRequest = paging.EVERYTHING,
                             ) -> paging.Page[dict[str, Any]]:
        filters = list(filters)
        wanted_projects = [values for key, values in filters if key == 'project_id']
        self.ensure_default_security_group(
            wanted_projects[0][0] if wanted_projects and wanted_projects[0]
            else ctx.project_id)
        statement = listing.filtered(
            sa.select(models.SecurityGroup).where(_visible(ctx)), GROUP_FILTERS, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(session, statement,
                                        listing.order(models.SecurityGroup, request.sort), request,
                                        models.SecurityGroup.id)
            rules = _rules_of(session, [row.id for row in page.items])
            return paging.Page(tags.fill(session, [views.group(row, rules[row.id])
                                                   for row in page.items]),
                               page.next_marker)

    def update_security_group(self, ctx: nl_context.RequestContext, group_id: str, *,
                              name: str | None = None,
                              description: str | None = None) -> dict[str, Any]:
        if name is not None:
            validators.string('name', name)
        if description is not None:
            validators.string('description', description)
        with self.db.session() as session:
            group = _get_group(session, ctx, group_id, lock=True)
            revisions.check(group)
            is_default = _is_default(session, group)
            if name is not None and name != group.name:
                if is_default:
                    raise SecurityGroupCannotUpdateDefault()
                _not_default_name(name)
                group.name = name
            if description is not None:
                group.description = description
            session.flush()
            return _group_dict(session, group)

    def delete_security_group(self, ctx: nl_context.RequestContext, group_id: str) -> None:
        """Delete a group and its rules; a 409 while a port uses it, and for a member
        deleting its project's default group."""
        with self.db.session() as session:
            group = _get_group(session, ctx, group_id, lock=True)
            if _is_default(session, group) and not access.is_admin(ctx):
                raise SecurityGroupCannotRemoveDefault()
            used = session.scalar(sa.select(sa.func.count()).where(
                models.SecurityGroupPortBinding.security_group_id == group.id))
            if used:
                raise SecurityGroupInUse(id=group.id)
            session.execute(sa.delete(models.SecurityGroupRule).where(sa.or_(
                models.SecurityGroupRule.security_group_id == group.id,
                models.SecurityGroupRule.remote_group_id == group.id)))
            session.execute(sa.delete(models.DefaultSecurityGroup).where(
                models.DefaultSecurityGroup.security_group_id == group.id))
            tags.forget(session, [group.id])
            session.delete(group)

    # -- rules --------------------------------------------------------------------

    def create_security_group_rule(self, ctx: nl_context.RequestContext,
                                   security_group_id: str, description: str = '',
                                   **request: Any) -> dict[str, Any]:
        """A rule of a group the caller sees; ``request`` holds neutron's rule attributes."""
        validators.string('description', description)
        rule = sg_rules.normalize(request)
        with self.db.session() as session:
            group = _get_group(session, ctx, security_group_id, lock=True)
            if rule['remote_group_id'] is not None:
                rule['remote_group_id'] = _get_group(session, ctx,
                                                     rule['remote_group_id']).id
            for existing in session.scalars(sa.select(models.SecurityGroupRule).where(
                    models.SecurityGroupRule.security_group_id == group.id)):
                if sg_rules.same_rule(views.rule_fields(existing), rule):
                    raise SecurityGroupRuleExists(rule_id=existing.id)
            row = models.SecurityGroupRule(security_group_id=group.id,
                                           project_id=group.project_id,
                                           description=description, **rule)
            session.add(row)
            session.flush()
            self.quotas.check(session, group.project_id, quota_engine.SECURITY_GROUP_RULE)
            return views.rule(row)

    def get_security_group_rule(self, ctx: nl_context.RequestContext,
                                rule_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            return views.rule(_get_rule(session, ctx, rule_id))

    def page_security_group_rules(self, ctx: nl_context.RequestContext,
                                  filters: listing.Filters = (),
                                  request: paging.PageRequest = paging.EVERYTHING,
                                  ) -> paging.Page[dict[str, Any]]:
        self.ensure_default_security_group(ctx.project_id)
        statement = listing.filtered(_visible_rules(ctx), RULE_FILTERS, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(session, statement,
                                        listing.order(models.SecurityGroupRule, request.sort),
                                        request, models.SecurityGroupRule.id)
            return paging.Page([views.rule(row) for row in page.items], page.next_marker)

    def delete_security_group_rule(self, ctx: nl_context.RequestContext,
                                   rule_id: str) -> None:
        with self.db.session() as session:
            row = _get_rule(session, ctx, rule_id)
            session.delete(row)

    # -- what a host needs --------------------------------------------------------

    def port_filter_rules(self, ctx: nl_context.RequestContext,
                          port_id: str) -> list[dict[str, Any]]:
        """The rules of a port's groups, each with ``remote_ips``: for a rule naming a
        remote group, the fixed IPs of that group's ports of the rule's ethertype."""
        with self.db.reader() as session:
            port = access.get_port(session, ctx, port_id)
            group_ids = list(session.scalars(
                sa.select(models.SecurityGroupPortBinding.security_group_id)
                .where(models.SecurityGroupPortBinding.port_id == port.id)))
            rules = [views.rule(row) for row in session.scalars(
                sa.select(models.SecurityGroupRule)
                .where(models.SecurityGroupRule.security_group_id.in_(group_ids))
                .order_by(models.SecurityGroupRule.created_at, models.SecurityGroupRule.id))]
            for rule in rules:
                if rule['remote_group_id'] is None:
                    continue
                addresses = session.scalars(
                    sa.select(net_models.IPAllocation.ip_address)
                    .join(models.SecurityGroupPortBinding,
                          models.SecurityGroupPortBinding.port_id
                          == net_models.IPAllocation.port_id)
                    .where(models.SecurityGroupPortBinding.security_group_id
                           == rule['remote_group_id'])
                    .order_by(net_models.IPAllocation.ip_address))
                version = 4 if rule['ethertype'] == 'IPv4' else 6
                rule['remote_ips'] = [address for address in addresses
                                      if (':' in address) == (version == 6)]
            return rules


def _default_group_of(session: orm.Session, project_id: str) -> str | None:
    return session.scalar(sa.select(models.DefaultSecurityGroup.security_group_id)
                          .where(models.DefaultSecurityGroup.project_id == project_id))


def _is_default(session: orm.Session, group: models.SecurityGroup) -> bool:
    return session.scalar(sa.select(models.DefaultSecurityGroup.project_id).where(
        models.DefaultSecurityGroup.security_group_id == group.id)) is not None


def get_group(session: orm.Session, ctx: nl_context.RequestContext, group_id: Any,
              lock: bool = False) -> models.SecurityGroup:
    validators.existing_id('SecurityGroup', group_id)
    statement = sa.select(models.SecurityGroup).where(models.SecurityGroup.id == group_id,
                                                      _visible(ctx))
    row = session.scalars(statement.with_for_update() if lock else statement).first()
    if row is None:
        raise exception.NotFound(resource='SecurityGroup', id=group_id)
    return row


_get_group = get_group


def _visible_rules(ctx: nl_context.RequestContext) -> sa.Select[Any]:
    statement = sa.select(models.SecurityGroupRule)
    if access.is_admin(ctx):
        return statement
    return statement.join(
        models.SecurityGroup,
        models.SecurityGroup.id == models.SecurityGroupRule.security_group_id).where(
        sa.or_(models.SecurityGroup.project_id == ctx.project_id,
               models.SecurityGroupRule.project_id == ctx.project_id))


def _get_rule(session: orm.Session, ctx: nl_context.RequestContext,
              rule_id: Any) -> models.SecurityGroupRule:
    validators.existing_id('SecurityGroupRule', rule_id)
    row = session.scalars(_visible_rules(ctx).where(
        models.SecurityGroupRule.id == rule_id)).first()
    if row is None:
        raise exception.NotFound(resource='SecurityGroupRule', id=rule_id)
    return row


def _rules_of(session: orm.Session,
              group_ids: Iterable[str]) -> dict[str, list[models.SecurityGroupRule]]:
    result: dict[str, list[models.SecurityGroupRule]] = defaultdict(list)
    ids = list(group_ids)
    if ids:
        for row in session.scalars(
                sa.select(models.SecurityGroupRule)
                .where(models.SecurityGroupRule.security_group_id.in_(ids))
                .order_by(models.SecurityGroupRule.created_at, models.SecurityGroupRule.id)):
            result[row.security_group_id].append(row)
    return result


def _group_dict(session: orm.Session, group: models.SecurityGroup) -> dict[str, Any]:
    return tags.fill(session, [views.group(group, _rules_of(session, [group.id])[group.id])])[0]
