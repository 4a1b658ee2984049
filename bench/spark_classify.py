"""make bench-spark: answers per second of Spark local[2] (examples/spark/classify.py) against
`jiyu classify` on the same machine and the same generated answers.

The answers are make bench's (`cargo bench --bench speed -- --generate-only`: JSONL with id,
question, text and three attributes). They are converted once to Parquet — several files of
several row groups, so every core reads its own part — and that conversion is not timed:
it stands for data already stored as Parquet, as it is on a cluster. Then, --repeat times,
taking turns so both see the same load on a shared machine:

- `jiyu classify` over the JSONL (JSONL out, as make bench runs it);
- examples/spark/classify.py over the Parquet (mapInArrow, Parquet out, the counts per
  question × category printed), the whole spark-submit.

The fastest run of each is reported. Spark's fixed cost (JVM, session, Python workers, the
classifier loaded in each, the counting jobs) is measured apart, as the same two commands on
the first --tiny answers, and the ratio is given both with it (the headline: what a user
waits for) and without it (each command's time less its own tiny run: the steady state of big
inputs). Last, every answer's categories from Spark are checked against the command's
(examples/spark/check.py). Target: Spark ≥ 0.5× the command's answers per second.

    python bench/spark_classify.py --jiyu target/release/jiyu --answers-dir DIR \
        --spark-submit target/python-venv/bin/spark-submit
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.json as pajson
import pyarrow.parquet as pq

TARGET = 0.5
COLUMNS = ["id", "question", "text", "業種", "従業員数", "取組段階"]
HERE = os.path.dirname(os.path.abspath(__file__))
CLASSIFY_PY = os.path.join(HERE, "..", "examples", "spark", "classify.py")
CHECK_PY = os.path.join(HERE, "..", "examples", "spark", "check.py")


def load_average():
    with open("/proc/loadavg") as file:
        return file.read().split()[0]


def to_parquet(jsonl, directory, files, row_group):
    """`jsonl` as `files` Parquet files of row groups of `row_group` answers; the answer count."""
    schema = pa.schema([(name, pa.string()) for name in COLUMNS])
    table = pajson.read_json(
        jsonl,
        read_options=pajson.ReadOptions(block_size=16 << 20),
        parse_options=pajson.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore"),
    )
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    per_file = -(-table.num_rows // files)
    for index in range(files):
        part = table.slice(index * per_file, per_file)
        if part.num_rows:
            pq.write_table(part, os.path.join(directory, f"part-{index:03d}.parquet"),
                           row_group_size=row_group)
    return table.num_rows


def first_lines(source, target, count):
    with open(source, "rb") as reader, open(target, "wb") as writer:
        for index, line in enumerate(reader):
            if index >= count:
                break
            writer.write(line)


def timed(command, stdout=None, stderr=None, env=None):
    start = time.perf_counter()
    result = subprocess.run(command, stdout=stdout, stderr=stderr, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"bench-spark: {' '.join(command)} failed ({result.returncode})")
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jiyu", required=True, help="the release binary")
    parser.add_argument("--answers-dir", required=True,
                        help="make bench's generated answers (answers.jsonl); the files go here too")
    parser.add_argument("--spark-submit", required=True)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--tiny", type=int, default=1000, help="answers of the start-up run")
    parser.add_argument("--files", type=int, default=8, help="Parquet files")
    parser.add_argument("--row-group", type=int, default=50000, help="answers per row group")
    parser.add_argument("--classify", default=CLASSIFY_PY, help="the Spark job (default: examples/spark/classify.py)")
    parser.add_argument("--spark-arg", action="append", default=[],
                        help="an extra argument of spark-submit (repeatable), e.g. --conf=k=v")
    args = parser.parse_args(argv)

    work = args.answers_dir
    jsonl = os.path.join(work, "answers.jsonl")
    tiny_jsonl = os.path.join(work, "answers-tiny.jsonl")
    parquet, tiny_parquet = os.path.join(work, "answers.parquet"), os.path.join(work, "answers-tiny.parquet")
    start = time.perf_counter()
    n = to_parquet(jsonl, parquet, args.files, args.row_group)
    conversion = time.perf_counter() - start
    first_lines(jsonl, tiny_jsonl, args.tiny)
    tiny = to_parquet(tiny_jsonl, tiny_parquet, 1, args.row_group)
    print(f"== {n:,} answers; JSONL → Parquet ({args.files} files, row groups of {args.row_group:,}) "
          f"in {conversion:.1f} s (not timed below)", file=sys.stderr, flush=True)

    submit = [args.spark_submit, "--master", args.master, "--conf", "spark.ui.enabled=false",
              *args.spark_arg]

    def cli(source, output):
        return timed([args.jiyu, "classify", "--quiet", "--input", source, "--output", output])

    def spark(source, output, name):
        with open(os.path.join(work, f"{name}.counts"), "w") as out, \
                open(os.path.join(work, f"{name}.log"), "w") as log:
            return timed([*submit, args.classify, "--input", source, "--output", output],
                         stdout=out, stderr=log)

    load_before = load_average()
    cli_out, spark_out = os.path.join(work, "cli.jsonl"), os.path.join(work, "spark.parquet")
    cli_times, spark_times, cli_tiny, spark_tiny = [], [], [], []
    for round_ in range(1, args.repeat + 1):
        print(f"== round {round_} of {args.repeat} (load {load_average()})", file=sys.stderr, flush=True)
        cli_tiny.append(cli(tiny_jsonl, os.path.join(work, "cli-tiny.jsonl")))
        spark_tiny.append(spark(tiny_parquet, os.path.join(work, "spark-tiny.parquet"), "spark-tiny"))
        cli_times.append(cli(jsonl, cli_out))
        print(f"   jiyu classify {cli_times[-1]:.1f} s", file=sys.stderr, flush=True)
        spark_times.append(spark(parquet, spark_out, "spark"))
        print(f"   Spark {spark_times[-1]:.1f} s", file=sys.stderr, flush=True)
    load_after = load_average()

    print("== checking every answer's categories (examples/spark/check.py)", file=sys.stderr, flush=True)
    check = subprocess.run([sys.executable, CHECK_PY, "--spark", spark_out, "--cli", cli_out],
                           capture_output=True, text=True)
    same = check.returncode == 0
    verdict = (check.stdout if same else check.stderr).strip()

    c, s = min(cli_times), min(spark_times)
    ct, st = min(cli_tiny), min(spark_tiny)
    ratio = c / s
    steady = (c - ct) / (s - st) if s > st else float("nan")
    mark = lambda ok: "✓" if ok else "✗"
    print(f"Spark {args.master} against jiyu classify: {n:,} answers, {os.cpu_count()} cores, "
          f"load {load_before} → {load_after}; fastest of {args.repeat}, taking turns\n")
    print("| | wall | answers/s | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| `jiyu classify` (JSONL in and out) | {c:.1f} s | {n / c:,.0f} | | |")
    print(f"| Spark: all of `classify.py` (Parquet in and out, counts) | {s:.1f} s | {n / s:,.0f} "
          f"| {ratio:.2f}× | ≥ {TARGET}× {mark(ratio >= TARGET)} |")
    print(f"| start-up: the same on {tiny:,} answers | {ct:.1f} s / {st:.1f} s | | | |")
    print(f"| without start-up (time less the {tiny:,}-answer run) | {c - ct:.1f} s / {s - st:.1f} s "
          f"| {n / (c - ct):,.0f} / {n / (s - st):,.0f} | {steady:.2f}× | |")
    print(f"\nJSONL → Parquet ({args.files} files) took {conversion:.1f} s, not counted. "
          f"Categories: {verdict}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
