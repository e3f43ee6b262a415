"""Default policy rules of the metadefs catalog (glance's rule names under ``image:``).

As in glance, only admins write to the catalog. Anyone with a role on a
project reads public namespaces and their contents, and a project's private
namespaces are read by that project. Rules about one namespace are checked
against its owner (``project_id``) and ``visibility``.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base

PUBLIC_NAMESPACE = "'public':%(visibility)s"
READ_NAMESPACE = (f'{base.ADMIN} or (({base.READER}) and (project_id:%(project_id)s or '
                  f'{PUBLIC_NAMESPACE}))')

_NAMESPACES = '/v2/metadefs/namespaces'
_NAMESPACE = f'{_NAMESPACES}/{{namespace_name}}'
_OBJECTS = f'{_NAMESPACE}/objects'
_OBJECT = f'{_OBJECTS}/{{object_name}}'
_PROPERTIES = f'{_NAMESPACE}/properties'
_PROPERTY = f'{_PROPERTIES}/{{property_name}}'
_TAGS = f'{_NAMESPACE}/tags'
_TAG = f'{_TAGS}/{{tag_name}}'
_ASSOCIATIONS = f'{_NAMESPACE}/resource_types'

GET_NAMESPACE = 'image:get_metadef_namespace'
GET_NAMESPACES = 'image:get_metadef_namespaces'
MODIFY_NAMESPACE = 'image:modify_metadef_namespace'
ADD_NAMESPACE = 'image:add_metadef_namespace'
DELETE_NAMESPACE = 'image:delete_metadef_namespace'
GET_OBJECT = 'image:get_metadef_object'
GET_OBJECTS = 'image:get_metadef_objects'
MODIFY_OBJECT = 'image:modify_metadef_object'
ADD_OBJECT = 'image:add_metadef_object'
DELETE_OBJECT = 'image:delete_metadef_object'
LIST_RESOURCE_TYPES = 'image:list_metadef_resource_types'
GET_RESOURCE_TYPE = 'image:get_metadef_resource_type'
ADD_RESOURCE_TYPE_ASSOCIATION = 'image:add_metadef_resource_type_association'
REMOVE_RESOURCE_TYPE_ASSOCIATION = 'image:remove_metadef_resource_type_association'
GET_PROPERTY = 'image:get_metadef_property'
GET_PROPERTIES = 'image:get_metadef_properties'
MODIFY_PROPERTY = 'image:modify_metadef_property'
ADD_PROPERTY = 'image:add_metadef_property'
REMOVE_PROPERTY = 'image:remove_metadef_property'
GET_TAG = 'image:get_metadef_tag'
GET_TAGS = 'image:get_metadef_tags'
MODIFY_TAG = 'image:modify_metadef_tag'
ADD_TAG = 'image:add_metadef_tag'
ADD_TAGS = 'image:add_metadef_tags'
DELETE_TAG = 'image:delete_metadef_tag'
DELETE_TAGS = 'image:delete_metadef_tags'

# (rule, check, description, method, path)
_RULES: list[tuple[str, str, str, str, str]] = [
    (GET_NAMESPACE, READ_NAMESPACE, 'Show a namespace.', 'GET', _NAMESPACE),
    (GET_NAMESPACES, base.PROJECT_READER, 'List namespaces.', 'GET', _NAMESPACES),
    (MODIFY_NAMESPACE, base.ADMIN, 'Change a namespace.', 'PUT', _NAMESPACE),
    (ADD_NAMESPACE, base.ADMIN, 'Create a namespace.', 'POST', _NAMESPACES),
    (DELETE_NAMESPACE, base.ADMIN, 'Delete a namespace (or all its objects, properties or '
                                   'tags).', 'DELETE', _NAMESPACE),
    (GET_OBJECT, READ_NAMESPACE, "Show a namespace's object.", 'GET', _OBJECT),
    (GET_OBJECTS, READ_NAMESPACE, "List a namespace's objects.", 'GET', _OBJECTS),
    (MODIFY_OBJECT, base.ADMIN, "Change a namespace's object.", 'PUT', _OBJECT),
    (ADD_OBJECT, base.ADMIN, 'Create an object in a namespace.', 'POST', _OBJECTS),
    (DELETE_OBJECT, base.ADMIN, "Delete a namespace's object.", 'DELETE', _OBJECT),
    (LIST_RESOURCE_TYPES, READ_NAMESPACE, 'List resource types.', 'GET',
     '/v2/metadefs/resource_types'),
    (GET_RESOURCE_TYPE, READ_NAMESPACE, "List a namespace's resource type associations.",
     'GET', _ASSOCIATIONS),
    (ADD_RESOURCE_TYPE_ASSOCIATION, base.ADMIN, 'Associate a namespace with a resource '
                                                'type.', 'POST', _ASSOCIATIONS),
    (REMOVE_RESOURCE_TYPE_ASSOCIATION, base.ADMIN, 'Remove a resource type association.',
     'DELETE', f'{_ASSOCIATIONS}/{{name}}'),
    (GET_PROPERTY, READ_NAMESPACE, "Show a namespace's property.", 'GET', _PROPERTY),
    (GET_PROPERTIES, READ_NAMESPACE, "List a namespace's properties.", 'GET', _PROPERTIES),
    (MODIFY_PROPERTY, base.ADMIN, "Change a namespace's property.", 'PUT', _PROPERTY),
    (ADD_PROPERTY, base.ADMIN, 'Create a property in a namespace.', 'POST', _PROPERTIES),
    (REMOVE_PROPERTY, base.ADMIN, "Delete a namespace's property.", 'DELETE', _PROPERTY),
    (GET_TAG, READ_NAMESPACE, "Show a namespace's tag.", 'GET', _TAG),
    (GET_TAGS, READ_NAMESPACE, "List a namespace's tags.", 'GET', _TAGS),
    (MODIFY_TAG, base.ADMIN, "Rename a namespace's tag.", 'PUT', _TAG),
    (ADD_TAG, base.ADMIN, 'Add a tag to a namespace.', 'POST', _TAG),
    (ADD_TAGS, base.ADMIN, 'Add (or replace) the tags of a namespace.', 'POST', _TAGS),
    (DELETE_TAG, base.ADMIN, "Delete a namespace's tag.", 'DELETE', _TAG),
    (DELETE_TAGS, base.ADMIN, "Delete every tag of a namespace.", 'DELETE', _TAGS),
]


def list_rules() -> list[policy.RuleDefault]:
    return [base.rule(*spec) for spec in _RULES]
