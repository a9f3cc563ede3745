#!/usr/bin/env bash
# deps.sh - install the Debian packages closeloop needs, and only those missing.
#
# Idempotent: on a machine that already has everything it installs nothing,
# runs no apt-get update, and prints nothing.  Later issues add packages to
# the PACKAGES list below (the one place they are named).
set -euo pipefail

# Build, test and run dependencies (Debian 12 package names).
PACKAGES=(
    meson
    ninja-build
    pkg-config
    gcc
    libsqlite3-dev
    sqlite3
    libpq-dev
    postgresql
    libjansson-dev
    libcsv-dev
    libcmocka-dev
    libmicrohttpd-dev
    libsodium-dev
    libxml2-dev
    wrk
    libcurl4-openssl-dev
    python3-aiosmtpd
    nodejs
    npm
    chromium-headless-shell
    faketime
    clang
    libclang-rt-14-dev
)

# Some packages are satisfied by a working command even when dpkg does not
# know them: a node >= 18 from another source (e.g. NodeSource, which also
# bundles npm) must not be replaced by Debian's, or apt would downgrade it.
satisfied_by_command() {
    case "$1" in
    nodejs)
        command -v node >/dev/null 2>&1 || return 1
        local major
        major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) ||
            return 1
        [ "${major:-0}" -ge 18 ]
        ;;
    npm)
        command -v npm >/dev/null 2>&1 && npm --version >/dev/null 2>&1
        ;;
    *) return 1 ;;
    esac
}

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

missing=()
for p in "${PACKAGES[@]}"; do
    if satisfied_by_command "$p" || installed "$p"; then
        continue
    fi
    missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
SUDO=
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
fi

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
