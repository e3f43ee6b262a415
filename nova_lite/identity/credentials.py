"""Stored credentials (``/v3/credentials``) and EC2 credentials.

A credential is a typed blob (a JSON string for ``ec2``) owned by a user,
optionally tied to a project. The blob is encrypted at rest with Fernet under
the keys of ``[identity] credential_key_repository`` (created with a key on
first use; every key in it decrypts). An EC2 credential's id is the SHA-256
of its access key, as keystone names it, so it can be looked up by access key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from typing import Any

import sqlalchemy as sa
from cryptography import fernet
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception, fernet_keys
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_auth as auth_models
from nova_lite.identity import resources

LOG = logging.getLogger(__name__)

EC2 = 'ec2'
MAX_BLOB_LENGTH = 65535


def ec2_id(access: str) -> str:
    return hashlib.sha256(access.encode('utf-8')).hexdigest()


def _ec2_blob(blob: str) -> dict[str, Any]:
    try:
        values = json.loads(blob)
    except ValueError:
        values = None
    if not isinstance(values, dict) or not isinstance(values.get('access'), str) \
            or not values['access']:
        raise exception.InvalidInput(field='blob',
                                     reason='an ec2 blob is a JSON object with an access key')
    return values


class CredentialStore:
    """Create, list, show, update and delete credentials (mixed into the manager)."""

    _db: Any
    _conf: Any

    def _crypto(self) -> fernet.MultiFernet:
        repo = self._conf.identity.credential_key_repository
        if not fernet_keys.key_indexes(repo):
            fernet_keys.setup(repo)
        return fernet.MultiFernet([fernet.Fernet(key) for key in fernet_keys.load(repo)])

    def _record(self, row: auth_models.Credential,
                crypto: fernet.MultiFernet) -> dict[str, Any]:
        try:
            blob = crypto.decrypt(row.encrypted_blob.encode('ascii')).decode('utf-8')
        except fernet.InvalidToken:
            raise exception.NovaLiteError(
                f'Credential {row.id} cannot be decrypted with the keys of '
                '[identity] credential_key_repository.') from None
        return {'id': row.id, 'user_id': row.user_id, 'project_id': row.project_id,
                'type': row.type, 'blob': blob}

    @staticmethod
    def _check(cred_type: Any, blob: Any) -> None:
        if not isinstance(cred_type, str) or not 0 < len(cred_type) <= 255:
            raise exception.InvalidInput(field='type', reason='must be a string')
        if not isinstance(blob, str) or not blob or len(blob) > MAX_BLOB_LENGTH:
            raise exception.InvalidInput(field='blob', reason='must be a non-empty string')

    def create_credential(self, user_id: str, cred_type: str, blob: str, *,
                          project_id: str | None = None) -> dict[str, Any]:
        self._check(cred_type, blob)
        cred_id = uuid.uuid4().hex
        if cred_type == EC2:
            if project_id is None:
                raise exception.InvalidInput(field='project_id',
                                             reason='an ec2 credential needs a project')
            cred_id = ec2_id(_ec2_blob(blob)['access'])
        crypto = self._crypto()
        try:
            with self._db.session() as session:
                resources.load_row(session, models.User, 'User', 'user_id', user_id)
                if project_id is not None:
                    resources.load_row(session, models.Project, 'Project', 'project_id',
                                       project_id)
                if session.get(auth_models.Credential, cred_id) is not None:
                    raise exception.Duplicate(resource='Credential', name=cred_id)
                row = auth_models.Credential(
                    id=cred_id, user_id=user_id, project_id=project_id, type=cred_type,
                    encrypted_blob=crypto.encrypt(blob.encode('utf-8')).decode('ascii'))
                session.add(row)
                session.flush()
                record = self._record(row, crypto)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Credential', name=cred_id) from None
        LOG.info('Created %s credential %s of user %s', cred_type, cred_id, user_id)
        return record

    def list_credentials(self, user_id: str | None = None,
                         cred_type: str | None = None) -> list[dict[str, Any]]:
        stmt = sa.select(auth_models.Credential).order_by(auth_models.Credential.created_at,
                                                          auth_models.Credential.id)
        if user_id is not None:
            stmt = stmt.where(auth_models.Credential.user_id == user_id)
        if cred_type is not None:
            stmt = stmt.where(auth_models.Credential.type == cred_type)
        crypto = self._crypto()
        with self._db.reader() as session:
            return [self._record(row, crypto) for row in session.scalars(stmt)]

    @staticmethod
    def _row(session: orm.Session, cred_id: str) -> auth_models.Credential:
        row = session.get(auth_models.Credential, cred_id) if isinstance(cred_id, str) \
            else None
        if row is None:
            raise exception.NotFound(resource='Credential', id=cred_id)
        return row

    def get_credential(self, cred_id: str) -> dict[str, Any]:
        crypto = self._crypto()
        with self._db.reader() as session:
            return self._record(self._row(session, cred_id), crypto)

    def update_credential(self, cred_id: str, *, blob: str | None = None,
                          cred_type: str | None = None,
                          project_id: str | None = None) -> dict[str, Any]:
        """Changes the blob, type or project (an ec2 credential keeps its access key)."""
        crypto = self._crypto()
        with self._db.session() as session:
            row = self._row(session, cred_id)
            new_type = row.type if cred_type is None else cred_type
            new_blob = blob if blob is not None else self._record(row, crypto)['blob']
            self._check(new_type, new_blob)
            if new_type == EC2:
                _ec2_blob(new_blob)
            if project_id is not None:
                resources.load_row(session, models.Project, 'Project', 'project_id',
                                   project_id)
                row.project_id = project_id
            row.type = new_type
            row.encrypted_blob = crypto.encrypt(new_blob.encode('utf-8')).decode('ascii')
            session.flush()
            return self._record(row, crypto)

    def delete_credential(self, cred_id: str) -> None:
        with self._db.session() as session:
            session.delete(self._row(session, cred_id))
        LOG.info('Deleted credential %s', cred_id)

    # EC2 -------------------------------------------------------------------------

    def create_ec2_credential(self, user_id: str, project_id: str) -> dict[str, Any]:
        """New random access and secret keys for the user on the project."""
        blob = {'access': uuid.uuid4().hex, 'secret': uuid.uuid4().hex, 'trust_id': None}
        record = self.create_credential(user_id, EC2, json.dumps(blob),
                                        project_id=project_id)
        return self._ec2(record)

    @staticmethod
    def _ec2(record: dict[str, Any]) -> dict[str, Any]:
        blob = json.loads(record['blob'])
        return {'user_id': record['user_id'], 'tenant_id': record['project_id'],
                'access': blob['access'], 'secret': blob.get('secret'),
                'trust_id': blob.get('trust_id')}

    def list_ec2_credentials(self, user_id: str) -> list[dict[str, Any]]:
        return [self._ec2(r) for r in self.list_credentials(user_id=user_id, cred_type=EC2)]

    def get_ec2_credential(self, user_id: str, access: str) -> dict[str, Any]:
        try:
            record = self.get_credential(ec2_id(access))
        except exception.NotFound:
            record = None
        if record is None or record['user_id'] != user_id or record['type'] != EC2:
            raise exception.NotFound(resource='EC2 credential', id=access)
        return self._ec2(record)

    def delete_ec2_credential(self, user_id: str, access: str) -> None:
        self.get_ec2_credential(user_id, access)
        self.delete_credential(ec2_id(access))
