"""make bench-python: the Python package's `classify_many` against `jiyu classify` on the same
generated answers (about --answers of them), per answer, the fastest of --repeat runs of each,
taking turns. The command reads the export and writes JSONL; `classify_many` is given the texts
and questions already in Python lists and returns one dict per answer (what a notebook does
after `jiyu.read_export`). Target: `classify_many` ≤ 1.2× the command's time per answer.

    python bench/python_classify.py --jiyu target/release/jiyu --answers 200000

With --json, one line of JSON instead of the table (answers, and the fastest wall seconds of
`cli` and `python`): make bench's row of classify_many reads it.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import jiyu

COLUMNS = ["Q6-1", "Q7-2", "Q10-1", "Q9", "Q10", "Q12", "Q13-1", "Q14", "Q15"]
# The demo generator writes about 1.79 answers per respondent (10,007 for 5,577).
ANSWERS_PER_RESPONDENT = 10007 / 5577


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jiyu", required=True, help="the release binary")
    parser.add_argument("--answers", type=int, default=200000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default=None, help="where the export goes (default: a temporary directory)")
    parser.add_argument("--json", action="store_true", help="print one line of JSON, not the table")
    args = parser.parse_args(argv)
    # The CLI runs in the work directory: relative paths given must not depend on it.
    args.jiyu = os.path.abspath(args.jiyu)
    if args.dir is not None:
        args.dir = os.path.abspath(args.dir)

    with tempfile.TemporaryDirectory(dir=args.dir) as work:
        export = os.path.join(work, "answers.csv")
        respondents = max(1, round(args.answers / ANSWERS_PER_RESPONDENT))
        subprocess.run(
            [args.jiyu, "demo-data", "--respondents", str(respondents), "--seed", "3",
             "--encoding", "utf-8", "--output", export],
            check=True, capture_output=True,
        )
        frame = jiyu.read_export(export, id_column="回答者ID", text_columns=COLUMNS)
        texts, questions = frame["text"].tolist(), frame["question"].tolist()
        classifier = jiyu.Classifier()
        command = [args.jiyu, "classify", "--quiet", "--input", export, "--id-column", "回答者ID",
                   "--text-columns", ",".join(COLUMNS), "--output", os.path.join(work, "labeled.jsonl")]
        cli_times, python_times = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run(command, check=True, cwd=work)
            cli_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            results = classifier.classify_many(texts, questions)
            python_times.append(time.perf_counter() - start)
            assert len(results) == len(texts)
            del results
    n = len(texts)
    cli, python = min(cli_times), min(python_times)
    ratio = python / cli
    if args.json:
        print(json.dumps({"answers": n, "cli": cli, "python": python, "repeat": args.repeat}))
        return 0
    print(f"| | answers | wall (fastest of {args.repeat}) | per answer | ratio | target |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| `jiyu classify` | {n:,} | {cli:.2f} s | {cli / n * 1e6:.1f} µs | | |")
    print(f"| `Classifier.classify_many` | {n:,} | {python:.2f} s | {python / n * 1e6:.1f} µs "
          f"| {ratio:.2f}× classify | ≤ 1.2× {'✓' if ratio <= 1.2 else '✗'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
