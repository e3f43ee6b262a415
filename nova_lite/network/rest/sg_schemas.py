"""JSON schemas of the security group and rule request bodies.

Rule values (protocol, ports, prefixes) are checked by the manager, which
answers neutron's named errors and messages; the schemas only fix the keys.
"""

from __future__ import annotations

from typing import Any

from nova_lite.network.rest.schemas import NAME, PROJECT_ID, envelope

DESCRIPTION: dict[str, Any] = {'type': 'string', 'maxLength': 255}
_ANY: dict[str, Any] = {}
_NULLABLE_STRING: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 255}

GROUP_CREATE = envelope('security_group', {
    'name': NAME, 'description': DESCRIPTION, 'stateful': {'type': 'boolean'},
    'project_id': PROJECT_ID, 'tenant_id': PROJECT_ID})

GROUP_UPDATE = envelope('security_group', {'name': NAME, 'description': DESCRIPTION})

RULE_CREATE = envelope('security_group_rule', {
    'security_group_id': {'type': 'string', 'maxLength': 64},
    'direction': _ANY, 'ethertype': _ANY, 'protocol': {'type': ['string', 'integer', 'null']},
    'port_range_min': _ANY, 'port_range_max': _ANY,
    'remote_ip_prefix': _NULLABLE_STRING, 'remote_group_id': _NULLABLE_STRING,
    'remote_address_group_id': {'type': 'null'}, 'description': _NULLABLE_STRING,
    'project_id': PROJECT_ID, 'tenant_id': PROJECT_ID,
}, required=('security_group_id', 'direction'))
