#!/usr/bin/env bash
# Where `jiyu classify` spends its time: callgrind (valgrind) on PROFILE_ANSWERS (default 20,000)
# of make bench's generated answers, with `jiyu tokenize --count` on the same texts and a
# one-answer classify (start-up: dictionary, rules) beside it. callgrind counts instructions, so
# the figures do not depend on what else the machine is doing (`perf stat -e instructions`
# reports "not supported" on these virtual machines).
#
# Prints instruction totals and the top functions by inclusive and by self cost
# (bench/callgrind_top.py: one line a function, rayon's and std's plumbing left out); the raw files
# (open them with callgrind_annotate or kcachegrind) stay in target/bench/profile/.
# Expects the jiyu binary $JIYU (default: target/release/jiyu, or under $CARGO_TARGET_DIR); the
# answers come from bench/speed.rs (`cargo bench --bench speed -- --generate-only`).
# RAYON_NUM_THREADS=1: one worker, so idle threads' spinning does not blur the profile.
set -euo pipefail
cd "$(dirname "$0")/.."
answers="${PROFILE_ANSWERS:-20000}"
top="${PROFILE_TOP:-30}"
dir="${BENCH_DIR:-target/bench}/profile"
jiyu="${JIYU:-${CARGO_TARGET_DIR:-target}/release/jiyu}"
sudo=$([ "$(id -u)" = 0 ] || echo sudo)
command -v valgrind >/dev/null || {
    echo "profile: installing Debian's valgrind"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends valgrind
}
mkdir -p "$dir"
"${CARGO:-cargo}" bench --quiet --bench speed -- --generate-only --answers "$answers" --dir "$dir" >/dev/null
head -n 1 "$dir/answers.jsonl" > "$dir/one.jsonl"
head -n 1 "$dir/texts.txt" > "$dir/one.txt"

grind() { # NAME ARGS…: runs jiyu ARGS under callgrind into $dir/callgrind.NAME.out
    local name=$1
    shift
    echo "== callgrind: jiyu $*" >&2
    RAYON_NUM_THREADS=1 valgrind --tool=callgrind --quiet \
        --callgrind-out-file="$dir/callgrind.$name.out" "$jiyu" "$@" >/dev/null
}
total() { # the instruction total of a callgrind file
    awk '/^(summary|totals):/ { print $2; exit }' "$1"
}
grind tokenize tokenize --count --input "$dir/texts.txt"
grind tokenize-startup tokenize --count --input "$dir/one.txt"
grind startup classify --quiet --rules rules --input "$dir/one.jsonl" --output "$dir/one.out.jsonl"
grind classify classify --quiet --rules rules --input "$dir/answers.jsonl" --output "$dir/classified.jsonl"
rm -f "$dir/one.out.jsonl" "$dir/classified.jsonl"

tokenize=$(total "$dir/callgrind.tokenize.out")
tokenize_startup=$(total "$dir/callgrind.tokenize-startup.out")
startup=$(total "$dir/callgrind.startup.out")
classify=$(total "$dir/callgrind.classify.out")

top_functions() { # inclusive|self: bench/callgrind_top.py over callgrind_annotate's list
    callgrind_annotate --auto=no --inclusive="$([ "$1" = self ] && echo no || echo yes)" \
        --threshold=100 "$dir/callgrind.classify.out" | python3 bench/callgrind_top.py "$top" "$1"
}
{
    echo "jiyu classify under callgrind: $answers answers ($dir), one rayon worker"
    awk -v t="$tokenize" -v ts="$tokenize_startup" -v c="$classify" -v cs="$startup" -v n="$answers" 'BEGIN {
        printf "instructions: tokenize --count %.3g, classify %.3g (%.2f× tokenize)\n", t, c, c / t
        printf "start-up (one answer): tokenize %.3g, classify %.3g\n", ts, cs
        printf "per answer, without start-up: tokenize %.0f, classify %.0f (%.2f× tokenize)\n", (t - ts) / n, (c - cs) / n, (c - cs) / (t - ts)
    }'
    echo
    echo "== top $top functions by inclusive cost (Ir = instructions executed, % of classify's total)"
    top_functions inclusive
    echo
    echo "== top $top functions by self cost"
    top_functions self
} | tee "$dir/profile.txt"
echo "== written to $dir/profile.txt; raw: $dir/callgrind.*.out" >&2
