"""networking: tags of networks, subnets, ports, routers, floating IPs, security groups

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 06:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'resource_tags',
        sa.Column('resource_id', sa.String(length=36), nullable=False),
        sa.Column('tag', sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint('resource_id', 'tag', name=op.f('pk_resource_tags')))
    op.create_index('ix_resource_tags_tag', 'resource_tags', ['tag'])


def downgrade() -> None:
    op.drop_index('ix_resource_tags_tag', table_name='resource_tags')
    op.drop_table('resource_tags')
