"""networking: descriptions; a port's allowed address pairs and extra DHCP options

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 02:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'resource_descriptions',
        sa.Column('resource_id', sa.String(length=36), nullable=False),
        sa.Column('description', sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint('resource_id', name=op.f('pk_resource_descriptions')))
    op.create_table(
        'port_extras',
        sa.Column('port_id', sa.String(length=36), nullable=False),
        sa.Column('allowed_address_pairs', sa.JSON(), nullable=False),
        sa.Column('extra_dhcp_opts', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['port_id'], ['ports.id'],
                                name=op.f('fk_port_extras_port_id_ports'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('port_id', name=op.f('pk_port_extras')))


def downgrade() -> None:
    op.drop_table('port_extras')
    op.drop_table('resource_descriptions')
