"""The ``glance-download`` import method: an image's data and chosen metadata from the
image service of a region (another cloud's, or this one's).

The request names the remote image (``glance_image_id``, which must look like
a UUID: 400 at once otherwise), the region (``glance_region``) and the
endpoint interface (``glance_service_interface``, default ``public``). The
rest runs in the background with the caller's own token:

1. :func:`find` reads the caller's catalog from the identity API
   (``GET /v3/auth/tokens`` with the token: this works whether or not the
   identity service runs in the image service's process), picks the ``image``
   endpoint of that region and interface, and reads the remote image's record
   (it must be ``active``);
2. ``import-metadata`` (:class:`ImportMetadata`) gives the local image the
   remote disk and container formats and the remote properties matching a
   prefix of ``[image] glance_download_properties``; revert puts back what it
   changed;
3. ``glance-download-to-staging`` (:class:`DownloadToStaging`) streams
   ``/v2/images/{id}/file`` into the staging area (size capped, checked
   against the remote hash); revert removes the staged data, whole or partial.

The usual import tasks then store the data and activate the image. Any
failure leaves the image ``queued`` with its own formats and properties.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import uuid
from collections.abc import Generator
from typing import Any

import requests
from keystoneauth1 import access as ks_access
from keystoneauth1 import exceptions as ks_exceptions
from oslo_config import cfg
from taskflow import task

from nova_lite.api import endpoints
from nova_lite.clients import http, http_auth
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import import_flow, staging

LOG = logging.getLogger(__name__)

GLANCE_DOWNLOAD = 'glance-download'
CHUNK_SIZE = 64 * 1024
_RESERVED_PREFIX = 'os_glance'
# Never copied as properties, whatever the configured prefixes: the record's own fields.
_IMAGE_FIELDS = frozenset({
    'id', 'name', 'status', 'disk_format', 'container_format', 'visibility', 'size',
    'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'min_disk', 'min_ram',
    'protected', 'owner', 'tags', 'created_at', 'updated_at', 'os_hidden', 'file', 'self',
    'schema', 'locations', 'direct_url', 'stores'})


class GlanceDownloadFailed(exception.NovaLiteError):
    msg_fmt = 'glance-download of image %(remote)s failed: %(reason)s'
    code = 400


@dataclasses.dataclass(frozen=True)
class Remote:
    """The remote image an import asks for, and the token to ask with."""

    image_id: str
    region: str | None
    interface: str
    token: str = dataclasses.field(repr=False)


@dataclasses.dataclass(frozen=True)
class Found:
    """The remote image service's root URL and the remote image's record."""

    endpoint: str
    record: dict[str, Any]


def remote_of(ctx: nl_context.RequestContext, import_req: dict[str, Any]) -> Remote:
    """The remote image of a glance-download request; 400 naming the bad field."""
    method = import_req['method']
    image_id = method.get('glance_image_id')
    try:
        if not isinstance(image_id, str):
            raise ValueError(image_id)
        uuid.UUID(image_id)
    except ValueError:
        raise exception.InvalidInput(
            field='glance_image_id',
            reason=f'image id does not look like a UUID: {image_id!r}') from None
    if not ctx.auth_token:
        raise exception.NotAuthorized()
    return Remote(image_id=image_id, region=method.get('glance_region') or None,
                  interface=method.get('glance_service_interface') or 'public',
                  token=ctx.auth_token)


def _fail(remote: Remote, reason: str) -> GlanceDownloadFailed:
    return GlanceDownloadFailed(remote=remote.image_id, reason=reason)


def find_endpoint(conf: cfg.ConfigOpts, remote: Remote) -> str:
    """The image endpoint of the remote's region and interface in the caller's catalog."""
    validate = http_auth.HTTPTokenValidator(endpoints.identity_url(conf),
                                            http.new_session(conf.image.web_download_timeout))
    body = validate(remote.token)
    catalog = ks_access.create(body={'token': body}, auth_token=remote.token).service_catalog
    try:
        url = catalog.url_for(service_type='image', interface=remote.interface,
                              region_name=remote.region)
    except (ks_exceptions.ClientException, ValueError) as exc:
        raise _fail(remote, f'no image endpoint for region {remote.region!r} and interface '
                            f'{remote.interface!r} in the catalog') from exc
    root = str(url).rstrip('/')
    return root[:-3] if root.endswith('/v2') else root


def _get(conf: cfg.ConfigOpts, remote: Remote, url: str, stream: bool) -> requests.Response:
    timeout = conf.image.web_download_timeout
    try:
        return requests.get(url, stream=stream, timeout=(timeout, timeout),
                            headers={'X-Auth-Token': remote.token,
                                     'Accept-Encoding': 'identity'})
    except requests.RequestException as exc:
        raise _fail(remote, f'the remote image service is unreachable: {exc}') from exc


def find(conf: cfg.ConfigOpts, remote: Remote) -> Found:
    """The remote endpoint and the remote image's record (which must be active)."""
    endpoint = find_endpoint(conf, remote)
    response = _get(conf, remote, f'{endpoint}/v2/images/{remote.image_id}', stream=False)
    if response.status_code == 404:
        raise _fail(remote, f'no image {remote.image_id} at {endpoint}')
    if response.status_code != 200:
        raise _fail(remote, f'the remote image service answered {response.status_code}: '
                            f'{http_auth.error_message(response)}')
    try:
        record = response.json()
    except ValueError as exc:
        raise _fail(remote, 'the remote image record is not JSON') from exc
    if not isinstance(record, dict) or record.get('status') != ImageStatus.ACTIVE:
        state = record.get('status') if isinstance(record, dict) else None
        raise _fail(remote, f'the remote image is {state}, not active')
    disk_format = record.get('disk_format')
    if disk_format not in conf.image.disk_formats:
        raise _fail(remote, f'the remote disk format {disk_format!r} is not enabled here')
    if record.get('container_format') not in conf.image.container_formats:
        raise _fail(remote, f'the remote container format '
                            f'{record.get("container_format")!r} is not enabled here')
    return Found(endpoint, record)


def copied_properties(conf: cfg.ConfigOpts, record: dict[str, Any]) -> dict[str, Any]:
    """The remote properties the local image takes: those with a configured prefix."""
    prefixes = tuple(conf.image.glance_download_properties)
    return {key: value for key, value in record.items()
            if key not in _IMAGE_FIELDS and not key.startswith(_RESERVED_PREFIX)
            and prefixes and key.startswith(prefixes)}


class ImportMetadata(task.Task):
    """The remote formats and chosen properties onto the importing image; revert undoes."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database, found: Found) -> None:
        super().__init__(name='import-metadata')
        self._conf = conf
        self._db = db
        self._found = found
        self._previous: dict[str, Any] | None = None

    def execute(self, image_id: str, task_id: str) -> None:
        record = self._found.record
        copied = copied_properties(self._conf, record)
        with self._db.session() as session:
            row = _importing_row(session, image_id, task_id)
            properties = dict(row.properties or {})
            self._previous = {
                'disk_format': row.disk_format, 'container_format': row.container_format,
                'properties': {key: properties.get(key) for key in copied}}
            row.disk_format = record['disk_format']
            row.container_format = record['container_format']
            properties.update(copied)
            row.properties = properties

    def revert(self, image_id: str, task_id: str, **kwargs: Any) -> None:
        previous = self._previous
        if previous is None:
            return
        try:
            with self._db.session() as session:
                row = session.get(models.Image, image_id, with_for_update=True)
                if row is None or (row.properties or {}).get(
                        import_flow.IMPORT_TASK) != task_id:
                    return
                row.disk_format = previous['disk_format']
                row.container_format = previous['container_format']
                properties = dict(row.properties or {})
                for key, value in previous['properties'].items():
                    if value is None:
                        properties.pop(key, None)
                    else:
                        properties[key] = value
                row.properties = properties
        except Exception:
            LOG.exception('Could not restore the metadata of image %s', image_id)


def _importing_row(session: Any, image_id: str, task_id: str) -> models.Image:
    row = session.get(models.Image, image_id, with_for_update=True)
    if row is None:
        raise exception.NotFound(resource='Image', id=image_id)
    if row.status != ImageStatus.IMPORTING or (row.properties or {}).get(
            import_flow.IMPORT_TASK) != task_id:
        raise exception.InvalidState(resource='Image', id=image_id, state=row.status,
                                     action=f'import task {task_id}',
                                     needed=ImageStatus.IMPORTING)
    return row


def fetch_data(conf: cfg.ConfigOpts, remote: Remote, found: Found,
               size_cap: int) -> Generator[bytes, None, None]:
    """The remote image's data in chunks, checked against its size and hash."""
    response = _get(conf, remote, f'{found.endpoint}/v2/images/{remote.image_id}/file',
                    stream=True)
    with contextlib.closing(response):
        if response.status_code != 200:
            raise _fail(remote, f'the remote image data answered {response.status_code}')
        length = response.headers.get('content-length', '')
        if length.isdigit() and int(length) > size_cap:
            raise exception.OverLimit(reason=f'the remote image has {length} bytes, over '
                                             f'the size cap of {size_cap} bytes')
        algo, expected = found.record.get('os_hash_algo'), found.record.get('os_hash_value')
        digest = (hashlib.new(algo) if isinstance(algo, str)
                  and algo in hashlib.algorithms_available else None)
        try:
            for chunk in response.iter_content(CHUNK_SIZE):
                if digest is not None:
                    digest.update(chunk)
                yield chunk
        except requests.RequestException as exc:
            raise _fail(remote, f'the download broke off: {exc}') from exc
        if digest is not None and expected and digest.hexdigest() != expected:
            raise _fail(remote, f'the data does not match the remote {algo} hash')


class DownloadToStaging(task.Task):
    """Stream the remote image's data into the staging area under the local image's id."""

    def __init__(self, conf: cfg.ConfigOpts, staging_area: staging.StagingArea,
                 size_cap: int, remote: Remote, found: Found) -> None:
        super().__init__(name='glance-download-to-staging')
        self._conf = conf
        self._staging = staging_area
        self._size_cap = size_cap
        self._remote = remote
        self._found = found

    def execute(self, image_id: str, task_id: str) -> None:
        LOG.debug('Import task %s: downloading image %s from %s', task_id,
                  self._remote.image_id, self._found.endpoint)
        chunks = fetch_data(self._conf, self._remote, self._found, self._size_cap)
        try:
            self._staging.add(image_id, chunks, self._size_cap)
        finally:
            chunks.close()

    def revert(self, image_id: str, **kwargs: Any) -> None:
        try:
            self._staging.discard(image_id)
        except Exception:
            LOG.exception('Could not remove the downloaded data of image %s', image_id)


def before_tasks(conf: cfg.ConfigOpts, db: db_api.Database,
                 staging_area: staging.StagingArea, size_cap: int, remote: Remote,
                 found: Found) -> list[task.Task]:
    """The tasks a glance-download import runs before storing the staged data."""
    return [ImportMetadata(conf, db, found),
            DownloadToStaging(conf, staging_area, size_cap, remote, found)]


def run_outside_flow(tasks_: list[task.Task], image_id: str, task_id: str) -> None:
    """Run ``tasks_`` outside a flow (the multi-store path), all reverted on a failure."""
    try:
        for each in tasks_:
            each.execute(image_id=image_id, task_id=task_id)
    except BaseException:
        undo(tasks_, image_id, task_id)
        raise


def undo(tasks_: list[task.Task], image_id: str, task_id: str) -> None:
    """Revert ``tasks_`` last first (each revert is harmless when its task did not run)."""
    for each in reversed(tasks_):
        each.revert(image_id=image_id, task_id=task_id)
