"""The read-only gather tasks: flavor (from the database) and image (from the image API)."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.conductor import token_seal
from nova_lite.conductor.tasks import resources
from tests.unit.conductor.tasks import fake_services, fakes

REQUEST_SPEC = {'image': {'id': 'img1', 'properties': {'hw_disk_bus': 'virtio'}},
                'networks': []}


@pytest.fixture
def flavors() -> fake_services.FakeFlavorStore:
    store = fake_services.FakeFlavorStore()
    store.add('f1')
    return store


@pytest.fixture
def images() -> fakes.FakeImages:
    fake = fakes.FakeImages()
    fake.add('img1', name='cirros', size=16338944, min_disk=1)
    return fake


# -- flavor -----------------------------------------------------------------------------


def test_get_flavor_provides_the_flavor_of_the_instance(
        instances: fake_services.FakeInstanceStore, flavors: fake_services.FakeFlavorStore,
        instance_id: str) -> None:
    flavor = resources.GetFlavor(instances, flavors).execute(instance_id)
    assert flavor == flavors.flavors['f1']
    assert (flavor['id'], flavor['vcpus'], flavor['memory_mb'], flavor['root_gb']) == (
        'f1', 2, 2048, 20)


def test_get_flavor_still_reads_a_flavor_disabled_since_the_request(
        instances: fake_services.FakeInstanceStore, flavors: fake_services.FakeFlavorStore,
        instance_id: str) -> None:
    flavors.add('f1', disabled=True)
    assert resources.GetFlavor(instances, flavors).execute(instance_id)['id'] == 'f1'


def test_get_flavor_of_a_deleted_instance_fails(
        instances: fake_services.FakeInstanceStore, flavors: fake_services.FakeFlavorStore,
        instance_id: str) -> None:
    instances.mark_deleted(instance_id)
    with pytest.raises(exception.NotFound):
        resources.GetFlavor(instances, flavors).execute(instance_id)


def test_get_flavor_rerun_provides_the_same_flavor_and_changes_nothing(
        instances: fake_services.FakeInstanceStore, flavors: fake_services.FakeFlavorStore,
        instance_id: str) -> None:
    task = resources.GetFlavor(instances, flavors)
    before = instances.get(instance_id)
    assert task.execute(instance_id) == task.execute(instance_id)
    assert instances.get(instance_id) == before
    assert instances.called('update') == []


def test_get_flavor_revert_has_nothing_to_undo(
        instances: fake_services.FakeInstanceStore, flavors: fake_services.FakeFlavorStore,
        instance_id: str, caplog: pytest.LogCaptureFixture) -> None:
    task = resources.GetFlavor(instances, flavors)
    before = instances.get(instance_id)
    task.revert(instance_id, result=task.execute(instance_id))
    assert instances.get(instance_id) == before
    assert flavors.flavors['f1']['disabled'] is False
    assert fakes.revert_failures(caplog.records) == []


# -- image ------------------------------------------------------------------------------


def _get_image(images: fakes.FakeImages,
               sealer: token_seal.TokenSealer) -> resources.GetImage:
    return resources.GetImage(images, sealer)


def test_get_image_provides_the_image_its_location_and_the_requested_properties(
        images: fakes.FakeImages, sealer: token_seal.TokenSealer,
        context: dict[str, Any]) -> None:
    image = _get_image(images, sealer).execute(context, 'instance-1', REQUEST_SPEC)

    assert image == {'id': 'img1', 'name': 'cirros', 'status': 'active',
                     'disk_format': 'qcow2', 'size': 16338944, 'checksum': 'md5sum',
                     'os_hash_algo': 'sha512', 'os_hash_value': 'sha512sum', 'min_disk': 1,
                     'min_ram': 0, 'location': 'file:///var/lib/images/img1',
                     'properties': {'hw_disk_bus': 'virtio'}}
    # Asked with the user's token (unsealed for the call), never the sealed one.
    assert [(call.method, call.token) for call in images.calls] == [
        ('get_image', fakes.TOKEN), ('get_location', fakes.TOKEN)]


def test_get_image_of_an_image_gone_fails(images: fakes.FakeImages,
                                          sealer: token_seal.TokenSealer,
                                          context: dict[str, Any]) -> None:
    del images.images['img1']
    with pytest.raises(exception.NotFound):
        _get_image(images, sealer).execute(context, 'instance-1', REQUEST_SPEC)


def test_get_image_rerun_provides_the_same_image(images: fakes.FakeImages,
                                                 sealer: token_seal.TokenSealer,
                                                 context: dict[str, Any]) -> None:
    task = _get_image(images, sealer)
    first = task.execute(context, 'instance-1', REQUEST_SPEC)
    assert task.execute(context, 'instance-1', REQUEST_SPEC) == first
    assert images.images['img1']['status'] == 'active'


def test_get_image_revert_has_nothing_to_undo(images: fakes.FakeImages,
                                              sealer: token_seal.TokenSealer,
                                              caplog: pytest.LogCaptureFixture) -> None:
    _get_image(images, sealer).revert('instance-1', result=None)
    assert images.calls == []
    assert fakes.revert_failures(caplog.records) == []
