"""flow persistence: TaskFlow logbooks, flow details and atom details

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 09:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('logbooks',
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('meta', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_logbooks'))
    )
    op.create_table('flowdetails',
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('parent_uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=True),
    sa.Column('meta', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['parent_uuid'], ['logbooks.uuid'], name=op.f('fk_flowdetails_parent_uuid_logbooks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_flowdetails'))
    )
    with op.batch_alter_table('flowdetails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flowdetails_parent_uuid'), ['parent_uuid'], unique=False)

    op.create_table('atomdetails',
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('parent_uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('atom_type', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=True),
    sa.Column('intention', sa.String(length=32), nullable=True),
    sa.Column('results', sa.JSON(), nullable=True),
    sa.Column('failure', sa.JSON(), nullable=True),
    sa.Column('revert_results', sa.JSON(), nullable=True),
    sa.Column('revert_failure', sa.JSON(), nullable=True),
    sa.Column('version', sa.String(length=255), nullable=True),
    sa.Column('meta', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['parent_uuid'], ['flowdetails.uuid'], name=op.f('fk_atomdetails_parent_uuid_flowdetails'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_atomdetails'))
    )
    with op.batch_alter_table('atomdetails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_atomdetails_parent_uuid'), ['parent_uuid'], unique=False)


def downgrade() -> None:
    op.drop_table('atomdetails')
    op.drop_table('flowdetails')
    op.drop_table('logbooks')
