#!/bin/sh
# SPDX-License-Identifier: MIT
# The house style, checked (our small checksrc): clang-format, banned
# functions, comment style, which way includes point, and exported symbols.
# Usage: scripts/check-style.sh [BUILD_DIR]
set -u
cd "$(dirname "$0")/.." || exit 1
build=${1:-build}
status=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/unit/*.c' 'tests/unit/*.h' \
        'tests/fuzz/*.c' 2>/dev/null)
[ -n "$files" ] || files=$(find src include tests/unit -name '*.[ch]')

fail() { echo "check-style: $*" >&2; status=1; }

if command -v clang-format >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    clang-format --dry-run --Werror $files 2>/dev/null || {
        fail "clang-format would change these files (run: clang-format -i FILE):"
        # shellcheck disable=SC2086
        clang-format --dry-run $files 2>&1 | grep -o '^[^:]*' | sort -u >&2
    }
fi

# Banned functions (src/core/banned.h turns them into compile errors where it is included).
# shellcheck disable=SC2086
hits=$(grep -nE '\b(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|gets|atoi|atol)\(' $files |
       grep -v 'src/core/banned.h' | grep -vE '\b(snprintf|vsnprintf)\(' | grep -vE '(s|v|sn|vsn)printf' || true)
[ -z "$hits" ] || fail "banned functions:
$hits"

# Comments are /* */ only (a '//' inside a string, as in a URL, is fine).
# shellcheck disable=SC2086
hits=$(grep -nE '^\s*//|[;{}]\s*//' $files || true)
[ -z "$hits" ] || fail "use /* */ comments:
$hits"

# Dependencies point one way: core <- store, rules, plan, io, demo, report <- cli, server.
check_includes() {
    dir=$1; shift
    for bad in "$@"; do
        hits=$(grep -rn "#include \"$bad/" "src/$dir" 2>/dev/null || true)
        [ -z "$hits" ] || fail "src/$dir must not include $bad/:
$hits"
    done
}
check_includes core store io demo report cli rules plan server
check_includes store io demo report cli rules plan server
check_includes io demo report cli store server
check_includes demo io report cli server
check_includes report io demo cli server
check_includes rules store io demo report cli server
check_includes server cli
# The CLI uses only the public API (and its own header).
hits=$(grep -rn '#include "' src/cli | grep -vE '"(homeward/[a-z_]+\.h|cli/cli\.h|core/banned\.h)"' || true)
[ -z "$hits" ] || fail "src/cli must include only public headers:
$hits"

# Every global symbol of the library starts with hw_ (hw__ for internal ones).
lib="$build/libhomeward_core.a"
if [ -f "$lib" ] && command -v nm >/dev/null 2>&1; then
    hits=$(nm -g --defined-only "$lib" 2>/dev/null | awk 'NF == 3 { print $3 }' | grep -v '^hw_' || true)
    [ -z "$hits" ] || fail "global symbols without the hw_ prefix in $lib:
$hits"
fi

[ $status -eq 0 ] && echo "check-style: ok"
exit $status
