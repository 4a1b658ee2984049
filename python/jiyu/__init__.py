"""jiyu (自由記述): sort Japanese free-text survey answers into categories.

The same library as the ``jiyu`` command — rules, learned model, analyzer and dictionaries built
in — for notebooks and Spark executors::

    import jiyu
    classifier = jiyu.Classifier()                 # the built-in rules and model
    classifier.classify("社員教育の時間が取れない", "Q10-1")["categories"]
    answers = jiyu.read_export("survey.csv", id_column="回答者ID", text_columns=["Q6-1", "Q10-1"])
    labeled = jiyu.classify_frame(answers)         # adds primary, categories, confidence

Every category, token and error message comes from the Rust library; errors raise
:class:`JiyuError` with the message ``jiyu`` prints (``file:line:column: what is wrong``).
"""

from __future__ import annotations

import os
from typing import Any, Optional, Sequence, Union

from ._jiyu import Classifier, JiyuError, __version__, read_export_columns

__all__ = ["Classifier", "JiyuError", "classify_frame", "read_export", "__version__"]

_PathLike = Union[str, "os.PathLike[str]"]


def read_export(
    path: _PathLike,
    id_column: Optional[str] = None,
    text_columns: Optional[Sequence[str]] = None,
    *,
    question_column: Optional[str] = None,
    text_column: Optional[str] = None,
    format: Optional[str] = None,
    encoding: Optional[str] = None,
    sheet: Optional[str] = None,
) -> "Any":
    """Read a survey export into a pandas DataFrame of answers, as ``jiyu classify`` reads it.

    One row per answer: ``id``, ``question``, ``text``, then every other column of the export
    (業種, 従業員数, …) in file order. A wide export (one row per respondent) needs
    ``id_column`` (the respondent id) and ``text_columns`` (its free-text columns); its blank
    cells are not answers. CSV, TSV, JSONL and XLSX; UTF-8 or Shift_JIS, detected unless
    ``encoding`` is given.

    Raises :class:`JiyuError` (``file:line:column: …``) on a file jiyu cannot read.
    """
    import pandas as pd

    columns = read_export_columns(
        os.fspath(path),
        id_column=id_column,
        text_columns=list(text_columns) if text_columns is not None else None,
        question_column=question_column,
        text_column=text_column,
        format=format,
        encoding=encoding,
        sheet=sheet,
    )
    return pd.DataFrame(columns)


def classify_frame(
    df: "Any",
    text: str = "text",
    question: str = "question",
    *,
    classifier: Optional[Classifier] = None,
) -> "Any":
    """Classify every row of a pandas or polars DataFrame.

    ``text`` and ``question`` name the columns holding the answer and its question. Returns a
    new DataFrame of the same type, rows and order, with three columns added: ``primary`` (the
    strongest category, or None), ``categories`` (a list, strongest first) and ``confidence``
    (0–1, three decimals as ``jiyu classify`` writes it; None for a question no scheme
    sorts). ``classifier`` defaults to ``Classifier()``: the built-in rules and model.
    """
    classifier = classifier if classifier is not None else Classifier()
    module = type(df).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        results = classifier.classify_many(
            df.get_column(text).to_list(), df.get_column(question).to_list()
        )
        return df.with_columns(
            pl.Series("primary", [r["primary"] for r in results], dtype=pl.Utf8),
            pl.Series("categories", [r["categories"] for r in results], dtype=pl.List(pl.Utf8)),
            pl.Series("confidence", [r["confidence"] for r in results], dtype=pl.Float64),
        )
    if module == "pandas":
        results = classifier.classify_many(df[text].tolist(), df[question].tolist())
        out = df.copy()
        out["primary"] = [r["primary"] for r in results]
        out["categories"] = [r["categories"] for r in results]
        out["confidence"] = [r["confidence"] for r in results]
        return out
    raise TypeError(f"classify_frame takes a pandas or polars DataFrame, not {type(df).__name__}")
