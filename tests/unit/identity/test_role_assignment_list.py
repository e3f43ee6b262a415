"""The role assignment listing: filters, group expansion and implied roles."""

from __future__ import annotations

from typing import Any

from sqlalchemy import orm

from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import grants, groups, role_assignment_list


def _setup(identity: Any) -> dict[str, str]:
    db = identity.db
    identity.create_domain('Default', id='default')
    project = identity.create_project('p1', 'default')
    user = identity.create_user('u1', 'default', 'pw-u1-secret')
    reader = identity.create_role('viewer')
    writer = identity.create_role('editor')
    group = groups.GroupStore(db).create_group('g1', 'default')
    groups.GroupStore(db).add_member(group['id'], user['id'])
    grants.GrantStore(db).grant('group', group['id'], 'project', project['id'], writer['id'])
    return {'project': project['id'], 'user': user['id'], 'group': group['id'],
            'reader': reader['id'], 'writer': writer['id']}


def test_effective_expands_groups_and_implied_roles(identity: Any) -> None:
    ids = _setup(identity)

    def implied(session: orm.Session, role_ids: set[str]) -> set[str]:
        return role_ids | ({ids['reader']} if ids['writer'] in role_ids else set())

    lister = role_assignment_list.AssignmentLister(identity.db, implied)
    direct = lister.list_assignments(role_assignment_list.AssignmentFilter(
        project_id=ids['project']))
    assert [(g['actor_type'], g['actor_id'], g['role_id']) for g in direct] == [
        ('group', ids['group'], ids['writer'])]
    effective = lister.list_assignments(role_assignment_list.AssignmentFilter(
        user_id=ids['user'], effective=True))
    assert sorted((g['role_id'], g.get('via_group'), g.get('prior_role'))
                  for g in effective) == sorted([
        (ids['writer'], ids['group'], None),
        (ids['reader'], ids['group'], ids['writer'])])
    assert lister.list_assignments(role_assignment_list.AssignmentFilter(
        user_id=ids['user'])) == []  # the user holds nothing directly


def test_without_a_resolver_no_implied_roles(identity: Any) -> None:
    ids = _setup(identity)
    lister = role_assignment_list.AssignmentLister(identity.db)
    effective = lister.list_assignments(role_assignment_list.AssignmentFilter(
        user_id=ids['user'], effective=True, role_id=ids['reader']))
    assert effective == []


def test_include_subtree(identity: Any) -> None:
    ids = _setup(identity)
    child = identity.create_project('child', 'default')
    with identity.db.session() as session:
        session.add(group_models.ProjectParent(project_id=child['id'],
                                               parent_id=ids['project']))
    identity.assign_role(ids['user'], child['id'], ids['reader'])
    lister = role_assignment_list.AssignmentLister(identity.db)
    only = role_assignment_list.AssignmentFilter(project_id=ids['project'])
    assert {g['target_id'] for g in lister.list_assignments(only)} == {ids['project']}
    subtree = role_assignment_list.AssignmentFilter(project_id=ids['project'],
                                                    include_subtree=True)
    assert {g['target_id'] for g in lister.list_assignments(subtree)} == {
        ids['project'], child['id']}
