"""instance actions and events, and the lock of a server

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-06 19:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'instance_actions',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('instance_uuid', sa.String(length=36), nullable=False),
        sa.Column('action', sa.String(length=255), nullable=False),
        sa.Column('request_id', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.String(length=255), nullable=True),
        sa.Column('project_id', sa.String(length=255), nullable=True),
        sa.Column('start_time', sa.DateTime(), nullable=False),
        sa.Column('finish_time', sa.DateTime(), nullable=True),
        sa.Column('message', sa.String(length=255), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_instance_actions')))
    op.create_index('ix_instance_actions_instance_request', 'instance_actions',
                    ['instance_uuid', 'request_id'])
    op.create_index('ix_instance_actions_instance_created', 'instance_actions',
                    ['instance_uuid', 'created_at'])
    op.create_table(
        'instance_action_events',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.String(length=255), nullable=False),
        sa.Column('start_time', sa.DateTime(), nullable=False),
        sa.Column('finish_time', sa.DateTime(), nullable=True),
        sa.Column('result', sa.String(length=255), nullable=True),
        sa.Column('traceback', sa.Text(), nullable=True),
        sa.Column('host', sa.String(length=255), nullable=True),
        sa.Column('details', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['action_id'], ['instance_actions.id'],
                                name=op.f('fk_instance_action_events_action_id_instance_actions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_instance_action_events')))
    op.create_index(op.f('ix_instance_action_events_action_id'), 'instance_action_events',
                    ['action_id'])
    with op.batch_alter_table('instances') as batch:
        batch.add_column(sa.Column('locked_by', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('locked_reason', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('instances') as batch:
        batch.drop_column('locked_reason')
        batch.drop_column('locked_by')
    op.drop_index(op.f('ix_instance_action_events_action_id'),
                  table_name='instance_action_events')
    op.drop_table('instance_action_events')
    op.drop_index('ix_instance_actions_instance_created', table_name='instance_actions')
    op.drop_index('ix_instance_actions_instance_request', table_name='instance_actions')
    op.drop_table('instance_actions')
