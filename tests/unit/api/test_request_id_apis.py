"""Each of the five REST APIs answers X-OpenStack-Request-Id, on success and on errors.

The apps are the ones the daemons serve (``wiring.apps.build_apps``), over one
embedded cloud, with tokens checked locally instead of by keystonemiddleware.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator

import pytest
import webob

from nova_lite import embedded
from nova_lite.api import auth
from nova_lite.wiring import apps
from tests.conftest import make_cloud_conf
from tests.functional.conftest import CloudEnv

REQUEST_ID = re.compile(r'^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')


class Apis:
    def __init__(self, env: CloudEnv) -> None:
        services = env.cloud.services
        built = apps.build_apps(
            env.cloud.conf, services,
            auth=lambda app: auth.LocalTokenAuth(app, services.identity.validate_token))
        self.apps = {app.name: app.app for app in built}
        self.token = env.token
        self.project_id = env.ctx.project_id

    def get(self, api: str, path: str, *, token: bool = True) -> webob.Response:
        headers = {'X-Auth-Token': self.token} if token else {}
        return webob.Request.blank(path, headers=headers).get_response(self.apps[api])


@pytest.fixture(scope='module')
def apis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Apis]:
    config = make_cloud_conf(tmp_path_factory.mktemp('request_id'))
    cloud = embedded.EmbeddedCloud(config, hosts=['host1'])
    cloud.start()
    try:
        yield Apis(CloudEnv(cloud))
    finally:
        cloud.stop()
        config.reset()


def _identity_fault(response: webob.Response) -> bool:
    return set(response.json['error']) == {'code', 'message', 'title'}


def _compute_fault(key: str) -> Callable[[webob.Response], bool]:
    return lambda response: set(response.json[key]) == {'code', 'message'}


def _network_fault(response: webob.Response) -> bool:
    return set(response.json['NeutronError']) == {'type', 'message', 'detail'}


def _image_fault(response: webob.Response) -> bool:
    return response.content_type == 'text/plain' and response.text.startswith(
        f'{response.status_int} ')


MISSING = str(uuid.uuid4())
# (api, a path that answers 200, a path that answers 404, its fault body's check)
CASES: list[tuple[str, str, str, Callable[[webob.Response], bool]]] = [
    ('identity', '/v3/projects', f'/v3/projects/{MISSING}', _identity_fault),
    ('compute', '/v2.1/flavors', f'/v2.1/servers/{MISSING}', _compute_fault('itemNotFound')),
    ('image', '/v2/images', f'/v2/images/{MISSING}', _image_fault),
    ('network', '/v2.0/networks', f'/v2.0/networks/{MISSING}', _network_fault),
    ('volume', '/v3/{project_id}/volumes', f'/v3/{{project_id}}/volumes/{MISSING}',
     _compute_fault('itemNotFound')),
]
UNAUTHORIZED_FAULT = {'identity': _identity_fault, 'compute': _compute_fault('unauthorized'),
                      'image': _image_fault, 'network': _network_fault,
                      'volume': _compute_fault('unauthorized')}


def _request_id(api: str, response: webob.Response) -> str:
    answered = response.headers['X-OpenStack-Request-Id']
    assert REQUEST_ID.match(answered), answered
    if api == 'compute':
        assert response.headers['X-Compute-Request-Id'] == answered
    else:
        assert 'X-Compute-Request-Id' not in response.headers
    return answered


@pytest.mark.parametrize(('api', 'ok_path', 'missing_path', 'is_fault'), CASES,
                         ids=[case[0] for case in CASES])
def test_success_404_and_401_carry_a_request_id(
        apis: Apis, api: str, ok_path: str, missing_path: str,
        is_fault: Callable[[webob.Response], bool]) -> None:
    ids = set()

    ok = apis.get(api, ok_path.format(project_id=apis.project_id))
    assert ok.status_int == 200, ok.text
    ids.add(_request_id(api, ok))

    missing = apis.get(api, missing_path.format(project_id=apis.project_id))
    assert missing.status_int == 404, missing.text
    assert is_fault(missing), missing.text
    ids.add(_request_id(api, missing))

    refused = apis.get(api, ok_path.format(project_id=apis.project_id), token=False)
    assert refused.status_int == 401, refused.text
    assert UNAUTHORIZED_FAULT[api](refused), refused.text
    assert 'WWW-Authenticate' in refused.headers
    ids.add(_request_id(api, refused))

    assert len(ids) == 3


@pytest.mark.parametrize('api', ['identity', 'compute', 'image', 'network', 'volume'])
def test_version_documents_and_unknown_paths_carry_one_too(apis: Apis, api: str) -> None:
    root = apis.get(api, '/', token=False)
    assert root.status_int in (200, 300), root.text
    _request_id(api, root)
    unknown = apis.get(api, '/no-such-path-at-all')
    assert unknown.status_int == 404
    _request_id(api, unknown)


def test_compute_microversion_refusal_carries_a_request_id(apis: Apis) -> None:
    req = webob.Request.blank('/v2.1/flavors', headers={
        'X-Auth-Token': apis.token, 'OpenStack-API-Version': 'compute 2.105'})
    response = req.get_response(apis.apps['compute'])
    assert response.status_int == 406
    _request_id('compute', response)
