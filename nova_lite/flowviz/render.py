"""Writing a DOT graph to a file: as DOT text, or rendered to SVG/PNG by graphviz."""

from __future__ import annotations

import os
import shutil
import subprocess

import pydot

FORMATS = ('dot', 'svg', 'png')
GRAPHVIZ_PROGRAM = 'dot'
RENDER_TIMEOUT_SECONDS = 60


def graphviz_available() -> bool:
    """Whether graphviz's ``dot`` program is on PATH (needed for svg and png)."""
    return shutil.which(GRAPHVIZ_PROGRAM) is not None


def write_graph(dot: pydot.Dot, path: str, fmt: str) -> str:
    """Write ``dot`` to ``path`` as ``fmt`` (dot, svg or png); returns ``path``.

    DOT text needs nothing else; svg and png are rendered by graphviz's ``dot``
    program and raise RuntimeError when it is missing or fails. An unknown
    format raises ValueError before anything is written.
    """
    if fmt not in FORMATS:
        raise ValueError(f'unknown graph format {fmt!r}; expected one of {", ".join(FORMATS)}')
    text = dot.to_string()
    if fmt == 'dot':
        with open(path, 'w', encoding='utf-8') as out:
            out.write(text)
        return path
    program = shutil.which(GRAPHVIZ_PROGRAM)
    if program is None:
        raise RuntimeError(f"rendering {fmt} needs graphviz's '{GRAPHVIZ_PROGRAM}' program, "
                           'which is not on PATH; install graphviz or write the dot format')
    partial = f'{path}.partial'
    try:
        result = subprocess.run([program, f'-T{fmt}', '-o', partial],
                                input=text.encode('utf-8'), capture_output=True,
                                timeout=RENDER_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        _remove_quietly(partial)
        raise RuntimeError(f"graphviz '{GRAPHVIZ_PROGRAM}' took longer than "
                           f'{RENDER_TIMEOUT_SECONDS} s to render {fmt}') from exc
    if result.returncode != 0:
        _remove_quietly(partial)
        detail = result.stderr.decode('utf-8', 'replace').strip()
        raise RuntimeError(f"graphviz '{GRAPHVIZ_PROGRAM}' failed to render {fmt} "
                           f'(exit code {result.returncode}): {detail}')
    os.replace(partial, path)
    return path


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
