"""Writes a cloud's entry into an openstacksdk ``clouds.yaml``, keeping the others.

The file holds a password, so it is written with mode 0600 (replaced
atomically: a reader never sees half a file).
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import yaml

from nova_lite.common import exception


def cloud_entry(*, auth_url: str, username: str, password: str, project_name: str,
                region_name: str, domain_name: str = 'Default') -> dict[str, Any]:
    """One ``clouds:`` entry for password authentication against identity v3."""
    return {'auth': {'auth_url': auth_url, 'username': username, 'password': password,
                     'project_name': project_name, 'user_domain_name': domain_name,
                     'project_domain_name': domain_name},
            'region_name': region_name, 'identity_api_version': 3, 'interface': 'public'}


def read_document(path: str) -> dict[str, Any]:
    """The parsed file ({} if missing or empty); InvalidInput if it is no clouds.yaml."""
    try:
        with open(path, encoding='utf-8') as stream:
            document = yaml.safe_load(stream)
    except FileNotFoundError:
        return {}
    except (OSError, yaml.YAMLError) as exc:
        raise exception.InvalidInput(field='clouds_yaml', reason=f'cannot read {path}: '
                                     f'{exc}') from None
    if document is None:
        return {}
    if not isinstance(document, dict) or not isinstance(document.get('clouds', {}), dict):
        raise exception.InvalidInput(field='clouds_yaml',
                                     reason=f'{path} is not a clouds.yaml mapping')
    return document


def write_cloud(path: str, name: str, entry: dict[str, Any]) -> None:
    """Sets ``clouds.<name>`` in the file at ``path`` (created if missing), mode 0600."""
    if not isinstance(name, str) or not name.strip():
        raise exception.InvalidInput(field='cloud_name', reason='must be a non-empty string')
    document = read_document(path)
    clouds = document.get('clouds') or {}
    clouds[name] = entry
    document['clouds'] = clouds
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, temp_path = tempfile.mkstemp(prefix='.clouds-', suffix='.yaml', dir=directory)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as stream:  # mkstemp makes it 0600
            yaml.safe_dump(document, stream, default_flow_style=False, sort_keys=False)
        os.chmod(temp_path, 0o600)
        os.replace(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise
