#!/usr/bin/env bash
# Renders docs/serve.png, the README's picture of `jiyu serve`: the demo index of `make demo`
# (target/demo/index) served on a free loopback port with an empty temporary overrides file,
# searched for 補助金 among the answers of 建設業 with one answer open, in headless Chromium.
# Usage (after make demo): e2e/screenshot.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/serve.png}
work=$(mktemp -d)
repo=$(pwd)
# The binary: $JIYU, else target/release/jiyu (under $CARGO_TARGET_DIR when set).
jiyu=${JIYU:-${CARGO_TARGET_DIR:-target}/release/jiyu}
case $jiyu in /*) ;; *) jiyu=$repo/$jiyu ;; esac
# From the temporary directory, so the page names the overrides file plainly (corrections.csv).
(cd "$work" && exec "$jiyu" serve --index "$repo/target/demo/index" \
    --rules "$repo/rules" --overrides corrections.csv --bind 127.0.0.1:0 2>"$work/log") &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
url=
for _ in $(seq 1 300); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/log" | head -n 1 || true)
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { cat "$work/log"; exit 1; }
/usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --log-level=3 \
    --user-data-dir="$work/profile" --window-size=1400,1000 --virtual-time-budget=5000 \
    --screenshot="$out" \
    "${url}?q=%E8%A3%9C%E5%8A%A9%E9%87%91&where=%E6%A5%AD%E7%A8%AE%3D%E5%BB%BA%E8%A8%AD%E6%A5%AD&open=R05338%3AQ7-2"
echo "== $out"
