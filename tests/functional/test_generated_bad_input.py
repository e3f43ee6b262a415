"""Generated bad input against every route of the five REST APIs (issue 3).

For each route of each API (enumerated from its :class:`nova_lite.api.wsgi.Router`),
requests with generated invalid bodies, queries and path values must never get a
5xx, and every request answered with a 4xx must leave every table unchanged. A 2xx
is allowed (some junk is valid input, e.g. unknown query params are ignored); the
database snapshot is then retaken. All violations are collected and reported at
once per API.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
import webob
from oslo_config import cfg

from nova_lite import embedded
from nova_lite.api import auth as api_auth
from nova_lite.api import wsgi
from nova_lite.db import models
from nova_lite.volume.rest import views as volume_views
from nova_lite.wiring import apps
from tests.conftest import make_cloud_conf
from tests.functional.conftest import CloudEnv

MAX_CASES_PER_ROUTE = 25
MAX_BODY = 1024 * 1024
PASSWORD = 'generated-bad-input'
_VAR = re.compile(r'\{(\w+)(?::[^}]*)?\}')
_JSON = 'application/json'
_JSON_PATCH = 'application/openstack-images-v2.1-json-patch'

RANDOM_UUID = str(uuid.UUID(int=0x1234_5678_9ABC_4DEF_8123_456789ABCDEF))
GARBAGE_IDS = ('not-a-uuid', RANDOM_UUID, 'x' * 300)
HUGE_STRING = 'h' * 100_000
BAD_VALUES: tuple[Any, ...] = (
    None, [], {}, True, 1.5, -1, 2 ** 63, -(2 ** 63) - 1, '', HUGE_STRING, 'not-a-uuid',
    RANDOM_UUID, '10.0.0.0/33', 'abc', '999.1.1.1', '::g', {'nested': ['x']}, [1, 'x'],
    '\u00e9\u2603\U0001f600', 'x\x00y')

# Each collection's body envelope and the fields its schema knows (values are
# placeholders: each generated body puts a bad value into one of them).
ENVELOPES: dict[str, tuple[str, ...]] = {
    'server': ('name', 'imageRef', 'flavorRef', 'networks', 'block_device_mapping_v2',
               'min_count', 'max_count', 'availability_zone', 'metadata', 'key_name',
               'security_groups', 'user_data', 'accessIPv4'),
    'flavor': ('name', 'id', 'vcpus', 'ram', 'disk', 'swap', 'OS-FLV-EXT-DATA:ephemeral',
               'rxtx_factor', 'os-flavor-access:is_public'),
    'keypair': ('name', 'public_key', 'type'),
    'network': ('name', 'admin_state_up', 'shared', 'mtu', 'description',
                'router:external', 'port_security_enabled'),
    'subnet': ('network_id', 'cidr', 'ip_version', 'gateway_ip', 'allocation_pools',
               'enable_dhcp', 'dns_nameservers', 'name', 'host_routes'),
    'port': ('network_id', 'fixed_ips', 'mac_address', 'name', 'device_id',
             'device_owner', 'admin_state_up', 'binding:host_id', 'security_groups'),
    'volume': ('size', 'name', 'description', 'volume_type', 'imageRef',
               'availability_zone', 'metadata', 'source_volid', 'snapshot_id'),
    'attachment': ('volume_uuid', 'volume_id', 'instance_uuid', 'connector', 'mode'),
    'metadata': ('k1', 'k2'),
    'project': ('name', 'domain_id', 'description', 'enabled', 'parent_id', 'is_domain'),
    'user': ('name', 'domain_id', 'password', 'default_project_id', 'enabled', 'email'),
    'role': ('name', 'domain_id', 'description'),
    'domain': ('name', 'enabled', 'description'),
    'auth': ('identity', 'scope'),
    'os-stop': (), 'os-start': (), 'reboot': ('type',), 'os-getConsoleOutput': ('length',),
}
# The last literal path segment of a route -> the envelopes its body may carry.
COLLECTION_ENVELOPES: dict[str, tuple[str, ...]] = {
    'servers': ('server',), 'flavors': ('flavor',), 'os-keypairs': ('keypair',),
    'networks': ('network',), 'subnets': ('subnet',), 'ports': ('port',),
    'volumes': ('volume',), 'attachments': ('attachment',), 'metadata': ('metadata',),
    'projects': ('project',), 'users': ('user',), 'roles': ('role',),
    'domains': ('domain',), 'tokens': ('auth',),
    'action': ('os-stop', 'os-start', 'reboot', 'os-getConsoleOutput'),
}
IMAGE_FIELDS = ('name', 'disk_format', 'container_format', 'visibility', 'min_disk',
                'min_ram', 'id', 'tags', 'protected', 'os_hidden')
BAD_QUERIES = (
    'limit=-1', 'limit=abc', f'limit={2 ** 63}', 'limit=0', f'marker={RANDOM_UUID}',
    'marker=not-a-uuid', 'name=' + 'n' * 4000, 'unknown_param=1', 'sort_key=bogus',
    'sort_dir=sideways', 'sort=bogus:up', 'all_tenants=abc', 'all_projects=maybe',
    'changes-since=not-a-date', 'status=bogus', 'id=not-a-uuid', 'network_id=not-a-uuid',
    'fixed_ips=ip_address%3D999.1.1.1', 'cidr=10.0.0.0/33', 'ip_version=99',
    'offset=-5', 'enabled=perhaps', 'limit=1&limit=2', 'fields=bogus', 'detailed=x',
    'length=-1', 'user.id=not-a-uuid', 'visibility=nope', 'member_status=x',
)


@dataclasses.dataclass(frozen=True)
class Case:
    method: str
    path: str
    body: bytes | None = None
    content_type: str = _JSON
    headers: tuple[tuple[str, str], ...] = ()
    token: str = 'admin'

    def describe(self) -> str:
        sample = repr(self.body[:160]) if self.body is not None else '-'
        extra = f' headers={dict(self.headers)}' if self.headers else ''
        return (f'{self.method} {self.path[:200]} [{self.token} token, '
                f'{self.content_type}]{extra} body={sample}')


def _module_conf(tmp_path: Any) -> cfg.ConfigOpts:
    config = make_cloud_conf(tmp_path)
    config.set_override('max_request_body_size', MAX_BODY, group='api')
    # The resource report writes to the DB on a timer: keep it out of the way.
    config.set_override('service_down_time', 3600, group='scheduler')
    return config


class BadInputEnv:
    """The cloud, its five apps, tokens and one existing resource of each kind."""

    def __init__(self, env: CloudEnv) -> None:
        self.env = env
        self.cloud = env.cloud
        services = env.cloud.services
        self.apps = {built.name: built.app for built in apps.build_apps(
            env.cloud.conf, services,
            auth=lambda app: api_auth.LocalTokenAuth(app, services.identity.validate_token))}
        identity = services.identity
        roles = {role['name']: role['id'] for role in identity.list_roles()}
        # Identity routes mutate a victim project and user, never the admin's own.
        victim_project = identity.create_project('victim', 'default')['id']
        victim_user = identity.create_user('victim', 'default', PASSWORD)['id']
        identity.assign_role(victim_user, victim_project, roles['member'])
        self.tokens = {
            'admin': env.token,
            'member': identity.authenticate(user_id=victim_user, password=PASSWORD,
                                            project_id=victim_project)['token'],
        }
        server = env.boot(name='victim-vm')
        assert server['status'] == 'ACTIVE', server
        port = services.networks.create_port(env.ctx, network_id=env.network['id'],
                                             name='victim-port')
        with self.cloud.db.reader() as session:
            attachment_id = session.execute(
                sa.select(models.base.Base.metadata.tables['volume_attachments'].c.id)
            ).scalars().first()
        assert attachment_id, 'the boot made no volume attachment'
        admin_project = env.ctx.project_id
        self.ids: dict[str, dict[str, str]] = {
            'common': {
                'server_id': server['id'], 'flavor_id': env.flavor['id'],
                'image_id': env.image['id'], 'network_id': env.network['id'],
                'subnet_id': env.subnet['id'], 'port_id': port['id'],
                'volume_id': env.volumes[0]['id'], 'attachment_id': attachment_id,
                'project_id': admin_project, 'user_id': env.ctx.user_id,
                'role_id': roles['reader'], 'domain_id': 'default',
                'region_id': self.cloud.conf.identity.region_id,
                'type_id': volume_views.DEFAULT_TYPE_ID, 'key': 'k1',
                'keypair_name': 'kp', 'alias': 'security-group',
                'security_group_id': RANDOM_UUID, 'router_id': RANDOM_UUID,
                'floatingip_id': RANDOM_UUID,
            },
            'identity': {'project_id': victim_project, 'user_id': victim_user,
                         'role_id': roles['reader']},
        }

    def path_value(self, api: str, name: str) -> str:
        value = self.ids.get(api, {}).get(name) or self.ids['common'].get(name)
        return value if value is not None else 'x'

    def call(self, api: str, case: Case) -> webob.Response:
        headers = {'Content-Type': case.content_type, 'X-Auth-Token': self.tokens[case.token]}
        headers.update(case.headers)
        kwargs: dict[str, Any] = {} if case.body is None else {'body': case.body}
        req = webob.Request.blank(case.path, method=case.method, headers=headers, **kwargs)
        return req.get_response(self.apps[api])

    def snapshot(self) -> dict[str, tuple[int, str]]:
        """Row count and a hash of all rows, per table."""
        result = {}
        with self.cloud.db.reader() as session:
            for table in models.Base.metadata.sorted_tables:
                rows = sorted(repr(tuple(row)) for row in session.execute(sa.select(table)))
                digest = hashlib.sha256('\n'.join(rows).encode()).hexdigest()
                result[table.name] = (len(rows), digest)
        return result

    def settled_snapshot(self, timeout: float = 5.0) -> dict[str, tuple[int, str]]:
        """A snapshot once background work (an accepted action, a build) has stopped."""
        previous = self.snapshot()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.05)
            current = self.snapshot()
            if current == previous:
                return current
            previous = current
        return previous


def _find_router(obj: Any, depth: int = 0, seen: set[int] | None = None) -> wsgi.Router | None:
    """The Router inside an app's middleware stack."""
    if isinstance(obj, wsgi.Router):
        return obj
    seen = set() if seen is None else seen
    if depth > 8 or id(obj) in seen:
        return None
    seen.add(id(obj))
    for value in list(getattr(obj, '__dict__', {}).values()):
        found = _find_router(value, depth + 1, seen)
        if found is not None:
            return found
    return None


def _routes(app: Any) -> list[tuple[str, str]]:
    router = _find_router(app)
    assert router is not None, f'no Router inside {app!r}'
    return [(method, route.routepath) for route in router._mapper.matchlist
            for method in route.conditions['method']]


def _fill(routepath: str, values: dict[str, str]) -> str:
    return _VAR.sub(lambda match: values[match.group(1)], routepath)


def _path_variants(env: BadInputEnv, api: str, method: str,
                   routepath: str) -> list[tuple[str, bool]]:
    """(path, all ids valid): the valid path, then each variable made garbage in turn."""
    names = _VAR.findall(routepath)
    valid = {name: env.path_value(api, name) for name in names}
    variants = [] if method == 'DELETE' and names else [(_fill(routepath, valid), True)]
    for name in names:
        for garbage in GARBAGE_IDS:
            if 'project_id:' in routepath and name == 'project_id' and garbage != RANDOM_UUID:
                continue  # the route's regex makes that a 404 before any handler
            variants.append((_fill(routepath, {**valid, name: garbage}), False))
    return variants


def _dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


def _envelope_bodies(envelope: str, rng: random.Random) -> list[bytes]:
    fields = ENVELOPES[envelope]
    bodies = [_dumps({envelope: None}), _dumps({envelope: []}), _dumps({envelope: 'x'}),
              _dumps({envelope: {}}), _dumps({envelope: {'bogus_extra_key': 1}}),
              _dumps({envelope: {field: 'x' for field in fields} | {'bogus': True}}),
              _dumps({envelope: {}, 'bogus_top_level': 1})]
    pairs = [(field, value) for field in fields for value in BAD_VALUES]
    for field, value in rng.sample(pairs, min(len(pairs), 12)):
        bodies.append(_dumps({envelope: {name: 'x' for name in fields} | {field: value}}))
    return bodies


def _image_bodies(method: str, rng: random.Random) -> list[tuple[bytes, str]]:
    pairs = [(field, value) for field in IMAGE_FIELDS for value in BAD_VALUES]
    if method == 'PATCH':
        bodies = [_dumps({'op': 'replace'}), _dumps([{'op': 'explode', 'path': '/name'}]),
                  _dumps([{'op': 'replace', 'path': '/id', 'value': RANDOM_UUID}]),
                  _dumps([{'op': 'add', 'path': 'no-slash', 'value': 1}]),
                  _dumps([{'op': 'remove', 'path': '/name'}])]
        bodies += [_dumps([{'op': 'replace', 'path': f'/{field}', 'value': value}])
                   for field, value in rng.sample(pairs, 10)]
        return [(body, _JSON_PATCH) for body in bodies]
    bodies = [_dumps({'bogus_extra_key': 1})]
    bodies += [_dumps({field: value}) for field, value in rng.sample(pairs, 12)]
    return [(body, _JSON) for body in bodies]


def _body_cases(method: str, path: str, routepath: str, api: str,
                rng: random.Random) -> list[Case]:
    generic = [(b'\x00\xff not json {', _JSON), (b'[]', _JSON), (b'1', _JSON),
               (b'"x"', _JSON), (b'null', _JSON), (b'{}', _JSON), (b'', _JSON),
               (b'{"a": ' * 2000, _JSON), (b'{}', 'text/plain'),
               (b'{"x": "' + b'y' * (2 * MAX_BODY) + b'"}', _JSON)]
    if routepath.endswith('/file'):
        generic += [(b'\x00' * 16, 'application/octet-stream')]
    specific: list[tuple[bytes, str]]
    if api == 'image':
        specific = _image_bodies(method, rng)
    else:
        segments = [part for part in routepath.split('/') if part and '{' not in part]
        envelopes = COLLECTION_ENVELOPES.get(segments[-1] if segments else '', ())
        specific = [(body, _JSON) for envelope in envelopes
                    for body in _envelope_bodies(envelope, rng)]
        if segments and segments[-1] == 'action':
            specific += [(_dumps({'bogus-action': None}), _JSON),
                         (_dumps({'reboot': {'type': 'SOFT'}, 'os-stop': None}), _JSON)]
        rng.shuffle(specific)
    cases = [Case(method, path, body, content_type) for body, content_type in generic]
    room = MAX_CASES_PER_ROUTE - len(cases)
    cases += [Case(method, path, body, content_type)
              for body, content_type in specific[:max(room, 0)]]
    # A few as a member of another project.
    cases += [dataclasses.replace(case, token='member') for case in cases[-3:]]
    return cases


def _query_cases(method: str, path: str, rng: random.Random) -> list[Case]:
    queries = rng.sample(BAD_QUERIES, min(len(BAD_QUERIES), MAX_CASES_PER_ROUTE - 3))
    cases = [Case(method, f'{path}?{query}', None) for query in queries]
    cases.append(Case(method, f'{path}?{"&".join(BAD_QUERIES[:8])}', None, token='member'))
    if path.endswith('/auth/tokens'):
        cases += [Case(method, path, None, headers=(('X-Subject-Token', garbage),))
                  for garbage in GARBAGE_IDS]
    return cases


def _cases(env: BadInputEnv, api: str, method: str, routepath: str) -> list[Case]:
    rng = random.Random(f'{api} {method} {routepath}')
    cases: list[Case] = []
    for path, valid in _path_variants(env, api, method, routepath):
        if method in ('POST', 'PUT', 'PATCH'):
            generated = _body_cases(method, path, routepath, api, rng)
            cases += generated if valid else generated[:2] + generated[-4:-3]
        elif method == 'DELETE':
            cases.append(Case(method, path, None))
            if path.endswith('/auth/tokens'):
                cases += [Case(method, path, None, headers=(('X-Subject-Token', garbage),))
                          for garbage in GARBAGE_IDS]
        else:
            cases += _query_cases(method, path, rng) if valid else [Case(method, path)]
    return cases


@pytest.fixture(scope='module')
def bad_input_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BadInputEnv]:
    config = _module_conf(tmp_path_factory.mktemp('generated_bad_input'))
    cloud = embedded.EmbeddedCloud(config, hosts=['host1'])
    cloud.start()
    try:
        yield BadInputEnv(CloudEnv(cloud))
    finally:
        cloud.stop()
        config.reset()


def _changed_tables(before: dict[str, tuple[int, str]],
                    after: dict[str, tuple[int, str]]) -> list[str]:
    return [f'{name} ({before[name][0]} -> {after[name][0]} rows)'
            for name in before if before[name] != after[name]]


@pytest.mark.parametrize('api', [spec.name for spec in apps.APIS])
def test_generated_bad_input_never_5xx_and_4xx_changes_nothing(
        bad_input_env: BadInputEnv, api: str) -> None:
    env = bad_input_env
    server_errors: list[str] = []
    db_changes: list[str] = []
    count = 0
    before = env.settled_snapshot()
    for method, routepath in _routes(env.apps[api]):
        for case in _cases(env, api, method, routepath):
            count += 1
            response = env.call(api, case)
            status = response.status_int
            if status >= 500:
                server_errors.append(f'{status} {case.describe()}\n    -> {response.text[:300]}')
                before = env.settled_snapshot()
            elif 400 <= status < 500:
                after = env.snapshot()
                if after != before:
                    after = env.settled_snapshot()
                    changed = _changed_tables(before, after)
                    db_changes.append(f'{status} {case.describe()}\n    changed: {changed}')
                before = after
            elif case.method in ('GET', 'HEAD'):
                before = env.snapshot()
            else:
                before = env.settled_snapshot()
    assert count > 0
    problems = ([f'{len(server_errors)} 5xx responses:'] + server_errors if server_errors
                else []) + ([f'{len(db_changes)} 4xx answers that changed the DB:'] + db_changes
                            if db_changes else [])
    assert not problems, f'{api}: {count} requests\n' + '\n'.join(problems)
