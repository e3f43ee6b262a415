"""The in-process token validation cache the service APIs of a process share."""

from __future__ import annotations

from nova_lite.api import auth


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_kept_for_its_time_only() -> None:
    clock = FakeClock()
    cache = auth.TokenValidationCache(clock=clock)
    assert cache.set('tokens/a', b'{"x": 1}', time=10)
    assert cache.get('tokens/a') == b'{"x": 1}'
    clock.now += 9.9
    assert cache.get('tokens/a') == b'{"x": 1}'
    clock.now += 0.1
    assert cache.get('tokens/a') is None and cache.count() == 0


def test_a_negative_time_stores_nothing_and_zero_keeps_until_evicted() -> None:
    clock = FakeClock()
    cache = auth.TokenValidationCache(clock=clock)
    assert not cache.set('tokens/a', b'a', time=-1)
    assert cache.get('tokens/a') is None
    cache.set('tokens/b', b'b', time=0)
    clock.now += 1e6
    assert cache.get('tokens/b') == b'b'


def test_the_cache_is_bounded_expired_entries_first_then_the_oldest() -> None:
    clock = FakeClock()
    cache = auth.TokenValidationCache(3, clock=clock)
    cache.set('old', b'1', time=100)
    cache.set('expiring', b'2', time=1)
    cache.set('young', b'3', time=100)
    clock.now += 2
    cache.set('new', b'4', time=100)  # the expired one makes room
    assert [cache.get(k) for k in ('old', 'expiring', 'young', 'new')] == [
        b'1', None, b'3', b'4']
    cache.set('newer', b'5', time=100)  # none expired: the oldest goes
    assert cache.get('old') is None and cache.get('newer') == b'5' and cache.count() == 3
