"""block storage: generic volume groups, group types and group snapshots

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 02:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def upgrade() -> None:
    op.create_table(
        'volume_group_types',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('description', sa.String(length=255), nullable=True),
        sa.Column('is_public', sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_group_types')),
        sa.UniqueConstraint('name', name=op.f('uq_volume_group_types_name')))
    op.create_table(
        'volume_group_type_specs',
        sa.Column('group_type_id', sa.String(length=36), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('value', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ['group_type_id'], ['volume_group_types.id'],
            name=op.f('fk_volume_group_type_specs_group_type_id_volume_group_types'),
            ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('group_type_id', 'key',
                                name=op.f('pk_volume_group_type_specs')))
    op.create_table(
        'volume_groups',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('description', sa.String(length=255), nullable=True),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        sa.Column('user_id', sa.String(length=64), nullable=True),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('availability_zone', sa.String(length=255), nullable=False),
        sa.Column('group_type_id', sa.String(length=36), nullable=False),
        sa.Column('group_snapshot_id', sa.String(length=36), nullable=True),
        sa.Column('source_group_id', sa.String(length=36), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(['group_type_id'], ['volume_group_types.id'],
                                name=op.f('fk_volume_groups_group_type_id_volume_group_types')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_groups')))
    op.create_index(op.f('ix_volume_groups_project_id'), 'volume_groups', ['project_id'])
    op.create_index(op.f('ix_volume_groups_group_type_id'), 'volume_groups',
                    ['group_type_id'])
    op.create_table(
        'volume_group_volume_types',
        sa.Column('group_id', sa.String(length=36), nullable=False),
        sa.Column('volume_type_id', sa.String(length=36), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['volume_groups.id'],
                                name=op.f('fk_volume_group_volume_types_group_id_volume_groups'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('group_id', 'volume_type_id',
                                name=op.f('pk_volume_group_volume_types')))
    op.create_table(
        'volume_group_snapshots',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('group_id', sa.String(length=36), nullable=False),
        sa.Column('group_type_id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('description', sa.String(length=255), nullable=True),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        sa.Column('user_id', sa.String(length=64), nullable=True),
        sa.Column('status', sa.String(length=32), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['group_id'], ['volume_groups.id'],
                                name=op.f('fk_volume_group_snapshots_group_id_volume_groups')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_group_snapshots')))
    op.create_index(op.f('ix_volume_group_snapshots_group_id'), 'volume_group_snapshots',
                    ['group_id'])
    op.create_index(op.f('ix_volume_group_snapshots_project_id'), 'volume_group_snapshots',
                    ['project_id'])
    with op.batch_alter_table('volumes') as batch:
        batch.add_column(sa.Column('group_id', sa.String(length=36), nullable=True))
    with op.batch_alter_table('volume_snapshots') as batch:
        batch.add_column(sa.Column('group_snapshot_id', sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('volume_snapshots') as batch:
        batch.drop_column('group_snapshot_id')
    with op.batch_alter_table('volumes') as batch:
        batch.drop_column('group_id')
    op.drop_index(op.f('ix_volume_group_snapshots_project_id'),
                  table_name='volume_group_snapshots')
    op.drop_index(op.f('ix_volume_group_snapshots_group_id'),
                  table_name='volume_group_snapshots')
    op.drop_table('volume_group_snapshots')
    op.drop_table('volume_group_volume_types')
    op.drop_index(op.f('ix_volume_groups_group_type_id'), table_name='volume_groups')
    op.drop_index(op.f('ix_volume_groups_project_id'), table_name='volume_groups')
    op.drop_table('volume_groups')
    op.drop_table('volume_group_type_specs')
    op.drop_table('volume_group_types')
