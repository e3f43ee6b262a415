"""Counting a Tempest run per area: listed, passed, failed, skipped, not run."""

from __future__ import annotations

import collections
import dataclasses
import re
from collections.abc import Iterable, Mapping

AREAS = ('compute', 'identity', 'image', 'network', 'volume')
_AREA_RE = re.compile(r'tempest\.api\.(\w+)\.')
# "setUpClass (tempest.api.image.v2.test_images.ImagesTest)": a class fixture.
_FIXTURE_RE = re.compile(r'^(setUpClass|tearDownClass) \((?P<cls>[\w.]+)\)$')


def plain_id(test_id: str) -> str:
    """The test id without its ``[id-...,smoke]`` attributes."""
    return test_id.split('[', 1)[0]


def area_of(test_id: str) -> str | None:
    match = _AREA_RE.search(test_id)
    return match.group(1) if match else None


@dataclasses.dataclass
class AreaCounts:
    listed: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    not_run: int = 0
    fixture_failures: int = 0

    @property
    def clean(self) -> bool:
        """No failure, no class fixture failure, nothing left unrun."""
        return self.failed == 0 and self.not_run == 0 and self.fixture_failures == 0


@dataclasses.dataclass(frozen=True)
class Outcome:
    test_id: str
    status: str  # success, fail, skip, xfail, uxsuccess
    details: str


def read_subunit(stream: bytes) -> list[Outcome]:
    """The final status of every test (and class fixture) in a subunit v2 stream."""
    import io

    import subunit  # Tempest's own dependencies: only its tox env has them
    import testtools
    outcomes: list[Outcome] = []

    def on_test(test: Mapping[str, object]) -> None:
        details = test.get('details') or {}
        text = []
        for name, content in dict(details).items():  # type: ignore[call-overload]
            if name in ('traceback', 'reason'):
                raw = b''.join(bytes(chunk) for chunk in content.iter_bytes())
                text.append(raw.decode('utf-8', 'replace'))
        outcomes.append(Outcome(str(test['id']), str(test['status']), '\n'.join(text)))

    case = subunit.ByteStreamToStreamResult(io.BytesIO(stream), non_subunit_name='stdout')
    result = testtools.StreamToDict(on_test)
    result.startTestRun()
    try:
        case.run(result)
    finally:
        result.stopTestRun()
    return [o for o in outcomes if o.status not in ('exists', 'inprogress')]


def count(listed: Iterable[str], outcomes: Iterable[Outcome],
          ) -> tuple[dict[str, AreaCounts], list[Outcome]]:
    """Per-area counts and the failed outcomes (tests and class fixtures)."""
    areas = {area: AreaCounts() for area in AREAS}
    listed_ids = {plain_id(t) for t in listed}
    for test_id in listed_ids:
        area = area_of(test_id)
        if area in areas:
            areas[area].listed += 1
    seen: dict[str, str] = {}
    skipped_classes: set[str] = set()
    failures: list[Outcome] = []
    for outcome in outcomes:
        fixture = _FIXTURE_RE.match(outcome.test_id)
        area = area_of(outcome.test_id)
        if area not in areas:
            continue
        if fixture:
            if outcome.status == 'skip':
                skipped_classes.add(fixture.group('cls'))
            elif outcome.status == 'fail':
                areas[area].fixture_failures += 1
                failures.append(outcome)
            continue
        seen[plain_id(outcome.test_id)] = outcome.status
        if outcome.status == 'fail':
            failures.append(outcome)
    # A class skipped as a whole (its skip_checks) reports no test of its own.
    for test_id in listed_ids:
        if test_id not in seen and test_id.rsplit('.', 1)[0] in skipped_classes:
            seen[test_id] = 'skip'
    by_status: dict[str, collections.Counter[str]] = collections.defaultdict(
        collections.Counter)
    for test_id, status in seen.items():
        area = area_of(test_id)
        if area in areas:
            by_status[area][status] += 1
    for area, counts in areas.items():
        statuses = by_status[area]
        counts.passed = statuses['success'] + statuses['xfail']
        counts.failed = statuses['fail'] + statuses['uxsuccess']
        counts.skipped = statuses['skip']
        ran = sum(1 for t in listed_ids if area_of(t) == area and t in seen)
        counts.not_run = counts.listed - ran
    return areas, failures
