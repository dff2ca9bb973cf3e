#!/bin/sh
# SPDX-License-Identifier: MIT
# End-to-end test of the staff web UI: a small demo database, the real
# server on a free loopback port, and headless Chromium driven by
# playwright-core.
#
#   tests/e2e/run.sh HOMEWARD_BINARY SCRATCH_DIR
#
# Environment: CHROMIUM (default /usr/bin/chromium), SCREENSHOTS (default
# SCRATCH_DIR/screenshots), E2E_PEOPLE (default 2000).
set -eu

if [ $# -ne 2 ]; then
    echo "usage: tests/e2e/run.sh HOMEWARD_BINARY SCRATCH_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
case $1 in
    /*) homeward=$1 ;;
    *) homeward=$(pwd)/$1 ;;
esac
mkdir -p "$2"
scratch=$(cd "$2" && pwd)
[ -x "$homeward" ] || { echo "run.sh: '$homeward' is not an executable" >&2; exit 2; }
command -v node >/dev/null || { echo "run.sh: node is needed (apt-get install nodejs npm)" >&2; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "run.sh: no Chromium at $chromium (apt-get install chromium, or set CHROMIUM)" >&2; exit 1; }

db=$scratch/e2e.db
password=e2e-password-1
rm -f "$db" "$db-wal" "$db-shm"
echo "run.sh: building the demo database in $db"
"$homeward" demo --db "$db" --people "${E2E_PEOPLE:-2000}" --seed 1 >/dev/null
"$homeward" screen --db "$db" --rules "$repo/rules" >/dev/null
for role in admin case_manager legal finance funder; do
    printf '%s\n' "$password" | "$homeward" user add --db "$db" --email "$role@example.org" --role "$role" --org 1 >/dev/null
done
# A second account with a second factor, for the sign-in code step.
printf '%s\n' "$password" | "$homeward" user add --db "$db" --email "totp@example.org" --role case_manager --org 1 >/dev/null
totp_secret=$("$homeward" user totp --db "$db" --email totp@example.org | sed -n 's/^secret: //p')
"$homeward" fund add --db "$db" --org 1 --name "Keystone freedom fund" --budget 5000000 --donor "E2E donors" >/dev/null

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});')
log=$scratch/server.log
"$homeward" serve --db "$db" --listen "127.0.0.1:$port" --rules "$repo/rules" >"$log" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

base=http://127.0.0.1:$port
BASE_URL=$base node -e '
const url = process.env.BASE_URL + "/healthz";
const until = Date.now() + 15000;
(async function wait() {
  try { const r = await fetch(url); if (r.ok) return; } catch {}
  if (Date.now() > until) { console.error("run.sh: the server did not answer " + url); process.exit(1); }
  setTimeout(wait, 100);
})();' || { cat "$log" >&2; exit 1; }

cd "$here"
if [ ! -d node_modules/playwright-core ]; then
    npm ci --no-audit --no-fund
fi
status=0
BASE_URL=$base E2E_PASSWORD=$password E2E_TOTP_SECRET=$totp_secret \
    SCREENSHOTS=${SCREENSHOTS:-$scratch/screenshots} CHROMIUM=$chromium \
    node --test ui.test.mjs || status=$?
if [ "$status" -ne 0 ]; then
    echo "run.sh: the server's log is $log" >&2
fi
exit "$status"
