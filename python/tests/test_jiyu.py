"""The Python package against the `jiyu` command: the same answers get the same categories,
evidence, confidence and basis; DataFrames keep their rows; errors carry the command's message.

Run by `make python` from the repository root, with JIYU naming the release binary.
"""

import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import jiyu

ROOT = Path(__file__).resolve().parents[2]
JIYU = os.environ.get("JIYU", str(ROOT / "target" / "release" / "jiyu"))
LABELED = ROOT / "corpus" / "ipa-2024" / "labeled.jsonl"
DEMO = ROOT / "corpus" / "demo" / "survey.csv"
DEMO_COLUMNS = ["Q6-1", "Q7-2", "Q10-1", "Q9", "Q10", "Q12", "Q13-1", "Q14", "Q15"]
FIELDS = ["categories", "primary", "confidence", "basis", "evidence"]


def cli(*args, cwd=ROOT):
    """Runs `jiyu ARGS` and returns its standard output (it must succeed)."""
    done = subprocess.run([JIYU, *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def cli_classify(*args):
    """`jiyu classify --quiet ARGS` with the built-in rules and model, one dict per answer."""
    out = cli("classify", "--quiet", "--rules", str(ROOT / "rules"), *args)
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="module")
def classifier():
    return jiyu.Classifier()


@pytest.fixture(scope="module")
def demo_cli():
    return cli_classify(
        "--input", str(DEMO), "--id-column", "回答者ID", "--text-columns", ",".join(DEMO_COLUMNS)
    )


@pytest.fixture(scope="module")
def demo_frame():
    return jiyu.read_export(DEMO, id_column="回答者ID", text_columns=DEMO_COLUMNS)


def test_every_labeled_answer_gets_the_cli_categories_and_evidence(classifier):
    expected = cli_classify("--input", str(LABELED))
    answers = [json.loads(line) for line in LABELED.read_text(encoding="utf-8").splitlines()]
    assert len(expected) == len(answers) == 146
    got = classifier.classify_many([a["text"] for a in answers], [a["question"] for a in answers])
    assert len(got) == len(expected)
    for answer, mine, theirs in zip(answers, got, expected):
        assert theirs["id"] == answer["id"]
        assert mine["question"] == theirs["question"] and mine["text"] == theirs["text"]
        for field in FIELDS:
            assert mine[field] == theirs[field], (answer["id"], field)
    # One at a time gives what the batch gave.
    for answer, mine in zip(answers[:20], got[:20]):
        assert classifier.classify(answer["text"], answer["question"]) == mine
    # The corpus is not trivially sorted: several categories and evidence from the rules.
    assert len({p["primary"] for p in got}) > 10
    assert any(words for p in got for words in p["evidence"].values())


def test_every_demo_answer_gets_the_cli_categories_and_evidence(classifier, demo_cli, demo_frame):
    assert len(demo_frame) == len(demo_cli) > 5000
    got = classifier.classify_many(demo_frame["text"].tolist(), demo_frame["question"].tolist())
    for row, mine, theirs in zip(demo_frame.itertuples(index=False), got, demo_cli):
        assert row.id == theirs["id"] and row.question == theirs["question"]
        assert row.text == theirs["text"]
        for field in FIELDS:
            assert mine[field] == theirs[field], (row.id, field)


def test_read_export_keeps_the_attributes_of_every_answer(demo_cli, demo_frame):
    assert list(demo_frame.columns[:3]) == ["id", "question", "text"]
    names = list(demo_cli[0]["attributes"])
    assert {"業種", "従業員数", "取組段階"} <= set(names)
    assert list(demo_frame.columns[3:]) == names
    for row, theirs in zip(demo_frame[["id", *names]].itertuples(index=False), demo_cli):
        assert list(row[1:]) == [theirs["attributes"][name] for name in names]


def test_classify_frame_round_trip_keeps_rows_and_adds_the_cli_labels(demo_cli, demo_frame):
    frame = demo_frame.set_index(pd.Index(range(100, 100 + len(demo_frame))))
    labeled = jiyu.classify_frame(frame)
    assert "primary" not in frame.columns  # the input is left as it was
    assert list(labeled.columns) == [*frame.columns, "primary", "categories", "confidence"]
    assert labeled.index.equals(frame.index)
    pd.testing.assert_frame_equal(labeled[list(frame.columns)], frame)
    assert labeled["primary"].tolist() == [t["primary"] for t in demo_cli]
    assert labeled["categories"].tolist() == [t["categories"] for t in demo_cli]
    assert labeled["confidence"].tolist() == [t["confidence"] for t in demo_cli]
    # The counts a notebook would make agree with the command's.
    counts = labeled.explode("categories").groupby(["question", "categories"]).size()
    cli_counts = pd.Series(
        [(t["question"], c) for t in demo_cli for c in t["categories"]]
    ).value_counts()
    assert counts.sum() == cli_counts.sum()
    for (question, category), count in cli_counts.items():
        assert counts[(question, category)] == count


def test_classify_frame_on_polars(demo_cli, demo_frame):
    pl = pytest.importorskip("polars")
    frame = pl.from_pandas(demo_frame[["id", "question", "text"]])
    labeled = jiyu.classify_frame(frame)
    assert labeled.get_column("id").to_list() == [t["id"] for t in demo_cli]
    assert labeled.get_column("categories").to_list() == [t["categories"] for t in demo_cli]


def test_tokenize_and_explain_print_what_the_cli_prints(classifier, tmp_path):
    text = "ＩＳＭＳの研修を受けたが、失敗しないか不安"
    lines = cli("tokenize", text).splitlines()
    tokens = classifier.tokenize(text)
    assert len(tokens) == len(lines) > 5
    for token, line in zip(tokens, lines):
        surface, base, pos, reading, negated = line.split("\t")
        assert token == {
            "surface": surface,
            "base": base,
            "pos": pos,
            "reading": reading,
            "negated": negated == "negated",
        }
    assert any(token["negated"] for token in tokens)
    # From a directory without rules/, the command uses the built-in rules, as the package does.
    explained = cli("explain", "--question", "Q10-1", "取引先からの信頼が高まった", cwd=tmp_path)
    assert classifier.explain("取引先からの信頼が高まった", "Q10-1") == explained
    assert "[x]" in explained


def test_a_bad_rule_file_raises_the_cli_message(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "q5.toml").write_text(
        '[scheme]\nid = "q5"\ntitle = "テレワーク"\nquestions = ["Q5"]\n\n'
        '[[category]]\nid = "cost"\nlabel = "費用"\nrule = \'\'\'\n  費用 | (予算 & \n\'\'\'\n',
        encoding="utf-8",
    )
    with pytest.raises(jiyu.JiyuError) as raised:
        jiyu.Classifier(rules=rules)
    message = str(raised.value)
    assert message.startswith(f"{rules / 'q5.toml'}:")
    line, column = message.split(":")[1:3]
    assert int(line) >= 9 and int(column) >= 1
    done = subprocess.run(
        [JIYU, "explain", "--rules", str(rules), "--question", "Q5", "費用"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"jiyu: {message}"


def test_a_bad_export_raises_with_its_line(tmp_path):
    export = tmp_path / "answers.jsonl"
    export.write_text(
        '{"id": "a1", "question": "Q10-1", "text": "研修を受けた"}\n{"id": "a2", "question": \n',
        encoding="utf-8",
    )
    with pytest.raises(jiyu.JiyuError, match=r"answers\.jsonl:2:\d+: "):
        jiyu.read_export(export)


def test_classify_many_takes_one_question_for_all_and_checks_lengths(classifier):
    texts = ["特になし", "社員教育の時間が取れない"]
    one = classifier.classify_many(texts, "Q14")
    assert one == [classifier.classify(text, "Q14") for text in texts]
    assert one[0]["primary"] == "no-answer"
    with pytest.raises(ValueError, match="2 texts but 1 questions"):
        classifier.classify_many(texts, ["Q14"])


def test_classify_many_leaves_the_cycle_collector_as_it_found_it(classifier):
    import gc

    texts = ["特になし", "社員教育の時間が取れない"]
    assert gc.isenabled()
    classifier.classify_many(texts, "Q14")
    assert gc.isenabled()
    gc.disable()
    try:
        classifier.classify_many(texts, "Q14")
        assert not gc.isenabled()
    finally:
        gc.enable()
    # A call refused before classifying leaves it on as well.
    with pytest.raises(ValueError):
        classifier.classify_many(texts, ["Q14"])
    assert gc.isenabled()
