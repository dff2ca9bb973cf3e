#!/bin/sh
# SPDX-License-Identifier: MIT
# Import benchmark: generate the demo population, export it as CSV, then
# import it into a fresh database with full validation, beside sqlite3's own
# .import of the same CSV files into bare tables (no types, no checks, no
# indexes).  Prints rows per second, the ratio, and peak memory.
#
# Usage: bench/import.sh [PEOPLE] [SEED]     (default: 1000000 people, seed 1)
# Needs: build/homeward (make build), sqlite3, GNU time (scripts/install-deps.sh bench).
set -eu
cd "$(dirname "$0")/.."
people=${1:-1000000}
seed=${2:-1}
out=bench/out
hw=build/homeward
kinds="organisations people convictions sentences supervision obligations ledger appointments violations custody-events"
mkdir -p "$out"
rm -f "$out"/demo.db* "$out"/fresh.db* "$out"/bare.db* "$out"/*.csv "$out"/*.time

. bench/lib.sh

echo "Homeward import benchmark: $people people, seed $seed, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1)"

timed demo "$hw" demo --db "$out/demo.db" --people "$people" --seed "$seed" --as-of 2026-11-23 >/dev/null
echo "demo: generated in $(secs demo) s, peak $(( $(kib demo) / 1024 )) MiB"

for k in $kinds; do
    timed "export-$k" "$hw" export --db "$out/demo.db" --kind "$k" --format csv -o "$out/$k.csv" 2>/dev/null
done
total_bytes=$(cat "$out"/*.csv | wc -c)
echo "export: $(( total_bytes / 1048576 )) MiB of CSV"

"$hw" init --db "$out/fresh.db" >/dev/null
printf '\n%-15s %10s %12s %12s %12s %10s %8s %10s\n' kind rows "homeward s" "rows/s" "sqlite3 s" "rows/s" ratio "peak MiB"
tot_rows=0; tot_hw=0; tot_sq=0; peak=0
for k in $kinds; do
    rows=$(( $(wc -l < "$out/$k.csv") - 1 ))
    table=$(echo "$k" | tr - _)
    timed "sqlite-$k" sqlite3 "$out/bare.db" ".import --csv $out/$k.csv $table"
    timed "import-$k" "$hw" import --db "$out/fresh.db" --kind "$k" "$out/$k.csv" 2>/dev/null
    h=$(secs "import-$k"); s=$(secs "sqlite-$k"); m=$(( $(kib "import-$k") / 1024 ))
    [ "$m" -gt "$peak" ] && peak=$m
    awk -v k="$k" -v r="$rows" -v h="$h" -v s="$s" -v m="$m" 'BEGIN {
        hr = h > 0 ? r / h : 0; sr = s > 0 ? r / s : 0;
        printf "%-15s %10d %12.2f %12.0f %12.2f %10.0f %8.2f %10d\n", k, r, h, hr, s, sr, (s > 0 ? h / s : 0), m }'
    tot_rows=$((tot_rows + rows))
    tot_hw=$(awk -v a="$tot_hw" -v b="$h" 'BEGIN { print a + b }')
    tot_sq=$(awk -v a="$tot_sq" -v b="$s" 'BEGIN { print a + b }')
done
awk -v r="$tot_rows" -v h="$tot_hw" -v s="$tot_sq" -v m="$peak" 'BEGIN {
    printf "%-15s %10d %12.2f %12.0f %12.2f %10.0f %8.2f %10d\n", "all", r, h, r / h, s, r / s, h / s, m }'

# The import must give back what was exported.
for k in people ledger; do
    "$hw" export --db "$out/fresh.db" --kind "$k" --format csv | cmp -s - "$out/$k.csv" ||
        { echo "round trip FAILED for $k"; exit 1; }
done
echo "round trip: people and ledger re-exported byte for byte"
