"""Default policy rules of the image API (overridable in the policy file).

As in glance, making an image ``public`` is for admins only, while any member
may share an image with everyone as ``community``. Rules that act on one image
are checked against its owner, so a member cannot change another project's
public image.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base

ADD_IMAGE = 'image:add_image'
GET_IMAGE = 'image:get_image'
GET_IMAGES = 'image:get_images'
MODIFY_IMAGE = 'image:modify_image'
DELETE_IMAGE = 'image:delete_image'
UPLOAD_IMAGE = 'image:upload_image'
DOWNLOAD_IMAGE = 'image:download_image'
PUBLICIZE_IMAGE = 'image:publicize_image'
COMMUNITIZE_IMAGE = 'image:communitize_image'

_IMAGES = '/v2/images'
_IMAGE = '/v2/images/{image_id}'
_FILE = '/v2/images/{image_id}/file'


def _rule(name: str, check: str, description: str, method: str,
          path: str) -> policy.DocumentedRuleDefault:
    return policy.DocumentedRuleDefault(name=name, check_str=check, description=description,
                                        operations=[{'method': method, 'path': path}])


RULES: list[policy.RuleDefault] = [
    _rule(ADD_IMAGE, base.PROJECT_MEMBER, 'Create an image owned by a project.',
          'POST', _IMAGES),
    _rule(GET_IMAGES, base.READER, 'List the images the caller can see.', 'GET', _IMAGES),
    _rule(GET_IMAGE, base.READER, 'Show an image the caller can see.', 'GET', _IMAGE),
    _rule(MODIFY_IMAGE, base.PROJECT_MEMBER, "Change a project's image.", 'PATCH', _IMAGE),
    _rule(DELETE_IMAGE, base.PROJECT_MEMBER, "Delete a project's image.", 'DELETE', _IMAGE),
    _rule(UPLOAD_IMAGE, base.PROJECT_MEMBER, "Upload the data of a project's image.",
          'PUT', _FILE),
    _rule(DOWNLOAD_IMAGE, base.READER, 'Download the data of an image the caller can see.',
          'GET', _FILE),
    _rule(PUBLICIZE_IMAGE, base.ADMIN, 'Give an image the public visibility.',
          'PATCH', _IMAGE),
    _rule(COMMUNITIZE_IMAGE, base.PROJECT_MEMBER,
          'Give a project\'s image the community visibility.', 'PATCH', _IMAGE),
]


def list_rules() -> list[policy.RuleDefault]:
    return list(RULES)
