"""TokenSealer: the user's token sealed by the conductors' keys, and the tasks that
unseal it (authenticate, and every task that acts with the user's context)."""

from __future__ import annotations

import os
import pathlib
import stat
from typing import Any

import pytest
from cryptography import fernet

from nova_lite.common import context as nl_context
from nova_lite.common import exception, fernet_keys
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base, identity

TOKEN = 'gAAAAABm-a-user-token-as-identity-issues-it_0123456789'


@pytest.fixture
def repo(tmp_path: pathlib.Path) -> str:
    path = str(tmp_path / 'conductor-keys')
    fernet_keys.setup(path)
    return path


@pytest.fixture
def sealer(repo: str) -> token_seal.TokenSealer:
    return token_seal.TokenSealer.from_repository(repo)


# -- the sealer ---------------------------------------------------------------------------


def test_round_trip(sealer: token_seal.TokenSealer) -> None:
    sealed = sealer.seal(TOKEN)
    assert TOKEN not in sealed
    assert sealer.unseal(sealed) == TOKEN
    # A fresh IV each time: two seals of one token differ, both open.
    again = sealer.seal(TOKEN)
    assert again != sealed and sealer.unseal(again) == TOKEN
    assert sealer.unseal(sealer.seal('')) == ''


def test_the_primary_key_seals(repo: str, sealer: token_seal.TokenSealer) -> None:
    primary = pathlib.Path(repo, '1').read_bytes()
    assert fernet.Fernet(primary).decrypt(sealer.seal(TOKEN).encode()) == TOKEN.encode()


def test_another_sealer_of_the_same_keys_opens_it(repo: str,
                                                  sealer: token_seal.TokenSealer) -> None:
    other = token_seal.TokenSealer(fernet_keys.load(repo))
    assert other.unseal(sealer.seal(TOKEN)) == TOKEN


def test_a_rotation_keeps_older_seals_readable(repo: str,
                                               sealer: token_seal.TokenSealer) -> None:
    before = sealer.seal(TOKEN)
    assert token_seal.rotate_repository(repo, 3) == [0, 1, 2]

    # A conductor started after the rotation seals with the new primary (the
    # staged key of before) and still opens what the old primary sealed.
    fresh = token_seal.TokenSealer.from_repository(repo)
    assert fresh.unseal(before) == TOKEN
    after = fresh.seal(TOKEN)
    assert fernet.Fernet(pathlib.Path(repo, '2').read_bytes()).decrypt(after.encode())
    # The conductor started before it opens the new seals too (it had the staged key),
    assert sealer.unseal(after) == TOKEN
    # and seals with the new primary from now on: it read the keys again.
    assert fernet.Fernet(pathlib.Path(repo, '2').read_bytes()).decrypt(
        sealer.seal(TOKEN).encode())


def test_a_running_sealer_follows_rotations_without_a_restart(
        repo: str, sealer: token_seal.TokenSealer) -> None:
    token_seal.rotate_repository(repo, 4)
    token_seal.rotate_repository(repo, 4)  # primary 3: a key the sealer never saw
    fresh = token_seal.TokenSealer.from_repository(repo)
    assert sealer.unseal(fresh.seal(TOKEN)) == TOKEN


def test_a_seal_whose_key_was_rotated_out_is_refused(repo: str,
                                                     sealer: token_seal.TokenSealer) -> None:
    sealed = sealer.seal(TOKEN)
    token_seal.rotate_repository(repo, 3)
    assert sealer.unseal(sealed) == TOKEN
    assert token_seal.rotate_repository(repo, 3) == [0, 2, 3]  # key 1 is gone
    with pytest.raises(exception.SealedTokenInvalid) as raised:
        sealer.unseal(sealed)
    assert 'no key of this conductor sealed it' in raised.value.message
    assert TOKEN not in raised.value.message and sealed not in raised.value.message


@pytest.mark.parametrize('garbage', [
    '', 'garbage', TOKEN, 'gAAAAA' + 'A' * 100, 'é-not-ascii', None, 42, b'bytes'])
def test_garbage_is_refused(sealer: token_seal.TokenSealer, garbage: Any) -> None:
    with pytest.raises(exception.SealedTokenInvalid) as raised:
        sealer.unseal(garbage)
    assert raised.value.code == 500
    assert '\n' not in raised.value.message


def test_a_seal_of_unknown_keys_is_refused(sealer: token_seal.TokenSealer) -> None:
    foreign = token_seal.TokenSealer([fernet.Fernet.generate_key()]).seal(TOKEN)
    with pytest.raises(exception.SealedTokenInvalid):
        sealer.unseal(foreign)


def test_a_tampered_seal_is_refused(sealer: token_seal.TokenSealer) -> None:
    sealed = sealer.seal(TOKEN)
    middle = len(sealed) // 2
    tampered = sealed[:middle] + ('A' if sealed[middle] != 'A' else 'B') + sealed[middle + 1:]
    with pytest.raises(exception.SealedTokenInvalid):
        sealer.unseal(tampered)


@pytest.mark.parametrize('make', ['missing', 'empty', 'other-files'])
def test_a_repository_with_no_keys_names_the_option_and_the_command(
        tmp_path: pathlib.Path, make: str) -> None:
    path = tmp_path / 'conductor-keys'
    if make != 'missing':
        path.mkdir(mode=0o700)
    if make == 'other-files':
        (path / 'README').write_text('not a key')
        (path / '.1.tmp').write_text('half written')
    with pytest.raises(exception.ConductorKeysMissing) as raised:
        token_seal.TokenSealer.from_repository(str(path))
    message = str(raised.value)
    assert message == (f'Conductor key repository {path} ([conductor] token_key_repository) '
                       'has no keys; run "nova-lite-manage conductor-keys setup".')
    assert '\n' not in message


def test_rotating_a_repository_never_set_up_fails(tmp_path: pathlib.Path) -> None:
    path = str(tmp_path / 'conductor-keys')
    with pytest.raises(exception.ConductorKeysMissing) as raised:
        token_seal.rotate_repository(path, 3)
    assert 'no staged key' in raised.value.message
    assert 'conductor-keys setup' in raised.value.message
    assert not os.path.exists(path)


def test_a_sealer_needs_a_key() -> None:
    with pytest.raises(exception.NovaLiteError):
        token_seal.TokenSealer([])


def test_the_repository_is_kept_like_the_fernet_keys(repo: str) -> None:
    assert stat.S_IMODE(os.stat(repo).st_mode) == 0o700
    assert sorted(os.listdir(repo)) == ['0', '1']
    for name in ('0', '1'):
        assert stat.S_IMODE(os.stat(os.path.join(repo, name)).st_mode) == 0o600


# -- the tasks ------------------------------------------------------------------------------


class FakeIdentity:
    """Validates one token: the clear one."""

    def __init__(self) -> None:
        self.validated: list[str] = []

    def context_from_token(self, token: str) -> nl_context.RequestContext:
        self.validated.append(token)
        if token != TOKEN:
            raise exception.TokenInvalid(reason='not the token')
        return nl_context.RequestContext(user_id='u1', project_id='p1', roles=['member'],
                                         auth_token=token, user_name='alice',
                                         project_name='demo')


def test_authenticate_validates_the_clear_token_and_provides_the_sealed_one(
        sealer: token_seal.TokenSealer) -> None:
    fake = FakeIdentity()
    task = identity.Authenticate(fake, sealer)  # type: ignore[arg-type]
    assert set(task.requires) == {keys.INSTANCE_ID, keys.SEALED_TOKEN}
    sealed = sealer.seal(TOKEN)

    context = task.execute('inst-1', sealed)

    assert fake.validated == [TOKEN]
    assert context['auth_token'] == sealed
    assert TOKEN not in repr(context)
    assert (context['user'], context['project_id'], context['user_name']) == (
        'u1', 'p1', 'alice')
    # What the next tasks make of it: the user's context with the clear token.
    ctx = base.context_from_dict(context, sealer)
    assert (ctx.auth_token, ctx.user_id, ctx.project_id, ctx.roles, ctx.user_name) == (
        TOKEN, 'u1', 'p1', ['member'], 'alice')


def test_authenticate_refuses_a_token_in_clear(sealer: token_seal.TokenSealer) -> None:
    # A boot saved by an older version, with the token in clear, does not resume.
    fake = FakeIdentity()
    task = identity.Authenticate(fake, sealer)  # type: ignore[arg-type]
    with pytest.raises(exception.SealedTokenInvalid):
        task.execute('inst-1', TOKEN)
    assert fake.validated == []


def test_context_from_dict_refuses_a_context_with_a_clear_token(
        sealer: token_seal.TokenSealer) -> None:
    values = nl_context.RequestContext(user_id='u1', project_id='p1',
                                       auth_token=TOKEN).to_dict()
    with pytest.raises(exception.SealedTokenInvalid):
        base.context_from_dict(values, sealer)
    # A context with no token at all stays without one.
    values['auth_token'] = None
    assert base.context_from_dict(values, sealer).auth_token is None


def test_a_revert_needs_no_token_so_one_that_cannot_be_unsealed_still_frees(
        sealer: token_seal.TokenSealer, caplog: pytest.LogCaptureFixture) -> None:
    from nova_lite.conductor import resource_cleanup
    from nova_lite.conductor.tasks import network, volume
    from tests.unit.conductor.tasks import fakes

    networks, volumes = fakes.FakeNetwork(), fakes.FakeVolumes()
    networks.add_network('net-1', 'private')
    networks.create_port(fakes.user_request_context(), network_id='net-1', device_id='inst-1')
    volumes.add_volume('vol-1')
    volumes.reserve_volume(fakes.user_request_context(), 'vol-1', 'inst-1')
    cleanup = resource_cleanup.InstanceResources(networks, volumes, None, None)
    bad_context = {'auth_token': 'not-sealed', 'user': 'u1', 'project_id': 'p1'}
    net = network.AllocateNetwork(networks, None, sealer, cleanup)  # type: ignore[arg-type]
    vol = volume.AttachVolumes(volumes, None, sealer, cleanup)  # type: ignore[arg-type]
    net.revert(bad_context, 'inst-1', {'networks': []})
    vol.revert(bad_context, 'inst-1')
    assert networks.ports == {} and volumes.attachments_of('inst-1') == []
    assert 'cannot be unsealed' not in caplog.text
