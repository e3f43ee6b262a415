"""The ``web-download`` import method: fetch the image data from a URI into staging.

``DownloadToStaging`` is the first task of a web-download import flow
(:mod:`nova_lite.image.import_flow`): it streams the response body into the
staging area, as a ``glance-direct`` staging would, and the flow's usual
tasks then copy the staged data into the store and activate the image.

The fetch goes through ``requests``, streamed (never held in memory), with
``[image] web_download_timeout`` to connect and between pieces of data, and
the ``[image] image_size_cap``. Redirects are followed by hand, at most
``[image] web_download_max_redirects`` of them, and every target must pass
the import filtering (:mod:`nova_lite.image.uri_filter`) as the first URI did.
A body shorter than its Content-Length fails the download.
"""

from __future__ import annotations

import contextlib
import logging
import urllib.parse
from collections.abc import Generator, Iterator
from typing import Any

import requests
from oslo_config import cfg
from taskflow import task

from nova_lite.common import exception
from nova_lite.image import staging, uri_filter

LOG = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
_FETCHABLE_SCHEMES = ('http', 'https')
# The bytes as the source keeps them: no compressed transfer to be decoded on the way.
_HEADERS = {'Accept-Encoding': 'identity'}


class DownloadFailed(exception.NovaLiteError):
    msg_fmt = 'Could not download the image data from %(uri)s: %(reason)s'
    code = 400


def _open(conf: cfg.ConfigOpts, uri: str) -> requests.Response:
    """The streamed response of the last redirect's target, checked all the way."""
    timeout = conf.image.web_download_timeout
    current = uri
    for _hop in range(conf.image.web_download_max_redirects + 1):
        if urllib.parse.urlsplit(current).scheme.lower() not in _FETCHABLE_SCHEMES:
            raise DownloadFailed(uri=current, reason='only http and https can be fetched')
        try:
            response = requests.get(current, stream=True, timeout=(timeout, timeout),
                                    allow_redirects=False, headers=_HEADERS)
        except requests.RequestException as exc:
            raise DownloadFailed(uri=current, reason=str(exc)) from exc
        if not response.is_redirect:
            if response.status_code != 200:
                response.close()
                raise DownloadFailed(uri=current,
                                     reason=f'the source answered {response.status_code}')
            return response
        target = urllib.parse.urljoin(current, response.headers.get('location', ''))
        response.close()
        reason = uri_filter.refusal(conf, target)
        if reason is not None:
            raise DownloadFailed(uri=current,
                                 reason=f'redirected to {target}, which does not pass '
                                        f'filtering: {reason}')
        current = target
    raise DownloadFailed(uri=uri, reason='too many redirects')


def fetch(conf: cfg.ConfigOpts, uri: str, size_cap: int) -> Generator[bytes, None, None]:
    """The body at ``uri`` in chunks; OverLimit past ``size_cap``, DownloadFailed else."""
    response = _open(conf, uri)
    with contextlib.closing(response):
        length = response.headers.get('content-length', '')
        if length.isdigit() and int(length) > size_cap:
            raise exception.OverLimit(
                reason=f'the source at {uri} has {length} bytes, over the size cap of '
                       f'{size_cap} bytes')
        try:
            yield from response.iter_content(CHUNK_SIZE)
        except requests.RequestException as exc:
            raise DownloadFailed(uri=uri, reason=str(exc)) from exc


class DownloadToStaging(task.Task):
    """Stream the data at ``uri`` into the staging area under the image's id."""

    def __init__(self, conf: cfg.ConfigOpts, staging_area: staging.StagingArea,
                 size_cap: int) -> None:
        super().__init__(name='download-to-staging')
        self._conf = conf
        self._staging = staging_area
        self._size_cap = size_cap

    def execute(self, image_id: str, uri: str) -> None:
        chunks = fetch(self._conf, uri, self._size_cap)
        try:
            self._staging.add(image_id, chunks, self._size_cap)
        finally:
            chunks.close()  # the connection, when the staging stopped early

    def revert(self, image_id: str, **kwargs: Any) -> None:
        """No staged data left behind, whole or partial."""
        try:
            self._staging.discard(image_id)
        except Exception:
            LOG.exception('Could not remove the downloaded data of image %s', image_id)


class StagedChunks:
    """The staged data of an image, opened only when first iterated.

    The source of a web-download's ``copy-to-store``: the file does not exist
    until ``download-to-staging`` has run.
    """

    def __init__(self, staging_area: staging.StagingArea, image_id: str) -> None:
        self._staging = staging_area
        self._image_id = image_id
        self._chunks: Iterator[bytes] | None = None

    def __iter__(self) -> Iterator[bytes]:
        self._chunks = self._staging.get(self._staging.location_of(self._image_id))
        return self._chunks

    def close(self) -> None:
        close = getattr(self._chunks, 'close', None)
        if close is not None:
            close()
