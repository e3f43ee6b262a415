"""Loads the configured virt driver from the ``nova_lite.virt.drivers`` entry points."""

from __future__ import annotations

import importlib
import logging

from oslo_config import cfg
from stevedore import driver as stevedore_driver
from stevedore import exception as stevedore_exception

from nova_lite.common import exception
from nova_lite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)

NAMESPACE = 'nova_lite.virt.drivers'
LIBVIRT = 'libvirt'
FAKE = 'fake'


def libvirt_available() -> bool:
    """Whether libvirt-python can be imported here."""
    try:
        importlib.import_module('libvirt')
    except ImportError:
        return False
    return True


def load_driver(conf: cfg.ConfigOpts) -> virt_driver.ComputeDriver:
    """A new driver named by ``[compute] virt_driver``.

    "libvirt" falls back to "fake" (with a warning) where libvirt-python is
    not installed, so the embedded cloud runs anywhere.
    """
    name = str(conf.compute.virt_driver)
    if name == LIBVIRT and not libvirt_available():
        LOG.warning('libvirt-python is not installed; using the fake virt driver instead')
        name = FAKE
    try:
        manager: stevedore_driver.DriverManager[virt_driver.ComputeDriver] = (
            stevedore_driver.DriverManager(namespace=NAMESPACE, name=name,
                                           invoke_on_load=True, invoke_args=(conf,),
                                           on_load_failure_callback=_reraise))
    except stevedore_exception.NoMatches as exc:
        raise exception.InvalidInput(field='[compute] virt_driver',
                                     reason=f'no virt driver named {name!r}') from exc
    driver = manager.driver
    if not isinstance(driver, virt_driver.ComputeDriver):
        raise exception.InvalidInput(field='[compute] virt_driver',
                                     reason=f'{name!r} is a {type(driver).__name__}, '
                                            'not a ComputeDriver')
    LOG.info('Loaded virt driver %s (%s)', name, type(driver).__name__)
    return driver


def _reraise(manager: object, entrypoint: object, exc: BaseException) -> None:
    raise exc
