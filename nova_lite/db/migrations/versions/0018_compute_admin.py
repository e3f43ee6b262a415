"""compute administration: services, aggregates, flavor access; host admin state

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-06 19:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'services',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.Column('binary', sa.String(length=255), nullable=False),
        sa.Column('disabled', sa.Boolean(), nullable=False),
        sa.Column('disabled_reason', sa.String(length=255), nullable=True),
        sa.Column('forced_down', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
        sa.UniqueConstraint('uuid', name=op.f('uq_services_uuid')),
        sa.UniqueConstraint('host', 'binary', name=op.f('uq_services_host_binary')))
    op.create_table(
        'aggregates',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_aggregates')),
        sa.UniqueConstraint('uuid', name=op.f('uq_aggregates_uuid')),
        sa.UniqueConstraint('name', name=op.f('uq_aggregates_name')))
    op.create_table(
        'aggregate_hosts',
        sa.Column('aggregate_id', sa.Integer(), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['aggregate_id'], ['aggregates.id'], ondelete='CASCADE',
                                name=op.f('fk_aggregate_hosts_aggregate_id_aggregates')),
        sa.PrimaryKeyConstraint('aggregate_id', 'host', name=op.f('pk_aggregate_hosts')))
    op.create_table(
        'aggregate_metadata',
        sa.Column('aggregate_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('value', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['aggregate_id'], ['aggregates.id'], ondelete='CASCADE',
                                name=op.f('fk_aggregate_metadata_aggregate_id_aggregates')),
        sa.PrimaryKeyConstraint('aggregate_id', 'key', name=op.f('pk_aggregate_metadata')))
    op.create_table(
        'flavor_projects',
        sa.Column('flavor_id', sa.String(length=255), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['flavor_id'], ['flavors.id'], ondelete='CASCADE',
                                name=op.f('fk_flavor_projects_flavor_id_flavors')),
        sa.PrimaryKeyConstraint('flavor_id', 'project_id', name=op.f('pk_flavor_projects')))
    with op.batch_alter_table('compute_nodes') as batch:
        batch.add_column(sa.Column('forced_down', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('aggregate_zone', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('aggregate_metadata', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('compute_nodes') as batch:
        batch.drop_column('aggregate_metadata')
        batch.drop_column('aggregate_zone')
        batch.drop_column('forced_down')
    op.drop_table('flavor_projects')
    op.drop_table('aggregate_metadata')
    op.drop_table('aggregate_hosts')
    op.drop_table('aggregates')
    op.drop_table('services')
