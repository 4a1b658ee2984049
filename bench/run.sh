#!/usr/bin/env bash
# make bench: indexes BENCH_ANSWERS (default 1,000,000) generated answers and prints a table:
# tokenize-only time, classify time (reference), index time, their ratio, index size, and
# query latency p50/p99 over the 100 queries of bench/queries.tsv.
# Expects `cargo build --release --example search_bench` (the Makefile's bench target does it).
set -euo pipefail
cd "$(dirname "$0")/.."
answers="${BENCH_ANSWERS:-1000000}"
extra=()
if [ "${BENCH_CLASSIFY:-1}" = 0 ]; then
    extra+=(--no-classify)
fi
exec target/release/examples/search_bench \
    --jiyu target/release/jiyu \
    --answers "$answers" \
    --dir target/bench \
    --queries bench/queries.tsv \
    --rounds "${BENCH_ROUNDS:-3}" \
    "${extra[@]}"
