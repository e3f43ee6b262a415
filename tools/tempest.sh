#!/usr/bin/env bash
# Tempest, OpenStack's own API test suite, against a fresh nova-lite-all.
#
#   bash tools/tempest.sh                       the five API areas; gated areas
#                                               (tools/tempest/gated-areas.txt)
#                                               must pass
#   bash tools/tempest.sh --regex '^tempest\.api\.image\.'   one area
#   bash tools/tempest.sh --help                every option of tools/tempest_run.py
#
# Installs the system packages, then tox's "tempest" env (nova_lite and the
# pinned Tempest, through upper-constraints.txt), and runs tools/tempest_run.py
# in it. Its state, logs, tempest.conf and subunit stream go to .state/tempest/.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec bash "$REPO_ROOT/tools/tox.sh" -e tempest -- "$@"
