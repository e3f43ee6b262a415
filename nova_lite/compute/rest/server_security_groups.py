"""addSecurityGroup and removeSecurityGroup: a server's groups are its ports' groups,
changed in the network service with the caller's token (nova's behaviour).

Adding a group that does not exist is a 404; adding to a server without ports,
or to a port whose port security is off, is a 400; removing a group that none
of the server's ports has is a 400.
"""

from __future__ import annotations

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute.rest import security_groups


def change(networks: protocols.NetworkClient, ctx: nl_context.RequestContext,
           instance_id: str, name: str, *, add: bool) -> None:
    group = security_groups.find_group(networks, ctx, name.strip())
    ports = networks.list_ports(ctx, device_id=instance_id)
    if add and not ports:
        raise exception.Invalid(reason=f'Server {instance_id} has no network port; a '
                                       'security group cannot be applied to it.')
    found = False
    for port in ports:
        current = list(port.get('security_groups') or [])
        if add:
            if port.get('port_security_enabled') is False:
                raise exception.Invalid(
                    reason=f'Cannot add security group {name} to port {port["id"]}: '
                           'its port security is disabled.')
            if group['id'] not in current:
                networks.update_port(ctx, port['id'],
                                     security_groups=[*current, group['id']])
        elif group['id'] in current:
            found = True
            networks.update_port(ctx, port['id'], security_groups=[
                group_id for group_id in current if group_id != group['id']])
    if not add and not found:
        raise exception.Invalid(reason=f'Security group {name} not associated with the '
                                       'instance')
