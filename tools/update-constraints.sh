#!/usr/bin/env bash
# Refresh upper-constraints.txt on purpose: resolve every Python package that
# nova_lite, its tests, its docs and its tools install, write the pins, then
# run the whole suite through them.
#
#   bash tools/update-constraints.sh             resolve, write, run bash tools/tox.sh
#   bash tools/update-constraints.sh --no-test   resolve and write only
#
# The resolution starts from the requirement files alone (requirements.txt,
# test-requirements.txt, doc/requirements.txt, tools/requirements.txt,
# tools/tempest-requirements.txt), in a
# throw-away virtualenv, so it picks the newest releases those ranges allow.
# Review `git diff upper-constraints.txt` and commit it with the suite's result;
# a release that breaks the suite is pinned back or excluded in the
# requirement files, with a comment saying why.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

PYTHON="${PYTHON:-python3}"
RUN_TESTS=1
if [[ "${1:-}" == "--no-test" ]]; then
    RUN_TESTS=0
fi

log() { printf 'update-constraints: %s\n' "$*"; }

bash tools/install-system-deps.sh

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log "resolving in a fresh virtualenv ($("$PYTHON" --version 2>&1))"
"$PYTHON" -m venv "$work/venv"
# No constraint of ours (nor PIP_CONSTRAINT) applies: this is the resolution.
env -u PIP_CONSTRAINT "$work/venv/bin/python" -m pip install --quiet \
    --disable-pip-version-check --upgrade pip setuptools wheel
env -u PIP_CONSTRAINT "$work/venv/bin/python" -m pip install --quiet \
    --disable-pip-version-check -e . -r requirements.txt -r test-requirements.txt \
    -r doc/requirements.txt -r tools/requirements.txt -r tools/tempest-requirements.txt

{
    printf '# Upper constraints: the exact release of every Python package that nova_lite,\n'
    printf '# its tests, its docs and its tools install (Python 3.11). tox, tools/demo.sh\n'
    printf '# and tools/tox.sh install through this file, so a fresh machine gets what CI\n'
    printf '# tested. Written by tools/update-constraints.sh on %s; do not edit by\n' \
        "$(date -u +%Y-%m-%d)"
    printf '# hand except to hold one package back (say why beside it).\n'
    "$work/venv/bin/python" -m pip freeze --all --disable-pip-version-check \
        --exclude-editable | grep -v -i -E '^(nova[-_]lite|pip)==' | LC_ALL=C sort -f
} > upper-constraints.txt.new
mv upper-constraints.txt.new upper-constraints.txt
log "wrote upper-constraints.txt ($(grep -c '==' upper-constraints.txt) packages)"

if [[ "$RUN_TESTS" == "1" ]]; then
    log "recreating the tox envs and running the suite through the new pins"
    rm -rf .tox .venv-tools
    bash tools/tox.sh -r
fi
