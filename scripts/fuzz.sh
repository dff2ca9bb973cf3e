#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the libFuzzer targets with clang and run each for a while on its corpus.
# Usage: scripts/fuzz.sh [SECONDS]   (default 20 per target; make test uses the default)
set -eu
cd "$(dirname "$0")/.."
secs=${1:-20}
out=build-fuzz
mkdir -p "$out"
lib_sources="src/core/error.c src/core/arena.c src/core/buf.c src/core/date.c src/core/text.c
             src/core/vocab.c src/core/vocab_check.c src/io/csv.c src/rules/logic.c
             src/rules/logic_value.c src/rules/pack.c src/rules/judge.c"
for target in csv logic rules; do
    # shellcheck disable=SC2086
    clang -std=c17 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined \
        -Iinclude -Isrc tests/fuzz/fuzz_$target.c $lib_sources -ljansson -lm -o "$out/fuzz_$target"
    mkdir -p "$out/corpus-$target"
    "$out/fuzz_$target" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 -print_final_stats=0 \
        "$out/corpus-$target" "tests/fuzz/corpus/$target" 2>"$out/fuzz_$target.log" || {
        tail -40 "$out/fuzz_$target.log"
        echo "fuzz_$target: FAILED (crash input saved in the current directory)"
        exit 1
    }
    echo "fuzz_$target: no crash: $(grep -o 'Done [0-9]* runs in [0-9]* second' "$out/fuzz_$target.log")s"
done

# The server's request handler needs the whole library and the files the
# build generates (migrations, the UI, the API description): make build first.
gen=${BUILD:-build}
for f in migrations.c web_files.c doc_files.c; do
    [ -f "$gen/$f" ] || { echo "fuzz_server: $gen/$f is missing: run make build first"; exit 1; }
done
# shellcheck disable=SC2046
clang -std=c17 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined \
    -Iinclude -Isrc $(pkg-config --cflags pangocairo jansson) tests/fuzz/fuzz_server.c \
    $(ls src/*/*.c | grep -v '^src/cli/') "$gen/migrations.c" "$gen/web_files.c" "$gen/doc_files.c" \
    -lsqlite3 -ljansson -lsodium -lmicrohttpd -lgnutls -lglpk \
    $(pkg-config --libs pangocairo cairo-pdf) -lpthread -lm -o "$out/fuzz_server"
mkdir -p "$out/corpus-server"
# Leaks are checked by the unit tests under ASan; fontconfig keeps one allocation for good.
ASAN_OPTIONS=detect_leaks=0 "$out/fuzz_server" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=0 "$out/corpus-server" tests/fuzz/corpus/server 2>"$out/fuzz_server.log" || {
    tail -40 "$out/fuzz_server.log"
    echo "fuzz_server: FAILED (crash input saved in the current directory)"
    exit 1
}
echo "fuzz_server: no crash: $(grep -o 'Done [0-9]* runs in [0-9]* second' "$out/fuzz_server.log")s"
