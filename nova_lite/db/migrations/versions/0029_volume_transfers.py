"""block storage: volume transfers and volume service states

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 02:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'volume_transfers',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('volume_id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('source_project_id', sa.String(length=64), nullable=False),
        sa.Column('salt', sa.String(length=64), nullable=False),
        sa.Column('key_hash', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['volume_id'], ['volumes.id'],
                                name=op.f('fk_volume_transfers_volume_id_volumes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_transfers')))
    op.create_index(op.f('ix_volume_transfers_volume_id'), 'volume_transfers',
                    ['volume_id'], unique=False)
    op.create_index(op.f('ix_volume_transfers_source_project_id'), 'volume_transfers',
                    ['source_project_id'], unique=False)
    op.create_table(
        'volume_service_states',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('binary', sa.String(length=255), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.Column('disabled', sa.Boolean(), nullable=False),
        sa.Column('disabled_reason', sa.String(length=255), nullable=True),
        sa.Column('frozen', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_service_states')),
        sa.UniqueConstraint('binary', 'host', name=op.f('uq_volume_service_states_binary_host')))


def downgrade() -> None:
    op.drop_table('volume_service_states')
    op.drop_index(op.f('ix_volume_transfers_source_project_id'), table_name='volume_transfers')
    op.drop_index(op.f('ix_volume_transfers_volume_id'), table_name='volume_transfers')
    op.drop_table('volume_transfers')
