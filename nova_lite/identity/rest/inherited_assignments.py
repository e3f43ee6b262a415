"""The OS-INHERIT rows of ``/v3/role_assignments``.

Without ``effective``, each inherited grant is one row whose scope carries
``"OS-INHERIT:inherited_to": "projects"``. With ``effective``, each grant is
replaced by the user-on-project assignments it gives (one per project of the
domain, one per member of a group), linked to the grant they come from.
Filters: ``user.id``, ``group.id``, ``role.id``, ``scope.project.id``,
``scope.domain.id``.
"""

from __future__ import annotations

from typing import Any

from nova_lite.api import wsgi
from nova_lite.identity.rest import common, inherited_roles


def _wanted(row: dict[str, Any], params: dict[str, str]) -> bool:
    checks = (('user.id', 'actor', 'user'), ('group.id', 'actor', 'group'),
              ('scope.project.id', 'target', 'project'),
              ('scope.domain.id', 'target', 'domain'))
    for param, side, kind in checks:
        if param in params and (row[f'{side}_type'] != kind
                                or row[f'{side}_id'] != params[param]):
            if not (param == 'group.id' and row.get('via_group') == params[param]):
                return False
    return 'role.id' not in params or row['role_id'] == params['role.id']


def _names(api: common.IdentityApi) -> dict[str, dict[str, Any]]:
    identity = api.identity
    domains = {d['id']: {'id': d['id'], 'name': d['name']} for d in identity.list_domains()}

    def owned(records: list[dict[str, Any]]) -> dict[str, Any]:
        return {r['id']: {'name': r['name'], 'domain': domains.get(r['domain_id'])}
                for r in records}

    return {'user': owned(identity.list_users()), 'project': owned(identity.list_projects()),
            'domain': {k: {'name': v['name']} for k, v in domains.items()}, 'group': {}}


def _row_view(api: common.IdentityApi, row: dict[str, Any],
              names: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    role: dict[str, Any] = {'id': row['role_id']}
    actor: dict[str, Any] = {'id': row['actor_id']}
    target: dict[str, Any] = {'id': row['target_id']}
    if names is not None:
        role['name'] = row['role_name']
        actor.update(names[row['actor_type']].get(row['actor_id'], {}))
        target.update(names[row['target_type']].get(row['target_id'], {}))
    scope: dict[str, Any] = {row['target_type']: target}
    source = row.get('source')
    links = {'assignment': inherited_roles.grant_link(api.v3_url, source or row)}
    if source is None:
        scope[inherited_roles.INHERITED_TO_KEY] = 'projects'
    if row.get('via_group'):
        links['membership'] = f"{api.v3_url}/groups/{row['via_group']}/users/{row['actor_id']}"
    return {'role': role, row['actor_type']: actor, 'scope': scope, 'links': links}


def listed_assignments(api: common.IdentityApi, req: wsgi.Request) -> list[dict[str, Any]]:
    """The OS-INHERIT rows of ``GET /v3/role_assignments`` for the request's filters."""
    params = {key: req.GET[key] for key in ('user.id', 'group.id', 'role.id',
                                            'scope.project.id', 'scope.domain.id')
              if key in req.GET}
    store = api.identity.extensions.inherited_grants
    if common.flag(req, 'effective'):
        rows = store.effective_assignments()
    else:
        rows = store.list_grants()
    names = _names(api) if common.flag(req, 'include_names') else None
    return [_row_view(api, row, names) for row in rows if _wanted(row, params)]
