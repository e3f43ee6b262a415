"""The committed etc/nova-lite/nova-lite.conf.sample matches the options in the code.

The sample is regenerated with oslo-config-generator's own API and the same
generator configuration that ``tox -e genconfig`` uses. The nova_lite parts
must match exactly. The oslo.log and oslo.messaging parts are only checked for
presence: their text belongs to whatever library versions are installed, and
a new release of either must not fail this project's tests.
"""

from __future__ import annotations

import os
import pathlib
import re
import socket

import pytest
from oslo_config import cfg, generator

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
GENERATOR_CONF = REPO_ROOT / 'etc' / 'nova-lite' / 'nova-lite-config-generator.conf'
SAMPLE = REPO_ROOT / 'etc' / 'nova-lite' / 'nova-lite.conf.sample'
HINT = 'etc/nova-lite/nova-lite.conf.sample is out of date: run `tox -e genconfig`'

_SECTION = re.compile(r'^\[(?P<name>[^\]]+)\]$')
_FROM = re.compile(r'^# From (?P<namespace>\S+)$')
_OPTION = re.compile(r'^#(?P<name>\w+) = (?P<value>.*)$')

Blocks = dict[tuple[str, str], list[str]]


def _generate(output: pathlib.Path) -> str:
    conf = cfg.ConfigOpts()
    generator.register_cli_opts(conf)
    conf(['--config-file', str(GENERATOR_CONF), '--output-file', str(output)])
    generator.generate(conf)
    return output.read_text()


def _blocks(text: str) -> Blocks:
    """Split a sample into {(section, namespace): lines}, trailing blanks dropped."""
    blocks: Blocks = {}
    lines = text.splitlines()
    section = namespace = ''
    for index, line in enumerate(lines):
        section_match = _SECTION.match(line)
        if section_match:
            section, namespace = section_match['name'], ''
            continue
        from_match = _FROM.match(line)
        framed = 0 < index < len(lines) - 1 and lines[index - 1] == lines[index + 1] == '#'
        if from_match and framed:
            namespace = from_match['namespace']
            blocks[(section, namespace)] = []
            continue
        if namespace:
            blocks[(section, namespace)].append(line)
    for block in blocks.values():
        # Each block ends with the closing "#" of the next header or blank lines.
        while block and block[-1] in ('', '#'):
            block.pop()
        while block and block[0] in ('', '#'):
            block.pop(0)
    return blocks


def _nova_lite(blocks: Blocks) -> Blocks:
    return {key: value for key, value in blocks.items() if key[1] == 'nova_lite'}


@pytest.fixture(scope='module')
def generated(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _generate(tmp_path_factory.mktemp('sample') / 'nova-lite.conf.sample')


@pytest.fixture(scope='module')
def committed() -> str:
    return SAMPLE.read_text()


def test_generator_conf_writes_the_committed_sample() -> None:
    conf = cfg.ConfigOpts()
    generator.register_cli_opts(conf)
    conf(['--config-file', str(GENERATOR_CONF)])
    assert conf.output_file == 'etc/nova-lite/nova-lite.conf.sample'
    assert conf.namespace == ['nova_lite', 'oslo.log', 'oslo.messaging']
    assert conf.wrap_width == 79


def test_nova_lite_sections_match_committed_sample(generated: str, committed: str) -> None:
    expected = _nova_lite(_blocks(generated))
    actual = _nova_lite(_blocks(committed))
    assert sorted(actual) == sorted(expected), HINT
    for key, lines in expected.items():
        assert actual[key] == lines, f'{HINT} (section [{key[0]}] differs)'


def test_sample_sections_cover_every_nova_lite_group(committed: str) -> None:
    from nova_lite.conf import opts

    groups = {getattr(group, 'name', group) for group, _ in opts.list_opts()}
    sections = {section for section, _ in _nova_lite(_blocks(committed))}
    assert sections == groups, HINT


def test_sample_includes_library_namespaces(committed: str) -> None:
    namespaces = {namespace for _, namespace in _blocks(committed)}
    assert {'oslo.log', 'oslo.messaging'} <= namespaces, HINT


def test_sample_has_no_machine_specific_defaults(generated: str) -> None:
    """Defaults computed from the host (name, directories) need a sample_default."""
    machine_values = {socket.gethostname(), os.getcwd(), str(REPO_ROOT),
                      os.path.expanduser('~')}
    for (section, _), lines in _nova_lite(_blocks(generated)).items():
        for line in lines:
            match = _OPTION.match(line)
            if match:
                assert match['value'] not in machine_values, (
                    f'[{section}] {match["name"]} shows this machine\'s '
                    f'{match["value"]!r} in the sample; give it a sample_default')
                assert str(REPO_ROOT) not in match['value'], (section, match['name'])
