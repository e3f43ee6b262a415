"""Tempest, OpenStack's own API test suite, against a fresh ``nova-lite-all``.

    python tools/tempest_run.py                       every API area, nothing gated
    python tools/tempest_run.py --gate identity,image fail when a gated area has a
                                                      failure or a test that did not run
    python tools/tempest_run.py --regex '^tempest\\.api\\.identity\\.admin\\.v3\\.test_groups'

It starts a ``nova-lite-all`` of its own (free ports, state in --workdir),
seeds two flavors, two images and a shared network, writes tempest.conf from
tools/tempest/tempest.conf.template, runs ``tempest run`` and prints per area
how many tests were listed, passed, failed, skipped and not run (their class
setup failed), then every failure. Run it through ``bash tools/tempest.sh``,
which installs the pinned Tempest.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from boot_bench import cloud as bench_cloud  # noqa: E402
from tempest_harness import http_image, results, runner, seed  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--regex', default=runner.DEFAULT_REGEX)
    parser.add_argument('--exclude-regex', default=None)
    parser.add_argument('--gate', default='',
                        help='comma-separated areas whose failures fail the run')
    parser.add_argument('--gate-file',
                        help='a file naming more areas to gate, one per line (# comments)')
    parser.add_argument('--concurrency', type=int, default=4)
    parser.add_argument('--workdir', default=os.path.join(REPO_ROOT, '.state', 'tempest'),
                        help='cloud state, logs, Tempest workspace (emptied first)')
    parser.add_argument('--json', help='also write the counts and failures here')
    parser.add_argument('--max-failure-lines', type=int, default=12,
                        help='lines of each failure\'s traceback to print')
    return parser.parse_args(argv)


def print_table(areas: dict[str, results.AreaCounts], gated: set[str]) -> None:
    print(f"{'area':<10} {'listed':>7} {'passed':>7} {'failed':>7} {'skipped':>8} "
          f"{'not run':>8} {'class fixture failures':>23}  gate")
    total = results.AreaCounts()
    for area, c in areas.items():
        verdict = ('' if area not in gated else 'ok' if c.clean else 'FAILED')
        print(f'{area:<10} {c.listed:>7} {c.passed:>7} {c.failed:>7} {c.skipped:>8} '
              f'{c.not_run:>8} {c.fixture_failures:>23}  {verdict}')
        for field in ('listed', 'passed', 'failed', 'skipped', 'not_run', 'fixture_failures'):
            setattr(total, field, getattr(total, field) + getattr(c, field))
    print(f'{"total":<10} {total.listed:>7} {total.passed:>7} {total.failed:>7} '
          f'{total.skipped:>8} {total.not_run:>8} {total.fixture_failures:>23}')


def print_failures(failures: list[results.Outcome], max_lines: int) -> None:
    for outcome in sorted(failures, key=lambda o: o.test_id):
        print(f'\nFAILED {outcome.test_id}')
        lines = [line for line in outcome.details.splitlines() if line.strip()]
        for line in lines[-max_lines:]:
            print(f'    {line}')


def gate_failure_lines(failures: list[results.Outcome], areas: set[str]) -> list[str]:
    """One line per failure (test or class fixture) in ``areas``: its id and last line."""
    lines = []
    for outcome in sorted(failures, key=lambda o: o.test_id):
        if results.area_of(outcome.test_id) in areas:
            last = ([line for line in outcome.details.splitlines() if line.strip()]
                    or [''])[-1]
            lines.append(f'{outcome.test_id}: {last[:300]}')
    return lines


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    gated = {a for a in args.gate.split(',') if a}
    if args.gate_file:
        with open(args.gate_file, encoding='utf-8') as gate_file:
            gated |= {line.split('#', 1)[0].strip() for line in gate_file} - {''}
    unknown = gated - set(results.AREAS)
    if unknown:
        print(f'unknown area(s) to gate: {", ".join(sorted(unknown))}', file=sys.stderr)
        return 2
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    image_server = http_image.ImageServer().start()
    cloud = bench_cloud.BenchCloud(os.path.join(args.workdir, 'cloud'),
                                   bench_cloud.HostCapacity(vcpus=4096, memory_mb=4194304),
                                   extra_config=runner.cloud_config(image_server.port))
    os.makedirs(cloud.workdir)
    started = time.monotonic()
    try:
        cloud.start()
        print(f'tempest: nova-lite-all answers on {cloud.ports} '
              f'(log {cloud.log_file})', flush=True)
        seeded = seed.seed(seed.connect(cloud.ports['identity'], bench_cloud.ADMIN_PASSWORD))
        workspace = os.path.join(args.workdir, 'workspace')
        runner.init_workspace(workspace, runner.render_config(
            cloud.ports['identity'], bench_cloud.ADMIN_PASSWORD, seeded, workspace,
            image_server.url))
        listed = runner.list_tests(workspace, args.regex)
        if args.exclude_regex:
            import re
            listed = [t for t in listed if not re.search(args.exclude_regex, t)]
        print(f'tempest: running {len(listed)} tests, concurrency {args.concurrency}',
              flush=True)
        stream = runner.run(workspace, args.regex, args.concurrency, args.exclude_regex)
    finally:
        cloud.stop()
        image_server.stop()
    with open(os.path.join(args.workdir, 'tempest.subunit'), 'wb') as out:
        out.write(stream)
    areas, failures = results.count(listed, results.read_subunit(stream))
    print_failures(failures, args.max_failure_lines)
    print(f'\ntempest: finished in {time.monotonic() - started:.0f} s '
          f'(subunit, logs and tempest.conf in {args.workdir})\n')
    print_table(areas, gated)
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as out:
            json.dump({'areas': {a: vars(c) for a, c in areas.items()},
                       'failures': [o.test_id for o in failures]}, out, indent=2)
    bad = [a for a in sorted(gated) if not areas[a].clean]
    if bad:
        # Last, so that a log cut in the middle still shows what broke the gate.
        print('\ntempest: failures in gated areas:')
        for line in gate_failure_lines(failures, set(bad)):
            print(f'  {line}')
        print(f'\ntempest: gated area(s) not clean: {", ".join(bad)}')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
