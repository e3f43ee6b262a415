"""Default policy rules of the image cache API (overridable in the policy file).

As in glance, listing, queueing and removing cached images are for admins.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base

CACHE_LIST = 'image:cache_list'
CACHE_IMAGE = 'image:cache_image'
CACHE_DELETE = 'image:cache_delete'

RULES: list[policy.RuleDefault] = [
    base.rule(CACHE_LIST, base.ADMIN, 'List the cached and the queued images.',
              'GET', '/v2/cache'),
    base.rule(CACHE_IMAGE, base.ADMIN, 'Queue an image for caching.',
              'PUT', '/v2/cache/{image_id}'),
    base.rule(CACHE_DELETE, base.ADMIN,
              'Remove an image from the cache and its queue, or clear them.',
              'DELETE', '/v2/cache/{image_id}'),
]
