"""upper-constraints.txt pins every package, and this environment installed the pins."""

from __future__ import annotations

import importlib.metadata
import pathlib
import re

from packaging import requirements, utils

ROOT = pathlib.Path(__file__).resolve().parents[2]
REQUIREMENT_FILES = ('requirements.txt', 'test-requirements.txt', 'doc/requirements.txt',
                     'tools/requirements.txt', 'tools/tempest-requirements.txt')
# Seeded into every virtualenv by virtualenv/venv itself, not installed by pip from
# our requirements.
SEEDED = {'pip', 'setuptools', 'wheel'}
PIN = re.compile(r'^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)$')


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / 'upper-constraints.txt').read_text().splitlines():
        line = line.split('#', 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        assert match, f'not an exact pin: {line!r}'
        name = utils.canonicalize_name(match['name'])
        assert name not in pins, f'{name} pinned twice'
        pins[name] = match['version']
    return pins


def _requirements() -> list[requirements.Requirement]:
    found = []
    for relative in REQUIREMENT_FILES:
        for line in (ROOT / relative).read_text().splitlines():
            line = line.split('#', 1)[0].strip()
            if line and not line.startswith('-'):
                found.append(requirements.Requirement(line))
    return found


def test_every_requirement_is_pinned_within_its_range() -> None:
    pins = _pins()
    for requirement in _requirements():
        name = utils.canonicalize_name(requirement.name)
        assert name in pins, f'{requirement.name} is not in upper-constraints.txt'
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f'{requirement.name}: pin {pins[name]} is outside {requirement.specifier}')


def test_nova_lite_itself_is_not_pinned() -> None:
    assert 'nova-lite' not in _pins()


def test_this_environment_installed_exactly_the_pins() -> None:
    """What tox (or the demo's venv) installed is what the file says: nothing newer
    slipped in, nothing unpinned."""
    pins = _pins()
    unpinned, different = [], []
    for dist in importlib.metadata.distributions():
        name = utils.canonicalize_name(dist.metadata['Name'])
        if name in SEEDED or name == 'nova-lite':
            continue
        if name not in pins:
            unpinned.append(f'{name}=={dist.version}')
        elif pins[name] != dist.version:
            different.append(f'{name}: installed {dist.version}, pinned {pins[name]}')
    assert different == []
    assert unpinned == []
