"""server groups and their members

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 19:15:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'server_groups',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.String(length=64), nullable=False),
        sa.Column('policy', sa.String(length=32), nullable=False),
        sa.Column('rules', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_server_groups')))
    op.create_index(op.f('ix_server_groups_project_id'), 'server_groups', ['project_id'])
    op.create_table(
        'server_group_members',
        sa.Column('instance_id', sa.String(length=36), nullable=False),
        sa.Column('group_id', sa.String(length=36), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['server_groups.id'], ondelete='CASCADE',
                                name=op.f('fk_server_group_members_group_id_server_groups')),
        sa.PrimaryKeyConstraint('instance_id', name=op.f('pk_server_group_members')))
    op.create_index(op.f('ix_server_group_members_group_id'), 'server_group_members',
                    ['group_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_server_group_members_group_id'), table_name='server_group_members')
    op.drop_table('server_group_members')
    op.drop_index(op.f('ix_server_groups_project_id'), table_name='server_groups')
    op.drop_table('server_groups')
