"""identity groups, group and domain grants, domain roles, project tags and parents,
user attributes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 14:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('identity_groups',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('domain_id', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'],
                            name=op.f('fk_identity_groups_domain_id_domains'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_groups')),
    sa.UniqueConstraint('domain_id', 'name', name=op.f('uq_identity_groups_domain_id_name'))
    )
    op.create_index(op.f('ix_identity_groups_domain_id'), 'identity_groups', ['domain_id'])
    op.create_table('identity_group_members',
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['identity_groups.id'],
                            name=op.f('fk_identity_group_members_group_id_identity_groups'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_identity_group_members_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_identity_group_members'))
    )
    op.create_index(op.f('ix_identity_group_members_user_id'), 'identity_group_members',
                    ['user_id'])
    op.create_table('group_project_grants',
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('role_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['identity_groups.id'],
                            name=op.f('fk_group_project_grants_group_id_identity_groups'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                            name=op.f('fk_group_project_grants_project_id_projects'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'],
                            name=op.f('fk_group_project_grants_role_id_roles'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'project_id', 'role_id',
                            name=op.f('pk_group_project_grants'))
    )
    op.create_index(op.f('ix_group_project_grants_project_id'), 'group_project_grants',
                    ['project_id'])
    op.create_table('domain_grants',
    sa.Column('actor_type', sa.String(length=8), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=False),
    sa.Column('domain_id', sa.String(length=64), nullable=False),
    sa.Column('role_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'],
                            name=op.f('fk_domain_grants_domain_id_domains'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'],
                            name=op.f('fk_domain_grants_role_id_roles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('actor_type', 'actor_id', 'domain_id', 'role_id',
                            name=op.f('pk_domain_grants'))
    )
    op.create_index(op.f('ix_domain_grants_domain_id'), 'domain_grants', ['domain_id'])
    op.create_table('project_tags',
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                            name=op.f('fk_project_tags_project_id_projects'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'name', name=op.f('pk_project_tags'))
    )
    op.create_index(op.f('ix_project_tags_name'), 'project_tags', ['name'])
    op.create_table('user_attributes',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_user_attributes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_attributes'))
    )
    op.create_table('project_parents',
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                            name=op.f('fk_project_parents_project_id_projects'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['projects.id'],
                            name=op.f('fk_project_parents_parent_id_projects')),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_project_parents'))
    )
    op.create_index(op.f('ix_project_parents_parent_id'), 'project_parents', ['parent_id'])
    op.create_table('domain_roles',
    sa.Column('role_id', sa.String(length=64), nullable=False),
    sa.Column('domain_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'],
                            name=op.f('fk_domain_roles_role_id_roles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'],
                            name=op.f('fk_domain_roles_domain_id_domains'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('role_id', name=op.f('pk_domain_roles'))
    )
    op.create_index(op.f('ix_domain_roles_domain_id'), 'domain_roles', ['domain_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_domain_roles_domain_id'), table_name='domain_roles')
    op.drop_table('domain_roles')
    op.drop_index(op.f('ix_project_parents_parent_id'), table_name='project_parents')
    op.drop_table('project_parents')
    op.drop_table('user_attributes')
    op.drop_index(op.f('ix_project_tags_name'), table_name='project_tags')
    op.drop_table('project_tags')
    op.drop_index(op.f('ix_domain_grants_domain_id'), table_name='domain_grants')
    op.drop_table('domain_grants')
    op.drop_index(op.f('ix_group_project_grants_project_id'),
                  table_name='group_project_grants')
    op.drop_table('group_project_grants')
    op.drop_index(op.f('ix_identity_group_members_user_id'),
                  table_name='identity_group_members')
    op.drop_table('identity_group_members')
    op.drop_index(op.f('ix_identity_groups_domain_id'), table_name='identity_groups')
    op.drop_table('identity_groups')
