"""Gather tasks with no side effect: the flavor and the image."""

from __future__ import annotations

import logging
from typing import Any

from nova_lite.clients import protocols
from nova_lite.compute import flavors as flavor_store
from nova_lite.compute import instance_store
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base

LOG = logging.getLogger(__name__)


class GetFlavor(base.FlowTask):
    """Reads the instance and its flavor from the database (steps 14-19).

    In nova_lite the conductor drives the boot, so the flavor travels to the
    compute host inside the spawn request instead of a separate rpc.call.

    Reversion strategy: nothing to undo (read only).
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 flavors: flavor_store.FlavorStore, **kwargs: Any) -> None:
        super().__init__(keys.GET_FLAVOR, requires=[keys.INSTANCE_ID], provides=keys.FLAVOR,
                         **kwargs)
        self._instances = instances
        self._flavors = flavors

    def execute(self, instance_id: str) -> dict[str, Any]:
        instance = self._instances.get(instance_id)
        flavor = self._flavors.get(instance['flavor_id'], include_disabled=True)
        return flavor


class GetImage(base.UserContextTask):
    """Asks the image API, with the user's token, for the image and its location.

    Steps 20-22 (the bytes are downloaded by the compute host's image cache).

    Reversion strategy: nothing to undo (read only).
    """

    def __init__(self, images: protocols.ImageClient, sealer: token_seal.TokenSealer,
                 **kwargs: Any) -> None:
        super().__init__(keys.GET_IMAGE, sealer=sealer,
                         requires=[keys.CONTEXT, keys.INSTANCE_ID, keys.REQUEST_SPEC],
                         provides=keys.IMAGE, **kwargs)
        self._images = images

    def execute(self, context: dict[str, Any], instance_id: str,
                request_spec: dict[str, Any]) -> dict[str, Any]:
        ctx = self.user_context(context)
        image_id = request_spec['image']['id']
        if not image_id:
            return {}  # volume-backed from a volume: the host needs no image
        image = self._images.get_image(ctx, image_id)
        location = self._images.get_location(ctx, image_id)
        return {'id': image['id'], 'name': image['name'], 'status': image['status'],
                'disk_format': image['disk_format'], 'size': image['size'],
                'checksum': image['checksum'], 'os_hash_algo': image['os_hash_algo'],
                'os_hash_value': image['os_hash_value'], 'min_disk': image['min_disk'],
                'min_ram': image['min_ram'], 'location': location,
                'properties': dict(request_spec['image'].get('properties', {}))}
