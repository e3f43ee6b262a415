"""The payloads that cross service boundaries, typed.

They are plain dicts at run time (JSON over HTTP and RPC, and what the
managers return), described here as TypedDicts so a checker sees which keys a
caller may rely on. Only the keys other services read are listed; a service
may return more (``total=False`` where a field can be absent).
"""

from __future__ import annotations

from typing import Any, TypedDict


class Image(TypedDict, total=False):
    id: str
    name: str | None
    status: str
    disk_format: str | None
    container_format: str | None
    visibility: str
    size: int | None
    virtual_size: int | None
    checksum: str | None
    os_hash_algo: str | None
    os_hash_value: str | None
    min_disk: int
    min_ram: int
    owner: str | None


class Network(TypedDict, total=False):
    id: str
    name: str
    project_id: str
    admin_state_up: bool
    status: str
    shared: bool
    mtu: int
    subnets: list[str]


class FloatingIP(TypedDict, total=False):
    id: str
    project_id: str
    floating_network_id: str
    floating_ip_address: str
    port_id: str | None
    fixed_ip_address: str | None
    router_id: str | None
    status: str


class FixedIP(TypedDict):
    subnet_id: str
    ip_address: str


# 'binding:host_id' is not an identifier, hence the functional form.
Port = TypedDict('Port', {
    'id': str,
    'name': str,
    'network_id': str,
    'project_id': str,
    'mac_address': str,
    'admin_state_up': bool,
    'status': str,
    'device_id': str,
    'device_owner': str,
    'fixed_ips': list[FixedIP],
    'binding:host_id': str,
    'security_groups': list[str],
    'port_security_enabled': bool,
}, total=False)


class Volume(TypedDict, total=False):
    id: str
    name: str | None
    size: int
    status: str
    project_id: str
    attachments: list[dict[str, Any]]
    bootable: str  # 'true' or 'false', as cinder prints it


class Snapshot(TypedDict, total=False):
    """A volume snapshot (cinder's v3 body)."""

    id: str
    volume_id: str
    name: str | None
    description: str | None
    status: str
    size: int
    created_at: str


class Attachment(TypedDict, total=False):
    id: str
    volume_id: str
    instance_id: str
    attach_status: str
    attached_host: str | None
    mountpoint: str | None
    connection_info: dict[str, Any] | None


class ConnectionInfo(TypedDict):
    """How a host reaches an attached volume (``attach_volume``'s answer)."""

    driver_volume_type: str
    data: dict[str, Any]


class Instance(TypedDict, total=False):
    """An instance record as the instance store returns it."""

    id: str
    name: str
    project_id: str
    user_id: str
    image_id: str | None
    flavor_id: str
    host: str | None
    availability_zone: str | None
    vm_state: str
    task_state: str | None
    power_state: int
    status: str
    key_name: str | None
    metadata: dict[str, str]
    network_info: list[dict[str, Any]]
    build_request: dict[str, Any]
    created_at: str | None
    updated_at: str | None
    launched_at: str | None
    deleted_at: str | None
    fault: dict[str, Any] | None


class RequestSpec(TypedDict, total=False):
    """What the scheduler is asked to place: one instance of a flavor."""

    instance_id: str
    flavor: dict[str, Any]
    image: dict[str, Any]
    availability_zone: str | None
    ignore_hosts: list[str]
    num_alternates: int


class Selection(TypedDict, total=False):
    """The scheduler's answer: the host it claimed the instance's resources on."""

    host: str
    compute_node_id: str
    availability_zone: str | None
    alternates: list[str]
