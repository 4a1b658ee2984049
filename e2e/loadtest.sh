#!/usr/bin/env bash
# make loadtest: starts `jiyu serve` on a free loopback port over INDEX and runs wrk against its
# /api/search with CLIENTS connections for SECONDS, cycling through the queries of
# bench/queries.tsv (e2e/loadtest.lua), then stops the server. Loopback only; bounded in time.
# Prints wrk's latencies, the load averages before and after, and the server's CPU time a
# request.
# Usage: e2e/loadtest.sh JIYU INDEX CLIENTS SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
jiyu=$1 index=$2 clients=${3:-50} seconds=${4:-20}
log=$(mktemp)
"$jiyu" serve --index "$index" --bind 127.0.0.1:0 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log" "$log.wrk"' EXIT
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
# The server's CPU time (user + system, from /proc) per request served is steadier than the
# latencies when other work shares the machine; the load averages say how much did.
cpu() { awk '{ print $14 + $15 }' "/proc/$server/stat" 2>/dev/null || echo 0; }
echo "loadtest: load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
ticks=$(cpu)
threads=$(( clients < 2 ? clients : 2 ))
wrk --threads "$threads" --connections "$clients" --duration "${seconds}s" --timeout 10s --latency \
    --script e2e/loadtest.lua "$url" | tee "$log.wrk"
ticks=$(( $(cpu) - ticks ))
echo "loadtest: load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
requests=$(grep -o 'loadtest: [0-9]* requests' "$log.wrk" | grep -o '[0-9][0-9]*' || true)
rm -f "$log.wrk"
if [ -n "$requests" ] && [ "$requests" -gt 0 ]; then
    awk -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {
        printf "loadtest: server CPU %.1f s for %d requests: %.2f ms a request\n",
            ticks / hz, n, ticks / hz * 1000 / n }'
fi
