"""JSON schemas of the compute API's request bodies (microversion 2.1 shapes)."""

from typing import Any

from nova_lite.api.validation import UUID_PATTERN

_uuid: dict[str, Any] = {'type': 'string', 'pattern': UUID_PATTERN}
_name: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255,
                         'pattern': r'^\S(.*\S)?$'}
# nova's parameter_types.boolean: a JSON boolean or one of these spellings.
TRUE_STRINGS = ('True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'y', 't')
FALSE_STRINGS = ('False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no', 'n',
                 'f')
boolean: dict[str, Any] = {'type': ['boolean', 'string'],
                           'enum': [True, False, *TRUE_STRINGS, *FALSE_STRINGS]}

# nova's parameter_types.positive_integer: 1 or more, as a number or digits.
positive_integer: dict[str, Any] = {'type': ['integer', 'string'], 'pattern': '^[0-9]*$',
                                    'minimum': 1, 'minLength': 1}
access_ip_v4: dict[str, Any] = {'type': 'string', 'format': 'ipv4'}
access_ip_v6: dict[str, Any] = {'type': 'string', 'format': 'ipv6'}
disk_config: dict[str, Any] = {'type': 'string', 'enum': ['AUTO', 'MANUAL']}

server_create: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'name': _name,
        # A uuid, or "" (or absent) when the root disk is a volume (block_device_mapping_v2).
        'imageRef': {'type': 'string', 'pattern': f'^$|{UUID_PATTERN}'},
        'flavorRef': {'type': ['string', 'integer'], 'minLength': 1, 'maxLength': 255},
        'availability_zone': {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255},
        'key_name': {'type': ['string', 'null'], 'maxLength': 255},
        'min_count': positive_integer,
        'max_count': positive_integer,
        'return_reservation_id': boolean,
        'accessIPv4': access_ip_v4,
        'accessIPv6': access_ip_v6,
        'OS-DCF:diskConfig': disk_config,
        'metadata': {
            'type': 'object',  # at most [quota] metadata_items: a 403, as nova
            'patternProperties': {'^.{1,255}$': {'type': 'string', 'maxLength': 255}},
            'additionalProperties': False,
        },
        'networks': {
            'oneOf': [
                {'type': 'string', 'enum': ['auto', 'none']},
                {'type': 'array', 'items': {
                    'type': 'object',
                    'properties': {
                        'uuid': _uuid,
                        'port': _uuid,
                        'fixed_ip': {'type': 'string', 'format': 'ipv4'},
                    },
                    'additionalProperties': False,
                    'anyOf': [{'required': ['uuid']}, {'required': ['port']}],
                }},
            ],
        },
        'block_device_mapping_v2': {
            'type': 'array', 'maxItems': 16,
            'items': {
                'type': 'object',
                'properties': {
                    'uuid': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                             'pattern': '^[a-zA-Z0-9._-]*$'},
                    # 'image' + 'local' is the root disk made from imageRef; image,
                    # blank + 'volume' are volumes the boot makes; 'volume' attaches one
                    # (nova_lite.compute.block_devices checks the combinations).
                    'source_type': {'type': 'string',
                                    'enum': ['volume', 'image', 'snapshot', 'blank']},
                    'destination_type': {'type': ['string', 'null'],
                                         'enum': ['volume', 'local', None]},
                    'boot_index': {'type': ['integer', 'string', 'null'],
                                   'pattern': '^-?[0-9]+$'},
                    'delete_on_termination': boolean,
                    'device_name': {'type': ['string', 'null'], 'maxLength': 255,
                                    'pattern': '^[a-zA-Z0-9._/-]*$'},
                    'volume_size': {'type': ['integer', 'string', 'null'],
                                    'pattern': '^[0-9]+$', 'minimum': 0},
                    'disk_bus': {'type': ['string', 'null'], 'maxLength': 255},
                    'device_type': {'type': ['string', 'null'], 'maxLength': 255},
                    'guest_format': {'type': ['string', 'null'], 'maxLength': 255},
                    'no_device': {'type': ['boolean', 'null']},
                },
                'required': ['source_type'],
                'additionalProperties': False,
            },
        },
        # The legacy (v1) mappings: a volume (volume_id) on a device_name.
        'block_device_mapping': {
            'type': 'array', 'maxItems': 16,
            'items': {
                'type': 'object',
                'properties': {
                    'volume_id': _uuid, 'snapshot_id': _uuid,
                    'device_name': {'type': ['string', 'null'], 'maxLength': 255,
                                    'pattern': '^[a-zA-Z0-9._/-]*$'},
                    'volume_size': {'type': ['integer', 'string', 'null'],
                                    'pattern': '^[0-9]+$', 'minimum': 0},
                    'delete_on_termination': boolean,
                    'no_device': {'type': ['boolean', 'null']},
                    'virtual_name': {'type': ['string', 'null'], 'maxLength': 255},
                    'connection_info': {'type': ['string', 'null'], 'maxLength': 16384},
                },
                'additionalProperties': False,
            },
        },
        'security_groups': {'type': 'array', 'items': {
            'type': 'object', 'properties': {'name': {'type': 'string', 'minLength': 1,
                                                      'maxLength': 255}},
            'additionalProperties': False}},
        'user_data': {'type': ['string', 'null'], 'maxLength': 65535},
        'config_drive': {'type': ['boolean', 'string', 'null']},
        'adminPass': {'type': 'string'},
    },
    'required': ['name', 'flavorRef'],
    'additionalProperties': False,
}

flavor_create: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'name': _name,
        'id': {'type': ['string', 'integer', 'null'], 'minLength': 1, 'maxLength': 255,
               'pattern': r'^(?! )[a-zA-Z0-9. _-]+(?<! )$'},
        'ram': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$', 'minimum': 1},
        'vcpus': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$', 'minimum': 1},
        'disk': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$', 'minimum': 0},
        'OS-FLV-EXT-DATA:ephemeral': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$',
                                      'minimum': 0},
        'swap': {'type': ['integer', 'string'], 'pattern': '^[0-9]*$', 'minimum': 0},
        'rxtx_factor': {'type': ['number', 'string'], 'minimum': 0},
        'os-flavor-access:is_public': boolean,
        'description': {'type': ['string', 'null'], 'maxLength': 65535},
    },
    'required': ['name', 'ram', 'vcpus', 'disk'],
    'additionalProperties': False,
}


_console_length: dict[str, Any] = {'type': ['integer', 'string', 'null'],
                                   'pattern': '^-?[0-9]+$', 'minimum': -1,
                                   'maximum': 2 ** 31 - 1}

# One action per request: {"os-stop": null}, {"reboot": {"type": "HARD"}}, ...
_no_arguments: dict[str, Any] = {'type': ['object', 'null'], 'additionalProperties': False}

# {"name": ...} of addSecurityGroup and removeSecurityGroup: not empty, not blank.
_security_group_name: dict[str, Any] = {
    'type': 'object', 'properties': {'name': {'type': 'string', 'minLength': 1,
                                              'maxLength': 255, 'pattern': r'\S'}},
    'required': ['name'],
}

server_action: dict[str, Any] = {
    'type': 'object',
    'properties': {
        # {} or null, as Nova takes them (openstacksdk sends null, Tempest {}).
        'os-stop': _no_arguments,
        'forceDelete': _no_arguments,
        'restore': _no_arguments,
        'injectNetworkInfo': _no_arguments,
        'migrate': {'type': ['object', 'null'],
                    'properties': {'host': {'type': ['string', 'null'], 'minLength': 1,
                                            'maxLength': 255}},
                    'additionalProperties': False},
        'os-migrateLive': {'type': 'object',
                           'properties': {'host': {'type': ['string', 'null']},
                                          'block_migration': {'type': ['boolean', 'string']},
                                          'disk_over_commit': {'type': ['boolean', 'string']},
                                          'force': {'type': ['boolean', 'string']}},
                           'required': ['host'],
                           'additionalProperties': False},
        'os-start': _no_arguments,
        'pause': _no_arguments,
        'unpause': _no_arguments,
        'suspend': _no_arguments,
        'resume': _no_arguments,
        'unlock': _no_arguments,
        'shelve': _no_arguments,
        'shelveOffload': _no_arguments,
        # null, or (2.77) {"availability_zone": ...}, (2.91) also host and a null zone.
        'unshelve': {
            'type': ['object', 'null'],
            'properties': {
                'availability_zone': {'type': ['string', 'null'], 'minLength': 1,
                                      'maxLength': 255},
                'host': {'type': 'string', 'minLength': 1, 'maxLength': 255},
            },
            'additionalProperties': False,
        },
        'lock': {
            'type': ['object', 'null'],
            'properties': {'locked_reason': {'type': 'string', 'minLength': 1,
                                             'maxLength': 255}},
            'additionalProperties': False,
        },
        'os-resetState': {
            'type': 'object',
            'properties': {'state': {'type': 'string', 'enum': ['active', 'error']}},
            'required': ['state'],
            'additionalProperties': False,
        },
        'reboot': {
            'type': 'object',
            'properties': {'type': {'type': 'string',
                                    'enum': ['SOFT', 'HARD', 'soft', 'hard']}},
            'required': ['type'],
            'additionalProperties': False,
        },
        'addSecurityGroup': _security_group_name,
        'removeSecurityGroup': _security_group_name,
        # Checked in full by the floating IP actions (a 404 from 2.44 comes first).
        'addFloatingIp': {'type': 'object'},
        'removeFloatingIp': {'type': 'object'},
        'os-getConsoleOutput': {
            'type': 'object',
            'properties': {'length': _console_length},
            'additionalProperties': False,
        },
        # Checked again with their own (microversion) schemas in
        # compute/rest/resize_bodies.py.
        'resize': {'type': 'object'},
        'confirmResize': {'type': ['object', 'null']},
        'revertResize': {'type': ['object', 'null']},
        'rebuild': {'type': 'object'},
        # forceDelete, restore, injectNetworkInfo, migrate: above (admin_server_actions).
        'createImage': {
            'type': 'object',
            'properties': {
                # Any name of 1-255 characters, also one that looks like a uuid.
                'name': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                         'pattern': r'\S'},
                'metadata': {
                    'type': 'object',
                    'patternProperties': {
                        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255}},
                    'additionalProperties': False,
                },
            },
            'required': ['name'],
            'additionalProperties': False,
        },
        'createBackup': {
            'type': 'object',
            'properties': {
                'name': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                         'pattern': r'^\S(.*\S)?$'},
                'backup_type': {'type': 'string'},
                # Nova's non-negative integer: a number or a string of digits.
                'rotation': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$',
                             'minimum': 0},
                'metadata': {
                    'type': 'object',
                    'patternProperties': {
                        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255}},
                    'additionalProperties': False,
                },
            },
            'required': ['name', 'backup_type', 'rotation'],
            'additionalProperties': False,
        },
    },
    'minProperties': 1,
    'maxProperties': 1,
    'additionalProperties': False,
}

# The envelopes of the REST request bodies (the inner objects are checked above).
server_create_request: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'server': server_create,
        'os:scheduler_hints': {'type': 'object'},
        'OS-SCH-HNT:scheduler_hints': {'type': 'object'},
    },
    'required': ['server'],
    'additionalProperties': False,
}

flavor_create_request: dict[str, Any] = {
    'type': 'object',
    'properties': {'flavor': flavor_create},
    'required': ['flavor'],
    'additionalProperties': False,
}
