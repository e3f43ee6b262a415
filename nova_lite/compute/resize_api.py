"""Resize (with its confirm and revert) and rebuild, as the compute API starts them.

Each checks the request as Nova does (a flavor or image that does not
exist is a 400, a server in the wrong state a 409, a resize up over the
cores or RAM quota a 403), then starts its flow through
:meth:`ServerActionsAPI.run_host_action`. A resize stays on the server's
host (``allow_resize_to_same_host``: the test clouds have one) and records
a migration; the flavors it moves between are kept with the instance
(``build_request['resize']``), so a confirm or revert still works when a
flavor was deleted meanwhile. A rebuild records what the request changes
(image, name, metadata, access IPs, key pair, ...) on the instance at once,
as Nova does, and the flow makes the disk again from the new image.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any, cast

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.compute import api as compute_api
from nova_lite.compute import boot_request, instance_store, server_actions_api, server_create
from nova_lite.compute import migrations as migration_store
from nova_lite.compute import quotas as quota_engine

_FLAVOR_KEYS = ('id', 'name', 'vcpus', 'memory_mb', 'root_gb', 'ephemeral_gb', 'swap')
# Rebuild body keys and the build request fields they set.
_REBUILD_FIELDS = (('accessIPv4', server_create.ACCESS_IP_V4),
                   ('accessIPv6', server_create.ACCESS_IP_V6),
                   ('OS-DCF:diskConfig', server_create.DISK_CONFIG),
                   ('description', 'description'), ('hostname', server_create.HOSTNAME))


def _recorded_flavor(instance: dict[str, Any]) -> dict[str, Any]:
    spec = (instance.get('build_request') or {}).get('request_spec') or {}
    return dict(spec.get('flavor') or {})


class ResizeActions:
    """Resize, confirmResize, revertResize and rebuild of the caller's servers."""

    def __init__(self, *, actions: server_actions_api.ServerActionsAPI,
                 api: compute_api.ComputeAPI, instances: instance_store.InstanceStore,
                 images: protocols.ImageClient,
                 migrations: migration_store.MigrationStore,
                 quotas: quota_engine.QuotaEngine | None = None) -> None:
        self._actions = actions
        self._api = api
        self._instances = instances
        self._images = images
        self._migrations = migrations
        self._quotas = quotas

    def _flavor_of(self, ctx: nl_context.RequestContext,
                   instance: dict[str, Any]) -> dict[str, Any]:
        """The flavor the instance has: as recorded with it, else its flavor row
        (409 when neither is left)."""
        recorded = _recorded_flavor(instance)
        if recorded.get('id') is not None:
            return recorded
        try:
            flavor = self._api.get_flavor(nl_context.get_admin_context(),
                                          str(instance['flavor_id']))
        except exception.NotFound:
            raise exception.Conflict(reason=f'the flavor of instance {instance["id"]} '
                                     'is gone') from None
        return {key: flavor[key] for key in _FLAVOR_KEYS}

    # Resize -------------------------------------------------------------------------

    def _new_flavor(self, ctx: nl_context.RequestContext, flavor_ref: Any) -> dict[str, Any]:
        try:
            flavor = self._api.get_flavor(ctx, str(flavor_ref))
        except exception.NotFound:
            raise exception.InvalidInput(field='resize.flavorRef',
                                         reason=f'unable to find flavor {flavor_ref}',
                                         ) from None
        if flavor.get('disabled'):
            raise exception.InvalidInput(field='resize.flavorRef',
                                         reason=f'flavor {flavor_ref} is disabled')
        return {key: flavor[key] for key in _FLAVOR_KEYS}

    def resize(self, ctx: nl_context.RequestContext, server_id: str, flavor_ref: Any,
               disk_config: str | None = None) -> dict[str, Any]:
        """Resize the server to ``flavor_ref`` on its host (202 semantics); the
        migration it recorded."""
        instance = self._api.get_server(ctx, server_id)
        old = self._flavor_of(ctx, instance)
        new = self._new_flavor(ctx, flavor_ref)
        if str(new['id']) == str(instance['flavor_id']):
            raise exception.InvalidInput(field='resize.flavorRef',
                                         reason='when resizing, instances must change flavor')
        if old.get('root_gb') and new['root_gb'] < old['root_gb']:
            raise exception.InvalidInput(
                field='resize.flavorRef',
                reason=f'unable to resize the disk down from {old["root_gb"]} GiB to '
                       f'{new["root_gb"]} GiB')
        if not new['root_gb'] and old.get('root_gb'):
            raise exception.InvalidInput(field='resize.flavorRef',
                                         reason='unable to resize a disk to 0 GiB')
        if self._quotas is not None:
            # Counted in the server's project (an admin may resize another's server).
            self._quotas.resize_check(
                str(instance['project_id']), str(instance['user_id']),
                vcpus=new['vcpus'] - int(old.get('vcpus') or 0),
                memory_mb=new['memory_mb'] - int(old.get('memory_mb') or 0))
        made: list[dict[str, Any]] = []

        def prepare(marked: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None]]:
            migration = self._migrations.create(
                instance_id=marked['id'], project_id=marked['project_id'],
                user_id=ctx.user_id, host=marked['host'], old_flavor_id=str(old['id']),
                new_flavor_id=str(new['id']))
            made.append(migration)
            resize = {'old_flavor': old, 'new_flavor': new, 'migration_id': migration['id']}
            fields: dict[str, Any] = {'resize': resize}
            if disk_config:
                fields[server_create.DISK_CONFIG] = disk_config
            self._instances.change_details(marked['id'], build_request=fields)
            spec = (marked.get('build_request') or {}).get('request_spec') or {}
            args = {**resize, 'image': dict(spec.get('image') or {'id': marked['image_id']})}
            return args, lambda: self._migrations.delete(migration['id'])

        self._actions.run_host_action(ctx, instance['id'], 'resize', 'resize', prepare)
        return made[0]

    def _waiting(self, ctx: nl_context.RequestContext, server_id: str,
                 action: str) -> None:
        """Confirm or revert the server's resize that waits for it."""
        instance = self._api.get_server(ctx, server_id)
        resize = (instance.get('build_request') or {}).get('resize')
        migration = self._migrations.waiting(instance['id'])

        def prepare(marked: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None]]:
            if migration is None or not resize:
                raise exception.InvalidInput(field=action,
                                             reason='the instance has not been resized')
            status = (migration_store.CONFIRMING if action == 'confirm-resize'
                      else migration_store.REVERTING)
            self._migrations.set_status(migration['id'], status)

            def undo() -> None:
                self._migrations.set_status(migration['id'], migration_store.FINISHED)

            return dict(resize), undo

        label = 'confirmResize' if action == 'confirm-resize' else 'revertResize'
        self._actions.run_host_action(ctx, instance['id'], action, label, prepare)

    def confirm_resize(self, ctx: nl_context.RequestContext, server_id: str) -> None:
        """Keep the new flavor of a resized server (VERIFY_RESIZE); 409 otherwise."""
        self._waiting(ctx, server_id, 'confirm-resize')

    def revert_resize(self, ctx: nl_context.RequestContext, server_id: str) -> None:
        """Go back to the old flavor of a resized server (VERIFY_RESIZE); 409 otherwise."""
        self._waiting(ctx, server_id, 'revert-resize')

    # Rebuild ------------------------------------------------------------------------

    def _rebuild_image(self, ctx: nl_context.RequestContext, image_ref: str,
                       flavor: dict[str, Any]) -> dict[str, Any]:
        """The image as a spawn needs it (400 when it does not exist or cannot boot)."""
        try:
            image = self._images.get_image(ctx, image_ref)
        except exception.NotFound:
            raise exception.InvalidInput(field='rebuild.imageRef',
                                         reason=f'image {image_ref} not found') from None
        if image['status'] != ImageStatus.ACTIVE:
            raise exception.InvalidInput(field='rebuild.imageRef',
                                         reason=f'image is {image["status"]}, not active')
        if int(image.get('min_ram') or 0) > int(flavor.get('memory_mb') or 0):
            raise exception.InvalidInput(field='rebuild.imageRef',
                                         reason="the flavor's RAM is below the image min_ram")
        if int(image.get('min_disk') or 0) > int(flavor.get('root_gb') or 0) > 0:
            raise exception.InvalidInput(field='rebuild.imageRef',
                                         reason="the flavor's disk is below the image "
                                                'min_disk')
        return {'id': image['id'], 'name': image['name'], 'status': image['status'],
                'disk_format': image['disk_format'], 'size': image['size'],
                'checksum': image['checksum'], 'os_hash_algo': image['os_hash_algo'],
                'os_hash_value': image['os_hash_value'], 'min_disk': image['min_disk'],
                'min_ram': image['min_ram'],
                'location': self._images.get_location(ctx, image['id']),
                'properties': boot_request.image_properties(image)}

    def rebuild(self, ctx: nl_context.RequestContext, server_id: str,
                body: dict[str, Any]) -> dict[str, Any]:
        """Rebuild the server from ``body['imageRef']`` (202 semantics); the instance
        as marked (task state rebuilding, the changes recorded)."""
        instance = self._api.get_server(ctx, server_id)
        flavor = self._flavor_of(ctx, instance)
        image = self._rebuild_image(ctx, str(body['imageRef']), flavor)
        if 'metadata' in body:
            self._api.check_metadata(body['metadata'] or {})
            if self._quotas is not None:
                self._quotas.check_metadata_items(str(instance['project_id']),
                                                  body['metadata'] or {})
        if 'user_data' in body and body['user_data'] is not None:
            try:
                base64.b64decode(body['user_data'], validate=True)
            except (binascii.Error, ValueError):
                raise exception.InvalidInput(field='rebuild.user_data',
                                             reason='must be base64 encoded') from None
        changes: dict[str, Any] = {}
        if 'key_name' in body:
            key_name = body['key_name']
            changes['key_name'] = key_name
            changes['key_data'] = self._api._key_data(str(ctx.user_id), key_name)
        fields = server_create.normalized(
            {field: body[key] for key, field in _REBUILD_FIELDS if key in body})
        if 'user_data' in body:
            fields['user_data'] = body['user_data']

        def prepare(marked: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None]]:
            before = {'image_id': marked['image_id'], 'key_name': marked['key_name'],
                      'key_data': marked['key_data']}
            old_name, old_metadata = marked['name'], dict(marked['metadata'])
            old_fields = {key: (marked.get('build_request') or {}).get(key)
                          for key in fields}
            spec = dict((marked.get('build_request') or {}).get('request_spec') or {})
            spec['image'] = {'id': image['id'], 'min_disk': image['min_disk'],
                             'min_ram': image['min_ram'], 'properties': image['properties']}
            instances = self._instances
            instances.change_details(
                marked['id'], name=body.get('name'),
                metadata=(lambda _old: dict(body['metadata'] or {}))
                if 'metadata' in body else None,
                build_request={**fields, 'request_spec': spec})
            instances.update(marked['id'], image_id=image['id'], **changes)

            def undo() -> None:
                instances.update(marked['id'], **before)
                instances.change_details(marked['id'], name=old_name,
                                         metadata=lambda _new: old_metadata,
                                         build_request=old_fields)

            return {'image': image, 'flavor': flavor}, undo

        self._actions.run_host_action(ctx, instance['id'], 'rebuild', 'rebuild', prepare)
        return self._instances.get(instance['id'])


def image_client(client: Any) -> protocols.ImageClient:
    """The wiring's image client as the rebuild uses it."""
    return cast(protocols.ImageClient, client)
