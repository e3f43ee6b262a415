"""Glance's interoperable image import: stage the data, then import it in the background.

``stage`` (``PUT /v2/images/{id}/stage``) moves a ``queued`` image to
``uploading`` and streams the data into the staging area; a failed staging
leaves no staged file and the image ``queued`` again.

``start_import`` (``POST /v2/images/{id}/import``) checks the request, then in
one transaction records an ``api_image_import`` task, moves the image to
``importing`` and marks it with ``os_glance_import_task``; the work itself
(:mod:`nova_lite.image.import_flow`) runs on a worker thread of this process,
so the request answers 202 at once. Whatever the outcome the staged data is
removed; on failure the store object is reverted, the image goes back to
``queued`` with ``os_glance_failed_import`` naming the store, and the task is
``failure`` with the reason.

A ``web-download`` import starts from a ``queued`` image instead: its URI must
pass the import filtering (:mod:`nova_lite.image.uri_filter`, 400 otherwise)
and the data is first downloaded into the staging area
(:mod:`nova_lite.image.web_download`).

A ``glance-download`` import also starts from a ``queued`` image: the data and
chosen metadata come from a region's image service (:mod:`nova_lite.image.glance_download`).

With several stores (and for copy-image) the import's stores are planned by
:mod:`nova_lite.image.copy_image` and written by :mod:`nova_lite.image.store_import`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent import futures
from typing import Any

import taskflow.engines
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import (
    copy_image,
    glance_download,
    import_flow,
    records,
    staging,
    store_import,
    tasks,
    uri_filter,
    web_download,
)
from nova_lite.image.backends import multi

LOG = logging.getLogger(__name__)

GLANCE_DIRECT = 'glance-direct'
WEB_DOWNLOAD = 'web-download'
COPY_IMAGE = 'copy-image'
GLANCE_DOWNLOAD = glance_download.GLANCE_DOWNLOAD
KNOWN_METHODS = (GLANCE_DIRECT, WEB_DOWNLOAD, COPY_IMAGE, GLANCE_DOWNLOAD)
STAGE_HOST = 'os_glance_stage_host'


class ImageImporter:
    """Stages image data and runs imports on a small pool of worker threads."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database,
                 store: multi.StoreSet, task_store: tasks.TaskStore) -> None:
        self._conf = conf
        self._db = db
        self._store = store
        self._tasks = task_store
        self._staging = staging.StagingArea(conf)
        self._pool: futures.ThreadPoolExecutor | None = None
        self._running: list[futures.Future[None]] = []
        self._lock = threading.Lock()  # guards _pool and _running (request threads)

    # -- staging ---------------------------------------------------------------------

    def stage(self, ctx: nl_context.RequestContext, image_id: str,
              chunks: Iterable[bytes]) -> None:
        """Stream data into the staging area: queued -> uploading (queued again on failure)."""
        image_id = self._start_staging(ctx, image_id)
        try:
            self._staging.add(image_id, chunks, self._conf.image.image_size_cap)
        except BaseException:
            self._unstage(image_id)
            raise
        if not self._still_uploading(image_id):  # deleted while its data streamed in
            self.discard_staged(image_id)
            raise exception.NotFound(resource='Image', id=image_id)

    def _still_uploading(self, image_id: str) -> bool:
        with self._db.reader() as session:
            row = session.get(models.Image, image_id)
            return row is not None and row.status == ImageStatus.UPLOADING

    def _start_staging(self, ctx: nl_context.RequestContext, image_id: str) -> str:
        with self._db.session() as session:
            row = records.get_row(session, ctx, image_id, for_update=True)
            records.check_owner(ctx, row, 'stage data for')
            if row.status != ImageStatus.QUEUED:
                raise exception.InvalidState(resource='Image', id=row.id, state=row.status,
                                             action='staging data', needed=ImageStatus.QUEUED)
            row.status = ImageStatus.UPLOADING
            stage_host = self._conf.image.worker_self_reference_url
            if stage_host:
                row.properties = {**(row.properties or {}), STAGE_HOST: stage_host}
            return row.id

    def _unstage(self, image_id: str) -> None:
        """After a failed staging: no staged file, the image queued again."""
        self.discard_staged(image_id)
        try:
            with self._db.session() as session:
                row = session.get(models.Image, image_id, with_for_update=True)
                if row is not None and row.status == ImageStatus.UPLOADING:
                    row.status = ImageStatus.QUEUED
                    row.properties = {k: v for k, v in (row.properties or {}).items()
                                      if k != STAGE_HOST}
        except Exception:
            LOG.exception('Could not set image %s back to queued after a failed staging',
                          image_id)

    def discard_staged(self, image_id: str) -> None:
        """Remove an image's staged data, if any (a failure is logged)."""
        try:
            self._staging.discard(image_id)
        except Exception:
            LOG.exception('Could not remove the staged data of image %s', image_id)

    # -- import ----------------------------------------------------------------------

    def enabled_methods(self) -> list[str]:
        configured = self._conf.image.enabled_import_methods
        if configured is None:  # unset: copy-image once there are stores to copy to
            return ([GLANCE_DIRECT, WEB_DOWNLOAD] + ([COPY_IMAGE] if self._store.multi else [])
                    + [GLANCE_DOWNLOAD])
        return list(configured)

    def start_import(self, ctx: nl_context.RequestContext, image_id: str,
                     import_req: dict[str, Any]) -> str:
        """Record the import task and start it; the task id."""
        method = import_req['method']['name']
        if method not in self.enabled_methods():
            raise exception.InvalidInput(
                field='method', reason=f'import method {method} is not supported by this '
                                       f'deployment (enabled: '
                                       f'{", ".join(self.enabled_methods()) or "none"})')
        uri = (uri_filter.check(self._conf, import_req['method'].get('uri'))
               if method == WEB_DOWNLOAD else None)
        remote = (glance_download.remote_of(ctx, import_req)
                  if method == GLANCE_DOWNLOAD else None)
        plan = copy_image.plan(self._db, self._store, ctx, image_id, method, import_req)
        if plan.copy:
            task_id, image_id, disk_format = copy_image.record_copy(
                self._db, self._tasks, ctx, image_id, import_req, plan)
        else:
            task_id, image_id, disk_format = self._record_import(ctx, image_id, import_req,
                                                                 plan)
        try:
            self._submit(task_id, image_id, disk_format, plan, uri, remote)
        except RuntimeError as exc:  # the pool is shutting down with the process
            self.discard_staged(image_id)
            self._mark_failed(task_id, image_id, f'the import could not start: {exc}')
            raise exception.NovaLiteError(
                f'The import of image {image_id} could not start: {exc}') from exc
        return task_id

    def _record_import(self, ctx: nl_context.RequestContext, image_id: str,
                       import_req: dict[str, Any], plan: store_import.Plan | None = None
                       ) -> tuple[str, str, str | None]:
        targets = list(plan.targets) if plan is not None else [self._conf.image.store]
        with self._db.session() as session:
            row = records.get_row(session, ctx, image_id, for_update=True)
            records.check_owner(ctx, row, 'import')
            properties = dict(row.properties or {})
            if properties.get(import_flow.IMPORT_TASK):
                raise exception.Conflict(
                    reason=f'image {row.id} has an import task in progress '
                           f'({properties[import_flow.IMPORT_TASK]})')
            if import_req['method']['name'] in (WEB_DOWNLOAD, GLANCE_DOWNLOAD):
                if row.status != ImageStatus.QUEUED:
                    raise exception.InvalidState(
                        resource='Image', id=row.id, state=row.status,
                        action=f"the {import_req['method']['name']} import",
                        needed=ImageStatus.QUEUED)
            elif row.status != ImageStatus.UPLOADING or not self._staging.has(row.id):
                raise exception.InvalidState(
                    resource='Image', id=row.id, state=row.status,
                    action='the glance-direct import', needed='its data staged (uploading)')
            for field in ('disk_format', 'container_format'):
                if getattr(row, field) is None:
                    raise exception.Conflict(reason=f"'{field}' needs to be set before "
                                                    f'import')
            task_row = self._tasks.new_row(
                ctx, tasks.IMPORT_TYPE,
                {'image_id': row.id, 'import_req': import_req,
                 'backend': targets}, image_id=row.id)
            session.add(task_row)
            session.flush()
            row.status = ImageStatus.IMPORTING
            properties.update({import_flow.IMPORT_TASK: task_row.id,
                               import_flow.IMPORTING_TO: ','.join(targets),
                               import_flow.FAILED_IMPORT: ''})
            row.properties = properties
            return task_row.id, row.id, row.disk_format

    def _submit(self, task_id: str, image_id: str, disk_format: str | None,
                plan: store_import.Plan | None = None, uri: str | None = None,
                remote: glance_download.Remote | None = None) -> None:
        with self._lock:
            if self._pool is None:
                self._pool = futures.ThreadPoolExecutor(max_workers=2,
                                                        thread_name_prefix='image-import')
            self._running = [f for f in self._running if not f.done()]
            self._running.append(self._pool.submit(self.run_import, task_id, image_id,
                                                   disk_format, plan, uri, remote))

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the imports started so far (for shutdown and tests)."""
        with self._lock:
            running = list(self._running)
        futures.wait(running, timeout=timeout)

    def run_import(self, task_id: str, image_id: str, disk_format: str | None,
                   plan: store_import.Plan | None = None, uri: str | None = None,
                   remote: glance_download.Remote | None = None) -> None:
        """The import's work: the flow, then success or failure recorded; never raises.

        With ``uri`` (web-download) the data is first downloaded into staging; with
        ``remote`` (glance-download) it comes from a region's image service.
        """
        if remote is not None:
            self._run_glance_download(task_id, image_id, plan, remote)
            return
        if plan is not None and (plan.copy or self._store.multi):
            if uri is None or self._download_to_staging(task_id, image_id, uri):
                self._run_store_import(task_id, image_id, disk_format, plan)
            return
        self._tasks.set_status(task_id, tasks.PROCESSING)
        before = [web_download.DownloadToStaging(self._conf, self._staging,
                                                 self._conf.image.image_size_cap)]
        self._run_flow(task_id, image_id, disk_format, before if uri is not None else [], uri)

    def _run_flow(self, task_id: str, image_id: str, disk_format: str | None,
                  before: list[Any], uri: str | None = None) -> None:
        """The one-store import flow after the ``before`` tasks; never raises."""
        deps = import_flow.ImportDependencies(self._db, self._store,
                                              self._conf.image.image_size_cap)
        try:
            source: Iterable[bytes] = web_download.StagedChunks(self._staging, image_id)
            if not before:
                source = self._staging.get(self._staging.location_of(image_id))
            try:
                taskflow.engines.run(import_flow.get_import_flow(deps, before), store={
                    'image_id': image_id, 'task_id': task_id, 'disk_format': disk_format,
                    'source': source, 'uri': uri})
            finally:
                close = getattr(source, 'close', None)
                if close is not None:
                    close()
        except Exception as exc:
            reason = exc.message if isinstance(exc, exception.NovaLiteError) else repr(exc)
            LOG.warning('Import task %s of image %s failed: %s', task_id, image_id, reason)
            self.discard_staged(image_id)
            self._mark_failed(task_id, image_id, reason)
            return
        self.discard_staged(image_id)
        self._tasks.set_status(task_id, tasks.SUCCESS, result={'image_id': image_id})

    def _run_glance_download(self, task_id: str, image_id: str,
                             plan: store_import.Plan | None,
                             remote: glance_download.Remote) -> None:
        """A glance-download import (:mod:`.glance_download`); never raises."""
        self._tasks.set_status(task_id, tasks.PROCESSING)
        try:
            found = glance_download.find(self._conf, remote)
        except Exception as exc:
            reason = exc.message if isinstance(exc, exception.NovaLiteError) else repr(exc)
            LOG.warning('Import task %s of image %s failed: %s', task_id, image_id, reason)
            self._mark_failed(task_id, image_id, reason)
            return
        before = glance_download.before_tasks(self._conf, self._db, self._staging,
                                              self._conf.image.image_size_cap, remote, found)
        disk_format = found.record['disk_format']
        if plan is None or not self._store.multi:
            self._run_flow(task_id, image_id, disk_format, before)
            return
        try:
            glance_download.run_outside_flow(before, image_id, task_id)
        except Exception as exc:
            reason = exc.message if isinstance(exc, exception.NovaLiteError) else repr(exc)
            LOG.warning('Import task %s of image %s failed: %s', task_id, image_id, reason)
            self._mark_failed(task_id, image_id, reason)
            return
        self._run_store_import(task_id, image_id, disk_format, plan,
                               lambda: glance_download.undo(before, image_id, task_id))

    def _download_to_staging(self, task_id: str, image_id: str, uri: str) -> bool:
        """A web-download's data into staging before a multi-store import; on a failure
        nothing is left staged, the failure is recorded and the answer is False."""
        self._tasks.set_status(task_id, tasks.PROCESSING)
        download = web_download.DownloadToStaging(self._conf, self._staging,
                                                  self._conf.image.image_size_cap)
        try:
            download.execute(image_id, uri)
        except Exception as exc:
            download.revert(image_id)
            reason = exc.message if isinstance(exc, exception.NovaLiteError) else repr(exc)
            LOG.warning('Import task %s of image %s failed: %s', task_id, image_id, reason)
            self._mark_failed(task_id, image_id, reason)
            return False
        return True

    def _run_store_import(self, task_id: str, image_id: str, disk_format: str | None,
                          plan: store_import.Plan,
                          on_failure: Callable[[], None] | None = None) -> None:
        """An import into named stores (:mod:`.store_import`); never raises."""
        self._tasks.set_status(task_id, tasks.PROCESSING)
        runner = store_import.StoreImport(self._db, self._store,
                                          self._conf.image.image_size_cap)
        try:
            runner.run(task_id, image_id, disk_format, plan,
                       copy_image.source(self._db, self._store, image_id) if plan.copy else
                       lambda: self._staging.get(self._staging.location_of(image_id)))
        except Exception as exc:
            reason = exc.message if isinstance(exc, exception.NovaLiteError) else repr(exc)
            LOG.warning('Import task %s of image %s failed: %s', task_id, image_id, reason)
            if on_failure is not None:
                on_failure()
            if not plan.copy:
                self.discard_staged(image_id)
            self._mark_failed(task_id, image_id, reason)
            return
        if not plan.copy:
            self.discard_staged(image_id)
        self._tasks.set_status(task_id, tasks.SUCCESS, result={'image_id': image_id})

    def _mark_failed(self, task_id: str, image_id: str, reason: str) -> None:
        try:
            with self._db.session() as session:
                row = session.get(models.Image, image_id, with_for_update=True)
                if row is not None and (row.properties or {}).get(
                        import_flow.IMPORT_TASK) == task_id:
                    properties = dict(row.properties or {})
                    properties.pop(import_flow.IMPORT_TASK, None)
                    properties.pop(STAGE_HOST, None)
                    properties[import_flow.IMPORTING_TO] = ''
                    properties[import_flow.FAILED_IMPORT] = self._conf.image.store
                    row.properties = properties
                    row.status = ImageStatus.QUEUED  # the staged data is gone
            self._tasks.set_status(task_id, tasks.FAILURE, message=reason)
        except Exception:
            LOG.exception('Could not record the failure of import task %s', task_id)
