"""Layer 3 errors under neutron's type names (the fault is named after the class)."""

from __future__ import annotations

from nova_lite.common import exception


class RouterInUse(exception.Conflict):
    msg_fmt = 'Router %(id)s %(reason)s'


class RouterInterfaceNotFound(exception.NotFound):
    msg_fmt = 'Router %(router_id)s does not have an interface with id %(port_id)s'


class RouterInterfaceNotFoundForSubnet(exception.NotFound):
    msg_fmt = 'Router %(router_id)s has no interface on subnet %(subnet_id)s'


class RouterInterfaceInUseByFloatingIP(exception.Conflict):
    msg_fmt = ('Router interface for subnet %(subnet_id)s on router %(router_id)s cannot be '
               'deleted, as it is required by one or more floating IPs.')


class RouterInterfaceInUseByRoute(exception.Conflict):
    msg_fmt = ('Router interface for subnet %(subnet_id)s on router %(router_id)s cannot be '
               'deleted, as it is required by one or more routes.')


class RouterExternalGatewayInUseByFloatingIp(exception.Conflict):
    msg_fmt = ('Gateway cannot be updated for router %(router_id)s, since a gateway to '
               'external network %(net_id)s is required by one or more floating IPs.')


class PortInUse(exception.Conflict):
    msg_fmt = 'Port %(port_id)s is in use by %(device_owner)s %(device_id)s.'


class ServicePortInUse(exception.Conflict):
    msg_fmt = ('Port %(port_id)s cannot be deleted directly via the port API: it is owned by '
               '%(device_owner)s.')


class InvalidRoutes(exception.InvalidInput):
    msg_fmt = "Invalid format for routes: %(reason)s"


class ExternalGatewayForFloatingIPNotFound(exception.NotFound):
    msg_fmt = ('External network %(external_network_id)s is not reachable from subnet '
               '%(subnet_id)s. Therefore, cannot associate Port %(port_id)s with a '
               'Floating IP.')


class FloatingIPPortAlreadyAssociated(exception.Conflict):
    msg_fmt = ('Cannot associate floating IP %(floating_ip_address)s (%(fip_id)s) with port '
               '%(port_id)s using fixed IP %(fixed_ip)s, as that fixed IP already has a '
               'floating IP on external network %(net_id)s.')


class ExternalNetworkInUse(exception.Conflict):
    msg_fmt = ('External network %(net_id)s cannot be updated, because it is in use by '
               '%(reason)s.')
