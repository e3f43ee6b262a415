"""What the snapshot flow tests share: an image service in memory, the user's sealed
token, and a host whose real compute manager captures the fake driver's disk."""

from __future__ import annotations

import hashlib
import os
import typing
import uuid
from typing import Any, BinaryIO

from cryptography import fernet
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import manager as compute_manager
from nova_lite.conductor import faults, token_seal
from nova_lite.conductor.flows import keys, server_action
from nova_lite.db import api as db_api
from nova_lite.virt import disk
from tests.unit.conductor.action_fixtures import HOST, ActionWorld, DriverHost

USER_TOKEN = 'the-users-token'
# Whole 512-byte sectors: qemu-img writes a raw image in sectors.
DISK_BYTES = (b'guest disk ' * 1000)[:8192]


class MemoryImages:
    """The image service calls of a snapshot, on a dict; records the tokens used."""

    def __init__(self) -> None:
        self.images: dict[str, dict[str, Any]] = {}
        self.data: dict[str, bytes] = {}
        self.tokens: set[str | None] = set()
        self.fail_upload: Exception | None = None
        self.made = 0

    def list_images(self, ctx: nl_context.RequestContext, *, name: str | None = None,
                    status: str | None = None,
                    properties: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """The images with these fields, newest first (as glance lists them)."""
        self.tokens.add(ctx.auth_token)
        wanted = {'name': name, 'status': status, **(properties or {})}
        found = [dict(image) for image in self.images.values()
                 if all(image.get(key) == value for key, value in wanted.items()
                        if value is not None)]
        return sorted(found, key=lambda image: image['created_at'], reverse=True)

    def _image(self, ctx: nl_context.RequestContext, image_id: str) -> dict[str, Any]:
        self.tokens.add(ctx.auth_token)
        if image_id not in self.images:
            raise exception.NotFound(resource='Image', id=image_id)
        return self.images[image_id]

    def create_image(self, ctx: nl_context.RequestContext, **fields: Any) -> dict[str, Any]:
        self.tokens.add(ctx.auth_token)
        self.made += 1
        image = {**fields, 'id': str(uuid.uuid4()), 'status': 'queued', 'size': None,
                 'checksum': None, 'created_at': f'2026-01-01T00:00:{self.made:02d}Z'}
        self.images[image['id']] = image
        return dict(image)

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> dict[str, Any]:
        return dict(self._image(ctx, image_id))

    def upload_image(self, ctx: nl_context.RequestContext, image_id: str,
                     data: BinaryIO) -> None:
        image = self._image(ctx, image_id)
        image['status'] = 'saving'
        if self.fail_upload is not None:
            raise self.fail_upload
        content = data.read()
        self.data[image_id] = content
        image.update(status='active', size=len(content),
                     checksum=hashlib.md5(content, usedforsecurity=False).hexdigest())

    def delete_image(self, ctx: nl_context.RequestContext, image_id: str) -> None:
        self._image(ctx, image_id)
        del self.images[image_id]
        self.data.pop(image_id, None)


class SnapshotHost(DriverHost):
    """The fake driver's host, whose snapshot_instance is the real compute manager's."""

    def __init__(self, conf: cfg.ConfigOpts, images: MemoryImages) -> None:
        super().__init__(conf)
        self.manager = compute_manager.ComputeManager(
            conf, self.driver, image_cache=typing.cast(Any, None), host=HOST,
            images=typing.cast(Any, images))

    def snapshot_instance(self, ctx: nl_context.RequestContext, host: str, *,
                          instance_id: str, image_id: str, disk_format: str) -> dict[str, Any]:
        assert host == HOST
        self.calls.append('snapshot_instance')
        return self.manager.snapshot_instance(ctx, instance_id, image_id, disk_format)


class SnapshotWorld(ActionWorld):
    """An ActionWorld whose instances have a disk, with the image service and sealer."""

    def __init__(self, db: db_api.Database, conf: cfg.ConfigOpts) -> None:
        super().__init__(db, conf)
        self.images = MemoryImages()
        self.host = SnapshotHost(conf, self.images)
        self.sealer = token_seal.TokenSealer([fernet.Fernet.generate_key()])

    def deps(self, injector: Any = None) -> server_action.ActionDependencies:
        return server_action.ActionDependencies(
            instances=self.instances, events=self.events, compute=self.host,  # type: ignore[arg-type]
            fault_injector=injector or faults.NO_FAULTS, images=self.images,  # type: ignore[arg-type]
            sealer=self.sealer)

    def instance_in(self, vm_state: str) -> str:
        instance_id = super().instance_in(vm_state)
        instance_dir = self.host.driver.instance_dir(instance_id)
        os.makedirs(instance_dir, exist_ok=True)
        with open(os.path.join(instance_dir, disk.DISK_NAME), 'wb') as f:
            f.write(DISK_BYTES)
        return instance_id

    def begin_snapshot(self, instance_id: str) -> tuple[dict[str, Any], str]:
        """What the compute API does: the queued image, the task state, the store."""
        instance = self.instances.get(instance_id)
        user = nl_context.RequestContext(auth_token=USER_TOKEN, user_id='u1',
                                         project_id='p1')
        image = self.images.create_image(user, name='snap', disk_format='raw',
                                         container_format='bare')
        store = self.begin(instance_id, 'snapshot')
        store[keys.ACTION_REQUEST]['args'] = {
            'image_id': image['id'], 'disk_format': 'raw', 'vm_state': instance['vm_state']}
        store[keys.SEALED_TOKEN] = self.sealer.seal(USER_TOKEN)
        return store, image['id']

    def leftovers(self, instance_id: str) -> list[str]:
        """Files in the instance directory besides its disk (a capture left behind)."""
        return sorted(set(os.listdir(self.host.driver.instance_dir(instance_id)))
                      - {disk.DISK_NAME})
