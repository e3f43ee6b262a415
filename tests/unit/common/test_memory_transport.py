"""The event-driven in-process transport: consumers wake on a put, never poll,
miss no message put while they go to sleep, and still time out.

Timings here are never tight: a consumer that should wake must do so well before
a generous timeout (a lost wake-up would sleep until it), and the tests that a
consumer does not poll count its looks at its queues instead of timing them.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import kombu
import oslo_messaging
import pytest
from oslo_config import cfg

from nova_lite.common import memory_transport, rpc

GENEROUS = 30.0  # seconds; only a lost wake-up (or a hung test) gets near it
EXCHANGE = kombu.Exchange('nl-transport-test', type='direct')


class Consumer:
    """One kombu connection on kombu+nlmemory consuming one queue."""

    def __init__(self, queue_name: str, *, ack: bool = True) -> None:
        self.queue_name = queue_name
        self.ack = ack
        self.messages: list[Any] = []
        self.connection = kombu.Connection(f'{memory_transport.NAME}://')
        self.received: list[Any] = []
        channel = self.connection.channel()
        queue = kombu.Queue(queue_name, exchange=EXCHANGE, routing_key=queue_name,
                            channel=channel)
        queue.declare()
        self.consumer = kombu.Consumer(channel, [queue], callbacks=[self._on_message],
                                       accept=['json'])
        self.consumer.consume()

    def _on_message(self, body: Any, message: Any) -> None:
        self.received.append(body)
        self.messages.append(message)
        if self.ack:
            message.ack()

    @property
    def transport(self) -> memory_transport.Transport:
        return self.connection.transport

    def drain(self, timeout: float | None) -> None:
        self.connection.drain_events(timeout=timeout)

    def close(self) -> None:
        self.consumer.cancel()
        self.connection.release()


def publish(queue_name: str, body: Any) -> None:
    with kombu.Connection(f'{memory_transport.NAME}://') as connection:
        kombu.Producer(connection.channel()).publish(
            body, exchange=EXCHANGE, routing_key=queue_name, serializer='json',
            declare=[EXCHANGE])


@pytest.fixture(autouse=True)
def registered() -> None:
    memory_transport.register()


@pytest.fixture
def queue_name() -> str:
    return f'q-{uuid.uuid4().hex}'


@pytest.fixture
def consumer(queue_name: str) -> Iterator[Consumer]:
    made = Consumer(queue_name)
    yield made
    made.close()


def _wait_until_subscribed(queue_name: str, count: int = 1) -> None:
    deadline = time.monotonic() + GENEROUS
    while memory_transport.Channel.bell.waiting_on(queue_name) < count:
        assert time.monotonic() < deadline, 'the consumer never went to sleep'
        time.sleep(0.001)


def test_the_url_name_resolves_to_the_event_driven_transport(consumer: Consumer) -> None:
    assert isinstance(consumer.transport, memory_transport.Transport)


def test_a_waiting_consumer_wakes_when_a_message_is_put(consumer: Consumer,
                                                        queue_name: str) -> None:
    outcome: list[BaseException | None] = []

    def drain() -> None:
        try:
            consumer.drain(timeout=GENEROUS)
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            outcome.append(error)

    waiter = threading.Thread(target=drain)
    waiter.start()
    _wait_until_subscribed(queue_name)
    publish(queue_name, {'n': 1})
    waiter.join(GENEROUS + 5)
    assert not waiter.is_alive()
    assert outcome == [None]  # woke on the put, not on its timeout
    assert consumer.received == [{'n': 1}]
    assert memory_transport.Channel.bell.waiting_on(queue_name) == 0


def test_a_message_already_there_is_delivered_without_waiting(consumer: Consumer,
                                                              queue_name: str) -> None:
    publish(queue_name, 'first')
    publish(queue_name, 'second')
    consumer.drain(timeout=0)
    consumer.drain(timeout=0)
    assert consumer.received == ['first', 'second']


def test_drain_times_out_when_nothing_comes(consumer: Consumer) -> None:
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        consumer.drain(timeout=0.2)
    assert time.monotonic() - start >= 0.19
    with pytest.raises(TimeoutError):
        consumer.drain(timeout=0)
    assert consumer.received == []


def test_a_waiting_consumer_looks_at_its_queues_twice_not_in_a_loop(
        consumer: Consumer, monkeypatch: pytest.MonkeyPatch) -> None:
    looks = 0
    deliver_one = consumer.transport._deliver_one

    def counted() -> bool:
        nonlocal looks
        looks += 1
        return deliver_one()

    monkeypatch.setattr(consumer.transport, '_deliver_one', counted)
    with pytest.raises(TimeoutError):
        consumer.drain(timeout=0.5)
    # Once before subscribing to the bell, once after; then it sleeps until its
    # timeout (a 2 ms poll would have looked about 250 times).
    assert looks == 2


def test_a_consumer_at_its_prefetch_limit_takes_the_next_message_once_it_acks(
        queue_name: str) -> None:
    consumer = Consumer(queue_name, ack=False)
    consumer.consumer.qos(prefetch_count=1)
    publish(queue_name, 'a')
    publish(queue_name, 'b')
    consumer.drain(timeout=0)
    assert consumer.received == ['a']
    with pytest.raises(TimeoutError):  # 'b' waits until 'a' is acknowledged
        consumer.drain(timeout=0.2)
    waiter = threading.Thread(target=consumer.drain, kwargs={'timeout': GENEROUS})
    waiter.start()
    time.sleep(0.1)
    consumer.messages[0].ack()
    waiter.join(GENEROUS + 5)
    assert not waiter.is_alive()
    assert consumer.received == ['a', 'b']
    consumer.close()


@pytest.mark.parametrize('empty_look', [1, 2])
def test_a_message_put_just_after_an_empty_look_wakes_the_consumer(
        consumer: Consumer, queue_name: str, monkeypatch: pytest.MonkeyPatch,
        empty_look: int) -> None:
    """The put lands after the consumer found its queues empty and before it
    sleeps (the first look is before it subscribes to the bell, the second after)."""
    deliver_one = consumer.transport._deliver_one
    looks = 0

    def put_after_the_look() -> bool:
        nonlocal looks
        delivered = deliver_one()
        looks += 1
        if looks == empty_look:
            assert not delivered
            publish(queue_name, 'in the window')
        return delivered

    monkeypatch.setattr(consumer.transport, '_deliver_one', put_after_the_look)
    start = time.monotonic()
    consumer.drain(timeout=GENEROUS)  # a lost wake-up raises TimeoutError
    assert time.monotonic() - start < GENEROUS
    assert consumer.received == ['in the window']


def test_fanout_wakes_every_consumer_bound_to_it() -> None:
    fanout = kombu.Exchange(f'fan-{uuid.uuid4().hex}', type='fanout')
    connections = [kombu.Connection(f'{memory_transport.NAME}://') for _ in range(3)]
    received: list[str] = []
    consumers = []
    queue_names = [f'fan-{number}-{uuid.uuid4().hex}' for number in range(len(connections))]

    def on_message(body: str, message: Any) -> None:
        received.append(body)
        message.ack()

    for name, connection in zip(queue_names, connections, strict=True):
        channel = connection.channel()
        queue = kombu.Queue(name, exchange=fanout, channel=channel)
        queue.declare()
        consumer = kombu.Consumer(channel, [queue], accept=['json'], callbacks=[on_message])
        consumer.consume()
        consumers.append(consumer)
    threads = [threading.Thread(target=connection.drain_events,
                                kwargs={'timeout': GENEROUS}) for connection in connections]
    for thread in threads:
        thread.start()
    for name in queue_names:
        _wait_until_subscribed(name)
    with kombu.Connection(f'{memory_transport.NAME}://') as producer_connection:
        kombu.Producer(producer_connection.channel()).publish(
            'all', exchange=fanout, routing_key='', serializer='json', declare=[fanout])
    for thread in threads:
        thread.join(GENEROUS + 5)
        assert not thread.is_alive()
    assert received == ['all', 'all', 'all']
    for consumer, connection in zip(consumers, connections, strict=True):
        consumer.cancel()
        connection.release()


def test_many_producers_and_consumers_lose_no_message_and_no_wake_up() -> None:
    consumers = [Consumer(f'many-{n}-{uuid.uuid4().hex}') for n in range(6)]
    per_producer = 150
    producers = 6
    expected: dict[str, list[str]] = {c.queue_name: [] for c in consumers}
    for p in range(producers):
        for i in range(per_producer):
            queue = list(expected)[(p + i) % len(consumers)]
            expected[queue].append(f'{p}-{i}')
    failures: list[str] = []

    def consume(consumer: Consumer) -> None:
        wanted = len(expected[consumer.queue_name])
        try:
            while len(consumer.received) < wanted:
                consumer.drain(timeout=GENEROUS)  # a lost wake-up times out here
        except TimeoutError:
            failures.append(f'{consumer.queue_name} timed out with '
                            f'{len(consumer.received)} of {wanted}')

    def produce(p: int) -> None:
        for i in range(per_producer):
            queue = list(expected)[(p + i) % len(consumers)]
            publish(queue, f'{p}-{i}')
            if i % 25 == 0:
                time.sleep(0.001)  # let consumers go to sleep now and then

    consumer_threads = [threading.Thread(target=consume, args=(c,)) for c in consumers]
    producer_threads = [threading.Thread(target=produce, args=(p,)) for p in range(producers)]
    for thread in consumer_threads + producer_threads:
        thread.start()
    for thread in producer_threads + consumer_threads:
        thread.join(GENEROUS * 2)
        assert not thread.is_alive()
    assert failures == []
    for consumer in consumers:
        name = consumer.queue_name
        assert sorted(consumer.received) == sorted(expected[name])
        consumer.close()


def test_consumers_sharing_a_queue_get_each_message_once(queue_name: str) -> None:
    consumers = [Consumer(queue_name) for _ in range(4)]
    total = 400
    stop = threading.Event()

    def consume(consumer: Consumer) -> None:
        while not stop.is_set():
            try:
                consumer.drain(timeout=0.05)
            except TimeoutError:
                pass

    threads = [threading.Thread(target=consume, args=(c,)) for c in consumers]
    for thread in threads:
        thread.start()
    for i in range(total):
        publish(queue_name, i)
    deadline = time.monotonic() + GENEROUS
    while sum(len(c.received) for c in consumers) < total and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    for thread in threads:
        thread.join(GENEROUS)
    received = [body for c in consumers for body in c.received]
    assert sorted(received) == list(range(total))
    for consumer in consumers:
        consumer.close()


def test_its_queues_are_apart_from_kombu_memory(consumer: Consumer, queue_name: str) -> None:
    publish(queue_name, 'for nlmemory only')
    with kombu.Connection('memory://') as plain:
        assert plain.SimpleQueue(queue_name).qsize() == 0
    assert memory_transport.Channel.queues[queue_name].qsize() == 1
    consumer.drain(timeout=0)
    assert consumer.received == ['for nlmemory only']


class Echo:
    def echo(self, ctxt: dict[str, Any], value: Any) -> Any:
        return value


def test_oslo_messaging_calls_and_casts_through_the_embedded_url() -> None:
    conf = cfg.ConfigOpts()
    conf([], project='nova_lite_transport_test', default_config_files=[],
         default_config_dirs=[])
    transport = rpc.get_transport(conf)
    assert conf.transport_url == rpc.EMBEDDED_TRANSPORT_URL
    topic = f'echo-{uuid.uuid4().hex}'
    server = oslo_messaging.get_rpc_server(
        transport, oslo_messaging.Target(topic=topic, server='s1'), [Echo()])
    server.start()
    try:
        client = oslo_messaging.get_rpc_client(
            transport, oslo_messaging.Target(topic=topic), timeout=GENEROUS)
        assert [client.call({}, 'echo', value=n) for n in range(20)] == list(range(20))
        client.cast({}, 'echo', value='cast')
        assert client.prepare(server='s1').call({}, 'echo', value='direct') == 'direct'
    finally:
        server.stop()
        server.wait()
        transport.cleanup()
