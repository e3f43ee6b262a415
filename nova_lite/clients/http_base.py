"""What the HTTP service clients share: a keystoneauth session, and a REST client
that calls a service's catalog endpoint with the caller's own token."""

from __future__ import annotations

from typing import Any

import requests
from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session

from nova_lite.clients import http_auth
from nova_lite.common import context as nl_context
from nova_lite.common import exception, hop_timer, notifications

# A request that could not connect, or whose pooled keep-alive connection the
# server had just closed (the request never reached it), is sent again up to
# this many times (keystoneauth waits 0.5 s, then 1 s).
CONNECT_RETRIES = 2


def new_session(timeout: float = 60.0) -> ks_session.Session:
    return ks_session.Session(timeout=timeout, user_agent='nova_lite')


class RestClient:
    """A service API as the caller: its catalog endpoint, the caller's token."""

    service_type = ''
    service_name = ''
    default_headers: dict[str, str] = {}

    def __init__(self, validate: http_auth.TokenValidator, *,
                 session: ks_session.Session | None = None, report_steps: bool = True,
                 access_cache: http_auth.AccessCache | None = None) -> None:
        self._session = session or new_session()
        self._access = access_cache or http_auth.AccessCache(validate)
        self._report_steps = report_steps

    def _adapter(self, ctx: nl_context.RequestContext) -> ks_adapter.Adapter:
        if not ctx.auth_token:
            raise exception.NotAuthorized()
        return ks_adapter.Adapter(self._session, auth=self._access.plugin(ctx.auth_token),
                                  service_type=self.service_type, interface='public',
                                  connect_retries=CONNECT_RETRIES,
                                  # The called API keeps it as its global request id.
                                  global_request_id=ctx.global_id)

    def endpoint(self, ctx: nl_context.RequestContext) -> str:
        url = self._adapter(ctx).get_endpoint()
        if not url:
            raise exception.NotFound(resource='Endpoint', id=self.service_type)
        return str(url).rstrip('/')

    def _request(self, ctx: nl_context.RequestContext, method: str, path: str,
                 **kwargs: Any) -> requests.Response:
        headers = {**self.default_headers, **kwargs.pop('headers', {})}
        adapter = self._adapter(ctx)
        try:
            with hop_timer.hop(hop_timer.HTTP):
                response = adapter.request(path, method, raise_exc=False, headers=headers,
                                           **kwargs)
        except ks_exceptions.EndpointNotFound as exc:
            raise exception.NotFound(f'No public {self.service_type} endpoint in the '
                                     'catalog.', resource='Endpoint',
                                     id=self.service_type) from exc
        except ks_exceptions.ClientException as exc:
            raise exception.NovaLiteError(
                f'{self.service_name} API unreachable: {exc}') from exc
        if response.status_code == 401:
            self._access.forget(ctx.auth_token or '')
        elif self._report_steps:
            info = self._access.access(ctx.auth_token or '')
            notifications.publish(notifications.TokenChecked(
                service=self.service_name, user_name=info.username,
                project_name=info.project_name, over_http=True))
        http_auth.raise_for_status(response)
        return response

    def _json(self, ctx: nl_context.RequestContext, method: str, path: str,
              **kwargs: Any) -> Any:
        response = self._request(ctx, method, path, **kwargs)
        return response.json() if response.content else None
