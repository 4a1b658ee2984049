"""Checks the Parquet output of examples/spark/classify.py against `jiyu classify`'s output (CSV,
or JSONL when the file name ends in .jsonl) of the same input: every answer appears exactly once in both, with the same categories in the
same order. Exits 1, listing the first differences, when they disagree.

    python examples/spark/check.py --spark labeled.parquet --cli labeled.csv
"""

import argparse
import sys
from collections import Counter

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spark", required=True, help="the Parquet directory classify.py wrote")
    parser.add_argument("--cli", required=True, help="jiyu classify's output: CSV, or JSONL (*.jsonl)")
    args = parser.parse_args(argv)

    spark = pq.read_table(args.spark, columns=["id", "categories"])
    spark_ids = spark.column("id").to_pylist()
    spark_categories = dict(zip(spark_ids, spark.column("categories").to_pylist()))
    if args.cli.endswith(".jsonl"):
        cli = pajson.read_json(
            args.cli,
            parse_options=pajson.ParseOptions(
                explicit_schema=pa.schema([("id", pa.string()), ("categories", pa.list_(pa.string()))]),
                unexpected_field_behavior="ignore",
            ),
        )
        cli_ids = cli.column("id").to_pylist()
        cli_categories = dict(zip(cli_ids, cli.column("categories").to_pylist()))
    else:
        cli = pacsv.read_csv(
            args.cli,
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                include_columns=["id", "categories"],
                column_types={"id": "string", "categories": "string"},
                strings_can_be_null=False,
            ),
        )
        cli_ids = cli.column("id").to_pylist()
        cli_categories = dict(
            zip(cli_ids, [c.split("|") if c else [] for c in cli.column("categories").to_pylist()])
        )

    problems = []
    for name, ids in (("Spark", spark_ids), ("jiyu classify", cli_ids)):
        repeated = [answer for answer, n in Counter(ids).items() if n > 1]
        if repeated:
            problems.append(f"{name} lists {len(repeated)} answers more than once: {repeated[:5]}")
    missing = set(cli_categories) - set(spark_categories)
    extra = set(spark_categories) - set(cli_categories)
    if missing:
        problems.append(f"{len(missing)} answers of jiyu classify are missing from Spark's output: {sorted(missing)[:5]}")
    if extra:
        problems.append(f"{len(extra)} answers of Spark's output are not jiyu classify's: {sorted(extra)[:5]}")
    differ = [a for a in cli_categories if a in spark_categories and spark_categories[a] != cli_categories[a]]
    for answer in differ[:10]:
        problems.append(f"{answer}: Spark {spark_categories[answer]}, jiyu classify {cli_categories[answer]}")
    if differ:
        problems.append(f"{len(differ)} answers with other categories")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"{len(cli_ids)} answers: the same categories from Spark and from jiyu classify")
    return 0


if __name__ == "__main__":
    sys.exit(main())
