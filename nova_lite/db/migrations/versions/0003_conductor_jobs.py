"""conductor jobs: the database jobboard's table

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conductor_jobs',
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('board', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('book_uuid', sa.String(length=36), nullable=True),
    sa.Column('book_name', sa.String(length=255), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('owner', sa.String(length=255), nullable=True),
    sa.Column('claim_expires_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_modified', sa.DateTime(), nullable=False),
    sa.Column('trashed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_conductor_jobs'))
    )
    with op.batch_alter_table('conductor_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conductor_jobs_board'), ['board'], unique=False)


def downgrade() -> None:
    op.drop_table('conductor_jobs')
