#!/usr/bin/env bash
# make loadtest: starts `jiyu serve` on a free loopback port over INDEX and runs wrk against its
# /api/search with CLIENTS connections for SECONDS, cycling through the queries of
# bench/queries.tsv (e2e/loadtest.lua), then stops the server. Loopback only; bounded in time.
# Usage: e2e/loadtest.sh JIYU INDEX CLIENTS SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
jiyu=$1 index=$2 clients=${3:-50} seconds=${4:-20}
log=$(mktemp)
"$jiyu" serve --index "$index" --bind 127.0.0.1:0 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT
url=
for _ in $(seq 1 1200); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$log" | head -n 1 || true)
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "loadtest: the server printed no address"; cat "$log"; exit 1; }
grep 'answers of' "$log" || true
# One request first, so the timings are of a warm server.
curl -sf -o /dev/null "${url}api/search?q=%E3%82%BB%E3%82%AD%E3%83%A5%E3%83%AA%E3%83%86%E3%82%A3" \
    || { echo "loadtest: the first search failed"; exit 1; }
echo "== wrk: $clients clients for ${seconds}s against ${url}api/search ($(nproc) cores, shared with wrk)"
threads=$(( clients < 2 ? clients : 2 ))
wrk --threads "$threads" --connections "$clients" --duration "${seconds}s" --timeout 10s --latency \
    --script e2e/loadtest.lua "$url"
