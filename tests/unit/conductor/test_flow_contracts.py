"""What each flow requires and provides, and the shape of the boot flow."""

from taskflow.patterns import graph_flow, linear_flow

from nova_lite.conductor.flows import delete as delete_flow
from nova_lite.conductor.flows import keys
from nova_lite.flowviz import boot_flow as drawing


def _atoms(flow):
    for item in flow:
        if isinstance(item, (linear_flow.Flow, graph_flow.Flow)):
            if item.retry is not None:
                yield item.retry
            yield from _atoms(item)
        else:
            yield item


def test_boot_flow_requires_only_its_inputs():
    flow = drawing.describe_boot_flow()
    assert set(flow.requires) == {keys.INSTANCE_ID, keys.SEALED_TOKEN, keys.REQUEST_SPEC}


def test_boot_flow_provides():
    flow = drawing.describe_boot_flow()
    assert set(flow.provides) == {keys.CONTEXT, keys.FAILED_HOSTS, keys.HOST,
                                  keys.ALTERNATE_HOSTS, keys.FLAVOR, keys.IMAGE,
                                  keys.NETWORK_INFO, keys.BLOCK_DEVICES, keys.SPAWN_RESULT,
                                  keys.INSTANCE, keys.BLOCK_DEVICE_MAPPING}


def test_boot_flow_shape():
    flow = drawing.describe_boot_flow()
    names = [item.name for item in flow]
    assert names == [keys.INSTANCE_TO_ERROR_ON_REVERT, keys.AUTHENTICATE,
                     keys.CREATE_VOLUMES, keys.RESCHEDULE_FLOW, keys.MARK_ACTIVE]
    reschedule = list(flow)[3]
    assert reschedule.retry is not None and reschedule.retry.name == keys.HOST_RETRY
    assert [item.name for item in reschedule] == [keys.SCHEDULE, keys.GATHER_FLOW, keys.SPAWN]
    gather = list(reschedule)[1]
    assert isinstance(gather, graph_flow.Flow)
    assert {item.name for item in gather} == {keys.GET_FLAVOR, keys.GET_IMAGE,
                                              keys.ALLOCATE_NETWORK, keys.ATTACH_VOLUMES}
    # The four gather tasks are independent: nothing links them, so they run in parallel.
    assert list(gather.iter_links()) == []


def test_every_boot_task_is_named_in_keys_and_documents_its_revert():
    atoms = list(_atoms(drawing.describe_boot_flow()))
    tasks = [a for a in atoms if a.name != keys.HOST_RETRY]
    assert sorted(t.name for t in tasks) == sorted(keys.BOOT_TASKS)
    for task in tasks:
        assert 'Reversion strategy:' in (type(task).__doc__ or ''), task.name


def test_task_contracts():
    atoms = {a.name: a for a in _atoms(drawing.describe_boot_flow())}
    expect = {
        keys.AUTHENTICATE: ({keys.INSTANCE_ID, keys.SEALED_TOKEN}, {keys.CONTEXT}),
        keys.CREATE_VOLUMES: ({keys.CONTEXT, keys.INSTANCE_ID, keys.REQUEST_SPEC},
                              {keys.BLOCK_DEVICE_MAPPING}),
        keys.SCHEDULE: ({keys.CONTEXT, keys.INSTANCE_ID, keys.REQUEST_SPEC, keys.FAILED_HOSTS},
                        {keys.HOST, keys.ALTERNATE_HOSTS}),
        keys.GET_FLAVOR: ({keys.INSTANCE_ID}, {keys.FLAVOR}),
        keys.GET_IMAGE: ({keys.CONTEXT, keys.INSTANCE_ID, keys.REQUEST_SPEC}, {keys.IMAGE}),
        keys.ALLOCATE_NETWORK: ({keys.CONTEXT, keys.INSTANCE_ID, keys.REQUEST_SPEC, keys.HOST},
                                {keys.NETWORK_INFO}),
        keys.ATTACH_VOLUMES: ({keys.CONTEXT, keys.INSTANCE_ID, keys.REQUEST_SPEC, keys.HOST},
                              {keys.BLOCK_DEVICES}),
        keys.SPAWN: ({keys.CONTEXT, keys.INSTANCE_ID, keys.HOST, keys.FLAVOR, keys.IMAGE,
                      keys.NETWORK_INFO, keys.BLOCK_DEVICES}, {keys.SPAWN_RESULT}),
        keys.MARK_ACTIVE: ({keys.INSTANCE_ID, keys.HOST, keys.NETWORK_INFO, keys.SPAWN_RESULT},
                           {keys.INSTANCE}),
    }
    for name, (requires, provides) in expect.items():
        assert set(atoms[name].requires) == requires, name
        assert set(atoms[name].provides) == provides, name
    # The attach task takes create-volumes' mappings when the store has them (a boot
    # saved before boot from volume has only the request's volume_ids).
    assert set(atoms[keys.ATTACH_VOLUMES].optional) == {keys.BLOCK_DEVICE_MAPPING}


def test_delete_flow_contract():
    flow = delete_flow.get_delete_flow(instances=None, resources=None)
    assert set(flow.requires) == {keys.INSTANCE_ID, keys.INSTANCE}
    assert [t.name for t in flow] == [keys.DELETE_TO_ERROR_ON_REVERT, keys.DESTROY_DOMAIN,
                                      keys.DETACH_VOLUMES, keys.DEALLOCATE_NETWORK,
                                      keys.RELEASE_CLAIM, keys.MARK_DELETED]
    for task in flow:
        assert 'Reversion strategy:' in (type(task).__doc__ or '') + (
            task.revert.__doc__ or ''), task.name
