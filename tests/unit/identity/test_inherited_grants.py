"""The OS-INHERIT store: grants to users and (through a group lookup) to groups,
the roles they give on a domain's projects, and what goes with their references."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity_extensions as models
from nova_lite.identity import inherited_grants, manager


class Memberships:
    """A group backend of fixed groups (what a group store answers)."""

    def __init__(self, members: dict[str, list[str]]) -> None:
        self.members = members

    def lookup(self) -> inherited_grants.GroupLookup:
        return inherited_grants.GroupLookup(
            group_ids_of_user=lambda session, user_id: [
                g for g, users in self.members.items() if user_id in users],
            user_ids_in_group=lambda session, group_id: list(self.members.get(group_id, [])),
            group_exists=lambda session, group_id: group_id in self.members)


@pytest.fixture
def refs(identity: manager.IdentityManager, booted: dict[str, Any]) -> dict[str, Any]:
    domain = identity.create_domain('engineering')
    projects = [identity.create_project(name, domain['id']) for name in ('p1', 'p2')]
    other = identity.create_project('elsewhere', 'default')
    user = identity.create_user('alice', domain['id'], 'alice-password')
    role = identity.create_role('builder')
    return {'domain': domain, 'projects': projects, 'other': other, 'user': user,
            'role': role}


def _roles(db: db_api.Database, store: inherited_grants.InheritedGrantStore, user_id: str,
           project_id: str) -> list[str]:
    with db.reader() as session:
        return [r['name'] for r in store.inherited_roles(session, user_id, project_id)]


def test_user_grant_reaches_every_project_of_the_domain_only(
        db: db_api.Database, identity: manager.IdentityManager, refs: dict[str, Any]) -> None:
    store = identity.extensions.inherited_grants
    grant = inherited_grants.Grant('user', refs['user']['id'], 'domain', refs['domain']['id'],
                                   refs['role']['id'])
    store.grant(grant)
    for project in refs['projects']:
        assert _roles(db, store, refs['user']['id'], project['id']) == ['builder']
    assert _roles(db, store, refs['user']['id'], refs['other']['id']) == []
    body = identity.authenticate(user_id=refs['user']['id'], password='alice-password',
                                 project_id=refs['projects'][1]['id'])
    assert [r['name'] for r in body['roles']] == ['builder']
    rows = store.effective_assignments()
    assert sorted(r['target_id'] for r in rows) == sorted(p['id'] for p in refs['projects'])
    store.revoke(grant)
    assert _roles(db, store, refs['user']['id'], refs['projects'][0]['id']) == []
    with pytest.raises(exception.NotFound):
        store.revoke(grant)


def test_group_grant_through_the_group_lookup(
        db: db_api.Database, identity: manager.IdentityManager, refs: dict[str, Any]) -> None:
    groups = Memberships({'devs': [refs['user']['id']], 'empty': []})
    store = inherited_grants.InheritedGrantStore(db, groups.lookup())
    store.grant(inherited_grants.Grant('group', 'devs', 'domain', refs['domain']['id'],
                                       refs['role']['id']))
    assert _roles(db, store, refs['user']['id'], refs['projects'][0]['id']) == ['builder']
    rows = store.effective_assignments()
    assert {(r['actor_id'], r['via_group']) for r in rows} == {(refs['user']['id'], 'devs')}
    assert store.roles_of('group', 'devs', 'domain', refs['domain']['id']) == [
        {'id': refs['role']['id'], 'name': 'builder'}]
    groups.members['devs'] = []
    assert _roles(db, store, refs['user']['id'], refs['projects'][0]['id']) == []
    with db.session() as session:  # what the group store does when it deletes 'devs'
        inherited_grants.delete_group_grants(session, ['devs'])
    assert store.list_grants() == []
    with pytest.raises(exception.NotFound):
        store.grant(inherited_grants.Grant('group', 'nobody', 'domain', refs['domain']['id'],
                                           refs['role']['id']))


def test_grants_go_with_their_user_role_and_project(
        db: db_api.Database, identity: manager.IdentityManager, refs: dict[str, Any]) -> None:
    store = identity.extensions.inherited_grants
    user_id, role_id = refs['user']['id'], refs['role']['id']
    store.grant(inherited_grants.Grant('user', user_id, 'domain', refs['domain']['id'],
                                       role_id))
    store.grant(inherited_grants.Grant('user', user_id, 'project', refs['projects'][0]['id'],
                                       role_id))
    identity.delete_project(refs['projects'][0]['id'])
    assert [g['target_type'] for g in store.list_grants()] == ['domain']
    identity.delete_user(user_id)
    assert store.list_grants() == []
    with db.reader() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(
            models.InheritedRoleGrant)) == 0


def test_unknown_references_write_nothing(
        db: db_api.Database, identity: manager.IdentityManager, refs: dict[str, Any]) -> None:
    store = identity.extensions.inherited_grants
    user_id, role_id = refs['user']['id'], refs['role']['id']
    for grant in (inherited_grants.Grant('user', 'ghost', 'domain', 'default', role_id),
                  inherited_grants.Grant('user', user_id, 'domain', 'nowhere', role_id),
                  inherited_grants.Grant('user', user_id, 'project', 'nowhere', role_id),
                  inherited_grants.Grant('user', user_id, 'domain', 'default', 'norole')):
        with pytest.raises(exception.NotFound):
            store.grant(grant)
    assert store.list_grants() == []


def test_no_groups_is_the_default(db: db_api.Database) -> None:
    lookup = inherited_grants.NO_GROUPS
    session = orm.Session()
    assert lookup.group_ids_of_user(session, 'u') == []
    assert lookup.user_ids_in_group(session, 'g') == []
    assert lookup.group_exists(session, 'g') is False


def test_project_grant_reaches_the_projects_below_it(
        db: db_api.Database, identity: manager.IdentityManager, refs: dict[str, Any]) -> None:
    parent, child = refs['projects']
    tree = inherited_grants.ProjectTree(  # what a hierarchy store answers: child under parent
        ancestor_ids=lambda session, project_id: [parent['id']] if project_id == child['id']
        else [],
        descendant_ids=lambda session, project_id: [child['id']] if project_id == parent['id']
        else [])
    store = inherited_grants.InheritedGrantStore(db, projects=tree)
    store.grant(inherited_grants.Grant('user', refs['user']['id'], 'project', parent['id'],
                                       refs['role']['id']))
    assert _roles(db, store, refs['user']['id'], child['id']) == ['builder']
    assert _roles(db, store, refs['user']['id'], parent['id']) == []
    assert [r['target_id'] for r in store.effective_assignments()] == [child['id']]
    # Without a hierarchy the same grant reaches no project.
    flat = identity.extensions.inherited_grants
    assert _roles(db, flat, refs['user']['id'], child['id']) == []
