"""/v2.0/routers and /v2.0/floatingips: nova_lite has neither, so both lists are empty.

openstacksdk's cloud layer lists floating IPs (and may list routers) while it
works out a server's addresses; an empty list is the true answer.
"""

from __future__ import annotations

import webob

from nova_lite.api import wsgi
from nova_lite.network.rest import common, errors


class L3Controller(common.NetworkController):

    def routers(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'get_router')
        return wsgi.json_response(200, {'routers': []})

    def router(self, req: wsgi.Request, router_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'get_router')
        raise errors.RouterNotFound(resource='Router', id=router_id)

    def floating_ips(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'get_floatingip')
        return wsgi.json_response(200, {'floatingips': []})

    def floating_ip(self, req: wsgi.Request, floatingip_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'get_floatingip')
        raise errors.FloatingIPNotFound(resource='Floating IP', id=floatingip_id)
