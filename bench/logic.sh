#!/bin/sh
# SPDX-License-Identifier: MIT
# Rules engine benchmark: the same eligibility rules over the same records,
# evaluated by Homeward (one core, then every core) and by the two JavaScript
# engines, json-logic-js (the reference) and json-logic-engine (compiled).
# The records are generated once from a seed into a temporary JSON Lines file,
# and each engine loads them all into memory before any timing.  Fails when
# two engines disagree on how many records a rule is true for.
#
# Usage: bench/logic.sh [RECORDS] [SEED] [PASSES]   (default: 1000000 records, seed 1, 5 passes)
# Needs: node and npm (the engines are locked in bench/logic/package-lock.json), cmake, ninja.
set -eu
cd "$(dirname "$0")/.."
records=${1:-1000000}
seed=${2:-1}
passes=${3:-5}
build=${BUILD:-build}

# The locked JavaScript engines, from the npm registry, once.
if [ ! -f bench/logic/node_modules/.package-lock.json ] ||
    [ bench/logic/package-lock.json -nt bench/logic/node_modules/.package-lock.json ]; then
    (cd bench/logic && npm ci --prefer-offline --no-audit --no-fund --silent)
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target bench_logic >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "Homeward JSON Logic benchmark: $records records, seed $seed, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
node bench/logic/records.mjs "$tmp/records.jsonl" "$records" "$seed"
"$build/bench/logic/bench_logic" bench/logic/rules.json "$tmp/records.jsonl" "$passes" >"$tmp/homeward.tsv"
# json-logic-js keeps every record as a JavaScript object: room for a million of them.
node --max-old-space-size=8192 bench/logic/bench.mjs bench/logic/rules.json "$tmp/records.jsonl" \
    "$passes" "$tmp/homeward.tsv"
