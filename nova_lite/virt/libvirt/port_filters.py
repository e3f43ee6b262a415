"""The nwfilters (security groups) of a domain's ports: defined before the domain
names them, undefined after it is gone.

A hypervisor without network filters (``test:///``) has the documents only in
the instance directory, beside libvirt.xml.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import libvirt

from nova_lite.virt.libvirt import config as guest_config
from nova_lite.virt.libvirt import devices, nwfilter

LOG = logging.getLogger(__name__)


def define(connection: libvirt.virConnect, guest: guest_config.GuestConfig, *,
           error: devices.ErrorFactory) -> None:
    """Define each port's filter; no filter support on the hypervisor is not an error."""
    for port_filter in guest.port_filters:
        try:
            connection.nwfilterDefineXML(port_filter.to_xml())
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_SUPPORT:
                raise error(f'defining {port_filter.name}', exc) from exc
            LOG.debug('%s: no network filters on %s; %s is written only',
                      guest.name, connection.getURI(), port_filter.name)


def names_in(domain: libvirt.virDomain) -> list[str]:
    """The nova_lite port filters the domain's XML refers to."""
    try:
        root = ET.fromstring(domain.XMLDesc(0))
    except (libvirt.libvirtError, ET.ParseError):
        return []
    return [name for element in root.iter('filterref')
            if (name := element.get('filter') or '').startswith(nwfilter.FILTER_PREFIX)]


def undefine(connection: libvirt.virConnect, names: list[str]) -> None:
    """Best effort: a filter already gone, or no filters at all, is fine."""
    for name in names:
        try:
            connection.nwfilterLookupByName(name).undefine()
        except libvirt.libvirtError as exc:
            LOG.debug('nwfilter %s not undefined: %s', name, exc)
