#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages Homeward needs to build, test and benchmark.
# Idempotent and fast when everything is there: apt-get runs only when a
# package is missing.  Usage: scripts/install-deps.sh [build|test|bench]
set -eu

build="gcc make cmake ninja-build pkg-config libsqlite3-dev libjansson-dev libglpk-dev libpango1.0-dev libcairo2-dev fonts-dejavu-core libsodium-dev libmicrohttpd-dev"
test_extra="sqlite3 jq curl clang libclang-rt-14-dev clang-format poppler-utils chromium"
bench_extra="sqlite3 jq time wrk nginx-light"

case "${1:-build}" in
build) want="$build" ;;
test) want="$build $test_extra" ;;
bench) want="$build $bench_extra" ;;
*) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

# The differential test and the logic benchmark run JavaScript engines under Node.
if [ "${1:-build}" != build ] && ! command -v node >/dev/null 2>&1; then
    want="$want nodejs npm"
fi

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: run as root, or: sudo apt-get install$missing" >&2
    exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
