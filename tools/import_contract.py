"""nova_lite's import contract: which module may import which.

The rules are data (below): four layers, the modules each service publishes
to the others, and the tables each service owns. :func:`check` reads every
module of the ``nova_lite`` package with :mod:`ast` (imports inside
functions and ``if TYPE_CHECKING`` blocks included) and returns each import
that breaks a rule. ``tests/unit/test_import_contract.py`` runs it.

    python tools/import_contract.py          # list the violations (exit 1 if any)
    python tools/import_contract.py --dot    # the layer diagram, as DOT

Rules:

- layers: a module imports modules of its own layer or lower layers only;
- services: a service imports another service only through that service's
  published modules;
- tables: a service imports only ``nova_lite.db.models.base`` and its own
  models modules; the audit and leftover checks import none (they ask the
  services what they hold).

The migrations (``nova_lite.db.migrations``) and the tests are outside it.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import os
import sys
from collections.abc import Iterable, Iterator, Mapping

ROOT_PACKAGE = 'nova_lite'

# Lowest first. A module belongs to the layer of the longest prefix that names it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ('base', ('nova_lite.conf', 'nova_lite.common', 'nova_lite.db')),
    ('toolkits', ('nova_lite.api', 'nova_lite.clients', 'nova_lite.clients.protocols',
                  'nova_lite.clients.payloads', 'nova_lite.clients.http',
                  'nova_lite.clients.http_auth', 'nova_lite.virt')),
    ('services', ('nova_lite.identity', 'nova_lite.image', 'nova_lite.network',
                  'nova_lite.volume', 'nova_lite.scheduler', 'nova_lite.compute',
                  'nova_lite.conductor')),
    ('wiring and tools', ('nova_lite.clients.local', 'nova_lite.clients.factory',
                          'nova_lite.wiring', 'nova_lite.daemons', 'nova_lite.embedded',
                          'nova_lite.audit', 'nova_lite.audit_flows', 'nova_lite.leftovers',
                          'nova_lite.flowviz', 'nova_lite.demo', 'nova_lite.preflight',
                          'nova_lite.zero_config', 'nova_lite.cmd')),
)
# The package's own __init__ (it only picks oslo.service's threading backend).
ROOT_LAYER = 'base'

# What a service lets the other services import (modules under nova_lite.<service>).
PUBLISHED: Mapping[str, frozenset[str]] = {
    'identity': frozenset(),
    'image': frozenset(),
    'network': frozenset(),
    'volume': frozenset(),
    'scheduler': frozenset({'rpcapi'}),
    'conductor': frozenset({'rpcapi'}),
    # The conductor records instances, reads flavors and places server group members;
    # its action flows are built from the compute API's action specs and record
    # instance actions and (resize) migrations.
    'compute': frozenset({'rpcapi', 'instance_store', 'flavors', 'server_groups',
                          'action_specs', 'instance_actions', 'migrations'}),
}

MODELS_PACKAGE = 'nova_lite.db.models'
# The models modules (under nova_lite.db.models) each service owns.
TABLES: Mapping[str, frozenset[str]] = {
    'identity': frozenset({'identity', 'identity_auth', 'identity_extensions',
                           'identity_groups'}),
    'image': frozenset({'image', 'image_task', 'image_metadefs'}),
    'network': frozenset({'network', 'network_agents', 'network_extras', 'network_l3',
                          'network_quotas', 'network_rbac', 'network_security',
                          'network_subnetpools', 'network_tags'}),
    'volume': frozenset({'volume', 'volume_snapshot', 'volume_type', 'volume_qos',
                         'volume_transfers', 'volume_quotas', 'volume_groups',
                         'volume_messages'}),
    'scheduler': frozenset({'scheduler'}),
    'compute': frozenset({'compute', 'compute_keypairs', 'compute_server_groups',
                          'compute_instance_actions', 'compute_admin', 'compute_quotas',
                          'compute_migrations'}),
    'conductor': frozenset({'flow', 'flow_history', 'jobboard'}),
}
SHARED_MODELS = frozenset({'base'})
# Tools that ask the services what they hold and read no service's tables.
NO_TABLES: tuple[str, ...] = ('nova_lite.audit', 'nova_lite.audit_flows',
                              'nova_lite.leftovers')

OUTSIDE: tuple[str, ...] = ('nova_lite.db.migrations',)


@dataclasses.dataclass(frozen=True, order=True)
class Violation:
    path: str
    line: int
    importer: str
    imported: str
    rule: str

    def __str__(self) -> str:
        return f'{self.path}:{self.line}: {self.importer} -> {self.imported}: {self.rule}'


@dataclasses.dataclass(frozen=True)
class Import:
    line: int
    module: str


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + '.')


def layer_of(module: str) -> int | None:
    """The index of the module's layer in :data:`LAYERS`; None if no layer names it."""
    if module == ROOT_PACKAGE:
        return [name for name, _ in LAYERS].index(ROOT_LAYER)
    best: tuple[int, int] | None = None
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if _within(module, prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return None if best is None else best[1]


def service_of(module: str) -> str | None:
    parts = module.split('.')
    if len(parts) >= 2 and parts[0] == ROOT_PACKAGE and parts[1] in PUBLISHED:
        return parts[1]
    return None


def is_outside(module: str) -> bool:
    return any(_within(module, prefix) for prefix in OUTSIDE)


def module_name(path: str, root: str) -> str:
    """``nova_lite/a/b.py`` -> ``nova_lite.a.b``; a package's ``__init__`` is the package."""
    rel = os.path.relpath(path, root)[:-len('.py')].split(os.sep)
    if rel[-1] == '__init__':
        rel = rel[:-1]
    return '.'.join(rel)


def find_modules(root: str) -> dict[str, str]:
    """Every module of the package under ``root``: name -> file path."""
    modules = {}
    for directory, dirs, files in os.walk(os.path.join(root, ROOT_PACKAGE)):
        dirs[:] = sorted(d for d in dirs if d != '__pycache__')
        for name in sorted(files):
            if name.endswith('.py'):
                path = os.path.join(directory, name)
                modules[module_name(path, root)] = path
    return modules


def _resolve_from(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ''
    parts = importer.split('.')
    base = parts if is_package else parts[:-1]
    base = base[:len(base) - (node.level - 1)]
    return '.'.join(base + ([node.module] if node.module else []))


def imports_of(source: str, importer: str, known: Iterable[str] = (),
               is_package: bool = False) -> list[Import]:
    """The nova_lite modules a module's source imports, anywhere in it.

    ``from a import b`` imports module ``a.b`` when ``known`` has it, else ``a``.
    """
    known_modules = set(known)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            package = _resolve_from(node, importer, is_package)
            for alias in node.names:
                candidate = f'{package}.{alias.name}'
                found.append(Import(node.lineno, candidate if candidate in known_modules
                                    else package))
    return [item for item in found if _within(item.module, ROOT_PACKAGE)]


def _layer_rule(importer: str, imported: str) -> str | None:
    own, other = layer_of(importer), layer_of(imported)
    if own is None:
        return f'{importer} is in no layer (add it to LAYERS)'
    if other is None:
        return None  # reported where that module itself is checked
    if other > own:
        return (f'layers: {LAYERS[own][0]} (layer {own}) imports {LAYERS[other][0]} '
                f'(layer {other})')
    return None


def _service_rule(importer: str, imported: str) -> str | None:
    own, other = service_of(importer), service_of(imported)
    if own is None or other is None or own == other:
        return None
    rest = imported.split('.')[2:]
    if not rest or rest[0] in PUBLISHED[other]:
        return None
    published = ', '.join(sorted(PUBLISHED[other])) or 'nothing'
    return (f'services: {own} imports {other} internals ({other} publishes {published}; '
            'use a nova_lite.clients Protocol given to the constructor)')


def _tables_rule(importer: str, imported: str) -> str | None:
    if not _within(imported, MODELS_PACKAGE):
        return None
    rest = imported.split('.')[3:]
    table_module = rest[0] if rest else '*'  # the package: every table
    if table_module in SHARED_MODELS:
        return None
    service = service_of(importer)
    if service is not None and table_module not in TABLES[service]:
        return (f'tables: {service} imports the models of another owner ({service} owns '
                f'models.{", models.".join(sorted(TABLES[service]))})')
    if service is None and any(_within(importer, prefix) for prefix in NO_TABLES):
        return 'tables: the audit reads no service\'s tables (ask the service)'
    return None


RULES = (_layer_rule, _service_rule, _tables_rule)


def check_source(source: str, importer: str, path: str = '<source>',
                 known: Iterable[str] = (), is_package: bool = False) -> list[Violation]:
    """The violations of one module's source (``importer`` is its module name)."""
    if is_outside(importer):
        return []
    violations = []
    for item in imports_of(source, importer, known, is_package):
        if is_outside(item.module):
            continue
        for rule in RULES:
            broken = rule(importer, item.module)
            if broken:
                violations.append(Violation(path, item.line, importer, item.module, broken))
    return violations


def check(root: str) -> list[Violation]:
    """Every violation in the package under ``root`` (the repository's top directory)."""
    modules = find_modules(root)
    violations = []
    for name, path in modules.items():
        with open(path, encoding='utf-8') as source:
            text = source.read()
        violations += check_source(text, name, os.path.relpath(path, root), modules,
                                   path.endswith('__init__.py'))
    return sorted(set(violations))


def _dot_id(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def layer_diagram() -> Iterator[str]:
    """The layers (highest on top) and what each service publishes, as DOT."""
    yield 'digraph nova_lite_layers {'
    yield '  rankdir=TB; node [shape=box, fontname="sans-serif"];'
    names = []
    for index, (name, prefixes) in reversed(list(enumerate(LAYERS))):
        cluster = f'layer{index}'
        names.append(cluster)
        yield f'  subgraph cluster_{cluster} {{'
        yield f'    label={_dot_id(f"L{index} {name}")};'
        # Graphviz lays a rank out right to left: emit backwards to read in order.
        for prefix in reversed(prefixes):
            if any(other.startswith(prefix + '.') for other in prefixes):
                continue  # a package whose modules are drawn (nova_lite.clients)
            short = prefix.removeprefix(ROOT_PACKAGE + '.')
            service = service_of(prefix)
            if service is not None:
                published = ', '.join(sorted(PUBLISHED[service])) or '(nothing)'
                tables = ', '.join(sorted(TABLES[service]))
                label = f'{short}\\npublishes: {published}\\ntables: {tables}'
            else:
                label = short
            yield f'    {_dot_id(prefix)} [label={_dot_id(label)}];'
        yield '  }'
    for upper, lower in zip(LAYERS[::-1], LAYERS[-2::-1], strict=False):
        yield (f'  {_dot_id(upper[1][0])} -> {_dot_id(lower[1][0])} '
               f'[ltail=cluster_layer{LAYERS.index(upper)}, '
               f'lhead=cluster_layer{LAYERS.index(lower)}, label="may import"];')
    yield '  compound=true;'
    yield '}'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--dot', action='store_true', help='print the layer diagram as DOT')
    parser.add_argument('--root', default=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), help='the repository (default: this one)')
    args = parser.parse_args(argv)
    if args.dot:
        print('\n'.join(layer_diagram()))
        return 0
    violations = check(args.root)
    for violation in violations:
        print(violation)
    print(f'{len(violations)} violation(s)')
    return 1 if violations else 0


if __name__ == '__main__':
    sys.exit(main())
