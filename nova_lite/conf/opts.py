"""Aggregates every option group for oslo-config-generator and the docs."""

from oslo_config import cfg

from nova_lite import conf as nl_conf


def list_opts() -> list[tuple[str | cfg.OptGroup, list[cfg.Opt]]]:
    """Return ``(group, options)`` pairs for every nova_lite option group."""
    result: list[tuple[str | cfg.OptGroup, list[cfg.Opt]]] = []
    for module in nl_conf._MODULES:
        result.extend(module.list_opts())
    return result
