"""Base weigher and the handler that sums normalised, multiplied weights."""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Sequence
from typing import Any

from oslo_config import cfg
from stevedore import named

from nova_lite.common import exception
from nova_lite.scheduler import host_state
from nova_lite.scheduler.filters import base as filter_base

NAMESPACE = 'nova_lite.scheduler.weighers'


def normalize(values: Sequence[float]) -> list[float]:
    """Scale values to 0..1 over the candidates (all 0.0 when they are all equal)."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [0.0 for _ in values]
    return [(value - low) / (high - low) for value in values]


class BaseHostWeigher(abc.ABC):
    """Gives each host a raw weight; higher raw weights are preferred
    when the multiplier is positive, avoided when it is negative."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf

    @property
    def name(self) -> str:
        return type(self).__name__

    @property
    @abc.abstractmethod
    def multiplier(self) -> float:
        """How much this weigher counts (from configuration)."""

    @abc.abstractmethod
    def raw_weight(self, state: host_state.HostState, request_spec: dict[str, Any]) -> float:
        """The unscaled weight of one host."""

    def weigh(self, hosts: Sequence[host_state.HostState],
              request_spec: dict[str, Any]) -> list[float]:
        """Normalised weights of ``hosts`` (same order) times the multiplier."""
        raw = [self.raw_weight(state, request_spec) for state in hosts]
        return [self.multiplier * value for value in normalize(raw)]


@dataclasses.dataclass(frozen=True)
class WeighedHost:
    state: host_state.HostState
    weight: float

    @property
    def host(self) -> str:
        return self.state.host


class WeigherHandler:
    """Loads ``[scheduler] weighers`` through stevedore and ranks hosts."""

    def __init__(self, conf: cfg.ConfigOpts, names: list[str] | None = None) -> None:
        names = list(conf.scheduler.weighers if names is None else names)
        missing: list[str] = []
        self._manager: named.NamedExtensionManager[BaseHostWeigher] = named.NamedExtensionManager(
            NAMESPACE, names, invoke_on_load=True, invoke_args=(conf,), name_order=True,
            on_missing_entrypoints_callback=missing.extend,
            on_load_failure_callback=filter_base.raise_load_failure)
        if missing:
            raise exception.InvalidInput(
                field='scheduler.weighers',
                reason=f'unknown weigher(s): {", ".join(sorted(missing))}')
        self.weighers: list[BaseHostWeigher] = []
        for ext in self._manager:
            if not isinstance(ext.obj, BaseHostWeigher):
                raise exception.InvalidInput(field='scheduler.weighers',
                                             reason=f'{ext.name} is not a host weigher')
            self.weighers.append(ext.obj)

    def weigh_hosts(self, hosts: Sequence[host_state.HostState],
                    request_spec: dict[str, Any]) -> list[WeighedHost]:
        """Hosts with the sum of every weigher's weight, best first.

        Equal weights are ordered by host name, so the choice is deterministic.
        """
        totals = [0.0 for _ in hosts]
        for weigher in self.weighers:
            for index, weight in enumerate(weigher.weigh(hosts, request_spec)):
                totals[index] += weight
        weighed = [WeighedHost(state, total) for state, total in zip(hosts, totals,
                                                                      strict=True)]
        return sorted(weighed, key=lambda item: (-item.weight, item.host))
