#!/bin/sh
# SPDX-License-Identifier: MIT
# Run one CLI case: tests/cli/NNNN-name/ holds `cmd` (a shell script), and
# optionally expect.out, expect.err and expect.status (default 0).  The case
# runs in a fresh temporary directory; stdout and stderr must match exactly.
#
# Usage: run.sh HOMEWARD CASE_DIR DATA_DIR
# `cmd` may use: $HW (the binary), $DATA (tests/data), `hw` (runs $HW), and
#   fixture_db FILE   - a database holding every file of tests/data/small
#   dump FILE         - the database's content as SQL, for before/after checks
# HW_CLI_RECORD=1 in the environment records the output as the expectation.
set -u
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
HW=$(abs "$1")
CASE=$(abs "$2")
DATA=$(abs "$3")
export HW DATA
name=$(basename "$CASE")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hw-cli-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/lib.sh" <<'LIB'
hw() { "$HW" "$@"; }
fixture_db() {
    "$HW" init --db "$1" >/dev/null || return 1
    for k in organisations people convictions sentences supervision obligations ledger \
             appointments violations custody-events; do
        "$HW" import --db "$1" --kind "$k" "$DATA/small/$k.csv" 2>/dev/null || return 1
    done
}
dump() { sqlite3 "$1" .dump; }
LIB

cd "$tmp" || exit 1
( . ./lib.sh; . "$CASE/cmd" ) >out 2>err </dev/null
status=$?

# HW_CLI_RECORD=1 writes what the case printed as its expectation, to be read before committing.
if [ -n "${HW_CLI_RECORD:-}" ]; then
    cp out "$CASE/expect.out"
    cp err "$CASE/expect.err"
    if [ "$status" -ne 0 ]; then echo "$status" > "$CASE/expect.status"; else rm -f "$CASE/expect.status"; fi
    echo "recorded $name (status $status)"
    exit 0
fi

fail=0
want_status=0
[ -f "$CASE/expect.status" ] && want_status=$(cat "$CASE/expect.status")
if [ "$status" != "$want_status" ]; then
    echo "$name: exit status $status, expected $want_status"
    fail=1
fi
for stream in out err; do
    if [ -f "$CASE/expect.$stream" ]; then
        if ! diff -u "$CASE/expect.$stream" "$stream" >diff.$stream; then
            echo "$name: std$stream differs:"
            cat diff.$stream
            fail=1
        fi
    fi
done
if [ $fail -ne 0 ]; then
    echo "--- stdout:"; head -c 4000 out
    echo "--- stderr:"; head -c 4000 err
    exit 1
fi
echo "ok $name"
