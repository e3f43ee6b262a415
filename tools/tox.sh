#!/usr/bin/env bash
# Run the test suite: system packages, then tox from a venv of its own.
#
#   bash tools/tox.sh                 every env in tox.ini's envlist
#   bash tools/tox.sh -e py3 -- tests/unit/conf
#
# Works from any directory. tox lives in .venv-tools/ at the repository root
# (git-ignored), created on first use with $PYTHON (default: python3, which
# must be 3.11 or newer). Set NOVA_LITE_SKIP_SYSTEM_DEPS=1 to skip the apt step.
# Every Python package is installed at the release upper-constraints.txt pins
# (tools/update-constraints.sh refreshes it on purpose).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

bash tools/install-system-deps.sh

PYTHON="${PYTHON:-python3}"
TOOLS_VENV="$REPO_ROOT/.venv-tools"
STAMP="$TOOLS_VENV/.tox-installed"
# Every pip run below and inside tox installs the releases CI tested.
export PIP_CONSTRAINT="$REPO_ROOT/upper-constraints.txt"

log() { printf 'tox.sh: %s\n' "$*"; }

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    log "$PYTHON is missing or older than 3.11; set PYTHON=/path/to/python3.11" >&2
    exit 1
fi

if ! "$TOOLS_VENV/bin/python" -c '' 2>/dev/null; then
    log "creating $TOOLS_VENV with $("$PYTHON" --version 2>&1)"
    rm -rf "$TOOLS_VENV"
    if ! "$PYTHON" -m venv "$TOOLS_VENV"; then
        log "'$PYTHON -m venv' failed (on Debian's own python, install python3-venv)" >&2
        exit 1
    fi
fi

wanted="$(cat tools/requirements.txt upper-constraints.txt | sha256sum | cut -d' ' -f1)"
if ! "$TOOLS_VENV/bin/python" -m tox --version >/dev/null 2>&1 \
        || [[ "$(cat "$STAMP" 2>/dev/null || true)" != "$wanted" ]]; then
    log "installing tox (tools/requirements.txt, pinned by upper-constraints.txt) into $TOOLS_VENV"
    "$TOOLS_VENV/bin/python" -m pip install -qq --disable-pip-version-check \
        -c upper-constraints.txt -r tools/requirements.txt
    printf '%s\n' "$wanted" > "$STAMP"
fi

# The tox envs were built with other pins: rebuild them once.
ENVS_STAMP="$REPO_ROOT/.tox/.upper-constraints"
recreate=()
if [[ -d "$REPO_ROOT/.tox" && "$(cat "$ENVS_STAMP" 2>/dev/null || true)" != "$wanted" ]]; then
    log "upper-constraints.txt changed since the tox envs were built: recreating them"
    recreate=(--recreate)
fi
mkdir -p "$REPO_ROOT/.tox"
printf '%s\n' "$wanted" > "$ENVS_STAMP"

log "running: tox ${recreate[*]:+${recreate[*]} }$*"
exec "$TOOLS_VENV/bin/tox" "${recreate[@]}" "$@"
