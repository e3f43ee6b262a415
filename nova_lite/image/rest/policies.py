"""Default policy rules of the image API (overridable in the policy file).

As in glance, making an image ``public`` is for admins only, while any member
may share an image with everyone as ``community``. Rules that act on one image
are checked against its owner, so a member cannot change another project's
public image.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base
from nova_lite.image.rest import import_policies, stores

ADD_IMAGE = 'image:add_image'
GET_IMAGE = 'image:get_image'
GET_IMAGES = 'image:get_images'
MODIFY_IMAGE = 'image:modify_image'
DELETE_IMAGE = 'image:delete_image'
UPLOAD_IMAGE = 'image:upload_image'
DOWNLOAD_IMAGE = 'image:download_image'
PUBLICIZE_IMAGE = 'image:publicize_image'
COMMUNITIZE_IMAGE = 'image:communitize_image'

ADD_MEMBER = 'image:add_member'
GET_MEMBERS = 'image:get_members'
GET_MEMBER = 'image:get_member'
MODIFY_MEMBER = 'image:modify_member'
DELETE_MEMBER = 'image:delete_member'
DEACTIVATE = 'image:deactivate'
REACTIVATE = 'image:reactivate'
GET_INFO = 'image:get_info'

_IMAGES = '/v2/images'
_IMAGE = '/v2/images/{image_id}'
_FILE = '/v2/images/{image_id}/file'
_MEMBERS = '/v2/images/{image_id}/members'
_MEMBER = '/v2/images/{image_id}/members/{member_id}'


RULES: list[policy.RuleDefault] = [
    base.rule(ADD_IMAGE, base.PROJECT_MEMBER, 'Create an image owned by a project.',
              'POST', _IMAGES),
    base.rule(GET_IMAGES, base.READER, 'List the images the caller can see.', 'GET', _IMAGES),
    base.rule(GET_IMAGE, base.READER, 'Show an image the caller can see.', 'GET', _IMAGE),
    base.rule(MODIFY_IMAGE, base.PROJECT_MEMBER, "Change a project's image.", 'PATCH', _IMAGE),
    base.rule(DELETE_IMAGE, base.PROJECT_MEMBER, "Delete a project's image.", 'DELETE', _IMAGE),
    base.rule(UPLOAD_IMAGE, base.PROJECT_MEMBER, "Upload the data of a project's image.",
              'PUT', _FILE),
    base.rule(DOWNLOAD_IMAGE, base.READER, 'Download the data of an image the caller can see.',
              'GET', _FILE),
    base.rule(PUBLICIZE_IMAGE, base.ADMIN, 'Give an image the public visibility.',
              'PATCH', _IMAGE),
    base.rule(COMMUNITIZE_IMAGE, base.PROJECT_MEMBER,
              'Give a project\'s image the community visibility.', 'PATCH', _IMAGE),
    base.rule(ADD_MEMBER, base.PROJECT_MEMBER, "Share a project's image with another project.",
              'POST', _MEMBERS),
    base.rule(GET_MEMBERS, base.READER, 'List the members of a shared image.', 'GET', _MEMBERS),
    base.rule(GET_MEMBER, base.READER, 'Show one member of a shared image.', 'GET', _MEMBER),
    base.rule(MODIFY_MEMBER, base.MEMBER,
              'Accept or reject an image shared with the caller\'s project.', 'PUT', _MEMBER),
    base.rule(DELETE_MEMBER, base.PROJECT_MEMBER, "Stop sharing a project's image.",
              'DELETE', _MEMBER),
    base.rule(DEACTIVATE, base.PROJECT_MEMBER, "Deactivate a project's image.",
              'POST', f'{_IMAGE}/actions/deactivate'),
    base.rule(REACTIVATE, base.PROJECT_MEMBER, "Reactivate a project's image.",
              'POST', f'{_IMAGE}/actions/reactivate'),
    base.rule(GET_INFO, base.READER, 'Show the stores and the usage of the image service.',
              'GET', '/v2/info/stores'),
]


def list_rules() -> list[policy.RuleDefault]:
    return list(RULES) + import_policies.RULES + stores.RULES
