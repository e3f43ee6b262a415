"""Neutron-shaped plain dicts of security groups and rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nova_lite.common import timeutils
from nova_lite.db.models import network_security as models

RULE_KEYS = ('direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max',
             'remote_group_id', 'remote_ip_prefix')


def _standard(row: models.SecurityGroup | models.SecurityGroupRule) -> dict[str, Any]:
    created = timeutils.isotime(row.created_at)
    return {'project_id': row.project_id, 'tenant_id': row.project_id,
            'description': row.description, 'revision_number': row.revision_number,
            'created_at': created,
            'updated_at': timeutils.isotime(row.updated_at) if row.updated_at else created}


def rule_fields(row: models.SecurityGroupRule) -> dict[str, Any]:
    return {key: getattr(row, key) for key in RULE_KEYS}


def rule(row: models.SecurityGroupRule) -> dict[str, Any]:
    return {'id': row.id, 'security_group_id': row.security_group_id, **rule_fields(row),
            'remote_address_group_id': None, **_standard(row)}


def group(row: models.SecurityGroup,
          rules: Iterable[models.SecurityGroupRule]) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'stateful': row.stateful, 'shared': False,
            'security_group_rules': [rule(item) for item in rules], 'tags': [],
            **_standard(row)}
