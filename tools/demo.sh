#!/usr/bin/env bash
# Boot an instance through all 29 steps with the embedded default (no servers).
#
#   bash tools/demo.sh                      state in .state/demo under the repo
#   STATE_PATH=/tmp/nl bash tools/demo.sh   state elsewhere
#   bash tools/demo.sh --help               extra arguments go to "nova-lite demo"
#
# Works from any directory. Installs the system packages, then nova_lite
# (editable) with libvirt-python into .venv/ at the repository root, and
# reinstalls only when the requirement files or setup.cfg change.
# $PYTHON picks the interpreter for a new .venv (default: python3, >= 3.11).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# A STATE_PATH given relative to the caller's directory stays relative to it.
if [[ -n "${STATE_PATH:-}" ]]; then
    mkdir -p "$STATE_PATH"
    STATE_PATH="$(cd "$STATE_PATH" && pwd)"
else
    STATE_PATH="$REPO_ROOT/.state/demo"
fi

cd "$REPO_ROOT"

bash tools/install-system-deps.sh

PYTHON="${PYTHON:-python3}"
VENV="$REPO_ROOT/.venv"
STAMP="$VENV/.nova-lite-installed"

log() { printf 'demo.sh: %s\n' "$*"; }

if ! "$VENV/bin/python" -c '' 2>/dev/null; then
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        log "$PYTHON is missing or older than 3.11; set PYTHON=/path/to/python3.11" >&2
        exit 1
    fi
    log "creating $VENV with $("$PYTHON" --version 2>&1)"
    rm -rf "$VENV"
    if ! "$PYTHON" -m venv "$VENV"; then
        log "'$PYTHON -m venv' failed (on Debian's own python, install python3-venv)" >&2
        exit 1
    fi
fi

# Every package at the release upper-constraints.txt pins, nova_lite's build
# backend included (pip passes PIP_CONSTRAINT on to the build environment).
export PIP_CONSTRAINT="$REPO_ROOT/upper-constraints.txt"
wanted="$(cat setup.cfg pyproject.toml requirements.txt test-requirements.txt \
    upper-constraints.txt | sha256sum | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/nova-lite" || "$(cat "$STAMP" 2>/dev/null || true)" != "$wanted" ]]; then
    log "installing nova_lite (editable), requirements and libvirt-python into $VENV"
    # -qq: pip says only errors (its warnings, about a find-links or index of the
    # machine's pip configuration that is not there, say, are not the demo's).
    "$VENV/bin/python" -m pip install -qq --disable-pip-version-check \
        -c upper-constraints.txt -e . -r requirements.txt -r test-requirements.txt
    printf '%s\n' "$wanted" > "$STAMP"
else
    log "$VENV is up to date"
fi

log "running: nova-lite demo --state-path $STATE_PATH $*"
exec "$VENV/bin/nova-lite" demo --state-path "$STATE_PATH" "$@"
