"""Volume test fixtures.

oslo.config shares a registered OptGroup's option state between ConfigOpts
objects, so an override of a ``[volume]`` option would outlive its test; this
clears them after each test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from oslo_config import cfg

from nova_lite.conf import volume as volume_conf


@pytest.fixture(autouse=True)
def _clear_volume_overrides(conf: cfg.ConfigOpts) -> Iterator[None]:
    yield
    for opt in volume_conf.volume_opts:
        conf.clear_override(opt.dest, group='volume')
