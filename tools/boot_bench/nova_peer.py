"""Nova 34 (with placement 16) in its own functional-test harness, the peer.

``shared/peers/nova_boot_bench.py`` boots servers one after another in Nova's
harness (in-process services, fake virt driver, SQLite, fake RPC) and prints
one ``NLB`` line; its README says how to make the virtualenv it runs in.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
from typing import Any

BOOTS_PER_HOST = 5  # the fake driver refuses more instances per host

NLB_LINE = re.compile(
    r'NLB hosts=(?P<hosts>\d+) .*?boots=(?P<boots>\d+): POST->ACTIVE median '
    r'(?P<active_median>[\d.]+) ms \(min (?P<active_min>[\d.]+), max (?P<active_max>[\d.]+)\); '
    r'select_destinations median (?P<select_median>[\d.]+) ms; GET allocation_candidates '
    r'median (?P<ac_median>[\d.]+) ms; delete median (?P<delete_median>[\d.]+) ms')


def setup_hint(peers_dir: str, venv: str) -> str:
    readme = os.path.join(peers_dir, 'README.md')
    return (f'no Nova harness: {venv}/bin/python is missing. Set it up once (a few minutes, '
            f'about 600 MB), as {readme} says:\n'
            f'    python3 -m venv {venv}\n'
            f'    {venv}/bin/pip install -r {peers_dir}/novabench-requirements.txt\n'
            f'    ln -s {venv}/etc {venv}/lib/python3.11/site-packages/etc')


def parse(output: str) -> dict[str, Any] | None:
    """The figures of the NLB line in ``output``; None if there is none."""
    for line in output.splitlines():
        match = NLB_LINE.search(line)
        if match:
            values = match.groupdict()
            return {key: int(value) if key in ('hosts', 'boots') else float(value)
                    for key, value in values.items()}
    return None


def run(peers_dir: str, venv: str, boots: int, timeout: float = 900) -> dict[str, Any]:
    """Run the peer; ``{'skipped': why}`` if it cannot run, ``{'error': ...}`` if it failed."""
    python = os.path.join(venv, 'bin', 'python')
    script = os.path.join(peers_dir, 'nova_boot_bench.py')
    if not os.path.exists(python):
        return {'skipped': setup_hint(peers_dir, venv)}
    if not os.path.exists(script):
        return {'skipped': f'no {script}'}
    hosts = max(1, math.ceil(boots / BOOTS_PER_HOST))
    env = dict(os.environ, NLB_HOSTS=str(hosts), NLB_BOOTS=str(boots))
    try:
        result = subprocess.run([python, '-m', 'testtools.run',
                                 'nova_boot_bench.BootBench.test_boot'], cwd=peers_dir,
                                env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {'error': f'the Nova harness did not finish within {timeout} s'}
    figures = parse(result.stdout)
    if figures is None:
        return {'error': f'no NLB line (exit {result.returncode}): '
                         f'{(result.stdout + result.stderr)[-800:]}'}
    return figures
