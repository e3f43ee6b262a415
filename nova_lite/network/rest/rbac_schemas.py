"""JSON schemas of /v2.0/rbac-policies bodies; the values themselves are checked by
:mod:`nova_lite.network.rbac_policies`, which names the field of a bad one."""

from __future__ import annotations

from typing import Any

from nova_lite.network.rest.schemas import PROJECT_ID, envelope

_TARGET: dict[str, Any] = {'type': 'string', 'maxLength': 255}

RBAC_POLICY_CREATE = envelope('rbac_policy', {
    'object_type': {'type': 'string', 'maxLength': 255},
    'object_id': {'type': 'string', 'maxLength': 255},
    'action': {'type': 'string', 'maxLength': 255},
    'target_tenant': _TARGET, 'target_project': _TARGET,
    'project_id': PROJECT_ID, 'tenant_id': PROJECT_ID,
}, required=('object_type', 'object_id', 'action'))

RBAC_POLICY_UPDATE = envelope('rbac_policy', {
    'target_tenant': _TARGET, 'target_project': _TARGET})
