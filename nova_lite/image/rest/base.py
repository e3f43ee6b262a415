"""What the image API's controllers share: the image manager, the policy, the options."""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

from nova_lite.api import controller, policy
from nova_lite.common import context as nl_context
from nova_lite.image import manager as image_manager


class ImageController(controller.Controller):
    """An image API resource acting through the image manager."""

    def __init__(self, conf: cfg.ConfigOpts, images: image_manager.ImageManager,
                 authorizer: policy.Authorizer) -> None:
        super().__init__(authorizer)
        self._conf = conf
        self._images = images

    def _owned_image(self, ctx: nl_context.RequestContext, image_id: str,
                     rule: str) -> dict[str, Any]:
        """The image (404 when invisible) once ``rule`` allows acting on its owner's image."""
        image = self._images.get_image(ctx, image_id)
        self.authorizer.authorize(ctx, rule, project_id=image['owner'] or '')
        return image
