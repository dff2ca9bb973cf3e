#!/bin/sh
# SPDX-License-Identifier: MIT
# HTTP load benchmark of `homeward serve` on the demo population, beside
# nginx serving a static JSON file of a person page's size on the same
# machine (the ceiling: what a plain HTTP server does with no work to do).
# wrk keeps 64 connections busy for 30 s on each of:
#   a. nginx, the static file;
#   b. person reads, GET /api/v1/people/{id}, ids drawn at random from the
#      real ids of organisation 1 (so every answer is a 200), each read
#      written to the audit log before it is answered;
#   c. the people list, GET /api/v1/people?limit=50;
#   d. a records list, GET /api/v1/convictions?limit=50;
#   e. the server's floor: /healthz (no session, no database), and
#      GET /api/v1/session (the session looked up and answered, no page),
#      which show how much of a page's cost is HTTP and how much the page;
# and prints a table of requests per second, median and 99th percentile
# latency, responses with an error status, socket errors, the CPU the server
# (or nginx) used, and each rate as a share of nginx's.  Then person reads
# for 2 minutes more while the server's own resident memory (RssAnon) is
# sampled every 5 s: it should stay flat.  The aims: person reads at half nginx's rate or
# more, with a 99th percentile under 10 ms.  The exit status is 1 when any
# run had an answer with an error status or a socket error (a timeout is an
# answer slower than wrk's 2 s).
#
# Before the runs the database file is read once into the page cache (when
# it fits in half the free memory) and person reads go for 10 s unmeasured,
# so that the figures are of the server and not of the disk.
#
# Usage: bench/serve.sh [PEOPLE] [SEED]     (default: 1000000 people, seed 1)
# Environment: PEOPLE, SEED (as the arguments); DURATION (30s) for each wrk
# run; CONNECTIONS (64); THREADS (the server's threads, default its own: four
# per core); nginx has one worker per core; MEMORY_SECONDS (120); FRESH=1 to copy the database again;
# PERF=1 to record a profile of the server during the person reads (perf,
# into bench/out/serve-perf.data); PERF_CALL_GRAPH (default -g) for perf
# record's call-graph option, e.g. "--call-graph dwarf" for a build
# without frame pointers.
# Needs: build/homeward (make build), sqlite3, curl, wrk, nginx, GNU time
# (scripts/install-deps.sh bench); root is not needed.
#
# The database is bench/screen.sh's (bench/out/screen-PEOPLE-SEED.db, made
# and screened first if missing).  The server runs on a copy of it,
# bench/out/serve-PEOPLE-SEED.db, made once and kept between runs: every
# person read adds an audit entry to its read log (serve-PEOPLE-SEED.db.reads),
# which grows by each run's reads (printed at the end) while the screened
# database stays as it was.  FRESH=1 starts again from a new copy.
set -eu
cd "$(dirname "$0")/.."
people=${1:-${PEOPLE:-1000000}}
seed=${2:-${SEED:-1}}
duration=${DURATION:-30s}
conns=${CONNECTIONS:-64}
threads=${THREADS:-}
workers=$(nproc)
memory_seconds=${MEMORY_SECONDS:-120}
out=bench/out
hw=${HW:-build/homeward}
db="$out/screen-$people-$seed.db"
work="$out/serve-$people-$seed.db"
as_of=2026-11-23
email=bench@example.org
password=bench-password-1
mkdir -p "$out"

. bench/lib.sh

for tool in sqlite3 curl wrk nginx; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "bench/serve.sh: $tool is missing: run scripts/install-deps.sh bench" >&2; exit 1; }
done
[ -x "$hw" ] || { echo "bench/serve.sh: $hw is missing: run make build" >&2; exit 1; }

# ---- stopping everything, however the script ends ----
tmp=$(mktemp -d)
server_pid="" nginx_pid="" wrk_pid="" perf_pid=""
stop() {
    for p in $perf_pid $wrk_pid; do
        kill -INT "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    if [ -n "$nginx_pid" ]; then
        kill -QUIT "$nginx_pid" 2>/dev/null || true
        wait "$nginx_pid" 2>/dev/null || true
    fi
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT TERM

echo "Homeward HTTP benchmark: $people people, seed $seed, $(date -u +%Y-%m-%d)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')," \
    "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine competes for its cores)"
echo "tools: $("$hw" --version), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $(nginx -v 2>&1 | cut -d' ' -f3), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"

# ---- the database: bench/screen.sh's, then a copy of it for the server ----
if [ ! -f "$db" ]; then
    timed demo "$hw" demo --db "$db" --people "$people" --seed "$seed" --as-of "$as_of" >/dev/null
    echo "demo: generated in $(secs demo) s"
    timed screen "$hw" screen --db "$db" --rules rules --as-of "$as_of" >/dev/null
    echo "screen: $(secs screen) s"
fi
if [ -n "${FRESH:-}" ] || [ ! -f "$work" ]; then
    rm -f "$work" "$work-wal" "$work-shm" "$work.key" "$work.partial" \
        "$work.reads" "$work.reads-wal" "$work.reads-shm"
    # Whatever is still in the write-ahead log goes into the file copied.
    if [ -s "$db-wal" ]; then
        sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
    fi
    start=$(date +%s)
    cp --reflink=auto "$db" "$work.partial"
    if [ -f "$db.key" ]; then
        cp "$db.key" "$work.key"
        chmod 600 "$work.key"
    fi
    mv "$work.partial" "$work"
    echo "copy: $db to $work in $(($(date +%s) - start)) s"
fi
# Brings the copy's schema up to date (once; a no-op after).
timed init "$hw" init --db "$work" >/dev/null
[ "$(secs init | cut -d. -f1)" -lt 1 ] || echo "init: the copy's schema upgraded in $(secs init) s"
if [ "$(sqlite3 "$work" "SELECT count(*) FROM users WHERE email = '$email'")" = 0 ]; then
    printf '%s\n' "$password" |
        "$hw" user add --db "$work" --email "$email" --role case_manager --org 1 >/dev/null
    echo "user: $email added (case_manager of organisation 1)"
fi
sqlite3 "$work" "SELECT id FROM people WHERE organisation_id = 1 ORDER BY id" >"$tmp/ids"
nids=$(wc -l <"$tmp/ids")
[ "$nids" -gt 0 ] || { echo "bench/serve.sh: organisation 1 has no people in $work" >&2; exit 1; }
# The entries in the read log, where the server's reads go (none before its first run).
read_log_entries() {
    if [ -f "$work.reads" ]; then
        sqlite3 "$work.reads" "SELECT coalesce(max(id), 0) FROM audit"
    else
        echo 0
    fi
}
audit_before=$(read_log_entries)
# The file read once, so that the runs measure the server and not the disk.
file_kib=$(du -k "$work" | cut -f1)
avail_kib=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
if [ "$file_kib" -lt $((avail_kib / 2)) ]; then
    cat "$work" >/dev/null
    echo "database: $work, $((file_kib / 1024)) MiB, read into the page cache"
else
    echo "database: $work, $((file_kib / 1024)) MiB, larger than half the free memory: not cached first"
fi
echo "person reads: ids drawn from the $nids people of organisation 1"

# ---- the server ----
set -- "$hw" serve --db "$work" --listen 127.0.0.1:0 ${threads:+--threads "$threads"}
echo
echo "server: $*"
"$@" 2>"$tmp/serve.log" &
server_pid=$!
port=""
for _ in $(seq 600); do
    port=$(sed -n 's|.*listening on http://[^ ]*:\([0-9][0-9]*\)/.*|\1|p' "$tmp/serve.log")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "bench/serve.sh: the server did not start:" >&2
    cat "$tmp/serve.log" >&2
    exit 1
fi
api="http://127.0.0.1:$port"
code=$(curl -sS -o "$tmp/signin.json" -w '%{http_code}' -c "$tmp/cookies" \
    -H 'Content-Type: application/json' \
    --data "{\"email\": \"$email\", \"password\": \"$password\"}" "$api/api/v1/session")
cookie=$(awk '$6 == "hw_session" { print $7 }' "$tmp/cookies")
if [ "$code" != 201 ] && [ "$code" != 200 ] || [ -z "$cookie" ]; then
    echo "bench/serve.sh: sign-in answered $code:" >&2
    cat "$tmp/signin.json" >&2
    exit 1
fi
echo "signed in as $email; the session cookie goes with every request"

# A person page's size: the median of 21 people's, whose page is also nginx's file.
samples=$((nids < 21 ? nids : 21))
shuf -n "$samples" "$tmp/ids" | while read -r id; do
    code=$(curl -sS -o "$tmp/person-$id.json" -w '%{http_code}' \
        -H "Cookie: hw_session=$cookie" "$api/api/v1/people/$id")
    [ "$code" = 200 ] || { echo "bench/serve.sh: person $id answered $code" >&2; exit 1; }
    echo "$(wc -c <"$tmp/person-$id.json") $id"
done | sort -n >"$tmp/sizes"
[ "$(wc -l <"$tmp/sizes")" -eq "$samples" ] || exit 1
median=$(sed -n "$(((samples + 1) / 2))p" "$tmp/sizes")
page_bytes=${median% *}

# ---- nginx: a scratch prefix, one loopback port, the same number of workers ----
mkdir -p "$tmp/nginx/html"
cp "$tmp/person-${median#* }.json" "$tmp/nginx/html/person.json"
chmod 755 "$tmp" "$tmp/nginx" "$tmp/nginx/html" # workers may run as another user under root
chmod 644 "$tmp/nginx/html/person.json"
nginx_port=""
p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))
for _ in $(seq 200); do
    if [ -z "$(ss -Htln "sport = :$p")" ]; then
        nginx_port=$p
        break
    fi
    p=$((p + 1))
done
[ -n "$nginx_port" ] || { echo "bench/serve.sh: no free port for nginx" >&2; exit 1; }
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    types { application/json json; }
    server {
        listen 127.0.0.1:$nginx_port;
        root $tmp/nginx/html;
    }
}
EOF
set -- nginx -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf"
echo "nginx: $* (worker_processes $workers, keep-alive, access log off)"
"$@" &
nginx_pid=$!
static="http://127.0.0.1:$nginx_port/person.json"
for _ in $(seq 100); do
    curl -sf -o /dev/null "$static" && break
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
done
curl -sf -o /dev/null "$static" ||
    { echo "bench/serve.sh: nginx did not start:" >&2; cat "$tmp/nginx/error.log" >&2; exit 1; }
echo "person page: median $page_bytes bytes of $samples read (from $(head -1 "$tmp/sizes" | cut -d' ' -f1) to" \
    "$(tail -1 "$tmp/sizes" | cut -d' ' -f1)); nginx serves one of them"

# ---- the runs ----
hz=$(getconf CLK_TCK)
# The CPU time, in clock ticks, of the processes the run measures (nginx: its workers).
ticks() {
    if [ "$1" = static ]; then
        # shellcheck disable=SC2046 # one pid a word
        set -- $(ps -o pid= --ppid "$nginx_pid")
    else
        set -- "$server_pid"
    fi
    for p in "$@"; do cat "/proc/$p/stat"; done | awk '{ t += $14 + $15 } END { print t + 0 }'
}
# Wait (up to 5 minutes) until the server is idle: requests a previous run left
# queued are still answered after wrk has gone, and would land in the next run.
settle() {
    waited=0
    t0=$(ticks server)
    while [ "$waited" -lt 300 ]; do
        sleep 1
        waited=$((waited + 1))
        t1=$(ticks server)
        [ $((t1 - t0)) -le $((hz / 20)) ] && break
        t0=$t1
    done
    [ "$waited" -le 2 ] ||
        echo "    (the server took $((waited - 1)) s to finish the requests left by that run)"
}
# run LABEL DURATION SCRIPT URL [IDS_FILE]: wrk's report in $out/serve-LABEL.txt, and the
# CPU the server (or nginx) used in $out/serve-LABEL.cpu, in cores.  Every request carries
# the session cookie (nginx's too, so that the requests are alike).
run() {
    label=$1 d=$2 script=$3 url=$4
    shift 4
    echo "  wrk -c $conns -t 2 -d $d --latency -s $script -H \"Cookie: hw_session=(cookie)\" $url${1:+ -- IDS_FILE}"
    c0=$(ticks "$label")
    s0=$(date +%s.%N)
    wrk -c "$conns" -t 2 -d "$d" --latency -s "$script" -H "Cookie: hw_session=$cookie" \
        "$url" ${1:+--} "$@" >"$out/serve-$label.txt" 2>&1 || { cat "$out/serve-$label.txt" >&2; exit 1; }
    awk -v c="$(($(ticks "$label") - c0))" -v hz="$hz" -v s0="$s0" -v s1="$(date +%s.%N)" \
        'BEGIN { printf "%.2f\n", c / hz / (s1 - s0) }' >"$out/serve-$label.cpu"
    grep -q '^bench-serve:' "$out/serve-$label.txt" || { cat "$out/serve-$label.txt" >&2; exit 1; }
    [ "$label" = static ] || settle
}
# field LABEL NAME: a figure of the run's report line
field() { sed -n "s/^bench-serve:.* $2=\([^ ]*\).*/\1/p" "$out/serve-$1.txt"; }

echo
echo "wrk runs ($conns connections, 2 wrk threads, $duration each; the server has ${threads:-its default number of} threads):"
# Not measured: the SQLite caches and the handle pool filled first.
run warmup 10s bench/wrk/person.lua "$api" "$tmp/ids"
run static "$duration" bench/wrk/report.lua "$static"
if [ -n "${PERF:-}" ]; then
    perf record ${PERF_CALL_GRAPH:--g} -o "$out/serve-perf.data" -p "$server_pid" 2>"$tmp/perf.log" >/dev/null &
    perf_pid=$!
fi
run person "$duration" bench/wrk/person.lua "$api" "$tmp/ids"
if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid"
    wait "$perf_pid" || true
    perf_pid=""
    echo "  profile: perf report -i $out/serve-perf.data --stdio"
fi
run people "$duration" bench/wrk/report.lua "$api/api/v1/people?limit=50"
run convictions "$duration" bench/wrk/report.lua "$api/api/v1/convictions?limit=50"
run healthz "$duration" bench/wrk/report.lua "$api/healthz"
run session "$duration" bench/wrk/report.lua "$api/api/v1/session"

nginx_rate=$(field static rate)
echo
printf '%-38s %10s %8s %8s %7s %7s %7s %7s %7s\n' target "requests/s" "p50 ms" "p99 ms" \
    non-2xx socket bytes "CPU" "% of"
printf '%-38s %10s %8s %8s %7s %7s %7s %7s %7s\n' "" "" "" "" "" errors /resp cores nginx
row() { # LABEL TITLE
    printf '%-38s %10.0f %8.2f %8.2f %7d %7d %7d %7.2f %7.1f\n' "$2" "$(field "$1" rate)" \
        "$(field "$1" p50_ms)" "$(field "$1" p99_ms)" "$(field "$1" non2xx)" \
        "$(field "$1" socket_errors)" "$(field "$1" bytes_per_response)" "$(cat "$out/serve-$1.cpu")" \
        "$(awk -v a="$(field "$1" rate)" -v b="$nginx_rate" 'BEGIN { print 100 * a / b }')"
}
row static "nginx: static person page"
row person "homeward: person read /people/{id}"
row people "homeward: people list ?limit=50"
row convictions "homeward: convictions list ?limit=50"
row healthz "homeward floor: /healthz"
row session "homeward floor: GET /session (signed in)"
echo "(non-2xx: wrk's count of answers with status 400 or over; socket errors: connect, read,"
echo " write, and timeout: an answer slower than wrk's 2 s, left out of the latencies; bytes/resp:"
echo " with the headers; CPU cores: used by the server, or nginx's workers, during the run)"

# ---- memory: person reads for MEMORY_SECONDS, the server's own memory every 5 s ----
echo
# Its own memory (RssAnon: the heap, and the handles' page caches, 32 MiB each) is what
# must stay flat.  RssFile, the file pages it maps (its code and libraries; the database is
# read, not mapped), is shown beside it: were it mapped, its pages would count in VmRSS.
echo "memory: person reads for $memory_seconds s, the server's own memory (RssAnon) every 5 s:"
rss() { awk '/^RssAnon:/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }
mapped() { awk '/^RssFile:/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }
echo "  wrk -c $conns -t 2 -d ${memory_seconds}s --latency -s bench/wrk/person.lua -H \"Cookie: hw_session=(cookie)\" $api -- IDS_FILE"
wrk -c "$conns" -t 2 -d "${memory_seconds}s" --latency -s bench/wrk/person.lua \
    -H "Cookie: hw_session=$cookie" "$api" -- "$tmp/ids" >"$out/serve-memory.txt" 2>&1 &
wrk_pid=$!
c0=$(ticks server)
s0=$(date +%s.%N)
# The sample at 0 s still holds what the list runs left in the heap; the figures start at 5 s.
before=$(rss)
: >"$tmp/rss"
t=0
while [ "$t" -lt "$memory_seconds" ]; do
    sleep 5
    t=$((t + 5))
    [ "$t" -ge "$memory_seconds" ] || echo "$t $(rss)" >>"$tmp/rss"
done
wait "$wrk_pid" || { cat "$out/serve-memory.txt" >&2; exit 1; }
wrk_pid=""
awk -v c="$(($(ticks server) - c0))" -v hz="$hz" -v s0="$s0" -v s1="$(date +%s.%N)" \
    'BEGIN { printf "%.2f\n", c / hz / (s1 - s0) }' >"$out/serve-memory.cpu"
echo "$t $(rss)" >>"$tmp/rss"
echo "  MiB at 0 s: $before (what the list runs left); from 5 s on: $(cut -d' ' -f2 "$tmp/rss" | tr '\n' ' ')"
awk 'NR == 1 { first = $2; min = $2; max = $2 } { last = $2; if ($2 > max) max = $2; if ($2 < min) min = $2 }
     END { printf "  RssAnon first (5 s) %.1f MiB, last (%d s, after the run) %.1f MiB, min %.1f MiB, max %.1f MiB;" \
                  " last - first: %+.1f MiB\n", first, $1, last, min, max, last - first }' "$tmp/rss"
echo "  file pages mapped at the end (RssFile: code and libraries): $(mapped) MiB"
printf '  during it: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d, socket errors %d, server CPU %s cores\n' \
    "$(field memory rate)" "$(field memory p50_ms)" "$(field memory p99_ms)" \
    "$(field memory non2xx)" "$(field memory socket_errors)" "$(cat "$out/serve-memory.cpu")"

# ---- the verdicts ----
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""
audit_after=$(read_log_entries)
echo "audit: $((audit_after - audit_before)) entries written to the read log by this run (it now holds" \
    "$audit_after; $db is unchanged)"
awk -v p="$(field person rate)" -v n="$nginx_rate" -v q="$(field person p99_ms)" 'BEGIN {
    printf "aim: person reads at least half of nginx'"'"'s rate: %s (%.1f%%)\n", (p >= n / 2 ? "met" : "not met"), 100 * p / n
    printf "aim: person reads p99 under 10 ms: %s (%.2f ms)\n", (q < 10 ? "met" : "not met"), q }'
bad=0
for l in static person people convictions healthz session memory; do
    bad=$((bad + $(field $l non2xx) + $(field $l socket_errors)))
done
if [ "$bad" -eq 0 ]; then
    echo "check: every wrk run had no non-2xx answers and no socket errors"
else
    echo "check: FAILED: $bad non-2xx answers or socket errors (reports in $out/serve-*.txt)"
    exit 1
fi
