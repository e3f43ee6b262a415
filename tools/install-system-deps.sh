#!/usr/bin/env bash
# Install the Debian/Ubuntu packages nova_lite needs, only those that are missing.
#
#   libvirt-dev, pkg-config, gcc  build libvirt-python (pip compiles it)
#   libvirt-clients               virt-xml-validate checks generated domain XML
#   qemu-utils                    qemu-img makes qcow2 instance disks
#   graphviz                      dot renders the boot-flow drawings
#
# Idempotent: packages already installed are left alone, and "apt-get update"
# runs at most once, only when something has to be installed. Uses sudo when
# not run as root. Set NOVA_LITE_SKIP_SYSTEM_DEPS=1 to skip the whole step
# (for example on a machine where you manage packages yourself).
set -euo pipefail

PACKAGES=(libvirt-dev pkg-config gcc graphviz qemu-utils libvirt-clients libxml2-utils)

log() { printf 'install-system-deps: %s\n' "$*"; }

if [[ "${NOVA_LITE_SKIP_SYSTEM_DEPS:-0}" == "1" ]]; then
    log "NOVA_LITE_SKIP_SYSTEM_DEPS=1: skipping the system package check"
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    log "dpkg/apt-get not found: this script supports Debian and Ubuntu only." >&2
    log "Install the equivalents of these packages yourself: ${PACKAGES[*]}" >&2
    log "then rerun with NOVA_LITE_SKIP_SYSTEM_DEPS=1." >&2
    exit 1
fi

is_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    if is_installed "$pkg"; then
        log "$pkg: already installed"
    else
        log "$pkg: missing"
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    log "all system packages present"
    exit 0
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        log "not root and sudo is not available; as root, run:" >&2
        log "  apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
log "installing: ${missing[*]}"
log "running: ${SUDO[*]:+${SUDO[*]} }apt-get update"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
log "running: ${SUDO[*]:+${SUDO[*]} }apt-get install -y --no-install-recommends ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"

for pkg in "${missing[@]}"; do
    if ! is_installed "$pkg"; then
        log "$pkg is still not installed after apt-get install" >&2
        exit 1
    fi
done
log "done"
