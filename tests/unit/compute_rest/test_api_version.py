"""Negotiation and the api_version helper, without a cloud."""

from __future__ import annotations

import pathlib

import pytest
import webob

from nova_lite.compute.rest import api_version, microversion, version_changes


@pytest.mark.parametrize('asked,answered', [
    (None, (2, 1)), ('latest', (2, 104)), ('LATEST', (2, 104)), ('2.1', (2, 1)),
    ('2.55', (2, 55)), ('2.100', (2, 100)),
])
def test_negotiate(asked: str | None, answered: tuple[int, int]) -> None:
    assert microversion.negotiate(asked) == answered


@pytest.mark.parametrize('asked,status', [
    ('2.0', 406), ('2.105', 406), ('3.1', 406), ('1.9', 406),
    ('two', 400), ('2.', 400), ('2.01', 400), ('2', 400), ('2.1.1', 400),
])
def test_refused(asked: str, status: int) -> None:
    with pytest.raises(microversion.Refused) as refused:
        microversion.negotiate(asked)
    assert refused.value.status == status


def _app(seen: list[tuple[int, int]]) -> microversion.WSGIApp:
    def app(environ: dict, start_response):  # type: ignore[no-untyped-def,type-arg]
        seen.append(api_version.from_environ(environ))
        start_response('200 OK', [('Content-Type', 'text/plain'), ('Vary', 'Accept')])
        return [b'ok']
    return app


def test_middleware_puts_the_tuple_in_the_environ_and_labels() -> None:
    seen: list[tuple[int, int]] = []
    app = microversion.MicroversionMiddleware(_app(seen))
    req = webob.Request.blank('/', headers={'OpenStack-API-Version': 'compute 2.61'})
    response = req.get_response(app)
    assert seen == [(2, 61)]
    assert req.environ[api_version.ENVIRON_KEY] == (2, 61)
    assert response.headers['OpenStack-API-Version'] == 'compute 2.61'
    assert response.headers['X-OpenStack-Nova-API-Version'] == '2.61'
    assert response.headers.getall('Vary') == [
        'OpenStack-API-Version, X-OpenStack-Nova-API-Version']
    refused = webob.Request.blank('/', headers={'X-OpenStack-Nova-API-Version': '2.200'})
    assert refused.get_response(app).status_int == 406
    assert seen == [(2, 61)]  # the application never saw it


def test_api_version_helper_defaults_to_2_1() -> None:
    assert api_version.api_version(webob.Request.blank('/')) == (2, 1)
    req = webob.Request.blank('/')
    req.environ[api_version.ENVIRON_KEY] = (2, 47)
    assert api_version.api_version(req) == (2, 47)
    assert api_version.at_least(req, version_changes.SERVER_FLAVOR_EMBEDDED)
    assert not api_version.at_least(req, version_changes.SERVER_CREATE_TAGS)
    req.environ[api_version.ENVIRON_KEY] = '2.47'  # not a tuple: ignored
    assert api_version.api_version(req) == (2, 1)


def test_the_table() -> None:
    versions = [version for version, _name, _summary in version_changes.TABLE]
    names = [name for _version, name, _summary in version_changes.TABLE]
    # In version order; one version may change several things (a row each).
    assert versions == sorted(versions) and len(set(names)) == len(names)
    for version, name, summary in version_changes.TABLE:
        assert getattr(version_changes, name) == version
        assert api_version.MIN_VERSION < version <= api_version.MAX_VERSION and summary
    constants = {name for name in vars(version_changes) if name.isupper() and name != 'TABLE'}
    assert constants == {name for _version, name, _summary in version_changes.TABLE}


def test_the_doc_prints_the_table() -> None:
    doc = (pathlib.Path(__file__).parents[3] / 'doc' / 'source'
           / 'compute-microversions.rst').read_text()
    for version, name, summary in version_changes.TABLE:
        assert f'{api_version.text(version):<7}  ``{name}``' in doc
        assert summary in doc
