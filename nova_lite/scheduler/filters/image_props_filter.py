"""Hosts whose architecture and hypervisor type match the image's properties."""

from __future__ import annotations

from typing import Any

from nova_lite.scheduler import host_state
from nova_lite.scheduler.filters import base

# Names that mean the same architecture, mapped to one canonical name.
_ARCH_ALIASES = {'amd64': 'x86_64', 'x64': 'x86_64', 'x86-64': 'x86_64',
                 'i386': 'i686', 'i486': 'i686', 'i586': 'i686', 'x86_32': 'i686',
                 'arm64': 'aarch64'}
# Image properties naming a hypervisor type (the legacy name last).
_HV_TYPE_PROPERTIES = ('img_hv_type', 'hypervisor_type')


def canonical_arch(value: str) -> str:
    value = value.strip().lower()
    return _ARCH_ALIASES.get(value, value)


class ImagePropertiesFilter(base.BaseHostFilter):
    """Passes hosts matching the image's hw_architecture and hypervisor type, when given.

    The host's values come from its reported capabilities (``architecture``,
    ``hypervisor_type``), the hypervisor type falling back to the node's own.
    An image without these properties runs anywhere.
    """

    def host_passes(self, state: host_state.HostState, request_spec: dict[str, Any]) -> bool:
        image = request_spec.get('image') or {}
        properties = image.get('properties') or {}
        wanted_arch = properties.get('hw_architecture')
        if wanted_arch:
            host_arch = state.capabilities.get('architecture')
            if not host_arch or canonical_arch(str(host_arch)) != canonical_arch(
                    str(wanted_arch)):
                return False
        for key in _HV_TYPE_PROPERTIES:
            wanted_hv = properties.get(key)
            if not wanted_hv:
                continue
            host_hv = state.capabilities.get('hypervisor_type') or state.hypervisor_type
            if not host_hv or str(host_hv).strip().lower() != str(wanted_hv).strip().lower():
                return False
        return True
