"""Classify survey answers on Apache Spark with jiyu, and count them per question × category.

    spark-submit examples/spark/classify.py --input survey.csv --encoding Shift_JIS \
        --id-column 回答者ID --text-columns Q6-1,Q7-2,Q10-1 --output labeled.parquet

Reads CSV or Parquet: a long file (one answer a row: id, question, text columns) or a wide
export (one respondent a row, --text-columns naming its free-text columns; the answer ids are
`<respondent id>:<column>` and blank cells are no answers, as `jiyu classify` reads them).
Every answer is classified by `mapInArrow`: each executor's Python process builds one
`jiyu.Classifier` and classifies whole Arrow batches with `classify_many`. The output is
Parquet: the input's columns with `primary`, `categories`, `confidence` and `basis` added.
The counts per question × category (an answer with two categories counts for both) are
printed last.

The executors need the `jiyu` wheel (pip install it on them, or ship a packed venv; see the
README).
"""

import argparse
import os
import sys
import time

import pyarrow as pa
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, DoubleType, StringType, StructField, StructType

# The columns classify adds, as Arrow and as Spark types.
ADDED = [
    ("primary", pa.string(), StringType()),
    ("categories", pa.list_(pa.string()), ArrayType(StringType())),
    ("confidence", pa.float64(), DoubleType()),
    ("basis", pa.string(), StringType()),
]

# One classifier per Python worker process: loading the dictionary and rules takes a moment,
# and Spark reuses a worker for many tasks (spark.python.worker.reuse, on by default).
_CLASSIFIER = None


def classifier(rules, model, threads):
    global _CLASSIFIER
    if _CLASSIFIER is None:
        if threads:
            # classify_many's thread pool is built at its first call and reads this then.
            os.environ["RAYON_NUM_THREADS"] = str(threads)
        import jiyu

        _CLASSIFIER = jiyu.Classifier(rules=rules, model=model)
    return _CLASSIFIER


def classify_batches(text, question, rules, model, threads):
    """The function mapInArrow runs on each partition: Arrow batches in, the same batches with
    the added columns out."""

    def run(batches):
        jiyu = classifier(rules, model, threads)
        for batch in batches:
            results = jiyu.classify_many(
                batch.column(text).to_pylist(), batch.column(question).to_pylist()
            )
            added = [
                pa.array([r[name] for r in results], type=arrow_type)
                for name, arrow_type, _ in ADDED
            ]
            yield pa.RecordBatch.from_arrays(
                batch.columns + added, names=batch.schema.names + [name for name, _, _ in ADDED]
            )

    return run


def read_answers(spark, args):
    """The answers as a DataFrame with id, question and text columns (and the others)."""
    if args.input.endswith(".parquet") or args.format == "parquet":
        frame = spark.read.parquet(args.input)
    else:
        frame = (
            spark.read.option("header", True)
            .option("multiLine", True)
            .option("escape", '"')
            .option("encoding", args.encoding)
            .csv(args.input)
        )
    if args.text_columns:
        columns = [name.strip() for name in args.text_columns.split(",") if name.strip()]
        attributes = [name for name in frame.columns if name not in columns and name != args.id_column]
        stacked = F.explode(
            F.array(
                *[
                    F.struct(F.lit(name).alias("question"), F.col(f"`{name}`").cast("string").alias("text"))
                    for name in columns
                ]
            )
        ).alias("answer")
        frame = frame.select(
            F.trim(F.col(f"`{args.id_column}`")).alias("_respondent"),
            *[F.col(f"`{name}`") for name in attributes],
            stacked,
        ).select(
            F.concat(F.col("_respondent"), F.lit(":"), F.col("answer.question")).alias("id"),
            F.col("answer.question").alias("question"),
            F.col("answer.text").alias("text"),
            *[F.col(f"`{name}`") for name in attributes],
        )
        # A blank cell (nothing but whitespace, Unicode's included) is not an answer.
        frame = frame.where(F.col("text").isNotNull() & F.col("text").rlike(r"(?U)\S"))
    else:
        frame = frame.withColumnRenamed(args.id_column or "id", "id")
        frame = frame.withColumnRenamed(args.question_column, "question")
        frame = frame.withColumnRenamed(args.text_column, "text")
    return frame


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True, help="CSV or Parquet file (or directory)")
    parser.add_argument("--output", required=True, help="Parquet directory to write")
    parser.add_argument("--format", choices=["csv", "parquet"], help="default: from the name")
    parser.add_argument("--encoding", default="UTF-8", help="CSV encoding (Shift_JIS for Excel's)")
    parser.add_argument("--id-column", help="answer id (long) or respondent id (wide)")
    parser.add_argument("--question-column", default="question")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--text-columns", help="wide export: the free-text columns, comma-separated")
    parser.add_argument("--rules", help="rules directory (default: jiyu's built-in rules)")
    parser.add_argument("--no-model", action="store_true", help="the rules alone")
    parser.add_argument("--partitions", type=int, default=0,
                        help="partitions to classify in (default: 2 per core)")
    parser.add_argument("--threads", type=int, default=0,
                        help="threads of classify_many in each Python worker (default: all cores)")
    args = parser.parse_args(argv)
    if args.text_columns and not args.id_column:
        parser.error("--text-columns needs --id-column (the respondent id)")

    # Spark 4 reads CSV in the UTF encodings alone unless told to take Java's charsets
    # (Shift_JIS, windows-31j: Japanese Excel's CSV).
    spark = (
        SparkSession.builder.appName("jiyu classify")
        .config("spark.sql.legacy.javaCharsets", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    started = time.perf_counter()
    partitions = args.partitions or 2 * spark.sparkContext.defaultParallelism
    # Parquet (and single-line CSV) files are split at least this many ways as they are read,
    # so each core reads its own part; a multi-line CSV is read whole by one task and then
    # spread over the cores by a shuffle.
    spark.conf.set("spark.sql.files.minPartitionNum", str(partitions))
    answers = read_answers(spark, args)
    if answers.rdd.getNumPartitions() < partitions:
        answers = answers.repartition(partitions)
    schema = StructType(
        answers.schema.fields + [StructField(name, spark_type) for name, _, spark_type in ADDED]
    )
    labeled = answers.mapInArrow(
        classify_batches(
            "text", "question", args.rules, False if args.no_model else None, args.threads
        ),
        schema,
    )
    labeled.write.mode("overwrite").parquet(args.output)
    written_at = time.perf_counter()

    # One pass over the output: the answers per question and set of categories, few rows,
    # from which the Python side sums the answers per question × category and in all.
    combinations = (
        spark.read.parquet(args.output).groupBy("question", "categories").count().collect()
    )
    total = sum(row["count"] for row in combinations)
    counts = {}
    for row in combinations:
        for category in row["categories"] or []:
            key = (row["question"], category)
            counts[key] = counts.get(key, 0) + row["count"]
    print(
        f"classified and written in {written_at - started:.1f} s, counted in "
        f"{time.perf_counter() - written_at:.1f} s",
        file=sys.stderr,
    )
    print(f"{total} answers classified into {args.output}")
    print(f"{'question':<10} {'category':<24} {'answers':>9}")
    for (question, category), count in sorted(counts.items(), key=lambda c: (c[0][0], -c[1], c[0][1])):
        print(f"{question:<10} {category:<24} {count:>9}")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
