"""flow atom events: the append-only history of every flow run's atom states

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 14:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('flow_atom_events',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('instance_id', sa.String(length=36), nullable=False),
    sa.Column('flow_name', sa.String(length=64), nullable=False),
    sa.Column('atom_name', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=True),
    sa.Column('host', sa.String(length=255), nullable=True),
    sa.Column('runner', sa.String(length=255), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_flow_atom_events'))
    )
    with op.batch_alter_table('flow_atom_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flow_atom_events_instance_id'), ['instance_id'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('flow_atom_events')
