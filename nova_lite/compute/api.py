"""The compute API: validates a boot request, records the instance, hands it on.

Steps 3-7 of the boot happen here; the boot itself is cast to a conductor.
Every entry point takes the caller's context, built from a token identity
validated (by the REST API's auth middleware, or by :meth:`authenticate` for
in-process callers).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from typing import Any, cast

from nova_lite.api import paging, validation
from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception, notifications
from nova_lite.common.states import TaskState
from nova_lite.compute import (
    boot_checks,
    boot_request,
    instance_store,
    schemas,
    server_status,
    shelve_api,
)
from nova_lite.compute import flavor_access as flavor_access_store
from nova_lite.compute import flavors as flavor_store
from nova_lite.compute import instance_actions as instance_actions_store
from nova_lite.compute import keypairs as keypair_store
from nova_lite.compute import quotas as quota_engine
from nova_lite.compute import server_groups as server_group_store
from nova_lite.conductor import rpcapi as conductor_rpcapi

LOG = logging.getLogger(__name__)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


class ComputeAPI:
    """Servers and flavors, as the compute REST API exposes them."""

    def __init__(self, *, identity: protocols.IdentityClient, images: protocols.ImageClient,
                 networks: protocols.NetworkClient, volumes: protocols.VolumeClient,
                 instances: instance_store.InstanceStore, flavors: flavor_store.FlavorStore,
                 conductor: conductor_rpcapi.ConductorAPI, max_attempts: int,
                 fault_injection_max_delay: float | None = None,
                 keypairs: keypair_store.KeypairStore | None = None,
                 server_groups: server_group_store.ServerGroupStore | None = None,
                 instance_actions: instance_actions_store.InstanceActionStore | None = None,
                 flavor_access: flavor_access_store.FlavorAccessStore | None = None,
                 quotas: quota_engine.QuotaEngine | None = None) -> None:
        """``fault_injection_max_delay`` None: fault injection is off, and the
        nova_lite:fail_at / delay_at metadata keys are plain metadata."""
        self._identity = identity
        self._images = images
        self._networks = networks
        self._volumes = volumes
        self._instances = instances
        self._flavors = flavors
        self._conductor = conductor
        self._max_attempts = max_attempts
        self._fault_injection_max_delay = fault_injection_max_delay
        self._keypairs = keypairs
        self._quotas = quotas
        self._server_groups = server_groups
        self._actions = instance_actions
        self._flavor_access = flavor_access
        self._boot_requests = boot_request.BootRequestBuilder(
            images=images, networks=networks, volumes=volumes, get_flavor=self.get_flavor,
            max_attempts=max_attempts)

    def authenticate(self, auth_token: str, *, request: str | None = None,
                     ) -> nl_context.RequestContext:
        """Steps 3-5 for in-process callers: the request arrives, identity checks its token."""
        if request is not None:
            notifications.publish(notifications.ServerCreateReceived(request=request,
                                                                     over_http=False))
        ctx = self._identity.context_from_token(auth_token)
        if request is not None:
            notifications.publish(notifications.TokenChecked(
                service='compute', user_name=ctx.user_name, project_name=ctx.project_name,
                roles=tuple(ctx.roles)))
        return ctx

    # Servers ---------------------------------------------------------------------

    def create_server(self, ctx: nl_context.RequestContext,
                      server: dict[str, Any]) -> dict[str, Any]:
        """Boot ``server`` for an in-process caller (the demo, tests): its body is first
        checked against the compute API's request schema, as a REST request's is."""
        validation.validate(schemas.server_create_request, {'server': server})
        return self.boot_server(ctx, server)

    def boot_server(self, ctx: nl_context.RequestContext, server: dict[str, Any], *,
                    scheduler_hints: Mapping[str, Any] | None = None,
                    extra_build_request: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Boot ``server``, a body the compute API's request schema accepted.

        Who may boot is the REST layer's policy (``os_compute_api:servers:create``).
        Its description and tags (later microversions) and ``scheduler_hints`` are
        kept with the build request, for the server's views, with ``extra_build_request``
        (access IPs, disk config, reservation id: :mod:`nova_lite.compute.server_create`).
        """
        if self._fault_injection_max_delay is not None:
            conductor_rpcapi.check_fault_injection_metadata(server.get('metadata') or {},
                                                            self._fault_injection_max_delay)
        if ctx.project_id is None or ctx.user_id is None:
            raise exception.Forbidden()  # a server belongs to a project and a user
        boot_checks.check_boot_request(ctx, server, flavors=self._flavors)
        key_data = self._key_data(ctx.user_id, server.get('key_name'))
        group_id = (self._server_groups.group_for_boot(
            scheduler_hints, project_id=ctx.project_id, is_admin=bool(ctx.is_admin))
            if self._server_groups is not None else None)
        request_spec = self._boot_requests.request_spec(ctx, server)
        quota_check = None
        if self._quotas is not None:
            self._quotas.check_metadata_items(ctx.project_id, server.get('metadata') or {})
            flavor = request_spec['flavor']
            quota_check = self._quotas.instance_check(
                ctx.project_id, ctx.user_id, vcpus=flavor['vcpus'],
                memory_mb=flavor['memory_mb'])
        notifications.publish(notifications.ServerCreateValidated(
            flavor_name=request_spec['flavor']['name'], image_id=request_spec['image']['id'],
            networks=len(request_spec['networks']), volumes=len(request_spec['volume_ids'])))
        instance = self._instances.create(
            name=server['name'], project_id=ctx.project_id, user_id=ctx.user_id,
            flavor_id=request_spec['flavor']['id'],
            # A volume-backed server shows no image (nova's ""), whatever its volume holds.
            image_id='' if request_spec['block_device_mapping_root'] else request_spec[
                'image']['id'],
            availability_zone=server.get('availability_zone'),
            metadata=dict(server.get('metadata') or {}),
            key_name=server.get('key_name') or None, key_data=key_data,
            build_request={'request_spec': request_spec, 'networks': request_spec['networks'],
                           'description': server.get('description'),
                           'tags': list(server.get('tags') or []),
                           'scheduler_hints': dict(scheduler_hints or {}),
                           **(extra_build_request or {})},
            quota_check=quota_check)
        if group_id is not None and self._server_groups is not None:
            self._join_group(self._server_groups, group_id, instance['id'],
                             instance['project_id'])
        notifications.publish(notifications.InstanceRecorded(
            instance_id=instance['id'], vm_state=instance['vm_state'],
            task_state=instance['task_state']))
        notifications.publish(notifications.BootCast(instance_id=instance['id']))
        self._record_action(ctx, instance['id'], instance_actions_store.CREATE)
        self._conductor.build_instance(ctx, instance['id'])
        return instance

    def build_request_spec(self, ctx: nl_context.RequestContext,
                           server: dict[str, Any]) -> dict[str, Any]:
        """The scheduler's request spec for ``server`` (400s naming what is wrong)."""
        return self._boot_requests.request_spec(ctx, server)

    def _join_group(self, server_groups: server_group_store.ServerGroupStore, group_id: str,
                    instance_id: str, project_id: str) -> None:
        """The new instance joins its server group (nova adds it at the API); an
        instance that cannot (group gone, or full by its members quota) is deleted."""
        quotas = self._quotas

        def members_quota(members: int) -> None:
            if quotas is not None:
                quotas.check_server_group_members(project_id, members)

        try:
            server_groups.add_member(group_id, instance_id, member_check=members_quota)
        except exception.NotFound:  # the group was deleted since it was checked
            self._instances.mark_deleted(instance_id)
            raise exception.InvalidInput(field='os:scheduler_hints.group',
                                         reason=f'server group {group_id} not found',
                                         ) from None
        except Exception:
            self._instances.mark_deleted(instance_id)
            raise

    def check_metadata(self, metadata: Mapping[str, str]) -> None:
        """InvalidInput (400) if fault-injection keys (when it is on) are malformed."""
        if self._fault_injection_max_delay is not None:
            conductor_rpcapi.check_fault_injection_metadata(metadata,
                                                            self._fault_injection_max_delay)

    def _key_data(self, user_id: str, key_name: str | None) -> str | None:
        """The public key of the user's keypair ``key_name`` (400 when there is none)."""
        if not key_name:
            return None
        if self._keypairs is None:
            raise exception.Invalid(message='Invalid key_name provided.')
        try:
            return str(self._keypairs.get(user_id, key_name)['public_key'])
        except exception.NotFound:
            raise exception.Invalid(message='Invalid key_name provided.') from None

    def _get_owned(self, ctx: nl_context.RequestContext, server_id: str) -> dict[str, Any]:
        if not _is_uuid(server_id):
            raise exception.NotFound(resource='Instance', id=server_id)
        instance = self._instances.get(server_id)
        if instance['project_id'] != ctx.project_id and not ctx.is_admin:
            raise exception.NotFound(resource='Instance', id=server_id)
        return instance

    def get_server(self, ctx: nl_context.RequestContext, server_id: str) -> dict[str, Any]:
        return self._get_owned(ctx, server_id)

    def list_servers(self, ctx: nl_context.RequestContext, *, all_projects: bool = False,
                     name: str | None = None) -> list[dict[str, Any]]:
        """The caller's project's servers (every project's for an admin who asks).

        ``name`` is a regular expression searched for in each server's name, as
        nova filters (``openstack server list --name``).
        """
        return self.page_servers(ctx, all_projects=all_projects, name=name).items

    def page_servers(self, ctx: nl_context.RequestContext, *, all_projects: bool = False,
                     name: str | None = None, status: str | None = None,
                     request: paging.PageRequest = paging.EVERYTHING,
                     ) -> paging.Page[dict[str, Any]]:
        """One page of :meth:`list_servers` with ``status`` (ACTIVE, SHUTOFF...), its
        filters, order and marker in the database query."""
        if name is not None:
            try:
                re.compile(name)
            except (re.error, TypeError) as exc:
                raise exception.InvalidInput(field='name',
                                             reason=f'not a regular expression: {exc}'
                                             ) from None
        everyone = all_projects and ctx.is_admin
        return self._instances.page(
            project_id=None if everyone else ctx.project_id, name_pattern=name,
            status_condition=None if status is None else server_status.status_condition(status),
            request=request)

    def delete_server(self, ctx: nl_context.RequestContext, server_id: str) -> None:
        instance = self._get_owned(ctx, server_id)
        check_not_locked(ctx, instance)
        self._instances.update(instance['id'], task_state=TaskState.DELETING)
        self._record_action(ctx, instance['id'], instance_actions_store.DELETE)
        shelve_api.delete_shelved_image(ctx, self.images, instance)
        self._conductor.delete_instance(ctx, instance['id'])

    def _record_action(self, ctx: nl_context.RequestContext, instance_id: str,
                       action: str) -> None:
        """Start the instance action of this request (os-instance-actions)."""
        if self._actions is not None:
            self._actions.start_action(instance_id=instance_id, action=action,
                                       request_id=ctx.request_id, user_id=ctx.user_id,
                                       project_id=ctx.project_id)

    # Flavors ---------------------------------------------------------------------

    def create_flavor(self, ctx: nl_context.RequestContext,
                      flavor: dict[str, Any]) -> dict[str, Any]:
        """Create ``flavor`` for an in-process caller, its body checked first against the
        compute API's request schema, as a REST request's is."""
        validation.validate(schemas.flavor_create_request, {'flavor': flavor})
        return self.add_flavor(ctx, flavor)

    def add_flavor(self, ctx: nl_context.RequestContext,
                   flavor: dict[str, Any]) -> dict[str, Any]:
        """Create ``flavor``, a body the request schema accepted (admins: REST policy)."""
        return self._flavors.create(
            name=flavor['name'], vcpus=flavor['vcpus'], memory_mb=flavor['ram'],
            root_gb=flavor['disk'], ephemeral_gb=flavor.get('OS-FLV-EXT-DATA:ephemeral', 0),
            swap=flavor.get('swap') or 0, flavor_id=flavor.get('id'),
            is_public=flavor.get('os-flavor-access:is_public', True) in (
                True, *schemas.TRUE_STRINGS),
            description=flavor.get('description'))

    @property
    def images(self) -> protocols.ImageWriter:
        """The image service as the caller (also makes createImage's records)."""
        return cast(protocols.ImageWriter, self._images)

    def get_flavor(self, ctx: nl_context.RequestContext, flavor_id: str) -> dict[str, Any]:
        """A flavor by id (a private flavor only for an admin or a project granted it);
        NotFound for names."""
        flavor = self._flavors.get(str(flavor_id))
        if not flavor['is_public'] and not ctx.is_admin and not (
                self._flavor_access is not None
                and self._flavor_access.has_access(flavor['id'], ctx.project_id)):
            raise exception.NotFound(resource='Flavor', id=flavor_id)
        return flavor

    def list_flavors(self, ctx: nl_context.RequestContext, *, min_ram: int = 0,
                     min_disk: int = 0, is_public: bool | None = True) -> list[dict[str, Any]]:
        """Enabled flavors, smallest first, as Nova lists them.

        ``is_public`` True: the public flavors and the private ones the project
        was granted; False: private flavors (an admin's filter; others still
        see only what they were granted); None: every flavor (admins only).
        """
        granted = (self._flavor_access.flavor_ids_for(ctx.project_id)
                   if self._flavor_access is not None else set())

        def listed(flavor: dict[str, Any]) -> bool:
            if not ctx.is_admin:
                return flavor['is_public'] or flavor['id'] in granted
            if is_public is None:
                return True
            if is_public:
                return flavor['is_public'] or flavor['id'] in granted
            return not flavor['is_public']

        return [flavor for flavor in self._flavors.list()
                if listed(flavor)
                and flavor['memory_mb'] >= min_ram and flavor['root_gb'] >= min_disk]

    def update_flavor_description(self, ctx: nl_context.RequestContext, flavor_id: str,
                                  description: str | None) -> dict[str, Any]:
        """Set a flavor's description (its only changeable field; admins: REST policy)."""
        return self._flavors.update_description(str(flavor_id), description)

    def delete_flavor(self, ctx: nl_context.RequestContext, flavor_id: str) -> None:
        """Delete a flavor; servers booted with it keep their sizes."""
        self._flavors.delete(str(flavor_id))


def check_not_locked(ctx: nl_context.RequestContext, instance: dict[str, Any]) -> None:
    """Conflict (409) when a non-admin acts on a locked server, as Nova refuses."""
    if instance.get('locked_by') and not ctx.is_admin:
        raise exception.Conflict(reason=f'Instance {instance["id"]} is locked')
