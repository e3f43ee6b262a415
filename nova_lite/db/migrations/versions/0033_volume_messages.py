"""block storage: user messages (microversion 3.3) and transfers' no_snapshots (3.55)

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 02:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'volume_messages',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=False),
        sa.Column('request_id', sa.String(length=255), nullable=False),
        sa.Column('resource_type', sa.String(length=36), nullable=False),
        sa.Column('resource_uuid', sa.String(length=36), nullable=True),
        sa.Column('event_id', sa.String(length=255), nullable=False),
        sa.Column('message_level', sa.String(length=255), nullable=False),
        sa.Column('detail', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_messages')))
    op.create_index(op.f('ix_volume_messages_project_id'), 'volume_messages',
                    ['project_id'], unique=False)
    op.create_index(op.f('ix_volume_messages_resource_uuid'), 'volume_messages',
                    ['resource_uuid'], unique=False)
    op.create_index(op.f('ix_volume_messages_expires_at'), 'volume_messages',
                    ['expires_at'], unique=False)
    with op.batch_alter_table('volume_transfers') as batch:
        batch.add_column(sa.Column('no_snapshots', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('volume_transfers') as batch:
        batch.drop_column('no_snapshots')
    op.drop_index(op.f('ix_volume_messages_expires_at'), table_name='volume_messages')
    op.drop_index(op.f('ix_volume_messages_resource_uuid'), table_name='volume_messages')
    op.drop_index(op.f('ix_volume_messages_project_id'), table_name='volume_messages')
    op.drop_table('volume_messages')
