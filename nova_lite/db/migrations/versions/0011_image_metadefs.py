"""image metadefs: the metadata definitions catalog, with glance's standard resource types

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 14:45:00.000000
"""

import datetime

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# The resource types glance's catalog starts with (protected: never removed).
STANDARD_RESOURCE_TYPES = ('OS::Glance::Image', 'OS::Cinder::Volume', 'OS::Nova::Flavor',
                           'OS::Nova::Aggregate', 'OS::Nova::Server', 'OS::Trove::Instance')


def _timestamps() -> list[sa.Column]:
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def _namespace_id(fk_name: str) -> sa.Column:
    return sa.Column('namespace_id', sa.Integer(),
                     sa.ForeignKey('metadef_namespaces.id', name=op.f(fk_name),
                                   ondelete='CASCADE'),
                     nullable=False)


def _named_child(table: str, *columns: sa.Column) -> None:
    """A table of named things inside a namespace (unique per namespace)."""
    op.create_table(
        table,
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        _namespace_id(f'fk_{table}_namespace_id_metadef_namespaces'),
        sa.Column('name', sa.String(length=80), nullable=False),
        *columns,
        *_timestamps(),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
        sa.UniqueConstraint('namespace_id', 'name',
                            name=op.f(f'uq_{table}_namespace_id_name')))
    op.create_index(op.f(f'ix_{table}_namespace_id'), table, ['namespace_id'], unique=False)


def upgrade() -> None:
    op.create_table(
        'metadef_namespaces',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('namespace', sa.String(length=80), nullable=False),
        sa.Column('display_name', sa.String(length=80), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('visibility', sa.String(length=32), nullable=False),
        sa.Column('protected', sa.Boolean(), nullable=False),
        sa.Column('owner', sa.String(length=255), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_metadef_namespaces')),
        sa.UniqueConstraint('namespace', name=op.f('uq_metadef_namespaces_namespace')))
    op.create_index(op.f('ix_metadef_namespaces_owner'), 'metadef_namespaces', ['owner'],
                    unique=False)
    _named_child('metadef_objects',
                 sa.Column('description', sa.Text(), nullable=True),
                 sa.Column('required', sa.JSON(), nullable=False),
                 sa.Column('properties', sa.JSON(), nullable=False))
    _named_child('metadef_properties', sa.Column('definition', sa.JSON(), nullable=False))
    _named_child('metadef_tags')
    resource_types = op.create_table(
        'metadef_resource_types',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('protected', sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_metadef_resource_types')),
        sa.UniqueConstraint('name', name=op.f('uq_metadef_resource_types_name')))
    op.create_table(
        'metadef_namespace_resource_types',
        _namespace_id('fk_metadef_ns_rt_namespace_id'),
        sa.Column('resource_type_id', sa.Integer(),
                  sa.ForeignKey('metadef_resource_types.id',
                                name=op.f('fk_metadef_ns_rt_resource_type_id'),
                                ondelete='CASCADE'),
                  nullable=False),
        sa.Column('prefix', sa.String(length=80), nullable=True),
        sa.Column('properties_target', sa.String(length=80), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint('namespace_id', 'resource_type_id',
                                name=op.f('pk_metadef_namespace_resource_types')))
    op.create_index(op.f('ix_metadef_namespace_resource_types_resource_type_id'),
                    'metadef_namespace_resource_types', ['resource_type_id'], unique=False)
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
    op.bulk_insert(resource_types, [{'name': name, 'protected': True, 'created_at': now,
                                     'updated_at': now} for name in STANDARD_RESOURCE_TYPES])


def downgrade() -> None:
    op.drop_table('metadef_namespace_resource_types')
    op.drop_table('metadef_resource_types')
    for table in ('metadef_tags', 'metadef_properties', 'metadef_objects'):
        op.drop_table(table)
    op.drop_table('metadef_namespaces')
