"""The conductor's listener publishes each task's start and success, with what it needs."""

from __future__ import annotations

from typing import Any

from taskflow import engines, states, task
from taskflow.patterns import linear_flow

from nova_lite.common import notifications as notes
from nova_lite.conductor import flow_notifications
from nova_lite.conductor.flows import keys


class AllocateLike(task.Task):
    def __init__(self) -> None:
        super().__init__(keys.ALLOCATE_NETWORK, requires=[keys.CONTEXT, keys.REQUEST_SPEC,
                                                          keys.HOST],
                         provides=keys.NETWORK_INFO)

    def execute(self, context: dict[str, Any], request_spec: dict[str, Any],
                host: str) -> list[dict[str, Any]]:
        return [{'port_id': 'p1', 'network_name': 'net'}]


def test_each_state_change_is_published_with_arguments_and_result() -> None:
    notifier = notes.Notifier()
    heard: list[notes.Notification] = []
    notifier.subscribe(heard.append)
    engine = engines.load(linear_flow.Flow(keys.BOOT_FLOW).add(AllocateLike()),
                          store={keys.CONTEXT: {'auth_token': 'sealed'},
                                 keys.REQUEST_SPEC: {'networks': []}, keys.HOST: 'h1'})
    with flow_notifications.TaskNotifier(engine, keys.BOOT_FLOW, 'i-1', 'vm', notifier):
        engine.run()

    assert all(isinstance(n, notes.FlowTaskChanged) for n in heard)
    changes = [n for n in heard if isinstance(n, notes.FlowTaskChanged)]
    assert [n.state for n in changes] == [states.RUNNING, states.SUCCESS]
    running, succeeded = changes
    assert (running.flow, running.task, running.instance_id, running.instance_name) == (
        keys.BOOT_FLOW, keys.ALLOCATE_NETWORK, 'i-1', 'vm')
    # The task's arguments, without the user's context (it holds the token).
    assert running.arguments == {keys.REQUEST_SPEC: {'networks': []}, keys.HOST: 'h1'}
    assert running.result is None
    assert succeeded.result == [{'port_id': 'p1', 'network_name': 'net'}]
    assert succeeded.arguments[keys.HOST] == 'h1'


def test_nothing_is_read_or_published_when_nobody_listens() -> None:
    class CountingNotifier(notes.Notifier):
        published = 0

        def publish(self, notification: notes.Notification) -> None:
            CountingNotifier.published += 1
            super().publish(notification)

    notifier = CountingNotifier()
    engine = engines.load(linear_flow.Flow(keys.BOOT_FLOW).add(AllocateLike()),
                          store={keys.CONTEXT: {'auth_token': 'sealed'},
                                 keys.REQUEST_SPEC: {'networks': []}, keys.HOST: 'h1'})
    with flow_notifications.TaskNotifier(engine, keys.BOOT_FLOW, 'i-1', 'vm', notifier):
        engine.run()
    assert not notifier.has_listeners
    assert CountingNotifier.published == 0

    heard: list[notes.Notification] = []
    notifier.subscribe(heard.append)
    assert notifier.has_listeners
