"""List filters of networks, subnets and ports as conditions of their database query.

The REST API reads neutron's filter parameters (one key of the resource's
body, and the values asked for); here each key becomes a SQL condition on an
indexed column, so that a filtered page is read from the database without
loading the rest of the table. A key without a condition here is not a filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from nova_lite.api import sql_paging
from nova_lite.common import exception
from nova_lite.db.models import network as models
from nova_lite.db.models import network_extras
from nova_lite.db.models import network_l3 as l3_models
from nova_lite.db.models import network_security as sg_models
from nova_lite.network import tags

Condition = Callable[[list[Any]], sa.ColumnElement[bool]]
Filters = Iterable[tuple[str, list[Any]]]
"""(resource key, values): a key given several times matches any of its values."""


def _any_of(column: Any) -> Condition:
    return lambda values: column.in_(values)


def _external(values: list[Any]) -> sa.ColumnElement[bool]:
    """``router:external``: the network is (True) or is not (False) external."""
    external = models.Network.id.in_(sa.select(l3_models.ExternalNetwork.network_id))
    if True in values and False in values:
        return sa.true()
    return external if True in values else sa.not_(external)


def _has_fixed_ip(values: list[Any]) -> sa.ColumnElement[bool]:
    """``fixed_ips=ip_address=<a>``, ``subnet_id=<id>`` or ``ip_address_substr=<part>``:
    a port holding any of them."""
    def matches(key: str, wanted: str) -> sa.ColumnElement[bool]:
        if key == 'ip_address_substr':
            return models.IPAllocation.ip_address.contains(wanted, autoescape=True)
        column = (models.IPAllocation.ip_address if key == 'ip_address'
                  else models.IPAllocation.subnet_id)
        return column == wanted

    return sa.or_(*(sa.exists().where(models.IPAllocation.port_id == models.Port.id,
                                      matches(key, wanted))
                    for key, wanted in values))


def _in_security_group(values: list[Any]) -> sa.ColumnElement[bool]:
    """``security_groups=<id>``: a port that has any of the groups."""
    return sa.exists().where(sg_models.SecurityGroupPortBinding.port_id == models.Port.id,
                             sg_models.SecurityGroupPortBinding.security_group_id.in_(values))


def _described(id_column: Any) -> Condition:
    """``description=<text>``: a resource with any of the descriptions (``''`` is a
    resource without a stored one)."""
    def condition(values: list[Any]) -> sa.ColumnElement[bool]:
        stored = network_extras.ResourceDescription
        wanted = id_column.in_(sa.select(stored.resource_id).where(
            stored.description.in_([value for value in values if value])))
        if '' not in values:
            return wanted
        return sa.or_(wanted, id_column.not_in(sa.select(stored.resource_id)))
    return condition


_COMMON = ('id', 'name', 'project_id')


def _columns(model: Any, names: Sequence[str]) -> dict[str, Condition]:
    return {name: _any_of(getattr(model, name)) for name in names}


NETWORK_FILTERS: dict[str, Condition] = {
    **_columns(models.Network, (*_COMMON, 'status', 'admin_state_up', 'shared', 'mtu')),
    'router:external': _external, 'description': _described(models.Network.id),
    **tags.filter_conditions(models.Network.id),
}
SUBNET_FILTERS: dict[str, Condition] = {
    **_columns(models.Subnet, (*_COMMON, 'network_id', 'ip_version', 'cidr', 'gateway_ip',
                               'enable_dhcp')),
    'description': _described(models.Subnet.id),
    **tags.filter_conditions(models.Subnet.id),
    'subnetpool_id': _any_of(models.Subnet.subnetpool_id),
    **_columns(models.Subnet, ('ipv6_ra_mode', 'ipv6_address_mode')),
}
PORT_FILTERS: dict[str, Condition] = {
    **_columns(models.Port, (*_COMMON, 'network_id', 'device_id', 'device_owner', 'status',
                             'mac_address', 'admin_state_up')),
    'binding:host_id': _any_of(models.Port.binding_host_id),
    'fixed_ips': _has_fixed_ip, 'description': _described(models.Port.id),
    'security_groups': _in_security_group,
    **tags.filter_conditions(models.Port.id),
}


def filtered(statement: sa.Select[Any], conditions: dict[str, Condition],
             filters: Filters) -> sa.Select[Any]:
    """``statement`` with a condition for each of ``filters``."""
    for key, values in filters:
        if key not in conditions:
            raise exception.InvalidInput(field=key, reason='is not a filter of this list')
        statement = statement.where(conditions[key](list(values)))
    return statement


def oldest_first(model: Any) -> tuple[sql_paging.SortKey, ...]:
    """The order of every network list: creation time, then id."""
    return (sql_paging.SortKey(model.created_at), sql_paging.SortKey(model.id))


Sort = Sequence[tuple[str, bool]]
"""(key, descending) pairs: neutron's sort_key and sort_dir."""

def check_sort_keys(sort: Sort, known: Mapping[str, Any]) -> None:
    """400 naming ``sort_key`` when a key of ``sort`` is not in ``known``."""
    unknown = [key for key, _ in sort if key not in known]
    if unknown:
        raise exception.InvalidInput(f'{unknown} is invalid attribute for sort_keys',
                                     field='sort_key', reason='is not a sort key of this list')


def sort_columns(model: Any, renames: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The API sort keys of ``model``: its scalar columns (not JSON ones) by attribute
    name (``project_id`` also as ``tenant_id``); ``renames`` maps an API name to the
    attribute shown under it (the attribute's own name is then no sort key), or to
    ``''`` for an attribute that is not shown at all."""
    columns = {attr.key: getattr(model, attr.key) for attr in sa.inspect(model).column_attrs
               if not isinstance(attr.columns[0].type, sa.JSON)}
    if 'project_id' in columns:
        columns['tenant_id'] = columns['project_id']
    for name, attr in (renames or {}).items():
        if attr:
            columns[name] = columns.pop(attr)
        else:
            columns.pop(name)
    return columns


def described_sort_columns(model: Any,
                           renames: Mapping[str, str] | None = None) -> dict[str, Any]:
    """:func:`sort_columns` and ``description`` (kept in ``resource_descriptions``; the
    undescribed sort as ``''``) of networks, subnets and ports."""
    stored = network_extras.ResourceDescription
    description = sa.func.coalesce(
        sa.select(stored.description).where(stored.resource_id == model.id)
        .scalar_subquery(), '')
    return {**sort_columns(model, renames), 'description': description}


def order(model: Any, sort: Sort,
          columns: Mapping[str, Any] | None = None) -> tuple[sql_paging.SortKey, ...]:
    """The list's order: ``sort`` (by :func:`sort_columns` unless ``columns`` are
    given) then id, or :func:`oldest_first` when nothing is asked."""
    if not sort:
        return oldest_first(model)
    known = sort_columns(model) if columns is None else columns
    check_sort_keys(sort, known)
    keys = [sql_paging.SortKey(known[key], descending,
                               nullable=bool(getattr(known[key], 'nullable', False)))
            for key, descending in sort]
    if not any(key.column is model.id for key in keys):
        keys.append(sql_paging.SortKey(model.id))
    return tuple(keys)
