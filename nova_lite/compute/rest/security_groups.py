"""``/os-security-groups`` and ``/os-security-group-rules``: nova's proxy of the
network service's security groups (2.1 to 2.35; 404 from 2.36), and the security
groups of a server (its ports' groups).

Bodies are nova's: a group is ``{id, name, description, tenant_id, rules}`` with
its ingress rules only; a rule is ``{id, parent_group_id, ip_protocol, from_port,
to_port, ip_range: {cidr}, group: {name, tenant_id}}``. As nova does, a refusal of
the network service that is a conflict (the rule exists, the group is in use or
is the default group) answers 400 here.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Mapping
from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute.rest import base, version_changes
from nova_lite.compute.rest import proxy_policies as policies

_ICMP = 'icmp'


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)

_PORTED = ('tcp', 'udp')
_GROUP_BODY: dict[str, Any] = {
    'type': 'object', 'required': ['security_group'], 'additionalProperties': False,
    'properties': {'security_group': {'type': 'object'}}}
_RULE_BODY: dict[str, Any] = {
    'type': 'object', 'required': ['security_group_rule'], 'additionalProperties': False,
    'properties': {'security_group_rule': {'type': 'object'}}}


def _bad(message: str) -> exception.Invalid:
    return exception.Invalid(message, reason=message)


def rule_view(rule: Mapping[str, Any],
              groups: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    protocol = rule.get('protocol')
    low, high = rule.get('port_range_min'), rule.get('port_range_max')
    body: dict[str, Any] = {
        'id': rule['id'], 'parent_group_id': rule['security_group_id'],
        'ip_protocol': protocol,
        'from_port': -1 if protocol and low is None else low,
        'to_port': -1 if protocol and high is None else high,
        'group': {}, 'ip_range': {}}
    remote = rule.get('remote_group_id')
    if remote:
        group = groups.get(remote) or {}
        body['group'] = {'name': group.get('name', ''),
                         'tenant_id': group.get('project_id') or ''}
    else:
        any_address = '::/0' if rule.get('ethertype') == 'IPv6' else '0.0.0.0/0'
        body['ip_range'] = {'cidr': rule.get('remote_ip_prefix') or any_address}
    return body


def group_view(group: Mapping[str, Any],
               groups: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    return {'id': group['id'], 'name': group['name'],
            'description': group.get('description') or '',
            'tenant_id': group.get('project_id') or '',
            'rules': [rule_view(rule, groups) for rule in group.get('security_group_rules', [])
                      if rule.get('direction') == 'ingress']}


def _text(fields: Mapping[str, Any], key: str) -> str:
    """Nova's check of a group's name or description: a string that is not blank once
    stripped (the value itself is kept as given, as nova does)."""
    value = fields.get(key)
    if not isinstance(value, str):
        raise _bad(f'Security group {key} is not a string or unicode')
    length = len(value.strip())
    if not 1 <= length <= 255:
        raise _bad(f'{key} has a length of {length}; it must be 1 to 255 characters.')
    return value


def _group_id(value: Any) -> str:
    if not _is_uuid(value):
        raise _bad('Security group id should be uuid')
    return str(value)


def _port(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad(f'Invalid port range: {name} must be an integer') from None


def neutron_rule(fields: Mapping[str, Any], parent_id: str) -> dict[str, Any]:
    """Nova's rule arguments as a neutron ingress rule (nova's checks, nova's messages)."""
    protocol, cidr, group_id = (fields.get('ip_protocol'), fields.get('cidr'),
                                fields.get('group_id'))
    low, high = fields.get('from_port'), fields.get('to_port')
    rule: dict[str, Any] = {'security_group_id': parent_id, 'direction': 'ingress',
                            'ethertype': 'IPv4'}
    if group_id:
        rule['remote_group_id'] = _group_id(group_id)
        upper = str(protocol).lower() if protocol else ''
        if upper == _ICMP and low is None and high is None:
            low = high = -1
        elif upper in _PORTED and low is None and high is None:
            low, high = 1, 65535
    else:
        try:
            network = ipaddress.ip_network(str(cidr or '0.0.0.0/0').strip(), strict=False)
        except ValueError:
            raise _bad(f'Invalid cidr {cidr}.') from None
        rule['remote_ip_prefix'] = str(cidr).strip() if cidr else str(network)
        rule['ethertype'] = f'IPv{network.version}'
    if protocol and low is not None and high is not None:
        name = str(protocol).lower()
        first, last = _port(low, 'from_port'), _port(high, 'to_port')
        if name not in (*_PORTED, _ICMP):
            raise _bad(f'Invalid IP protocol {protocol}.')
        if name in _PORTED and first > last:
            raise _bad('Invalid port range: Former value cannot be greater than the later')
        if name in _PORTED and (first < 1 or last > 65535):
            raise _bad(f'Invalid port range: Valid {name.upper()} ports should be between '
                       '1-65535')
        if name == _ICMP and not (-1 <= first <= 255 and -1 <= last <= 255):
            raise _bad('Invalid port range: For ICMP, the type:code must be valid')
        rule['protocol'] = name
        rule['port_range_min'] = None if first == -1 else first
        rule['port_range_max'] = None if last == -1 else last
    elif not group_id and (protocol or low is not None or high is not None or not cidr):
        raise _bad('Not enough parameters to build a valid rule.')
    return rule


# How the network service's 409 OverQuota message starts (locally or over HTTP).
NETWORK_OVER_QUOTA = 'Quota exceeded for resources:'


def network_over_quota(exc: exception.NovaLiteError) -> bool:
    """Whether ``exc`` is the network service's OverQuota."""
    return isinstance(exc, exception.Conflict) and exc.message.startswith(NETWORK_OVER_QUOTA)


class SecurityGroupLimitExceeded(exception.Forbidden):
    msg_fmt = 'Quota exceeded, too many security groups.'


def _as_nova_error(exc: exception.NovaLiteError) -> exception.NovaLiteError:
    """The network service's OverQuota is nova's 403, another conflict nova's 400;
    anything else as it is."""
    if network_over_quota(exc):
        return SecurityGroupLimitExceeded()
    if isinstance(exc, exception.Conflict):
        return _bad(exc.message)
    return exc


def find_group(networks: protocols.NetworkClient, ctx: nl_context.RequestContext,
               name_or_id: str) -> dict[str, Any]:
    """The caller's project's group of that name (or id); 404 if none, 409 if several."""
    found = networks.list_security_groups(ctx, name=name_or_id, project_id=ctx.project_id)
    if not found and _is_uuid(name_or_id):
        try:
            found = [networks.get_security_group(ctx, name_or_id)]
        except exception.NotFound:
            found = []
    if not found:
        raise exception.NotFound(message=f'Security group {name_or_id} not found.')
    if len(found) > 1:
        raise exception.Conflict(reason=f'more than one security group is named {name_or_id}')
    return found[0]


def server_groups(networks: protocols.NetworkClient, ctx: nl_context.RequestContext,
                  instance_id: str) -> list[dict[str, Any]]:
    """The groups of the server's ports, each once, in the order first met."""
    seen: dict[str, dict[str, Any]] = {}
    for port in networks.list_ports(ctx, device_id=instance_id):
        for group_id in port.get('security_groups') or []:
            if group_id not in seen:
                seen[group_id] = networks.get_security_group(ctx, group_id)
    return list(seen.values())


def group_names_by_server(networks: protocols.NetworkClient,
                          ctx: nl_context.RequestContext,
                          instance_ids: list[str]) -> dict[str, list[str]]:
    """The names of each server's ports' groups (a server list's two reads: the ports
    and the groups the caller sees)."""
    wanted = set(instance_ids)
    group_ids: dict[str, list[str]] = {instance_id: [] for instance_id in instance_ids}
    for port in networks.list_ports(ctx) if wanted else []:
        instance_id = port.get('device_id') or ''
        if instance_id in wanted:
            for group_id in port.get('security_groups') or []:
                if group_id not in group_ids[instance_id]:
                    group_ids[instance_id].append(group_id)
    if not any(group_ids.values()):
        return {instance_id: [] for instance_id in instance_ids}
    names = {group['id']: group['name'] for group in networks.list_security_groups(ctx)}
    return {instance_id: [names[group_id] for group_id in ids_ if group_id in names]
            for instance_id, ids_ in group_ids.items()}


def show_names(body: dict[str, Any], names: list[str]) -> None:
    """A server body's ``security_groups`` as nova shows them: left out when none."""
    if 'security_groups' not in body:
        return
    if names:
        body['security_groups'] = [{'name': name} for name in names]
    else:
        del body['security_groups']


class SecurityGroupsProxyHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._networks = rest.services.network_proxy

    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-security-groups', self.index),
                ('POST', '/os-security-groups', self.create),
                ('GET', '/os-security-groups/{group_id}', self.show),
                ('PUT', '/os-security-groups/{group_id}', self.update),
                ('DELETE', '/os-security-groups/{group_id}', self.delete),
                ('DELETE', '/os-security-groups', base.empty_id),  # no id: 404
                ('POST', '/os-security-group-rules', self.create_rule),
                ('DELETE', '/os-security-group-rules/{rule_id}', self.delete_rule)]

    def _allowed(self, req: wsgi.Request, rule: str) -> nl_context.RequestContext:
        base.removed_at(req, version_changes.PROXY_APIS_REMOVED)
        self.authorizer.authorize(req.context, rule, project_id=req.context.project_id)
        return req.context

    def _named(self, ctx: nl_context.RequestContext,
               groups: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """The groups the rules name as remotes (those the caller sees)."""
        known = {group['id']: group for group in groups}
        for group in groups:
            for rule in group.get('security_group_rules', []):
                remote = rule.get('remote_group_id')
                if remote and remote not in known:
                    try:
                        known[remote] = self._networks.get_security_group(ctx, remote)
                    except exception.NotFound:
                        known[remote] = {}
        return known

    def _one(self, ctx: nl_context.RequestContext, group: dict[str, Any]) -> dict[str, Any]:
        return group_view(group, self._named(ctx, [group]))

    def _get(self, ctx: nl_context.RequestContext, group_id: str) -> dict[str, Any]:
        return self._networks.get_security_group(ctx, _group_id(group_id))

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = self._allowed(req, policies.SECURITY_GROUPS_GET)
        base.reject_empty_id(req)
        all_projects = req.GET.get('all_tenants') and ctx.is_admin
        groups = self._networks.list_security_groups(
            ctx, project_id=None if all_projects else ctx.project_id)
        named = self._named(ctx, groups)
        return wsgi.json_response(200, {'security_groups': [group_view(g, named)
                                                            for g in groups]})

    def show(self, req: wsgi.Request, group_id: str) -> webob.Response:
        ctx = self._allowed(req, policies.SECURITY_GROUPS_SHOW)
        return wsgi.json_response(200, {'security_group': self._one(ctx,
                                                                    self._get(ctx, group_id))})

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = self._allowed(req, policies.SECURITY_GROUPS_CREATE)
        fields = controller.read_body(req, _GROUP_BODY)['security_group']
        name, description = _text(fields, 'name'), _text(fields, 'description')
        try:
            group = self._networks.create_security_group(ctx, name=name,
                                                         description=description)
        except exception.NovaLiteError as exc:
            raise _as_nova_error(exc) from exc
        return wsgi.json_response(200, {'security_group': self._one(ctx, group)})

    def update(self, req: wsgi.Request, group_id: str) -> webob.Response:
        ctx = self._allowed(req, policies.SECURITY_GROUPS_UPDATE)
        fields = controller.read_body(req, _GROUP_BODY)['security_group']
        name, description = _text(fields, 'name'), _text(fields, 'description')
        current = self._get(ctx, group_id)
        try:
            group = self._networks.update_security_group(ctx, current['id'], name=name,
                                                         description=description)
        except exception.NovaLiteError as exc:
            raise _as_nova_error(exc) from exc
        return wsgi.json_response(200, {'security_group': self._one(ctx, group)})

    def delete(self, req: wsgi.Request, group_id: str) -> webob.Response:
        ctx = self._allowed(req, policies.SECURITY_GROUPS_DELETE)
        current = self._get(ctx, group_id)
        try:
            self._networks.delete_security_group(ctx, current['id'])
        except exception.NovaLiteError as exc:
            raise _as_nova_error(exc) from exc
        return wsgi.json_response(202)

    def create_rule(self, req: wsgi.Request) -> webob.Response:
        ctx = self._allowed(req, policies.SECURITY_GROUP_RULES_CREATE)
        fields = controller.read_body(req, _RULE_BODY)['security_group_rule']
        parent = self._get(ctx, fields.get('parent_group_id'))
        rule = neutron_rule(fields, parent['id'])
        if rule.get('remote_group_id'):
            self._get(ctx, rule['remote_group_id'])  # 404 for an unknown group
        try:
            created = self._networks.create_security_group_rule(ctx, **rule)
        except exception.NovaLiteError as exc:
            raise _as_nova_error(exc) from exc
        named = self._named(ctx, [{**parent, 'security_group_rules': [created]}])
        return wsgi.json_response(200, {'security_group_rule': rule_view(created, named)})

    def delete_rule(self, req: wsgi.Request, rule_id: str) -> webob.Response:
        ctx = self._allowed(req, policies.SECURITY_GROUP_RULES_DELETE)
        if not _is_uuid(rule_id):
            raise _bad('Security group rule id should be uuid')
        self._networks.delete_security_group_rule(ctx, rule_id)
        return wsgi.json_response(202)
