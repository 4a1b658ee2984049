#!/usr/bin/env bash
# make bench: one run over BENCH_ANSWERS (default 1,000,000) generated answers, printing one table
# (also written to target/bench/results.md): tokenize-only, classify and index times and peak
# memory, classify's peak memory at a tenth of the answers, the MeCab (fugashi + ipadic) + Python
# pipeline of bench/mecab_pipeline.py on the same answers, the ratios with their targets (✓/✗),
# index size and query latency p50/p99 over the queries of bench/queries.tsv.
#
# Runs bench/speed.rs through `cargo bench --bench speed` (the release profile) with the jiyu
# binary $JIYU (default: target/release/jiyu, or under $CARGO_TARGET_DIR) and target/bench-venv
# (the Makefile's bench target builds both). Environment:
#   BENCH_ANSWERS=N          answers to generate (default 1000000)
#   BENCH_PYTHON_ANSWERS=N   run the MeCab + Python pipeline on the first N only (default: all);
#                            the comparison is then per answer
#   BENCH_ROUNDS=N           rounds of the query set (default 3)
#   BENCH_REPEAT=N           runs of tokenize, classify, index and MeCab, taking turns; the
#                            fastest of each is reported (default 3)
#   BENCH_DIR=DIR            where the files go (default target/bench)
#   PYTHON_PACKAGE=PYTHON    the Python of `make python`'s venv, for the classify_many row
#                            (default: python-venv/bin/python under the target directory)
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${CARGO:-cargo}" bench --quiet --bench speed -- \
    --jiyu "${JIYU:-${CARGO_TARGET_DIR:-target}/release/jiyu}" \
    --python target/bench-venv/bin/python \
    --python-package "${PYTHON_PACKAGE:-${CARGO_TARGET_DIR:-target}/python-venv/bin/python}" \
    --rules rules \
    --answers "${BENCH_ANSWERS:-1000000}" \
    --python-answers "${BENCH_PYTHON_ANSWERS:-0}" \
    --dir "${BENCH_DIR:-target/bench}" \
    --queries bench/queries.tsv \
    --rounds "${BENCH_ROUNDS:-3}" \
    --repeat "${BENCH_REPEAT:-3}"
