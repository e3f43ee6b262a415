"""Server groups: a project's named placement policy, and the instances that follow it.

Policies are nova's: ``affinity`` (every member on one host), ``anti-affinity``
(no two members on a host, or at most ``rules.max_server_per_host``),
``soft-affinity`` and ``soft-anti-affinity`` (preferences the scheduler weighs).
An instance joins its group when the compute API records it and leaves it when
it is deleted. Before a spawn, :meth:`ServerGroupStore.confirm_host` rechecks
the hard policies against the hosts the other members were confirmed on, under
the group row's lock, so concurrent boots cannot break them.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import compute as compute_models
from nova_lite.db.models import compute_server_groups as models

AFFINITY = 'affinity'
ANTI_AFFINITY = 'anti-affinity'
SOFT_AFFINITY = 'soft-affinity'
SOFT_ANTI_AFFINITY = 'soft-anti-affinity'
HARD_POLICIES = (AFFINITY, ANTI_AFFINITY)
SOFT_POLICIES = (SOFT_AFFINITY, SOFT_ANTI_AFFINITY)
MAX_SERVER_PER_HOST = 'max_server_per_host'


def not_found(group_id: str) -> exception.NotFound:
    return exception.NotFound(message=f'Instance group {group_id} could not be found.')


def max_per_host(rules: dict[str, Any] | None) -> int:
    """How many members anti-affinity allows on one host (1 unless a rule says more)."""
    value = (rules or {}).get(MAX_SERVER_PER_HOST, 1)
    return int(value)


def violation(policy: str, rules: dict[str, Any] | None, host: str,
              member_hosts: Iterable[str]) -> str | None:
    """Why placing one more member on ``host`` breaks a hard policy (None: it does not).

    ``member_hosts`` has one entry per other member that is placed somewhere.
    """
    hosts = list(member_hosts)
    if policy == AFFINITY and hosts and host not in hosts:
        return f'affinity: the other members are on {", ".join(sorted(set(hosts)))}'
    if policy == ANTI_AFFINITY:
        limit = max_per_host(rules)
        if collections.Counter(hosts)[host] >= limit:
            return f'anti-affinity: {host} already has {limit} member(s) of the group'
    return None


def _group_dict(row: models.ServerGroup, members: list[str]) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'project_id': row.project_id,
            'user_id': row.user_id, 'policy': row.policy, 'rules': dict(row.rules or {}),
            'members': members, 'created_at': timeutils.isotime(row.created_at)}


def _live_members(session: orm.Session, group_ids: list[str]) -> dict[str, list[str]]:
    """Member instance ids by group (deleted instances left out), in joining order."""
    by_group: dict[str, list[str]] = {group_id: [] for group_id in group_ids}
    if not group_ids:
        return by_group
    query = (sa.select(models.ServerGroupMember.group_id, models.ServerGroupMember.instance_id)
             .join(compute_models.Instance,
                   compute_models.Instance.id == models.ServerGroupMember.instance_id)
             .where(models.ServerGroupMember.group_id.in_(group_ids),
                    compute_models.Instance.deleted_at.is_(None))
             .order_by(models.ServerGroupMember.created_at,
                       models.ServerGroupMember.instance_id))
    for group_id, instance_id in session.execute(query):
        by_group[group_id].append(instance_id)
    return by_group


def member_hosts(session: orm.Session, group_id: str, *,
                 exclude_instance_id: str | None = None) -> list[str]:
    """One host per other placed member: the confirmed host, else the instance's host."""
    query = (sa.select(models.ServerGroupMember.host, compute_models.Instance.host)
             .join(compute_models.Instance,
                   compute_models.Instance.id == models.ServerGroupMember.instance_id)
             .where(models.ServerGroupMember.group_id == group_id,
                    compute_models.Instance.deleted_at.is_(None)))
    if exclude_instance_id is not None:
        query = query.where(models.ServerGroupMember.instance_id != exclude_instance_id)
    hosts: list[str] = []
    for confirmed, placed in session.execute(query):
        host = confirmed or placed
        if host:
            hosts.append(host)
    return hosts


class ServerGroupStore:
    """Creates, reads and deletes server groups; adds, places and removes members."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create(self, *, name: str, project_id: str, user_id: str, policy: str,
               rules: dict[str, Any] | None = None) -> dict[str, Any]:
        with self._db.session() as session:
            row = models.ServerGroup(name=name, project_id=project_id, user_id=user_id,
                                     policy=policy, rules=dict(rules or {}),
                                     created_at=timeutils.utcnow())
            session.add(row)
            session.flush()
            return _group_dict(row, [])

    def get(self, group_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            row = session.get(models.ServerGroup, group_id)
            if row is None:
                raise not_found(group_id)
            return _group_dict(row, _live_members(session, [row.id])[row.id])

    def list_groups(self, *, project_id: str | None) -> list[dict[str, Any]]:
        """A project's groups (every group when ``project_id`` is None), oldest first."""
        query = sa.select(models.ServerGroup).order_by(models.ServerGroup.created_at,
                                                       models.ServerGroup.id)
        if project_id is not None:
            query = query.where(models.ServerGroup.project_id == project_id)
        with self._db.reader() as session:
            rows = session.scalars(query).all()
            members = _live_members(session, [row.id for row in rows])
            return [_group_dict(row, members[row.id]) for row in rows]

    def delete(self, group_id: str) -> None:
        """Delete a group; its members stay, no longer bound by its policy."""
        with self._db.session() as session:
            # Locked, so a boot adding a member waits and then finds no group.
            row = session.get(models.ServerGroup, group_id, with_for_update=True)
            if row is None:
                raise not_found(group_id)
            session.execute(sa.delete(models.ServerGroupMember)
                            .where(models.ServerGroupMember.group_id == group_id))
            session.delete(row)

    def group_for_boot(self, hints: Any, *, project_id: str, is_admin: bool) -> str | None:
        """The group a boot's ``group`` scheduler hint names, checked (400 when it is
        not a group the caller's project can use); None without the hint."""
        group_id = (hints or {}).get('group') if isinstance(hints, dict) else None
        if group_id is None:
            return None
        if isinstance(group_id, list) and len(group_id) == 1:
            group_id = group_id[0]  # the CLI may repeat a hint as a list
        field = 'os:scheduler_hints.group'
        if not isinstance(group_id, str):
            raise exception.InvalidInput(field=field, reason='must be a server group id')
        with self._db.reader() as session:
            row = session.get(models.ServerGroup, group_id)
            if row is None or (row.project_id != project_id and not is_admin):
                raise exception.InvalidInput(field=field,
                                             reason=f'server group {group_id} not found')
            return row.id

    # Members ---------------------------------------------------------------------

    def add_member(self, group_id: str, instance_id: str) -> None:
        with self._db.session() as session:
            if session.get(models.ServerGroup, group_id, with_for_update=True) is None:
                raise not_found(group_id)
            session.add(models.ServerGroupMember(group_id=group_id, instance_id=instance_id,
                                                 created_at=timeutils.utcnow()))

    def remove_member(self, instance_id: str) -> None:
        """The instance leaves its group (nothing happens when it is in none)."""
        with self._db.session() as session:
            remove_member(session, instance_id)

    def group_ids_of(self, instance_id: str) -> list[str]:
        """The id of the instance's group, as a list (empty when it is in none)."""
        with self._db.reader() as session:
            member = session.get(models.ServerGroupMember, instance_id)
            return [] if member is None else [member.group_id]

    def group_of(self, instance_id: str) -> dict[str, Any] | None:
        """The group the instance is a member of, with its members' hosts (or None)."""
        with self._db.reader() as session:
            member = session.get(models.ServerGroupMember, instance_id)
            if member is None:
                return None
            row = session.get(models.ServerGroup, member.group_id)
            if row is None:
                return None
            return {'id': row.id, 'policy': row.policy, 'rules': dict(row.rules or {}),
                    'hosts': member_hosts(session, row.id, exclude_instance_id=instance_id)}

    def confirm_host(self, instance_id: str, host: str) -> None:
        """Recheck the instance's group policy for ``host`` and record the host.

        Runs under the group row's lock (SELECT ... FOR UPDATE; SQLite writes are
        serialised), against the hosts the other members were confirmed on, so of
        two concurrent boots the second sees the first. Raises
        RetryableBuildError (the boot's host retry tries another host) when the
        host breaks an affinity or anti-affinity policy.
        """
        with self._db.session() as session:
            member = session.get(models.ServerGroupMember, instance_id)
            if member is None:
                return
            group = session.get(models.ServerGroup, member.group_id, with_for_update=True)
            if group is None:
                return
            confirmed = session.scalars(
                sa.select(models.ServerGroupMember.host)
                .join(compute_models.Instance,
                      compute_models.Instance.id == models.ServerGroupMember.instance_id)
                .where(models.ServerGroupMember.group_id == group.id,
                       models.ServerGroupMember.instance_id != instance_id,
                       models.ServerGroupMember.host.is_not(None),
                       compute_models.Instance.deleted_at.is_(None))).all()
            reason = violation(group.policy, group.rules, host,
                               [h for h in confirmed if h is not None])
            if reason is not None:
                raise exception.RetryableBuildError(
                    instance_id=instance_id, host=host,
                    reason=f'server group {group.id} policy {reason}')
            member.host = host

    def release_host(self, instance_id: str, host: str) -> None:
        """Forget the host confirmed for the instance (when it is ``host``)."""
        with self._db.session() as session:
            member = session.get(models.ServerGroupMember, instance_id)
            if member is not None and member.host == host:
                member.host = None


def remove_member(session: orm.Session, instance_id: str) -> None:
    """Within a caller's transaction: the instance leaves its group."""
    session.execute(sa.delete(models.ServerGroupMember)
                    .where(models.ServerGroupMember.instance_id == instance_id))
