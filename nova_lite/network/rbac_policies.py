"""The network manager's RBAC policy methods (/v2.0/rbac-policies).

Only the network's owner (or an admin) creates policies on it; a policy is seen
and changed by the project that made it, the network's owner and admins. Who
may target ``'*'`` is the API's policy (``create_rbac_policy:target_tenant``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova_lite.api import paging, sql_paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import network as models
from nova_lite.network import access, listing, rbac, validators
from nova_lite.network import quotas as quota_engine

Policy = rbac.Policy


def _any_object_type(values: list[Any]) -> sa.ColumnElement[bool]:
    return sa.true() if 'network' in values else sa.false()


POLICY_FILTERS: dict[str, listing.Condition] = {
    'id': lambda values: Policy.id.in_(values),
    'object_id': lambda values: Policy.object_id.in_(values),
    'object_type': _any_object_type,
    'action': lambda values: Policy.action.in_(values),
    'target_project': lambda values: Policy.target_project.in_(values),
    'project_id': lambda values: Policy.project_id.in_(values),
}


def check_fields(object_type: Any, action: Any, target: Any, target_field: str) -> None:
    """400 naming the field for a bad object type, action or target project."""
    if object_type not in rbac.OBJECT_TYPES:
        raise exception.InvalidInput(field='object_type',
                                     reason=f'must be one of {", ".join(rbac.OBJECT_TYPES)}')
    if action not in rbac.ACTIONS:
        raise exception.InvalidInput(field='action',
                                     reason=f'must be one of {", ".join(rbac.ACTIONS)}')
    check_target(target, target_field)


def check_target(target: Any, field: str) -> str:
    if not isinstance(target, str) or not target.strip() \
            or len(target) > rbac.MAX_TARGET_LENGTH:
        raise exception.InvalidInput(
            field=field, reason=f"must be a project id or '*' of at most "
                                f'{rbac.MAX_TARGET_LENGTH} characters')
    return target



def _visible(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    if access.is_admin(ctx):
        return sa.true()
    return sa.or_(Policy.project_id == ctx.project_id,
                  Policy.object_id.in_(sa.select(models.Network.id).where(
                      models.Network.project_id == ctx.project_id)))


class RBACPolicyMethods:
    db: db_api.Database
    quotas: quota_engine.NetworkQuotas

    def create_rbac_policy(self, ctx: nl_context.RequestContext, *, object_type: Any,
                           object_id: Any, action: Any, target_project: Any,
                           target_field: str = 'target_tenant',
                           project_id: str | None = None) -> dict[str, Any]:
        check_fields(object_type, action, target_project, target_field)
        validators.existing_id('Network', object_id)
        with self.db.session() as session:
            network = access.get_network(session, ctx, object_id, lock='update')
            if not access.is_admin(ctx) and network.project_id != ctx.project_id:
                raise exception.InvalidInput(
                    field='object_id', reason='only admins can manipulate policies on '
                                              'networks they do not own')
            owner = project_id if project_id is not None and access.is_admin(ctx) \
                else ctx.project_id
            row = rbac.add(session, network, action, target_project, owner or '')
            self.quotas.check(session, row.project_id, quota_engine.RBAC_POLICY)
            return rbac.policy_dict(row)

    def get_rbac_policy(self, ctx: nl_context.RequestContext, policy_id: Any
                        ) -> dict[str, Any]:
        with self.db.reader() as session:
            return rbac.policy_dict(self._policy_row(session, ctx, policy_id))

    def page_rbac_policies(self, ctx: nl_context.RequestContext,
                           filters: listing.Filters = (),
                           request: paging.PageRequest = paging.EVERYTHING,
                           ) -> paging.Page[dict[str, Any]]:
        statement = listing.filtered(sa.select(Policy).where(_visible(ctx)),
                                     POLICY_FILTERS, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(session, statement, listing.order(Policy, request.sort),
                                        request, Policy.id)
            return paging.Page([rbac.policy_dict(row) for row in page.items],
                               page.next_marker)

    def update_rbac_policy(self, ctx: nl_context.RequestContext, policy_id: Any, *,
                           target_project: Any, target_field: str = 'target_tenant',
                           ) -> dict[str, Any]:
        """Point a policy at another target; the old target must not be in use."""
        check_target(target_project, target_field)
        with self.db.session() as session:
            row = self._policy_row(session, ctx, policy_id, lock=True)
            if target_project == row.target_project:
                return rbac.policy_dict(row)
            network = access.get_network(session, ctx, row.object_id, lock='update')
            if rbac.find(session, network.id, row.action, target_project) is not None:
                raise rbac.DuplicateRbacPolicy()
            rbac.check_unused(session, network, row.action, row.target_project,
                              exclude=row.id)
            was_wildcard = row.target_project == rbac.WILDCARD
            row.target_project = target_project
            if row.action == rbac.SHARED:
                if target_project == rbac.WILDCARD:
                    network.shared = True
                elif was_wildcard:
                    network.shared = False
            session.flush()
            return rbac.policy_dict(row)

    def delete_rbac_policy(self, ctx: nl_context.RequestContext, policy_id: Any) -> None:
        with self.db.session() as session:
            row = self._policy_row(session, ctx, policy_id, lock=True)
            network = access.get_network(session, ctx, row.object_id, lock='update')
            rbac.remove(session, network, row)

    @staticmethod
    def _policy_row(session: Any, ctx: nl_context.RequestContext, policy_id: Any,
                    lock: bool = False) -> rbac.rbac_models.NetworkRBACPolicy:
        validators.existing_id('RbacPolicy', policy_id)
        statement = sa.select(Policy).where(Policy.id == policy_id, _visible(ctx))
        row = session.scalars(statement.with_for_update() if lock else statement).first()
        if row is None:
            raise exception.NotFound(resource='RbacPolicy', id=policy_id)
        return row
