"""block storage: volume snapshots; a volume's snapshot_id and source_volid

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 22:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'volume_snapshots',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('volume_id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        sa.Column('user_id', sa.String(length=64), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('provider_location', sa.Text(), nullable=True),
        sa.Column('progress', sa.String(length=255), nullable=True),
        sa.Column('metadata', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['volume_id'], ['volumes.id'],
                                name=op.f('fk_volume_snapshots_volume_id_volumes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_snapshots')))
    with op.batch_alter_table('volume_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volume_snapshots_volume_id'), ['volume_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_volume_snapshots_project_id'), ['project_id'],
                              unique=False)
    with op.batch_alter_table('volumes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('source_volid', sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('volumes', schema=None) as batch_op:
        batch_op.drop_column('source_volid')
        batch_op.drop_column('snapshot_id')
    with op.batch_alter_table('volume_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volume_snapshots_project_id'))
        batch_op.drop_index(batch_op.f('ix_volume_snapshots_volume_id'))
    op.drop_table('volume_snapshots')
