"""listing indexes: lists of ports, networks, subnets and servers paged in the database

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 08:30:00.000000
"""

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_INDEXES = (
    ('ix_networks_listing', 'networks', ['created_at', 'id']),
    ('ix_subnets_listing', 'subnets', ['created_at', 'id']),
    ('ix_ports_listing', 'ports', ['created_at', 'id']),
    ('ix_ports_project_listing', 'ports', ['project_id', 'created_at', 'id']),
    ('ix_ports_network_listing', 'ports', ['network_id', 'created_at', 'id']),
    ('ix_instances_listing', 'instances', ['deleted_at', 'created_at', 'id']),
    ('ix_instances_project_listing', 'instances',
     ['project_id', 'deleted_at', 'created_at', 'id']),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
