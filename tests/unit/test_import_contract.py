"""The import contract (tools/import_contract.py) holds for every nova_lite module."""

from __future__ import annotations

import os

import pydot
import pytest

from tools import import_contract as contract

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

@pytest.fixture(scope='module')
def violations() -> list[contract.Violation]:
    return contract.check(ROOT)


def test_nova_lite_keeps_the_import_contract(violations: list[contract.Violation]) -> None:
    assert not violations, ('imports that break the contract:\n'
                            + '\n'.join(map(str, violations)))


def test_every_module_is_in_a_layer() -> None:
    modules = contract.find_modules(ROOT)
    assert 'nova_lite.conductor.resource_cleanup' in modules
    assert [name for name in modules if contract.layer_of(name) is None] == []


def _check(importer: str, source: str, known: tuple[str, ...] = ()) -> list[str]:
    return [f'{v.imported} {v.rule.split(":")[0]}'
            for v in contract.check_source(source, importer, known=known)]


# The imports issue 9 found, each in the module it was found in.
@pytest.mark.parametrize('importer,source,broken', [
    ('nova_lite.conductor.resource_cleanup',
     'from nova_lite.network import manager as network_manager\n',
     'nova_lite.network.manager services'),
    ('nova_lite.conductor.resource_cleanup', 'import nova_lite.volume.manager\n',
     'nova_lite.volume.manager services'),
    ('nova_lite.compute.rest.servers', 'from nova_lite.volume.manager import VolumeManager\n',
     'nova_lite.volume.manager services'),
    ('nova_lite.volume.rest.scope', 'from nova_lite.identity import manager\n',
     'nova_lite.identity.manager services'),
    ('nova_lite.network.rest.common', 'from nova_lite.identity import manager\n',
     'nova_lite.identity.manager services'),
    ('nova_lite.scheduler.manager', 'from nova_lite.db.models import compute as models\n',
     'nova_lite.db.models.compute tables'),
    ('nova_lite.audit', 'from nova_lite.db.models import network\n',
     'nova_lite.db.models.network tables'),
    ('nova_lite.leftovers', 'from nova_lite.db.models import volume\n',
     'nova_lite.db.models.volume tables'),
    ('nova_lite.common.service', 'from nova_lite.api import apps\n',
     'nova_lite.api.apps layers'),
    ('nova_lite.conductor.flow_states', 'from nova_lite.flowviz import account\n',
     'nova_lite.flowviz.account layers'),
    ('nova_lite.compute.api', 'from nova_lite.conductor import faults\n',
     'nova_lite.conductor.faults services'),
    ('nova_lite.compute.api', 'from nova_lite.conductor.flows import keys\n',
     'nova_lite.conductor.flows.keys services'),
    ('nova_lite.conductor.tasks.network', 'from nova_lite.clients import local as clients\n',
     'nova_lite.clients.local layers'),
])
def test_the_imports_the_issue_found_are_caught(importer: str, source: str,
                                                broken: str) -> None:
    known = ('nova_lite.network.manager', 'nova_lite.identity.manager',
             'nova_lite.db.models.compute', 'nova_lite.db.models.network',
             'nova_lite.db.models.volume', 'nova_lite.api.apps', 'nova_lite.flowviz.account',
             'nova_lite.conductor.faults', 'nova_lite.conductor.flows.keys',
             'nova_lite.clients.local')
    assert _check(importer, source, known) == [broken]


def test_imports_inside_functions_and_type_checking_blocks_count() -> None:
    source = ('from typing import TYPE_CHECKING\n'
              'if TYPE_CHECKING:\n'
              '    from nova_lite.network import manager\n'
              'def later():\n'
              '    import nova_lite.volume.manager\n')
    found = contract.check_source(source, 'nova_lite.conductor.example',
                                  known=('nova_lite.network.manager',
                                         'nova_lite.volume.manager'))
    assert [(v.line, v.imported) for v in found] == [(3, 'nova_lite.network.manager'),
                                                     (5, 'nova_lite.volume.manager')]


def test_relative_imports_resolve_from_the_importer() -> None:
    found = contract.check_source('from ..network import manager\n',
                                  'nova_lite.conductor.example',
                                  known=('nova_lite.network.manager',))
    assert [v.imported for v in found] == ['nova_lite.network.manager']


def test_what_the_contract_allows() -> None:
    source = ('from nova_lite.compute import instance_store, rpcapi\n'
              'from nova_lite.scheduler import rpcapi as scheduler_rpcapi\n'
              'from nova_lite.clients import protocols\n'
              'from nova_lite.db.models import base, flow_history\n'
              'from nova_lite.common import context\n')
    known = ('nova_lite.compute.instance_store', 'nova_lite.compute.rpcapi',
             'nova_lite.scheduler.rpcapi', 'nova_lite.clients.protocols',
             'nova_lite.db.models.base', 'nova_lite.db.models.flow_history',
             'nova_lite.common.context')
    assert contract.check_source(source, 'nova_lite.conductor.example', known=known) == []
    assert contract.check_source('from nova_lite.network import manager\n', 'nova_lite.embedded',
                                 known=('nova_lite.network.manager',)) == []


def test_a_module_in_no_layer_is_reported() -> None:
    found = contract.check_source('from nova_lite.common import context\n',
                                  'nova_lite.newcomer', known=('nova_lite.common.context',))
    assert [v.rule for v in found] == ['nova_lite.newcomer is in no layer (add it to LAYERS)']


def test_migrations_are_outside_the_contract() -> None:
    assert contract.check_source('from nova_lite.db.models import compute\n',
                                 'nova_lite.db.migrations.versions.x',
                                 known=('nova_lite.db.models.compute',)) == []


def test_the_layer_diagram_is_dot() -> None:
    text = '\n'.join(contract.layer_diagram())
    (graph,) = pydot.graph_from_dot_data(text)
    labels = {sub.get_label().strip('"') for sub in graph.get_subgraphs()}
    assert labels == {f'L{i} {name}' for i, (name, _) in enumerate(contract.LAYERS)}
    assert 'publishes: instance_store, flavors, rpcapi' not in text  # sorted, as data
    assert ('publishes: action_specs, flavors, instance_actions, instance_store, '
            'migrations, rpcapi' in text)


def test_the_command_line_prints_dot(capsys: pytest.CaptureFixture[str]) -> None:
    assert contract.main(['--dot']) == 0
    assert capsys.readouterr().out.startswith('digraph nova_lite_layers {')
