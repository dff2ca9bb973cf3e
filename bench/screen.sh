#!/bin/sh
# SPDX-License-Identifier: MIT
# Screening benchmark: every shipped rule on every record of the demo
# population, determinations stored.  Prints seconds and peak memory for a
# first screening, a second one (replacing the first), and a dry run (judging
# only), and the counts by rule and status.  The aim is under 10 s for 1M
# people on 2 cores.
#
# Usage: bench/screen.sh [PEOPLE] [SEED]     (default: 1000000 people, seed 1)
# Needs: build/homeward (make build), sqlite3, GNU time (scripts/install-deps.sh bench).
# The demo database is kept in bench/out between runs (it takes minutes to make).
set -eu
cd "$(dirname "$0")/.."
people=${1:-1000000}
seed=${2:-1}
out=bench/out
hw=build/homeward
db="$out/screen-$people-$seed.db"
as_of=2026-11-23
mkdir -p "$out"

. bench/lib.sh

echo "Homeward screening benchmark: $people people, seed $seed, $(nproc) cores, $(date -u +%Y-%m-%d)"
if [ ! -f "$db" ]; then
    timed demo "$hw" demo --db "$db" --people "$people" --seed "$seed" --as-of "$as_of" >/dev/null
    echo "demo: generated in $(secs demo) s"
fi
"$hw" rules test --rules rules | tail -1 | sed 's/^/rules: /'
echo "rules: $("$hw" rules list --rules rules | wc -l) shipped"
echo

timed first "$hw" screen --db "$db" --rules rules --as-of "$as_of" > "$out/screen.txt"
timed again "$hw" screen --db "$db" --rules rules --as-of "$as_of" >/dev/null
timed dry "$hw" screen --db "$db" --rules rules --as-of "$as_of" --dry-run >/dev/null
timed one "$hw" screen --db "$db" --rules rules --as-of "$as_of" --person "$(sqlite3 "$db" 'SELECT max(id) FROM people')" >/dev/null
cat "$out/screen.txt"
echo
printf '%-34s %10s %10s\n' run seconds "peak MiB"
printf '%-34s %10s %10s\n' "screen, stored (first)" "$(secs first)" "$(mib first)"
printf '%-34s %10s %10s\n' "screen, stored (replacing)" "$(secs again)" "$(mib again)"
printf '%-34s %10s %10s\n' "screen --dry-run (judging only)" "$(secs dry)" "$(mib dry)"
printf '%-34s %10s %10s\n' "screen --person (one person)" "$(secs one)" "$(mib one)"
stored=$(sqlite3 "$db" 'SELECT count(*) FROM determinations')
awk -v s="$(secs again)" -v n="$stored" 'BEGIN { printf "determinations stored: %d, %.0f per second\n", n, n / s }'
if [ "$people" -eq 1000000 ]; then
    awk -v s="$(secs again)" 'BEGIN { printf "aim: under 10 s for 1M people: %s\n", (s < 10 ? "met" : "not met") }'
fi
