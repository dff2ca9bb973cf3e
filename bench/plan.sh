#!/bin/sh
# SPDX-License-Identifier: MIT
# Planner benchmark on the screened demo population:
#   1. one fund, every candidate of the largest organisation, weighted objective:
#      an exact 0/1 knapsack (aim: proven optimal in under 2 s);
#   2. ten overlapping restricted funds over 100,000 candidates: a MIP
#      (aim: optimal, or within 0.1% with the gap proven, in under 30 s);
#   3. one fund counting people: cheapest first.
# Each prints the solve time, the whole command's time and peak memory, the
# objective, the proven bound, and the plain greedy plan's objective beside it.
#
# Usage: bench/plan.sh [PEOPLE] [SEED]     (default: 1000000 people, seed 1)
# Needs: build/homeward, sqlite3, jq, GNU time.  Shares bench/screen.sh's
# database (bench/out/screen-PEOPLE-SEED.db), screening it first if needed.
set -eu
cd "$(dirname "$0")/.."
people=${1:-1000000}
seed=${2:-1}
out=bench/out
hw=${HW:-build/homeward}
db="$out/screen-$people-$seed.db"
as_of=2026-11-23
mkdir -p "$out"

. bench/lib.sh

echo "Homeward planner benchmark: $people people, seed $seed, $(nproc) cores, $(date -u +%Y-%m-%d)"
if [ ! -f "$db" ]; then
    timed demo "$hw" demo --db "$db" --people "$people" --seed "$seed" --as-of "$as_of" >/dev/null
    echo "demo: generated in $(secs demo) s"
fi
if [ "$(sqlite3 "$db" "SELECT count(*) FROM determinations WHERE as_of = '$as_of'")" = 0 ]; then
    timed screen "$hw" screen --db "$db" --rules rules --as-of "$as_of" >/dev/null
    echo "screen: $(secs screen) s"
fi
org=$(sqlite3 "$db" "SELECT organisation_id FROM people GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")

# The funds are made once and kept in the database (their names say what they are).
fund() { # NAME BUDGET [RESTRICTION]
    id=$(sqlite3 "$db" "SELECT id FROM funds WHERE name = '$1' AND organisation_id = $org")
    if [ -z "$id" ]; then
        if [ $# -ge 3 ]; then
            id=$("$hw" fund add --db "$db" --org "$org" --name "$1" --budget "$2" --restrict "$3" | tail -1)
        else
            id=$("$hw" fund add --db "$db" --org "$org" --name "$1" --budget "$2" | tail -1)
        fi
    fi
    echo "$id"
}

report() { # LABEL JSON
    jq -r --arg name "$1" --arg secs "$(secs "$1")" --arg mib "$(mib "$1")" '
      "\($name): \(.method), \(.candidates) candidates, \(.funds | length) fund(s)",
      "  optimal: \(.optimal), objective \(.objective_value), proven bound \(.bound), gap \(.gap * 100 | tostring | .[0:6])%",
      "  greedy (best value per dollar first): \(.greedy_value); the optimal plan: +\(.objective_value - .greedy_value)",
      "  people freed \(.people_freed), spent \(.spent_cents) of \(.budget_cents) cents",
      "  solve \(.solve_seconds | tostring | .[0:6]) s; whole command \($secs) s, peak \($mib) MiB"' "$2"
}

bench_bound=$(sqlite3 "$db" "SELECT id FROM people WHERE organisation_id = $org ORDER BY id LIMIT 1 OFFSET 250000" || true)
[ -n "$bench_bound" ] || bench_bound=$(sqlite3 "$db" "SELECT max(id) FROM people")

one=$(fund "bench: one fund of 1M dollars" 100000000)
timed knapsack "$hw" plan --db "$db" --fund "$one" --objective weighted --dry-run --format json \
    --as-of "$as_of" > "$out/plan-knapsack.json"
report knapsack "$out/plan-knapsack.json"
echo

set --
for k in 0 1 2 3 4 5 6 7 8 9; do
    a=$k b=$(( (k + 1) % 10 )) c=$(( (k + 3) % 10 ))
    kinds='["fine", "fee", "cost", "restitution"]'
    [ $((k % 3)) -eq 1 ] && kinds='["fine", "fee", "cost"]'
    budget=$(( (k + 1) * 15000000 ))
    r="{\"and\": [{\"<=\": [{\"var\": \"person.id\"}, $bench_bound]},
                  {\"in\": [{\"%\": [{\"var\": \"person.id\"}, 10]}, [$a, $b, $c]]},
                  {\"in\": [{\"var\": \"obligation.kind\"}, $kinds]}]}"
    set -- "$@" --fund "$(fund "bench: restricted $k of 10" "$budget" "$r")"
done
timed mip "$hw" plan --db "$db" "$@" --objective weighted --gap 0.001 --time-limit 30 --dry-run \
    --format json --as-of "$as_of" > "$out/plan-mip.json"
report mip "$out/plan-mip.json"
echo

timed people "$hw" plan --db "$db" --fund "$one" --objective people --dry-run --format json \
    --as-of "$as_of" > "$out/plan-people.json"
report people "$out/plan-people.json"
echo

if [ "$people" -eq 1000000 ]; then
    jq -r '"aim: one fund proven optimal in under 2 s: \(if .optimal and .solve_seconds < 2 then "met" else "not met" end) (solve \(.solve_seconds | tostring | .[0:6]) s)"' "$out/plan-knapsack.json"
    jq -r '"aim: ten funds within 0.1% in under 30 s: \(if .gap <= 0.001 and .solve_seconds < 30 then "met" else "not met" end) (solve \(.solve_seconds | tostring | .[0:6]) s)"' "$out/plan-mip.json"
fi
