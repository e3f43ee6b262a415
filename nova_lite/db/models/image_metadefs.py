"""Image metadata definitions (glance's metadefs catalog).

A namespace groups property definitions, objects (named sets of property
definitions) and tags, and is associated with the resource types (such as
``OS::Glance::Image``) its properties apply to. Deleting a namespace deletes
everything in it (the foreign keys cascade).
"""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin

NAME_LENGTH = 80
_CASCADE = 'CASCADE'


def _namespace_fk() -> orm.Mapped[int]:
    return orm.mapped_column(sa.ForeignKey('metadef_namespaces.id', ondelete=_CASCADE),
                             index=True)


class MetadefNamespace(TimestampMixin, Base):
    __tablename__ = 'metadef_namespaces'
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    namespace: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH), unique=True)
    display_name: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME_LENGTH))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    visibility: orm.Mapped[str] = orm.mapped_column(sa.String(32), default='private')
    protected: orm.Mapped[bool] = orm.mapped_column(default=False)
    owner: orm.Mapped[str | None] = orm.mapped_column(sa.String(255), index=True)


class MetadefObject(TimestampMixin, Base):
    __tablename__ = 'metadef_objects'
    __table_args__ = (sa.UniqueConstraint('namespace_id', 'name'),)
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    namespace_id: orm.Mapped[int] = _namespace_fk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    required: orm.Mapped[list] = orm.mapped_column(default=list)
    properties: orm.Mapped[dict] = orm.mapped_column(default=dict)


class MetadefProperty(TimestampMixin, Base):
    __tablename__ = 'metadef_properties'
    __table_args__ = (sa.UniqueConstraint('namespace_id', 'name'),)
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    namespace_id: orm.Mapped[int] = _namespace_fk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH))
    # The property's definition (title, type, enum, ...) without its name.
    definition: orm.Mapped[dict] = orm.mapped_column(default=dict)


class MetadefTag(TimestampMixin, Base):
    __tablename__ = 'metadef_tags'
    __table_args__ = (sa.UniqueConstraint('namespace_id', 'name'),)
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    namespace_id: orm.Mapped[int] = _namespace_fk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH))


class MetadefResourceType(TimestampMixin, Base):
    __tablename__ = 'metadef_resource_types'
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH), unique=True)
    # The standard (seeded) resource types are protected.
    protected: orm.Mapped[bool] = orm.mapped_column(default=False)


class MetadefNamespaceResourceType(TimestampMixin, Base):
    """A namespace's association with a resource type."""

    __tablename__ = 'metadef_namespace_resource_types'
    namespace_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('metadef_namespaces.id', ondelete=_CASCADE,
                      name='fk_metadef_ns_rt_namespace_id'), primary_key=True)
    resource_type_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('metadef_resource_types.id', ondelete=_CASCADE,
                      name='fk_metadef_ns_rt_resource_type_id'), primary_key=True,
        index=True)
    prefix: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME_LENGTH))
    properties_target: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME_LENGTH))
