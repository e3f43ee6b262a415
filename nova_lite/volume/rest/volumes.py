"""``/v3/{project_id}/volumes``: create, list, show, update and delete volumes."""

from __future__ import annotations

from typing import Any

import webob
from oslo_config import cfg

from nova_lite.api import controller, paging, policy, query, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.volume import manager as volume_manager
from nova_lite.volume.rest import (
    listing,
    min_version,
    policies,
    schemas,
    scope,
    versions,
    views,
    volume_filters,
)
from nova_lite.volume.rest import version_changes as changes


def _text_field(spec: dict[str, Any], name: str) -> str | None:
    """``name``, or its pre-v2 alias ``display_name`` (null means absent)."""
    value = spec.get(name)
    return value if value is not None else spec.get(f'display_{name}')


STATUSES = volume_manager.STATUSES
SORT_KEYS = ('created_at', 'updated_at', 'id', 'name', 'size', 'status', 'availability_zone',
             'bootable', 'volume_type')
# Create fields whose volume is a copy of other storage (see nova_lite.volume.copies).
COPY_SOURCES = ('snapshot_id', 'source_volid')


class VolumesController(scope.VolumeController):
    """The volume routes, acting through the volume manager."""

    def __init__(self, conf: cfg.ConfigOpts, services: scope.VolumeServices,
                 authorizer: policy.Authorizer, volume_views: views.VolumeViews) -> None:
        super().__init__(services, authorizer)
        self._conf = conf
        self._views = volume_views

    def _detail(self, req: wsgi.Request, ctx: nl_context.RequestContext,
                volume: dict[str, Any], project_id: str) -> dict[str, Any]:
        version = versions.api_version(req)
        type_id = (self._services.volumes.types.id_of(volume.get('volume_type'))
                   if version >= changes.VOLUME_TYPE_ID else None)
        return self._views.detail(volume, project_id, show_admin_fields=self.authorizer.allowed(
            ctx, policies.HOST_ATTRIBUTE), version=version, volume_type_id=type_id)

    def _plain(self, req: wsgi.Request, ctx: nl_context.RequestContext,
               volume: dict[str, Any], project_id: str) -> dict[str, Any]:
        """Cinder's create and update answers: none of the show's os-vol-*-attr
        extension fields nor its volume_image_metadata, whoever asks."""
        return {key: value for key, value in self._detail(req, ctx, volume, project_id).items()
                if not key.startswith('os-vol-') and key != 'volume_image_metadata'}

    def _volume_type(self, ctx: nl_context.RequestContext, value: str | None) -> str | None:
        """The name of the type named or identified by ``value`` (404 if ``ctx`` cannot
        see it, as cinder's VolumeTypeNotFound)."""
        if value is None:
            return None
        return self._services.volumes.types.resolve_name(ctx, value)

    def _checked_zone(self, value: str | None) -> str | None:
        if value is not None and value != self._conf.default_availability_zone:
            raise exception.InvalidInput(field='volume.availability_zone',
                                         reason=f'availability zone {value!r} is invalid')
        return value

    # -- routes ------------------------------------------------------------

    def create(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.CREATE)
        body = controller.read_body(req, schemas.CREATE)
        spec: dict[str, Any] = body['volume']
        # From 3.13 a volume may be created into a generic volume group.
        group_id = spec.get('group_id') if min_version.at_least(req, min_version.GROUPS) \
            else None
        for field, source in schemas.UNSUPPORTED_SOURCES.items():
            if field in COPY_SOURCES or (field == 'group_id' and group_id is not None):
                continue
            if spec.get(field) is not None:
                raise exception.InvalidInput(
                    field=f'volume.{field}',
                    reason=f'creating a volume from {source} is not supported')
        if spec.get('multiattach'):
            raise exception.InvalidInput(field='volume.multiattach',
                                         reason='multiattach volumes are not supported')
        if any(spec.get(field) is not None for field in COPY_SOURCES):
            volume = self._create_copy(ctx, spec)
        else:
            if spec.get('size') is None:
                raise exception.InvalidInput(field='volume.size', reason='is required')
            volume = self._services.volumes.create_volume(
                ctx, int(spec['size']), name=_text_field(spec, 'name'),
                description=_text_field(spec, 'description'), metadata=spec.get('metadata'),
                availability_zone=self._checked_zone(spec.get('availability_zone')),
                volume_type=self._volume_type(ctx, spec.get('volume_type')),
                image_id=spec.get('imageRef') or spec.get('image_id'), group_id=group_id)
        return wsgi.json_response(202, {'volume': self._plain(req, ctx, volume, project_id)})

    def _create_copy(self, ctx: nl_context.RequestContext,
                     spec: dict[str, Any]) -> dict[str, Any]:
        """A volume from a snapshot or a clone of a volume (its size defaults to the
        source's)."""
        size = spec.get('size')
        return self._services.volumes.copies.create_from(
            ctx, size=int(size) if size is not None else None,
            snapshot_id=spec.get('snapshot_id'), source_volid=spec.get('source_volid'),
            name=_text_field(spec, 'name'), description=_text_field(spec, 'description'),
            metadata=spec.get('metadata'),
            availability_zone=self._checked_zone(spec.get('availability_zone')),
            volume_type=self._volume_type(ctx, spec.get('volume_type')))

    def _listed(self, req: wsgi.Request, project_id: str,
                path_suffix: str) -> tuple[nl_context.RequestContext, dict[str, Any]]:
        ctx = self._context(req, project_id, policies.GET_ALL)
        params = query.last_values(req)
        wanted = controller.read_query(req, schemas.LIST_QUERY)
        request = paging.page_request(wanted, paging.CINDER_PAGING)
        status = wanted.get('status')
        # An unknown status matches nothing (cinder lists none; it is no error).
        volumes = [] if status is not None and status not in STATUSES else (
            self._services.volumes.list_volumes(ctx, name=wanted.get('name'), status=status))
        every_project = (query.flag(wanted, 'all_tenants', query.CINDER_BOOLEAN)
                         and self.authorizer.allowed(ctx, policies.ALL_PROJECTS))
        owner = wanted.get('project_id') if every_project else ctx.project_id
        if owner is not None:
            volumes = [v for v in volumes if v['os-vol-tenant-attr:tenant_id'] == owner]
        if 'user_id' in wanted:
            volumes = [v for v in volumes if v['user_id'] == wanted['user_id']]
        volumes = volume_filters.apply(req, volumes)
        if any(key in wanted for key in ('sort', 'sort_key', 'sort_dir')):
            volumes = listing.sorted_items(volumes, wanted, SORT_KEYS)
        page = listing.page(volumes, request)
        result: dict[str, Any] = {'volumes': page.items}
        if request.paged:
            url = self._views.volume_url(project_id) + path_suffix
            result['volumes_links'] = paging.links(page, url, params.items())
        return ctx, result

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        if req.path_info.endswith('/'):  # GET /volumes/: a member with an empty id
            raise exception.NotFound(f'The resource could not be found: {req.path_info}',
                                     resource='Volume', id='')
        _, result = self._listed(req, project_id, '')
        result['volumes'] = [self._views.summary(v, project_id) for v in result['volumes']]
        return wsgi.json_response(200, result)

    def detail(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx, result = self._listed(req, project_id, '/detail')
        result['volumes'] = [self._detail(req, ctx, v, project_id) for v in result['volumes']]
        return wsgi.json_response(200, result)

    def summary(self, req: wsgi.Request, project_id: str) -> webob.Response:
        """3.12's ``GET /volumes/summary``: count and size of the volumes listed (with
        ``all_tenants`` for admins), and each metadata key's values in use."""
        _, result = self._listed(req, project_id, '')
        found = result['volumes']
        metadata: dict[str, list[str]] = {}
        for volume in found:
            for key, value in (volume.get('metadata') or {}).items():
                if value not in metadata.setdefault(key, []):
                    metadata[key].append(value)
        return wsgi.json_response(200, {'volume-summary': {
            'total_count': len(found), 'total_size': sum(v['size'] for v in found),
            'metadata': metadata}})

    def show(self, req: wsgi.Request, project_id: str, volume_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.GET)
        volume = self._services.volumes.get_volume(ctx, volume_id)
        return wsgi.json_response(200, {'volume': self._detail(req, ctx, volume, project_id)})

    def update(self, req: wsgi.Request, project_id: str, volume_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.UPDATE)
        body = controller.read_body(req, schemas.UPDATE)
        spec: dict[str, Any] = body['volume']
        changes = {key.removeprefix('display_'): value for key, value in spec.items()
                   if key.startswith('display_')}
        changes.update({key: value for key, value in spec.items()
                        if not key.startswith('display_')})
        volume = self._services.volumes.update_volume(ctx, volume_id, changes)
        return wsgi.json_response(200, {'volume': self._plain(req, ctx, volume, project_id)})

    def delete(self, req: wsgi.Request, project_id: str, volume_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.DELETE)
        cascade = query.flag(query.last_values(req, ['cascade']), 'cascade',
                             query.CINDER_BOOLEAN)  # its snapshots go first
        self._services.volumes.delete_volume(ctx, volume_id, cascade=cascade)
        return wsgi.json_response(202)
