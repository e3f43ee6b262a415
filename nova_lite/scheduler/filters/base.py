"""Base host filter and the handler that runs the enabled filters in order."""

from __future__ import annotations

import abc
import dataclasses
import importlib.metadata
import logging
from collections.abc import Iterable
from typing import Any

from oslo_config import cfg
from stevedore import extension, named

from nova_lite.common import exception
from nova_lite.scheduler import host_state

LOG = logging.getLogger(__name__)

NAMESPACE = 'nova_lite.scheduler.filters'


def raise_load_failure(manager: extension.ExtensionManager[Any],
                       entrypoint: importlib.metadata.EntryPoint,
                       error: BaseException) -> None:
    """stevedore callback: a plugin that does not import is a configuration error."""
    raise exception.InvalidInput(field=manager.namespace,
                                 reason=f'cannot load {entrypoint.name}: {error}') from error


class BaseHostFilter(abc.ABC):
    """Decides whether one host can take the request."""

    def __init__(self, conf: cfg.ConfigOpts | None = None) -> None:
        self.conf = conf

    @property
    def name(self) -> str:
        return type(self).__name__

    @abc.abstractmethod
    def host_passes(self, state: host_state.HostState, request_spec: dict[str, Any]) -> bool:
        """True when the host may take the instance described by ``request_spec``."""

    def filter_all(self, hosts: Iterable[host_state.HostState],
                   request_spec: dict[str, Any]) -> list[host_state.HostState]:
        return [state for state in hosts if self.host_passes(state, request_spec)]


@dataclasses.dataclass(frozen=True)
class FilterResult:
    """How many hosts went into one filter and how many came out."""

    name: str
    hosts_in: int
    hosts_out: int

    @property
    def removed(self) -> int:
        return self.hosts_in - self.hosts_out

    def describe(self) -> str:
        return f'{self.name}: {self.hosts_in} -> {self.hosts_out} (removed {self.removed})'


def describe_results(results: Iterable[FilterResult]) -> str:
    """The filter results as one line, for NoValidHost reasons and logs."""
    parts = [result.describe() for result in results]
    return 'Filter results: ' + ('; '.join(parts) if parts else 'no hosts to filter') + '.'


class FilterHandler:
    """Loads ``[scheduler] enabled_filters`` through stevedore and runs them in order."""

    def __init__(self, conf: cfg.ConfigOpts, names: list[str] | None = None) -> None:
        names = list(conf.scheduler.enabled_filters if names is None else names)
        missing: list[str] = []
        self._manager: named.NamedExtensionManager[BaseHostFilter] = named.NamedExtensionManager(
            NAMESPACE, names, invoke_on_load=True, invoke_args=(conf,), name_order=True,
            on_missing_entrypoints_callback=missing.extend,
            on_load_failure_callback=raise_load_failure)
        if missing:
            raise exception.InvalidInput(
                field='scheduler.enabled_filters',
                reason=f'unknown filter(s): {", ".join(sorted(missing))}')
        self.filters: list[BaseHostFilter] = []
        for ext in self._manager:
            if not isinstance(ext.obj, BaseHostFilter):
                raise exception.InvalidInput(field='scheduler.enabled_filters',
                                             reason=f'{ext.name} is not a host filter')
            self.filters.append(ext.obj)

    @property
    def names(self) -> list[str]:
        return [flt.name for flt in self.filters]

    def filter_hosts(self, hosts: Iterable[host_state.HostState],
                     request_spec: dict[str, Any],
                     ) -> tuple[list[host_state.HostState], list[FilterResult]]:
        """The hosts that pass every filter, and what each filter removed.

        Filtering stops at the first filter that leaves no host.
        """
        remaining = list(hosts)
        results: list[FilterResult] = []
        for host_filter in self.filters:
            passed = host_filter.filter_all(remaining, request_spec)
            results.append(FilterResult(host_filter.name, len(remaining), len(passed)))
            if len(passed) != len(remaining):
                LOG.debug('%s removed %s', host_filter.name,
                          sorted({s.host for s in remaining} - {s.host for s in passed}))
            remaining = passed
            if not remaining:
                break
        return remaining, results
