"""block storage: QoS specs, their type associations, volume type encryption

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 02:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'volume_qos_specs',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('consumer', sa.String(length=32), nullable=False),
        sa.Column('specs', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_qos_specs')),
        sa.UniqueConstraint('name', name=op.f('uq_volume_qos_specs_name')))
    op.create_table(
        'volume_type_qos',
        sa.Column('volume_type_id', sa.String(length=36), nullable=False),
        sa.Column('qos_specs_id', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(['volume_type_id'], ['volume_types.id'],
                                name=op.f('fk_volume_type_qos_volume_type_id_volume_types'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['qos_specs_id'], ['volume_qos_specs.id'],
                                name=op.f('fk_volume_type_qos_qos_specs_id_volume_qos_specs'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('volume_type_id', name=op.f('pk_volume_type_qos')))
    op.create_index(op.f('ix_volume_type_qos_qos_specs_id'), 'volume_type_qos',
                    ['qos_specs_id'], unique=False)
    op.create_table(
        'volume_type_encryption',
        sa.Column('encryption_id', sa.String(length=36), nullable=False),
        sa.Column('volume_type_id', sa.String(length=36), nullable=False),
        sa.Column('provider', sa.String(length=255), nullable=False),
        sa.Column('cipher', sa.String(length=255), nullable=True),
        sa.Column('key_size', sa.Integer(), nullable=True),
        sa.Column('control_location', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['volume_type_id'], ['volume_types.id'],
            name=op.f('fk_volume_type_encryption_volume_type_id_volume_types'),
            ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('encryption_id', name=op.f('pk_volume_type_encryption')),
        sa.UniqueConstraint('volume_type_id',
                            name=op.f('uq_volume_type_encryption_volume_type_id')))


def downgrade() -> None:
    op.drop_table('volume_type_encryption')
    op.drop_index(op.f('ix_volume_type_qos_qos_specs_id'), table_name='volume_type_qos')
    op.drop_table('volume_type_qos')
    op.drop_table('volume_qos_specs')
