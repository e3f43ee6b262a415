"""Network RBAC policies (rbac-policies) and provider segments (provider, multi-provider).

``network_rbac_policies``: a network shared with (``access_as_shared``) or made
external for (``access_as_external``) a target project, or every project
(``'*'``). ``network_segments``: the provider attributes recorded for a network,
one row per segment in the order given; ``physical_network`` is ``''`` and
``segmentation_id`` ``None`` when a type has none.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class NetworkRBACPolicy(TimestampMixin, Base):
    __tablename__ = 'network_rbac_policies'
    __table_args__ = (
        sa.UniqueConstraint('object_id', 'action', 'target_project'),
        sa.Index('ix_network_rbac_policies_listing', 'created_at', 'id'),
    )
    id: orm.Mapped[str] = uuid_pk()
    object_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('networks.id', ondelete='CASCADE'), index=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), index=True)
    target_project: orm.Mapped[str] = orm.mapped_column(sa.String(255), index=True)
    action: orm.Mapped[str] = orm.mapped_column(sa.String(32))


class NetworkSegment(Base):
    __tablename__ = 'network_segments'
    # A VLAN id per physical network, a VNI per tunnel type: taken once.
    __table_args__ = (
        sa.UniqueConstraint('network_type', 'physical_network', 'segmentation_id'),
    )
    id: orm.Mapped[str] = uuid_pk()
    network_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('networks.id', ondelete='CASCADE'), index=True)
    segment_index: orm.Mapped[int] = orm.mapped_column(default=0)
    network_type: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    physical_network: orm.Mapped[str] = orm.mapped_column(sa.String(64), default='')
    segmentation_id: orm.Mapped[int | None] = orm.mapped_column(default=None)
