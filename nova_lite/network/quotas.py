"""The network quota engine: limits, usage, and the atomic checks of creates.

Limits resolve as neutron's database driver resolves them: the
``[network_quota]`` options, then the project's own limits. Usage is counted
from the rows themselves (:data:`COUNTED`: the table of each counted resource),
never kept in a counter that could drift.

A check is the last step of the transaction that inserts the new row: it
locks the project's ``network_quota_project_locks`` row, then counts (the new
row included) and compares, so two concurrent creates of one project are
checked one after the other and cannot both take the last slot. Taken last,
that lock is never held while waiting for another row lock (a network's, an
address's), so it cannot close a deadlock. Resources the service makes on its own (a
project's default security group and its rules, a router's interface and
gateway ports, a floating IP's port) are counted but never checked, as in
neutron, so making them never fails on quota.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db import project_lock
from nova_lite.db.models import network as net_models
from nova_lite.db.models import network_l3 as l3_models
from nova_lite.db.models import network_quotas as models
from nova_lite.db.models import network_rbac as rbac_models
from nova_lite.db.models import network_security as sg_models
from nova_lite.db.models import network_subnetpools as pool_models

UNLIMITED = -1

NETWORK = 'network'
SUBNET = 'subnet'
PORT = 'port'
ROUTER = 'router'
FLOATINGIP = 'floatingip'
SECURITY_GROUP = 'security_group'
SECURITY_GROUP_RULE = 'security_group_rule'
SUBNETPOOL = 'subnetpool'
RBAC_POLICY = 'rbac_policy'

# Every resource a quota shows and accepts, in [network_quota]'s option order.
RESOURCES = (NETWORK, SUBNET, PORT, ROUTER, FLOATINGIP, SECURITY_GROUP, SECURITY_GROUP_RULE,
             SUBNETPOOL, RBAC_POLICY)

# resource -> the model whose rows (by their ``project_id``) are its usage. A
# resource missing here is shown with 0 in use and never refused.
COUNTED: dict[str, Any] = {
    NETWORK: net_models.Network,
    SUBNET: net_models.Subnet,
    PORT: net_models.Port,
    ROUTER: l3_models.Router,
    FLOATINGIP: l3_models.FloatingIP,
    SECURITY_GROUP: sg_models.SecurityGroup,
    SECURITY_GROUP_RULE: sg_models.SecurityGroupRule,
    SUBNETPOOL: pool_models.SubnetPool,
    RBAC_POLICY: rbac_models.NetworkRBACPolicy,
}


class OverQuota(exception.Conflict):
    """409, neutron's ``OverQuota``: the create would go over a limit."""

    msg_fmt = 'Quota exceeded for resources: %(overs)s.'


class NetworkQuotas:
    """Reads and sets network limits, counts usage, checks creates."""

    def __init__(self, db: db_api.Database, conf: cfg.ConfigOpts) -> None:
        self.db = db
        self._conf = conf

    # Limits ------------------------------------------------------------------------

    def defaults(self) -> dict[str, int]:
        """Every resource's default limit ([network_quota])."""
        return {name: int(getattr(self._conf.network_quota, name)) for name in RESOURCES}

    @staticmethod
    def _own(session: orm.Session, project_id: str) -> dict[str, int]:
        model = models.NetworkProjectQuota
        return {resource: int(limit) for resource, limit in session.execute(
            sa.select(model.resource, model.hard_limit).where(model.project_id == project_id))
            if resource in RESOURCES}

    def _limits(self, session: orm.Session, project_id: str) -> dict[str, int]:
        limits = self.defaults()
        limits.update(self._own(session, project_id))
        return limits

    def limits(self, project_id: str) -> dict[str, int]:
        """The project's limits: its own where set, else the defaults."""
        with self.db.reader() as session:
            return self._limits(session, project_id)

    def projects(self) -> dict[str, dict[str, int]]:
        """``{project_id: limits}`` of every project with limits of its own."""
        model = models.NetworkProjectQuota
        with self.db.reader() as session:
            project_ids = session.scalars(sa.select(model.project_id).distinct()
                                          .order_by(model.project_id)).all()
            return {project_id: self._limits(session, project_id)
                    for project_id in project_ids}

    def update(self, project_id: str, values: Mapping[str, int]) -> dict[str, int]:
        """Set some of the project's limits (as neutron, even below what it uses)."""
        model = models.NetworkProjectQuota
        with self.db.session() as session:
            for resource, limit in values.items():
                row = session.scalar(sa.select(model).filter_by(
                    project_id=project_id, resource=resource).with_for_update())
                if row is None:
                    session.add(model(project_id=project_id, resource=resource,
                                      hard_limit=limit, updated_at=timeutils.utcnow()))
                else:
                    row.hard_limit = limit
                    row.updated_at = timeutils.utcnow()
            session.flush()
            return self._limits(session, project_id)

    def delete(self, project_id: str) -> None:
        """Forget the project's own limits: back to the defaults."""
        with self.db.session() as session:
            session.execute(sa.delete(models.NetworkProjectQuota).where(
                models.NetworkProjectQuota.project_id == project_id))

    # Usage -------------------------------------------------------------------------

    @staticmethod
    def _used(session: orm.Session, project_id: str, resource: str) -> int:
        model = COUNTED.get(resource)
        if model is None:
            return 0
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)
                                  .where(model.project_id == project_id)) or 0)

    def detail(self, project_id: str) -> dict[str, dict[str, int]]:
        """``{resource: {limit, used, reserved}}`` (reserved is always 0: counted)."""
        with self.db.reader() as session:
            limits = self._limits(session, project_id)
            return {name: {'limit': limit, 'used': self._used(session, project_id, name),
                           'reserved': 0} for name, limit in limits.items()}

    # Checks (inside the inserting transaction) -------------------------------------

    def check(self, session: orm.Session, project_id: str | None, resource: str, *,
              uncounted: int = 0) -> None:
        """409 OverQuota when the project now has more of ``resource`` than its limit.

        Call it last in the transaction that inserted the new rows, once they are
        flushed (the raise then rolls them back). ``uncounted``: rows of the
        resource this transaction made on the service's own account (a default
        security group), which must not make the create fail. A resource
        without a project is never checked."""
        if not project_id:
            return
        project_lock.lock_project(session, models.NetworkQuotaProjectLock, project_id)
        limit = self._limits(session, project_id).get(resource, UNLIMITED)
        if limit == UNLIMITED:
            return
        if self._used(session, project_id, resource) - uncounted > limit:
            raise OverQuota(overs=[resource])
