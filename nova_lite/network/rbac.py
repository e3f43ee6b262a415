"""Network RBAC policies (neutron's rbac-policies): a network shared with, or made
external for, one project or every project (``'*'``).

The wildcard ``access_as_shared`` policy is what a network's ``shared: true``
means, and the wildcard ``access_as_external`` policy what ``router:external:
true`` means; each is kept in step with the other (as neutron does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db.models import network as models
from nova_lite.db.models import network_l3 as l3_models
from nova_lite.db.models import network_rbac as rbac_models

SHARED = 'access_as_shared'
EXTERNAL = 'access_as_external'
ACTIONS = (SHARED, EXTERNAL)
OBJECT_TYPES = ('network',)
WILDCARD = '*'
MAX_TARGET_LENGTH = 255

Policy = rbac_models.NetworkRBACPolicy


class RbacPolicyInUse(exception.Conflict):
    msg_fmt = ('RBAC policy on object %(object_id)s cannot be removed because other '
               'objects depend on it. Details: %(details)s')


class DuplicateRbacPolicy(exception.Conflict):
    msg_fmt = 'An RBAC policy already exists with those values.'


def is_admin(ctx: nl_context.RequestContext) -> bool:
    return bool(ctx.is_admin or 'admin' in (ctx.roles or []))


def granted_to(ctx: nl_context.RequestContext,
               action: str | None = None) -> sa.Select[Any]:
    """The ids of the networks a policy opens to the caller's project."""
    statement = sa.select(Policy.object_id).where(
        Policy.target_project.in_((WILDCARD, ctx.project_id or '')))
    return statement.where(Policy.action == action) if action else statement


def shared_condition(ctx: nl_context.RequestContext
                     ) -> Callable[[list[Any]], sa.ColumnElement[bool]]:
    """The ``shared`` list filter as the caller sees ``shared``: shared with every
    project or with the caller's."""
    def condition(values: list[Any]) -> sa.ColumnElement[bool]:
        shared = sa.or_(models.Network.shared.is_(True),
                        models.Network.id.in_(granted_to(ctx, SHARED)))
        if True in values and False in values:
            return sa.true()
        return shared if True in values else sa.not_(shared)
    return condition


def shared_with(session: orm.Session, ctx: nl_context.RequestContext,
                network_ids: Iterable[str]) -> set[str]:
    """Which of ``network_ids`` an access_as_shared policy opens to the caller."""
    ids = list(network_ids)
    if not ids:
        return set()
    return set(session.scalars(granted_to(ctx, SHARED).where(Policy.object_id.in_(ids))))


def policy_dict(row: rbac_models.NetworkRBACPolicy) -> dict[str, Any]:
    return {'id': row.id, 'object_type': 'network', 'object_id': row.object_id,
            'action': row.action, 'target_tenant': row.target_project,
            'target_project': row.target_project, 'project_id': row.project_id,
            'tenant_id': row.project_id}


def find(session: orm.Session, network_id: str, action: str,
         target: str) -> rbac_models.NetworkRBACPolicy | None:
    return session.scalars(sa.select(Policy).where(
        Policy.object_id == network_id, Policy.action == action,
        Policy.target_project == target)).first()


def add(session: orm.Session, network: models.Network, action: str, target: str,
        project_id: str | None = None) -> rbac_models.NetworkRBACPolicy:
    """A new policy (409 if the same one exists); a wildcard shared policy makes the
    network shared, an external one makes it external."""
    if find(session, network.id, action, target) is not None:
        raise DuplicateRbacPolicy()
    row = Policy(object_id=network.id, action=action, target_project=target,
                 project_id=project_id if project_id is not None else network.project_id or '')
    session.add(row)
    if action == SHARED and target == WILDCARD:
        network.shared = True
    if action == EXTERNAL and session.get(l3_models.ExternalNetwork, network.id) is None:
        session.add(l3_models.ExternalNetwork(network_id=network.id))
    _touch(network)
    session.flush()
    return row


def remove(session: orm.Session, network: models.Network,
           row: rbac_models.NetworkRBACPolicy) -> None:
    """Delete a policy unless a project it opens the network to still uses the network
    there (409 RbacPolicyInUse); the network stops being shared or external with the
    last such policy."""
    check_unused(session, network, row.action, row.target_project, exclude=row.id)
    action = row.action
    last_external = action == EXTERNAL and not session.scalar(
        sa.select(sa.func.count()).where(Policy.object_id == network.id,
                                         Policy.action == EXTERNAL, Policy.id != row.id))
    if last_external:  # the network stops being external: for its owner's routers too
        used = _l3_users(session, network, lambda project: sa.true())
        if used:
            raise RbacPolicyInUse(object_id=network.id, details=(
                f'{used} router gateway(s) or floating IP(s) use it as an external '
                'network'))
    session.delete(row)
    session.flush()
    if action == SHARED and row.target_project == WILDCARD:
        network.shared = False
    if last_external:
        external = session.get(l3_models.ExternalNetwork, network.id)
        if external is not None:
            session.delete(external)
    _touch(network)
    session.flush()


def check_unused(session: orm.Session, network: models.Network, action: str, target: str,
                 *, exclude: str | None = None) -> None:
    """409 unless no project that would lose access by removing the ``action`` grant
    to ``target`` (the policy ``exclude``) uses the network: ports on it (shared),
    router gateways on it or floating IPs from it (external)."""
    others = sa.select(Policy.target_project).where(Policy.object_id == network.id,
                                                    Policy.action == action)
    others = others.where(Policy.id != exclude) if exclude else others.where(
        Policy.target_project != target)
    keep = set(session.scalars(others)) | {network.project_id or '', ''}
    if WILDCARD in keep or target in keep:
        return

    def losing(project: Any) -> sa.ColumnElement[bool]:
        if target == WILDCARD:
            return project.not_in(keep)
        return project == target

    if action == SHARED:
        used = session.scalar(sa.select(sa.func.count()).select_from(models.Port).where(
            models.Port.network_id == network.id, losing(models.Port.project_id))) or 0
        details = f'{used} port(s) of the projects it is shared with are on it'
    else:
        used = _l3_users(session, network, losing)
        details = f'{used} router gateway(s) or floating IP(s) of the projects it serves'
    if used:
        raise RbacPolicyInUse(object_id=network.id, details=details)


def _l3_users(session: orm.Session, network: models.Network,
              losing: Callable[[Any], sa.ColumnElement[bool]]) -> int:
    """Router gateways on the network and floating IPs from it, of the projects that
    ``losing`` picks."""
    gateways = session.scalar(
        sa.select(sa.func.count()).select_from(l3_models.Router)
        .join(models.Port, models.Port.id == l3_models.Router.gw_port_id)
        .where(models.Port.network_id == network.id,
               losing(l3_models.Router.project_id))) or 0
    floating = session.scalar(
        sa.select(sa.func.count()).select_from(l3_models.FloatingIP)
        .where(l3_models.FloatingIP.floating_network_id == network.id,
               losing(l3_models.FloatingIP.project_id))) or 0
    return gateways + floating


def remove_all(session: orm.Session, network: models.Network, action: str) -> None:
    """Every ``action`` policy of the network (un-making it external)."""
    session.execute(sa.delete(Policy).where(Policy.object_id == network.id,
                                            Policy.action == action))


def forget(session: orm.Session, network_id: str) -> None:
    session.execute(sa.delete(Policy).where(Policy.object_id == network_id))


def _touch(network: models.Network) -> None:
    network.updated_at = timeutils.utcnow()
