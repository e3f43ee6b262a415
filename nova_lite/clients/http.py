"""Service clients over HTTP: the image, network and block storage REST APIs.

Same methods and return shapes as :mod:`nova_lite.clients.local`, so the boot
flow's tasks run unchanged over either. Each call goes to the endpoint of the
caller's token catalog (``public`` interface) with the caller's own token
(keystoneauth's :class:`AccessInfoPlugin` over the validated token), and the
service API checks that token with the identity API (keystonemiddleware) as it
would for any client. HTTP errors come back as nova_lite errors (404 NotFound,
409 Conflict, 400 InvalidInput, 401 NotAuthorized, 403 Forbidden), so the
flow's reverts and retries behave the same.

The identity client is here; the image, network and block storage clients are
in ``http_image``, ``http_network`` and ``http_volume`` (on ``http_base``'s
REST client), and are imported from here.
"""

from __future__ import annotations

from typing import Any

import requests
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session

from nova_lite.clients import http_auth, protocols
from nova_lite.clients.http_base import new_session
from nova_lite.clients.http_image import ImageClient
from nova_lite.clients.http_network import NetworkClient
from nova_lite.clients.http_volume import VolumeClient
from nova_lite.common import context as nl_context
from nova_lite.common import exception, hop_timer

__all__ = ['IdentityClient', 'ImageClient', 'NetworkClient', 'VolumeClient',
           'context_from_token_body', 'new_session']


def context_from_token_body(token: str, body: dict[str, Any]) -> nl_context.RequestContext:
    """The request context of a validated token body (the roles identity granted)."""
    roles = [role['name'] for role in body.get('roles', [])]
    user, project = body['user'], body.get('project') or {}
    return nl_context.RequestContext(
        user_id=user['id'], project_id=project.get('id'), roles=roles, auth_token=token,
        user_name=user.get('name'), project_name=project.get('name'),
        is_admin='admin' in roles, user_domain_id=user.get('domain', {}).get('id'),
        project_domain_id=project.get('domain', {}).get('id'),
        system_scope='all' if body.get('system', {}).get('all') else None,
        overwrite=False)  # a check of a token is no new request to log under


class IdentityClient:
    """The identity API: tokens are checked as the token itself (``GET /v3/auth/tokens``).

    Project lookups act with the session's own credentials (its keystoneauth
    auth plugin); a session without one gets NotAuthorized.
    """

    def __init__(self, identity_url: str, session: ks_session.Session | None = None) -> None:
        self._url = identity_url.rstrip('/')
        self._session = session or new_session()
        self._validator = http_auth.HTTPTokenValidator(self._url, self._session)

    def validate_token(self, token: str) -> dict[str, Any]:
        return self._validator(token)

    def context_from_token(self, token: str) -> nl_context.RequestContext:
        return context_from_token_body(token, self._validator(token))

    def get_project(self, project_id: str) -> dict[str, Any]:
        return dict(self._get(f'/v3/projects/{project_id}')['project'])

    def list_projects(self) -> list[dict[str, Any]]:
        return [dict(project) for project in self._get('/v3/projects')['projects']]

    def _get(self, path: str) -> dict[str, Any]:
        """GET with the session's own credentials."""
        try:
            with hop_timer.hop(hop_timer.HTTP):
                response = self._session.get(f'{self._url}{path}', raise_exc=False)
        except ks_exceptions.MissingAuthPlugin as exc:
            raise exception.NotAuthorized(
                'the identity client has no credentials to read projects with') from exc
        except (ks_exceptions.ClientException, requests.RequestException) as exc:
            raise exception.NovaLiteError(f'identity API unreachable: {exc}') from exc
        http_auth.raise_for_status(response)
        return dict(response.json())


# mypy checks that each client satisfies its Protocol (these are never called).
def _satisfies_protocols(identity: IdentityClient, images: ImageClient,
                         networks: NetworkClient, volumes: VolumeClient) -> None:
    checked: tuple[protocols.IdentityClient, protocols.ImageClient, protocols.NetworkClient,
                   protocols.VolumeClient] = (identity, images, networks, volumes)
    proxies: tuple[protocols.ImageProxyClient, protocols.VolumeProxyClient] = (images, volumes)
    del checked, proxies
