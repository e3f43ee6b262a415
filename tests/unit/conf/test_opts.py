"""nova_lite.conf: one module per group, all listed, nothing done at import time."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types

from oslo_config import cfg

import nova_lite.conf
from nova_lite.conf import opts


def _group_modules() -> list[types.ModuleType]:
    names = [info.name for info in pkgutil.iter_modules(nova_lite.conf.__path__)
             if info.name != 'opts']
    return [importlib.import_module(f'nova_lite.conf.{name}') for name in sorted(names)]


def _group_name(group: str | cfg.OptGroup) -> str:
    return group.name if isinstance(group, cfg.OptGroup) else group


def _listed() -> dict[str, set[str]]:
    """Option names per group name, as list_opts reports them."""
    listed: dict[str, set[str]] = {}
    for group, group_opts in opts.list_opts():
        names = listed.setdefault(_group_name(group), set())
        for opt in group_opts:
            assert isinstance(opt, cfg.Opt), (group, opt)
            assert opt.name not in names, f'[{_group_name(group)}] {opt.name} listed twice'
            names.add(opt.name)
    return listed


def _registered(conf: cfg.ConfigOpts) -> dict[str, set[str]]:
    """Option names per group name, as registered on conf beyond oslo.config's own."""
    registered: dict[str, set[str]] = {'DEFAULT': set()}
    builtin = set(cfg.ConfigOpts())  # oslo.config's options such as config_source
    for key in set(conf) - builtin:
        value = conf[key]
        if isinstance(value, cfg.ConfigOpts.GroupAttr):
            registered[key] = set(value)
        else:
            registered['DEFAULT'].add(key)
    return registered


def test_every_module_has_register_and_list_opts() -> None:
    modules = _group_modules()
    assert len(modules) >= 10
    for module in modules:
        assert callable(getattr(module, 'register_opts', None)), module.__name__
        assert callable(getattr(module, 'list_opts', None)), module.__name__
        assert module.list_opts(), f'{module.__name__}.list_opts() is empty'


def test_every_module_is_registered_and_listed() -> None:
    aggregated = {module.__name__ for module in nova_lite.conf._MODULES}
    assert aggregated == {module.__name__ for module in _group_modules()}


def test_list_opts_covers_every_registered_group_and_option() -> None:
    conf = cfg.ConfigOpts()
    nova_lite.conf.register_opts(conf)
    assert _registered(conf) == _listed()


def test_each_module_registers_what_it_lists() -> None:
    for module in _group_modules():
        conf = cfg.ConfigOpts()
        module.register_opts(conf)
        listed = {_group_name(group): {opt.name for opt in group_opts}
                  for group, group_opts in module.list_opts()}
        registered = {group: names for group, names in _registered(conf).items() if names}
        assert registered == listed, module.__name__


def test_register_opts_is_idempotent() -> None:
    conf = cfg.ConfigOpts()
    nova_lite.conf.register_opts(conf)
    nova_lite.conf.register_opts(conf)
    conf([], project='nova_lite', default_config_files=[], default_config_dirs=[])
    assert conf.compute.cpu_allocation_ratio == 4.0


def test_importing_conf_registers_and_reads_nothing() -> None:
    """Import every nova_lite.conf module in a clean interpreter: cfg.CONF is untouched.

    cfg.CONF holds only what any new ConfigOpts holds. It registers config_file
    and config_dir when it is called, so this also shows that no configuration
    was parsed at import time.
    """
    script = (
        'import importlib, pkgutil\n'
        'from oslo_config import cfg\n'
        # The package picks oslo.service's backend, and oslo libraries register
        # their own groups on cfg.CONF when imported: that is not nova_lite's doing.
        'import nova_lite\n'
        'before = set(cfg.CONF)\n'
        'import nova_lite.conf\n'
        'for info in pkgutil.iter_modules(nova_lite.conf.__path__):\n'
        '    importlib.import_module("nova_lite.conf." + info.name)\n'
        'print(sorted(set(cfg.CONF) ^ before))\n'
    )
    result = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stdout.strip() == '[]', result.stdout
