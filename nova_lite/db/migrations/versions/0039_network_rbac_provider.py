"""network: RBAC policies (rbac-policies) and provider segments (provider, multi-provider)

Existing shared networks get their wildcard access_as_shared policy, external
networks their wildcard access_as_external policy, and every existing network
one ``local`` segment (they predate the record-keeping).

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07 06:00:00.000000
"""

import datetime
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'network_rbac_policies',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('object_id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=False),
        sa.Column('target_project', sa.String(length=255), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['object_id'], ['networks.id'], ondelete='CASCADE',
                                name=op.f('fk_network_rbac_policies_object_id_networks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_network_rbac_policies')),
        sa.UniqueConstraint('object_id', 'action', 'target_project', name=op.f(
            'uq_network_rbac_policies_object_id_action_target_project')))
    op.create_index('ix_network_rbac_policies_listing', 'network_rbac_policies',
                    ['created_at', 'id'], unique=False)
    for column in ('object_id', 'project_id', 'target_project'):
        op.create_index(op.f(f'ix_network_rbac_policies_{column}'), 'network_rbac_policies',
                        [column], unique=False)
    op.create_table(
        'network_segments',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('network_id', sa.String(length=36), nullable=False),
        sa.Column('segment_index', sa.Integer(), nullable=False),
        sa.Column('network_type', sa.String(length=16), nullable=False),
        sa.Column('physical_network', sa.String(length=64), nullable=False),
        sa.Column('segmentation_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['network_id'], ['networks.id'], ondelete='CASCADE',
                                name=op.f('fk_network_segments_network_id_networks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_network_segments')),
        sa.UniqueConstraint('network_type', 'physical_network', 'segmentation_id', name=op.f(
            'uq_network_segments_network_type_physical_network_segmentation_id')))
    op.create_index(op.f('ix_network_segments_network_id'), 'network_segments',
                    ['network_id'], unique=False)
    _backfill()


def _backfill() -> None:
    bind = op.get_bind()
    networks = sa.table('networks', sa.column('id'), sa.column('project_id'),
                        sa.column('shared'))
    externals = sa.table('external_networks', sa.column('network_id'))
    policies = sa.table('network_rbac_policies', sa.column('id'), sa.column('object_id'),
                        sa.column('project_id'), sa.column('target_project'),
                        sa.column('action'), sa.column('created_at'))
    segments = sa.table('network_segments', sa.column('id'), sa.column('network_id'),
                        sa.column('segment_index'), sa.column('network_type'),
                        sa.column('physical_network'), sa.column('segmentation_id'))
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    external_ids = set(bind.scalars(sa.select(externals.c.network_id)))
    for network_id, project_id, shared in bind.execute(
            sa.select(networks.c.id, networks.c.project_id, networks.c.shared)).all():
        for action, wanted in (('access_as_shared', shared),
                               ('access_as_external', network_id in external_ids)):
            if wanted:
                bind.execute(policies.insert().values(
                    id=str(uuid.uuid4()), object_id=network_id, project_id=project_id or '',
                    target_project='*', action=action, created_at=now))
        bind.execute(segments.insert().values(
            id=str(uuid.uuid4()), network_id=network_id, segment_index=0,
            network_type='local', physical_network='', segmentation_id=None))


def downgrade() -> None:
    op.drop_index(op.f('ix_network_segments_network_id'), table_name='network_segments')
    op.drop_table('network_segments')
    for column in ('target_project', 'project_id', 'object_id'):
        op.drop_index(op.f(f'ix_network_rbac_policies_{column}'),
                      table_name='network_rbac_policies')
    op.drop_index('ix_network_rbac_policies_listing', table_name='network_rbac_policies')
    op.drop_table('network_rbac_policies')
