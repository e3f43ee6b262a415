"""The network task: one port per requested network, bound to the chosen host."""

from __future__ import annotations

import logging
from typing import Any

from nova_lite.clients import payloads, protocols
from nova_lite.common.states import TaskState, VmState
from nova_lite.compute import instance_store
from nova_lite.conductor import port_rules, resource_cleanup, token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base

LOG = logging.getLogger(__name__)


def device_owner(request_spec: dict[str, Any]) -> str:
    return f'compute:{request_spec.get("availability_zone") or "nova"}'


class AllocateNetwork(base.UserContextTask):
    """Creates (or binds the user's) ports on the host, with MAC and fixed IP.

    Steps 23-25. Idempotent: the ports this boot already made on a network are
    reused, one per request on that network and in order, so a re-run makes no
    second port (also with two NICs on one network).

    Reversion strategy: delete the ports this boot created (found by
    device_id, so also those of an execute that failed half way) and unbind
    the ports the user passed in, as the conductor (``cleanup``, with the
    service's context), so it works after the user's token is gone.
    """

    def __init__(self, networks: protocols.NetworkClient,
                 instances: instance_store.InstanceStore, sealer: token_seal.TokenSealer,
                 cleanup: resource_cleanup.InstanceResources, **kwargs: Any) -> None:
        super().__init__(keys.ALLOCATE_NETWORK, sealer=sealer,
                         requires=[keys.CONTEXT, keys.INSTANCE_ID, keys.REQUEST_SPEC, keys.HOST],
                         provides=keys.NETWORK_INFO, **kwargs)
        self._networks = networks
        self._instances = instances
        self._cleanup = cleanup

    def execute(self, context: dict[str, Any], instance_id: str,
                request_spec: dict[str, Any], host: str) -> list[dict[str, Any]]:
        ctx = self.user_context(context)
        self._instances.update(instance_id, expected_vm_states=(VmState.BUILDING,),
                               task_state=TaskState.NETWORKING)
        user_ports = resource_cleanup.user_port_ids(request_spec.get('networks', []))
        owned: dict[str, list[payloads.Port]] = {}
        for port in self._networks.list_ports(ctx, device_id=instance_id):
            if port['id'] not in user_ports:
                owned.setdefault(port['network_id'], []).append(port)
        network_info = []
        for requested in request_spec.get('networks', []):
            if requested.get('port'):
                port = self._networks.update_port(
                    ctx, requested['port'], device_id=instance_id,
                    device_owner=device_owner(request_spec), binding_host_id=host)
            elif owned.get(requested['uuid']):
                port = owned[requested['uuid']].pop(0)
            else:
                fixed_ips = ([{'ip_address': requested['fixed_ip']}]
                             if requested.get('fixed_ip') else None)
                groups = ({'security_groups': request_spec['security_groups']}
                          if request_spec.get('security_groups') else {})
                port = self._networks.create_port(
                    ctx, network_id=requested['uuid'], fixed_ips=fixed_ips,
                    device_id=instance_id, device_owner=device_owner(request_spec),
                    binding_host_id=host, **groups)
            network = self._networks.get_network(ctx, port['network_id'])
            network_info.append({'port_id': port['id'], 'mac_address': port['mac_address'],
                                 'fixed_ips': port['fixed_ips'],
                                 'network_id': port['network_id'],
                                 'network_name': network['name'],
                                 **port_rules.port_security_info(self._networks, ctx, port)})
        return network_info

    def revert(self, context: dict[str, Any], instance_id: str,
               request_spec: dict[str, Any], result: Any = None, **kwargs: Any) -> None:
        user_ports = resource_cleanup.user_port_ids(request_spec.get('networks', []))

        def undo() -> None:
            self._cleanup.free_ports(self.service_context(context), instance_id, user_ports)

        self.best_effort_revert(instance_id, undo)
