"""Authenticate: the sealed token is validated with identity; the context keeps it sealed."""

from __future__ import annotations

import uuid

import pytest

from nova_lite.common import context as nl_context
from nova_lite.common import exception, fernet_keys
from nova_lite.conductor import token_seal
from nova_lite.conductor.tasks import base, identity
from tests.unit.conductor.tasks import fakes


def _task(identity_client: fakes.FakeIdentity,
          sealer: token_seal.TokenSealer) -> identity.Authenticate:
    return identity.Authenticate(identity_client, sealer)


def test_execute_provides_the_validated_context_with_the_token_still_sealed(
        identity: fakes.FakeIdentity, sealer: token_seal.TokenSealer) -> None:
    sealed = sealer.seal(fakes.TOKEN)

    context = _task(identity, sealer).execute('instance-1', sealed)

    assert identity.called('context_from_token') == [{'token': fakes.TOKEN}]
    assert context['auth_token'] == sealed
    assert fakes.TOKEN not in repr(context)
    ctx = base.context_from_dict(context, sealer)
    assert (ctx.user_id, ctx.project_id, ctx.roles, ctx.user_name, ctx.project_name,
            ctx.auth_token) == ('u1', 'p1', ['member', 'reader'], 'alice', 'demo',
                                fakes.TOKEN)


def test_the_context_keeps_the_boot_request_s_ids(
        identity: fakes.FakeIdentity, sealer: token_seal.TokenSealer) -> None:
    ids: nl_context.RequestIds = {'request_id': f'req-{uuid.uuid4()}',
                                  'global_request_id': f'req-{uuid.uuid4()}'}
    context = _task(identity, sealer).execute('instance-1', sealer.seal(fakes.TOKEN),
                                              request_ids=ids)
    ctx = base.context_from_dict(context, sealer)
    assert (ctx.request_id, ctx.global_request_id) == (ids['request_id'],
                                                       ids['global_request_id'])


def test_a_token_identity_refuses_fails_the_boot(identity: fakes.FakeIdentity,
                                                 sealer: token_seal.TokenSealer) -> None:
    with pytest.raises(exception.TokenInvalid):
        _task(identity, sealer).execute('instance-1', sealer.seal('revoked-token'))
    assert identity.called('context_from_token') == [{'token': 'revoked-token'}]


def test_a_token_sealed_by_other_keys_is_not_even_sent_to_identity(
        identity: fakes.FakeIdentity, sealer: token_seal.TokenSealer,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    other_repository = str(tmp_path_factory.mktemp('other') / 'keys')
    fernet_keys.setup(other_repository)
    foreign = token_seal.TokenSealer.from_repository(other_repository).seal(fakes.TOKEN)
    with pytest.raises(exception.SealedTokenInvalid):
        _task(identity, sealer).execute('instance-1', foreign)
    assert identity.calls == []


def test_a_rerun_after_a_crash_provides_the_same_context(
        identity: fakes.FakeIdentity, sealer: token_seal.TokenSealer) -> None:
    task = _task(identity, sealer)
    sealed = sealer.seal(fakes.TOKEN)
    first = task.execute('instance-1', sealed)
    again = task.execute('instance-1', sealed)
    assert again == first
    # Validation has no side effect: the second run only asked again.
    assert identity.called('context_from_token') == [{'token': fakes.TOKEN}] * 2


def test_revert_has_nothing_to_undo(identity: fakes.FakeIdentity,
                                    sealer: token_seal.TokenSealer,
                                    caplog: pytest.LogCaptureFixture) -> None:
    task = _task(identity, sealer)
    context = task.execute('instance-1', sealer.seal(fakes.TOKEN))
    identity.calls.clear()

    task.revert('instance-1', result=context)

    assert identity.calls == []
    assert fakes.revert_failures(caplog.records) == []
